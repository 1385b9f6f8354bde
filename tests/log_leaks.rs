//! LG-01: the whole demo flow at TRACE level, every log line captured, and not one of them
//! holds the secret, a derived key, a session token, a CSRF value or a password. LG-02: the
//! `Debug` output of the types that hold them.
#![allow(clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod support;

use auth_runtime::CookieNames;
use auth_runtime::DerivedKey;
use auth_runtime::Secret;
use serde_json::{Value, json};
use support::demo::serve_demo;
use support::http::{browser, csrf_token, set_cookies};
use support::logs::captured_logs;

const SECRET: &str = "log-leak-secret-5e2a8c1f7b3d9e4a6c0f";
const PASSWORDS: [&str; 3] = [
    "correct-horse-admin",
    "correct-horse-viewer",
    "wrong-horse-battery",
];

#[tokio::test]
async fn no_secret_token_csrf_value_or_password_reaches_the_logs() {
    let captured = captured_logs();

    let server = serve_demo(SECRET).await;
    let client = browser();
    let base = "/api/auth";
    let mut secrets_seen: Vec<String> = Vec::new();

    // Sign-in: a wrong password, then the right one.
    for password in ["wrong-horse-battery", "correct-horse-admin"] {
        let csrf = csrf_token(&client, &server, base).await;
        secrets_seen.push(csrf.clone());
        let response = client
            .post(server.url(&format!("{base}/callback/credentials")))
            .form(&[
                ("csrfToken", csrf.as_str()),
                ("email", "admin@example.com"),
                ("password", password),
            ])
            .send()
            .await
            .expect("sign in");
        for cookie in set_cookies(response.headers()) {
            if let Some((_, value)) = cookie.split(';').next().and_then(|c| c.split_once('='))
                && !value.is_empty()
            {
                secrets_seen.push(value.to_owned());
            }
        }
    }
    // The session, an accepted and a refused update, a bad cookie, sign-out.
    let session: Value = client
        .get(server.url(&format!("{base}/session")))
        .send()
        .await
        .expect("session")
        .json()
        .await
        .expect("JSON");
    assert_eq!(session["user"]["role"], "admin");
    for data in [
        json!({"tenantId": "globex"}),
        json!({"tenantId": "initech"}),
        json!({"role": "x"}),
    ] {
        let csrf = csrf_token(&client, &server, base).await;
        client
            .post(server.url(&format!("{base}/session")))
            .json(&json!({"csrfToken": csrf, "data": data}))
            .send()
            .await
            .expect("update");
    }
    reqwest::Client::new()
        .get(server.url(&format!("{base}/session")))
        .header(
            "Cookie",
            "authjs.session-token=eyJhbGciOiJkaXIifQ..AAAA.BBBB.CCCC",
        )
        .send()
        .await
        .expect("bad cookie");
    let csrf = csrf_token(&client, &server, base).await;
    client
        .post(server.url(&format!("{base}/signout")))
        .form(&[("csrfToken", csrf.as_str())])
        .send()
        .await
        .expect("sign out");

    let logs = captured.text();
    assert!(
        logs.contains("signed_in"),
        "the flow was logged at all:\n{logs}"
    );

    let secret = Secret::new(SECRET).expect("strong");
    let mut forbidden: Vec<String> = vec![SECRET.to_owned()];
    forbidden.extend(PASSWORDS.iter().map(|p| (*p).to_owned()));
    for salt in [CookieNames::HTTP.session, CookieNames::HTTP.csrf] {
        let key = DerivedKey::derive(&secret, salt);
        forbidden.push(key.__key_hex_for_tests());
    }
    for value in &secrets_seen {
        // Any 24-character window of a token or CSRF value would be a leak.
        let value = value.replace("%7C", "|");
        for part in value.split(['|', '.']).filter(|part| part.len() >= 24) {
            forbidden.push(part[..24].to_owned());
        }
    }
    for needle in &forbidden {
        assert!(
            !logs.contains(needle.as_str()),
            "the logs contain a secret value ({} characters)",
            needle.len()
        );
    }
}

/// LG-02: `Debug` of every runtime type that holds a secret, a derived key, a token, a CSRF
/// value or a password prints `[redacted]` in its place. (The generated token's `Debug`,
/// `AppAuthToken([redacted])`, is checked in `auth_config_flow`.)
#[tokio::test]
async fn debug_output_redacts_secrets_keys_tokens_csrf_values_and_passwords() {
    use auth_runtime::CsrfToken;
    use auth_runtime::FormFields;
    use auth_runtime::{CookieLifetime, SetCookie};
    use auth_runtime::{Keyring, Secrets, TokenCodec};
    use auth_runtime::{Password, PasswordHash};

    let secret = Secret::new(SECRET).expect("strong");
    let secrets = Secrets::new([SECRET]).expect("strong");
    let keyring = Keyring::new(secrets.clone());
    let keys = keyring.keys_for(CookieNames::HTTP.session);
    let codec = TokenCodec::new(keys.clone());
    let Value::Object(claims) = json!({"sub": "user-1", "email": "a@example.com"}) else {
        unreachable!("an object")
    };
    let token = codec
        .encode(claims, std::time::Duration::from_secs(60))
        .expect("encode");
    let csrf = CsrfToken::generate();
    let password = Password::new(PASSWORDS[0]);
    let hash = PasswordHash::of(&password).await.expect("a hash");
    let cookie = SetCookie::new(
        CookieNames::HTTP.session,
        token.as_str(),
        CookieLifetime::BrowserSession,
        false,
    );
    let form = FormFields::new([("password".to_owned(), PASSWORDS[0].to_owned())]);

    // Each `Debug` output, and whether it stands something in as `[redacted]` (the codec
    // shows only the key set's shape, the form only its field names).
    let printed = [
        (format!("{secret:?}"), true),
        (format!("{secrets:?}"), true),
        (format!("{keyring:?}"), true),
        (format!("{keys:?}"), true),
        (format!("{csrf:?}"), true),
        (format!("{password:?}"), true),
        (format!("{hash:?}"), true),
        (format!("{cookie:?}"), true),
        (format!("{codec:?}"), false),
        (format!("{form:?}"), false),
    ];
    let key = DerivedKey::derive(&secret, CookieNames::HTTP.session).__key_hex_for_tests();
    for (text, redacts) in &printed {
        for needle in [SECRET, &key, &token[..40], csrf.as_str(), PASSWORDS[0]] {
            assert!(!text.contains(needle), "{text}");
        }
        assert_eq!(text.contains("redacted"), *redacts, "{text}");
    }
}
