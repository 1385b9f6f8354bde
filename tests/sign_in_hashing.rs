//! DS-04: a burst of argon2 sign-ins hashes at most one password per hashing permit (one per
//! core) at a time, and the session route still answers while they queue.
//!
//! The peak is read through `auth_runtime::__peak_concurrent_hashes_for_tests` (the internal
//! `_test-internals` feature): the most hashes that ran at once in this process, which is why
//! this test has a binary of its own. The stored hash is a cheap argon2id (2 MiB, two passes) so
//! that 200 sign-ins take about a second; the bound does not depend on the cost.
#![allow(clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use argon2::password_hash::{PasswordHasher as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use auth_runtime::prelude::*;
use auth_runtime::{__hashing_permits_for_tests, __peak_concurrent_hashes_for_tests, PasswordHash};
use poem::http::{StatusCode, header};
use poem::test::{TestClient, TestResponse};
use poem::{EndpointExt as _, Route};

/// A user.
pub struct User {
    id: String,
}

impl AuthUser for User {
    fn subject(&self) -> String {
        self.id.clone()
    }
}

/// The one stored password hash.
#[derive(Clone)]
pub struct HashState {
    hash: PasswordHash,
}

async fn authorize(
    form: &AppAuthCredentialsForm,
    state: &HashState,
) -> Result<Option<User>, CallbackError> {
    let matches = form.email == "a@example.com" && form.password.verify(&state.hash).await;
    Ok(matches.then(|| User {
        id: "user-1".into(),
    }))
}

/// Credentials sign-in against an argon2id hash.
#[auth_config(user = crate::User, state = crate::HashState)]
pub struct AppAuth {
    #[provider(credentials(authorize = authorize))]
    credentials: Credentials,
}

const SIGN_INS: usize = 200;
const PASSWORD: &str = "correct horse battery staple";

/// An argon2id hash of `password` at a cost cheap enough for hundreds of verifications.
fn cheap_hash(password: &str) -> PasswordHash {
    let params = Params::new(2048, 2, 1, None).expect("valid argon2 parameters");
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    let salt = SaltString::encode_b64(b"sixteen-byte-salt").expect("a salt");
    let phc = argon2
        .hash_password(password.as_bytes(), &salt)
        .expect("hashing")
        .to_string();
    assert!(phc.starts_with("$argon2id$v=19$m=2048,t=2,p=1$"), "{phc}");
    PasswordHash::parse(&phc).expect("a PHC string")
}

fn first_cookie(response: &TestResponse) -> String {
    let set_cookie = response
        .0
        .headers()
        .get(header::SET_COOKIE)
        .expect("a Set-Cookie")
        .to_str()
        .expect("ASCII");
    set_cookie.split(';').next().expect("name=value").to_owned()
}

/// DS-04
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ds_04_parallel_argon2_sign_ins_hash_at_most_one_per_permit_and_session_answers() {
    let auth = Auth::<AppAuth>::builder(HashState {
        hash: cheap_hash(PASSWORD),
    })
    .secrets(Secrets::new(["ds04-test-secret-0123456789abcdef0123"]).expect("strong"))
    .build()
    .expect("the configuration is valid");
    let app = Arc::new(auth.mount(Route::new()).with(auth.middleware()).boxed());
    let client = TestClient::new(Arc::clone(&app));

    let csrf = client.get("/api/auth/csrf").send().await;
    csrf.assert_status_is_ok();
    let cookie = first_cookie(&csrf);
    let body: serde_json::Value =
        serde_json::from_str(&csrf.0.into_body().into_string().await.expect("a body"))
            .expect("JSON");
    let token = body["csrfToken"].as_str().expect("a token").to_owned();

    let finished = Arc::new(AtomicUsize::new(0));
    let sign_ins: Vec<_> = (0..SIGN_INS)
        .map(|attempt| {
            let (app, finished) = (Arc::clone(&app), Arc::clone(&finished));
            let (cookie, token) = (cookie.clone(), token.clone());
            // Every other attempt has the right password: both outcomes hash once.
            let password = if attempt % 2 == 0 { PASSWORD } else { "wrong" };
            tokio::spawn(async move {
                let response = TestClient::new(app)
                    .post("/api/auth/callback/credentials")
                    .header(header::COOKIE, cookie)
                    .form(&[
                        ("csrfToken", token.as_str()),
                        ("email", "a@example.com"),
                        ("password", password),
                    ])
                    .send()
                    .await;
                finished.fetch_add(1, Ordering::SeqCst);
                response.assert_status(StatusCode::FOUND);
                let location = response.0.headers()[header::LOCATION]
                    .to_str()
                    .expect("ASCII")
                    .to_owned();
                (password == PASSWORD, location)
            })
        })
        .collect();

    // Once hashing has begun, `/session` answers while the other sign-ins wait for a permit.
    while __peak_concurrent_hashes_for_tests() == 0 {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let session = tokio::time::timeout(
        Duration::from_secs(10),
        client.get("/api/auth/session").send(),
    )
    .await
    .expect("/session answers during the burst");
    let finished_when_session_answered = finished.load(Ordering::SeqCst);
    session.assert_status_is_ok();
    session.assert_text("null").await;

    let (mut signed_in, mut refused) = (0, 0);
    for sign_in in sign_ins {
        let (right_password, location) = sign_in.await.expect("the sign-in task");
        if right_password {
            assert!(!location.contains("error="), "{location}");
            signed_in += 1;
        } else {
            assert!(location.contains("error=CredentialsSignin"), "{location}");
            refused += 1;
        }
    }
    assert_eq!((signed_in, refused), (SIGN_INS / 2, SIGN_INS / 2));

    let (permits, peak) = (
        __hashing_permits_for_tests(),
        __peak_concurrent_hashes_for_tests(),
    );
    assert!(permits < SIGN_INS, "{permits} permits bound nothing");
    assert!(
        (1..=permits).contains(&peak),
        "{peak} hashes ran at once with {permits} permits"
    );
    assert!(
        finished_when_session_answered < SIGN_INS,
        "/session answered only after every sign-in"
    );
}
