//! Signed bearer tokens (issue 14) on a loopback server: `POST /api/auth/token` issues them for
//! the session cookie, `GET /api/auth/jwks` publishes the keys, and `/api/me` and the guarded
//! `/api/admin` accept `Authorization: Bearer` exactly as they accept the cookie. The npm
//! package `jose` under Node (`tests/interop/bearer-jose.mjs`) verifies what we issue against
//! our key set, and signs tokens with our key that verify here. Then every forgery the
//! checklist names (TF-16 to TF-23, CL-01, CF-06) is refused with a 401, never a 5xx.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use auth_runtime::prelude::*;
use auth_runtime::{Auth, AuthError, AuthSchema, BearerKey, BearerKeys, Secrets};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use poem::web::Json;
use poem::{EndpointExt, Route, get, handler};
use reqwest::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use support::clock::SteppingClock;
use support::http::{TestServer, browser, csrf_token, set_cookies};
use support::node::run_script;

const SECRET: &str = "bearer-test-secret-7c1e4b9a2f6d8e0a3c5b";
const AUDIENCE: &str = "https://api.example";
const ED1: &str = include_str!("../auth-runtime/tests/vectors/bearer-keys/ed1.pem");
const ED1_PUBLIC: &str = include_str!("../auth-runtime/tests/vectors/bearer-keys/ed1.pub.pem");
const ED2: &str = include_str!("../auth-runtime/tests/vectors/bearer-keys/ed2.pem");
const EC1: &str = include_str!("../auth-runtime/tests/vectors/bearer-keys/ec1.pem");
const RSA1_PUBLIC: &str = include_str!("../auth-runtime/tests/vectors/bearer-keys/rsa1.pub.pem");
const RSA_SMALL: &str = include_str!("../auth-runtime/tests/vectors/bearer-keys/rsa-small.pub.pem");
const KEYS_JSON: &str = include_str!("../auth-runtime/tests/vectors/bearer-keys/keys.json");

/// A role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything.
    Admin,
    /// Read only.
    Viewer,
}

/// A permission.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Permission {
    /// Read.
    Read,
    /// Write.
    Write,
}

impl Role {
    fn permissions(&self) -> Vec<Permission> {
        match self {
            Role::Admin => vec![Permission::Read, Permission::Write],
            Role::Viewer => vec![Permission::Read],
        }
    }
}

/// A user.
pub struct User {
    id: &'static str,
    role: Role,
}

impl AuthUser for User {
    fn subject(&self) -> String {
        self.id.into()
    }
    fn name(&self) -> Option<String> {
        Some(format!("{} user", self.id))
    }
}

async fn authorize(
    form: &ApiAuthCredentialsForm,
    _state: &(),
) -> Result<Option<User>, CallbackError> {
    Ok(match (form.email.as_str(), form.password.expose()) {
        ("admin@example.com", "admin-password") => Some(User {
            id: "u-admin",
            role: Role::Admin,
        }),
        ("viewer@example.com", "viewer-password") => Some(User {
            id: "u-viewer",
            role: Role::Viewer,
        }),
        _ => None,
    })
}

/// Keeps an upstream credential in the encrypted token: private, so never in a bearer token.
async fn jwt(
    token: &mut ApiAuthToken,
    trigger: JwtTrigger<'_, ApiAuth>,
    _state: &(),
) -> Result<TokenAction, CallbackError> {
    if let JwtTrigger::SignIn { user, .. } = trigger {
        token.upstream = Some(format!("upstream-secret-of-{}", user.id));
    }
    Ok(TokenAction::Keep)
}

#[auth_config(
    user = User,
    callbacks(jwt = jwt),
    tokens(bearer(alg = "EdDSA", ttl = "15m", audience = "https://api.example")),
)]
pub struct ApiAuth {
    #[provider(credentials(authorize = authorize))]
    credentials: Credentials,
    #[claim(from_user)]
    role: Role,
    #[claim(derive = Role::permissions(role))]
    permissions: Vec<Permission>,
    #[claim(private)]
    upstream: Option<String>,
}

/// The same, accepting bearer tokens only (an API that never reads the cookie).
#[auth_config(
    user = User,
    tokens(bearer(alg = "ES256", audience = "https://api.example", accept = "bearer")),
)]
pub struct BearerOnly {
    #[provider(credentials(authorize = authorize_bearer_only))]
    credentials: Credentials,
    #[claim(from_user)]
    role: Role,
}

async fn authorize_bearer_only(
    form: &BearerOnlyCredentialsForm,
    _state: &(),
) -> Result<Option<User>, CallbackError> {
    Ok(
        (form.password.expose() == "admin-password").then_some(User {
            id: "u-admin",
            role: Role::Admin,
        }),
    )
}

#[handler]
fn me(session: Session<ApiAuth>) -> Json<ApiAuthSession> {
    Json(session.into_session())
}

#[handler]
fn admin_area() -> &'static str {
    "admin area"
}

#[handler]
fn me_bearer_only(session: Session<BearerOnly>) -> Json<BearerOnlySession> {
    Json(session.into_session())
}

/// The server under test and what the test needs of it.
struct Served {
    server: TestServer,
    clock: SteppingClock,
    origin: String,
}

impl Served {
    fn issuer(&self) -> String {
        format!("{}/api/auth", self.origin)
    }
}

/// Serves `ApiAuth` with `keys` on a fresh port, its public URL the port's origin.
async fn serve(keys: BearerKeys) -> Served {
    let port = TestServer::bind().await;
    let origin = port.origin();
    let clock = SteppingClock::starting_now();
    let auth = Auth::<ApiAuth>::builder(())
        .secrets(Secrets::new([SECRET]).unwrap())
        .public_url(&origin)
        .clock(clock.clone())
        .bearer_keys(keys)
        .build()
        .expect("a valid configuration");
    let app = auth
        .mount(Route::new())
        .at("/api/me", get(me))
        .at(
            "/api/admin",
            get(admin_area).with(ApiAuth::require_role(Role::Admin)),
        )
        .with(auth.middleware());
    Served {
        server: port.serve(app),
        clock,
        origin,
    }
}

fn ed1_keys() -> BearerKeys {
    BearerKeys::new([BearerKey::from_pem(ED1).unwrap()]).unwrap()
}

fn jose_keys(name: &str) -> Value {
    serde_json::from_str::<Value>(KEYS_JSON).unwrap()[name].clone()
}

/// Signs in with the credentials form; the client's jar then holds the session cookie.
async fn sign_in(client: &reqwest::Client, served: &Served, email: &str, password: &str) {
    let csrf = csrf_token(client, &served.server, "/api/auth").await;
    let response = client
        .post(served.server.url("/api/auth/callback/credentials"))
        .form(&[
            ("csrfToken", csrf.as_str()),
            ("email", email),
            ("password", password),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FOUND);
    assert!(
        set_cookies(response.headers())
            .iter()
            .any(|line| line.starts_with("authjs.session-token="))
    );
}

/// `POST /api/auth/token` with the CSRF token: the answer's status and JSON.
async fn request_token(client: &reqwest::Client, server: &TestServer) -> (StatusCode, Value) {
    let csrf = csrf_token(client, server, "/api/auth").await;
    let response = client
        .post(server.url("/api/auth/token"))
        .json(&json!({ "csrfToken": csrf }))
        .send()
        .await
        .unwrap();
    let status = response.status();
    assert_eq!(
        response.headers()["cache-control"],
        "private, no-cache, no-store"
    );
    (status, response.json().await.unwrap())
}

/// A signed-in user's bearer token.
async fn bearer_token_of(served: &Served, email: &str, password: &str) -> String {
    let client = browser();
    sign_in(&client, served, email, password).await;
    let (status, body) = request_token(&client, &served.server).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["access_token"].as_str().unwrap().to_owned()
}

/// `GET path` with `Authorization: <authorization>` and no cookie: status and body.
async fn get_with(served: &Served, path: &str, authorization: &str) -> (StatusCode, String) {
    let response = reqwest::Client::new()
        .get(served.server.url(path))
        .header("authorization", authorization)
        .send()
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

/// `GET /api/me` with `Authorization: Bearer <token>`: its status, which must never be 5xx.
async fn me_status(served: &Served, token: &str) -> StatusCode {
    let (status, body) = get_with(served, "/api/me", &format!("Bearer {token}")).await;
    assert!(!status.is_server_error(), "{status} {body}");
    if status == StatusCode::UNAUTHORIZED {
        assert_eq!(body, r#"{"error":"unauthorized"}"#);
    }
    status
}

fn payload_of(token: &str) -> Map<String, Value> {
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

fn header_of(token: &str) -> Value {
    serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(token.split('.').next().unwrap())
            .unwrap(),
    )
    .unwrap()
}

fn b64(json: &Value) -> String {
    URL_SAFE_NO_PAD.encode(json.to_string())
}

/// Valid claims for `served`, now by its clock, with `changes` applied (`null` removes).
fn claims(served: &Served, changes: Value) -> Value {
    let now = auth_runtime::Clock::now(&served.clock);
    let mut claims = json!({
        "sub": "u-admin", "role": "admin", "permissions": ["read", "write"],
        "iss": served.issuer(), "aud": AUDIENCE,
        "iat": now, "exp": now + 600, "jti": "forged",
    });
    for (name, value) in changes.as_object().unwrap() {
        if value.is_null() {
            claims.as_object_mut().unwrap().remove(name);
        } else {
            claims[name] = value.clone();
        }
    }
    claims
}

/// `claims` signed with `key` under `header`, by `jsonwebtoken` (what an attacker could use).
fn forge(header: &Header, claims: &Value, key: &EncodingKey) -> String {
    jsonwebtoken::encode(header, claims, key).unwrap()
}

fn header(alg: Algorithm, kid: &str) -> Header {
    let mut header = Header::new(alg);
    header.kid = Some(kid.to_owned());
    header
}

fn ed1_kid() -> String {
    jose_keys("ed1")["kid"].as_str().unwrap().to_owned()
}

fn ed1_signer() -> EncodingKey {
    EncodingKey::from_ed_pem(ED1.as_bytes()).unwrap()
}

// --- issuing and accepting ---

/// A token from `POST /token` opens `/api/me` without any cookie; it carries the public
/// claims typed as the session token has them and the registered claims, never a private
/// claim; `exp` is the declared 15 minutes.
#[tokio::test]
async fn a_bearer_token_from_post_token_opens_api_me_and_carries_only_public_claims() {
    let served = serve(ed1_keys()).await;
    let token = bearer_token_of(&served, "viewer@example.com", "viewer-password").await;
    let payload = payload_of(&token);
    let mut names: Vec<&str> = payload.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "aud",
            "exp",
            "iat",
            "iss",
            "jti",
            "name",
            "permissions",
            "role",
            "sub"
        ]
    );
    assert_eq!(payload["sub"], "u-viewer");
    assert_eq!(payload["role"], "viewer");
    assert_eq!(payload["permissions"], json!(["read"]));
    assert_eq!(payload["iss"], served.issuer().as_str());
    assert_eq!(payload["aud"], AUDIENCE);
    assert_eq!(
        payload["exp"].as_i64().unwrap() - payload["iat"].as_i64().unwrap(),
        900
    );
    assert!(!token.contains("upstream") && !payload_of(&token).contains_key("upstream"));
    let header = header_of(&token);
    assert_eq!(header["alg"], "EdDSA");
    assert_eq!(header["kid"], ed1_kid().as_str());

    let (status, body) = get_with(&served, "/api/me", &format!("Bearer {token}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let session: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(session["user"]["role"], "viewer");
    assert_eq!(session["user"]["name"], "u-viewer user");
}

/// `POST /token` is CSRF-checked (CS-01) and needs the session cookie: a bearer token cannot
/// mint another, and `GET` mints nothing.
#[tokio::test]
async fn post_token_needs_a_csrf_token_and_the_session_cookie() {
    let served = serve(ed1_keys()).await;
    let client = browser();
    sign_in(&client, &served, "admin@example.com", "admin-password").await;
    let without_csrf = client
        .post(served.server.url("/api/auth/token"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(without_csrf.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        without_csrf.json::<Value>().await.unwrap(),
        json!({"error": "MissingCSRF"})
    );
    let get = client
        .get(served.server.url("/api/auth/token"))
        .send()
        .await
        .unwrap();
    assert_eq!(get.status(), StatusCode::BAD_REQUEST);

    let token = bearer_token_of(&served, "admin@example.com", "admin-password").await;
    let signed_out = browser();
    let csrf = csrf_token(&signed_out, &served.server, "/api/auth").await;
    let with_bearer_only = signed_out
        .post(served.server.url("/api/auth/token"))
        .header("authorization", format!("Bearer {token}"))
        .json(&json!({ "csrfToken": csrf }))
        .send()
        .await
        .unwrap();
    assert_eq!(with_bearer_only.status(), StatusCode::UNAUTHORIZED);
    // Nor does a bearer token read as a session on `/session`.
    let session = signed_out
        .get(served.server.url("/api/auth/session"))
        .header("authorization", format!("Bearer {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(session.text().await.unwrap(), "null");
}

/// The guards judge a bearer token as they judge the cookie: a viewer's token is 403 at the
/// admin route, an admin's is 200, none is 401.
#[tokio::test]
async fn guards_judge_bearer_tokens_as_they_judge_the_cookie() {
    let served = serve(ed1_keys()).await;
    let viewer = bearer_token_of(&served, "viewer@example.com", "viewer-password").await;
    let admin = bearer_token_of(&served, "admin@example.com", "admin-password").await;
    let viewer_at_admin = get_with(&served, "/api/admin", &format!("Bearer {viewer}")).await;
    assert_eq!(viewer_at_admin.0, StatusCode::FORBIDDEN);
    assert_eq!(viewer_at_admin.1, r#"{"error":"forbidden"}"#);
    let admin_at_admin = get_with(&served, "/api/admin", &format!("Bearer {admin}")).await;
    assert_eq!(admin_at_admin, (StatusCode::OK, "admin area".to_owned()));
    let none = reqwest::get(served.server.url("/api/admin")).await.unwrap();
    assert_eq!(none.status(), StatusCode::UNAUTHORIZED);
}

/// `accept = "bearer"`: the session cookie alone opens nothing; the bearer token does.
#[tokio::test]
async fn accept_bearer_ignores_the_session_cookie() {
    let port = TestServer::bind().await;
    let origin = port.origin();
    let auth = Auth::<BearerOnly>::builder(())
        .secrets(Secrets::new([SECRET]).unwrap())
        .public_url(&origin)
        .bearer_keys(BearerKeys::new([BearerKey::from_pem(EC1).unwrap()]).unwrap())
        .build()
        .unwrap();
    let app = auth
        .mount(Route::new())
        .at("/api/me", get(me_bearer_only))
        .with(auth.middleware());
    let server = port.serve(app);
    let client = browser();
    let csrf = csrf_token(&client, &server, "/api/auth").await;
    client
        .post(server.url("/api/auth/callback/credentials"))
        .form(&[
            ("csrfToken", csrf.as_str()),
            ("email", "a@example.com"),
            ("password", "admin-password"),
        ])
        .send()
        .await
        .unwrap();
    let with_cookie = client.get(server.url("/api/me")).send().await.unwrap();
    assert_eq!(with_cookie.status(), StatusCode::UNAUTHORIZED);
    let (status, body) = request_token(&client, &server).await;
    assert_eq!(status, StatusCode::OK);
    let token = body["access_token"].as_str().unwrap();
    assert_eq!(header_of(token)["alg"], "ES256");
    let with_bearer = client
        .get(server.url("/api/me"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(with_bearer.status(), StatusCode::OK);
}

/// CF-06: `GET /jwks` publishes the public keys with `Cache-Control`, never a private member
/// nor a symmetric key.
#[tokio::test]
async fn jwks_publishes_the_public_keys_only_with_cache_control() {
    let secret: Vec<u8> = (1u8..=40).collect();
    let keys = BearerKeys::new([
        BearerKey::from_pem(ED1).unwrap(),
        BearerKey::hs256(&secret).unwrap(),
        BearerKey::from_pem(EC1).unwrap(),
    ])
    .unwrap();
    let served = serve(keys).await;
    let response = reqwest::get(served.server.url("/api/auth/jwks"))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "public, max-age=3600");
    let set: Value = response.json().await.unwrap();
    let keys = set["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 2);
    for key in keys {
        for private in ["d", "p", "q", "k"] {
            assert!(key.get(private).is_none(), "{key}");
        }
    }
    assert_eq!(keys[0]["kid"], ed1_kid().as_str());
    assert_eq!(keys[0]["x"], jose_keys("ed1")["public"]["x"]);
}

// --- with jose under Node ---

/// Tokens we issue verify with `jose` against our `/jwks` (its remote key set, the issuer
/// and audience checked); and tokens `jose` signs with our private key verify here.
#[tokio::test]
async fn jose_verifies_our_tokens_against_our_jwks_and_signs_tokens_we_accept() {
    let served = serve(ed1_keys()).await;
    let token = bearer_token_of(&served, "admin@example.com", "admin-password").await;
    let jwks_url = served.server.url("/api/auth/jwks");
    let issuer = served.issuer();
    let verified = tokio::task::spawn_blocking({
        let token = token.clone();
        move || {
            run_script(
                "interop/bearer-jose.mjs",
                &["verify", &jwks_url, &issuer, AUDIENCE, &token],
                &[],
                Duration::from_secs(30),
            )
        }
    })
    .await
    .unwrap();
    assert!(verified.success, "{}", verified.stderr);
    let answer: Value = serde_json::from_str(verified.stdout.trim()).unwrap();
    assert_eq!(answer["ok"], true, "{answer}");
    assert_eq!(answer["payload"]["role"], "admin");
    assert_eq!(answer["header"]["kid"], ed1_kid().as_str());

    // A token of ours with a wrong audience is refused by jose too (its check, not ours).
    let jwks_url = served.server.url("/api/auth/jwks");
    let issuer = served.issuer();
    let refused = tokio::task::spawn_blocking(move || {
        run_script(
            "interop/bearer-jose.mjs",
            &[
                "verify",
                &jwks_url,
                &issuer,
                "https://other.example",
                &token,
            ],
            &[],
            Duration::from_secs(30),
        )
    })
    .await
    .unwrap();
    let answer: Value = serde_json::from_str(refused.stdout.trim()).unwrap();
    assert_eq!(answer["ok"], false, "{answer}");

    // jose signs, with our private key as a JWK; we accept.
    let private = jose_keys("ed1")["private"].to_string();
    let claims = claims(&served, json!({})).to_string();
    let kid = ed1_kid();
    let signed = tokio::task::spawn_blocking(move || {
        run_script(
            "interop/bearer-jose.mjs",
            &["sign", &private, "EdDSA", &kid, &claims],
            &[],
            Duration::from_secs(30),
        )
    })
    .await
    .unwrap();
    assert!(signed.success, "{}", signed.stderr);
    let jose_token = signed.stdout.trim();
    assert_eq!(me_status(&served, jose_token).await, StatusCode::OK);
    let (status, _) = get_with(&served, "/api/admin", &format!("Bearer {jose_token}")).await;
    assert_eq!(status, StatusCode::OK);
}

// --- refused: each a 401, never a 5xx ---

/// TF-16: `alg: none` (with and without a signature) and an empty signature are refused.
#[tokio::test]
async fn tf16_unsecured_tokens_and_empty_signatures_are_refused() {
    let served = serve(ed1_keys()).await;
    let claims = b64(&claims(&served, json!({})));
    for header in [
        json!({"alg": "none"}),
        json!({"alg": "none", "kid": ed1_kid()}),
        json!({"alg": "None", "kid": ed1_kid()}),
    ] {
        let unsecured = format!("{}.{claims}.", b64(&header));
        assert_eq!(
            me_status(&served, &unsecured).await,
            StatusCode::UNAUTHORIZED
        );
        let signed_anyway = format!("{}.{claims}.c2lnbmF0dXJl", b64(&header));
        assert_eq!(
            me_status(&served, &signed_anyway).await,
            StatusCode::UNAUTHORIZED
        );
    }
}

/// TF-17: an HS256 token keyed with our public key (PEM, DER, JWK) is refused: the key's one
/// algorithm is EdDSA, and no public key is ever an HMAC secret.
#[tokio::test]
async fn tf17_hs256_keyed_with_our_public_key_is_refused() {
    let served = serve(ed1_keys()).await;
    let claims = claims(&served, json!({}));
    let pem = ED1_PUBLIC.as_bytes().to_vec();
    let der = {
        let body: String = ED1_PUBLIC
            .lines()
            .filter(|line| !line.starts_with("-----"))
            .collect();
        base64::engine::general_purpose::STANDARD
            .decode(body)
            .unwrap()
    };
    let jwk = jose_keys("ed1")["public"].to_string().into_bytes();
    let x = URL_SAFE_NO_PAD
        .decode(jose_keys("ed1")["public"]["x"].as_str().unwrap())
        .unwrap();
    for secret in [pem, der, jwk, x] {
        let key = EncodingKey::from_secret(&secret).unwrap();
        let token = forge(&header(Algorithm::HS256, &ed1_kid()), &claims, &key);
        assert_eq!(me_status(&served, &token).await, StatusCode::UNAUTHORIZED);
    }
}

/// TF-18: a header `alg` other than the key's (HS384, RS512, ES256) is refused: the
/// configuration alone picks it.
#[tokio::test]
async fn tf18_an_algorithm_other_than_the_keys_is_refused() {
    let served = serve(ed1_keys()).await;
    let claims = claims(&served, json!({}));
    let hs = EncodingKey::from_secret(b"a-secret-of-at-least-thirty-two-bytes!!").unwrap();
    let ec = EncodingKey::from_ec_pem(EC1.as_bytes()).unwrap();
    for (alg, key) in [
        (Algorithm::HS384, &hs),
        (Algorithm::HS512, &hs),
        (Algorithm::ES256, &ec),
    ] {
        let token = forge(&header(alg, &ed1_kid()), &claims, key);
        assert_eq!(
            me_status(&served, &token).await,
            StatusCode::UNAUTHORIZED,
            "{alg:?}"
        );
    }
    // The right signature, the header's `alg` rewritten: the signature no longer covers it.
    let good = forge(
        &header(Algorithm::EdDSA, &ed1_kid()),
        &claims,
        &ed1_signer(),
    );
    let rest = good.split_once('.').unwrap().1;
    for alg in ["RS512", "ES256", "HS256", "EdDSA "] {
        let rewritten = format!("{}.{rest}", b64(&json!({"alg": alg, "kid": ed1_kid()})));
        assert_eq!(
            me_status(&served, &rewritten).await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(me_status(&served, &good).await, StatusCode::OK);
}

/// TF-19: a `kid` is only ever an exact match among the configured keys: paths, SQL, URLs,
/// NUL, 10 KB and a missing `kid` are refused, even on a token our own key signed.
#[tokio::test]
async fn tf19_kid_paths_injections_and_oversized_kids_are_refused() {
    let served = serve(ed1_keys()).await;
    let claims = claims(&served, json!({}));
    let long = "k".repeat(10 * 1024);
    let near = format!("{} ", ed1_kid());
    for kid in [
        "../../dev/null",
        "/etc/passwd",
        "' OR '1'='1",
        "https://evil.example/key",
        "\0",
        "",
        long.as_str(),
        near.as_str(),
    ] {
        let token = forge(&header(Algorithm::EdDSA, kid), &claims, &ed1_signer());
        assert_eq!(
            me_status(&served, &token).await,
            StatusCode::UNAUTHORIZED,
            "{kid:.20}"
        );
    }
    let mut no_kid = Header::new(Algorithm::EdDSA);
    no_kid.kid = None;
    let token = forge(&no_kid, &claims, &ed1_signer());
    assert_eq!(me_status(&served, &token).await, StatusCode::UNAUTHORIZED);
}

/// TF-20: `jku` and `x5u` pointing at an attacker's host and an embedded `jwk` with the
/// attacker's key are refused, and nothing is fetched; so is a token of our own key carrying
/// such a header.
#[tokio::test]
async fn tf20_jku_x5u_and_embedded_jwk_headers_are_refused_without_a_fetch() {
    let fetches = Arc::new(AtomicUsize::new(0));
    let attacker_jwks = json!({"keys": [jose_keys("ed2")["public"]]});
    let attacker = TestServer::start(poem::endpoint::make({
        let fetches = Arc::clone(&fetches);
        move |_| {
            fetches.fetch_add(1, Ordering::SeqCst);
            let body = attacker_jwks.to_string();
            async move { body }
        }
    }))
    .await;
    let served = serve(ed1_keys()).await;
    let claims = b64(&claims(&served, json!({})));
    let attacker_kid = jose_keys("ed2")["kid"].as_str().unwrap().to_owned();
    let attacker_key = EncodingKey::from_ed_pem(ED2.as_bytes()).unwrap();
    let sign_raw = |header: Value, key: &EncodingKey| {
        let message = format!("{}.{claims}", b64(&header));
        let signature =
            jsonwebtoken::crypto::sign(message.as_bytes(), key, Algorithm::EdDSA).unwrap();
        format!("{message}.{signature}")
    };
    let jku = attacker.url("/jwks.json");
    for header in [
        json!({"alg": "EdDSA", "kid": attacker_kid, "jku": jku}),
        json!({"alg": "EdDSA", "kid": attacker_kid, "x5u": jku}),
        json!({"alg": "EdDSA", "kid": attacker_kid, "jwk": jose_keys("ed2")["public"]}),
        json!({"alg": "EdDSA", "jwk": jose_keys("ed2")["public"]}),
        json!({"alg": "EdDSA", "kid": ed1_kid(), "jwk": jose_keys("ed2")["public"]}),
    ] {
        let token = sign_raw(header, &attacker_key);
        assert_eq!(me_status(&served, &token).await, StatusCode::UNAUTHORIZED);
    }
    // Our own key's signature, with a `jku` beside our kid: refused all the same.
    let ours = sign_raw(
        json!({"alg": "EdDSA", "kid": ed1_kid(), "jku": jku}),
        &ed1_signer(),
    );
    assert_eq!(me_status(&served, &ours).await, StatusCode::UNAUTHORIZED);
    assert_eq!(fetches.load(Ordering::SeqCst), 0);
}

/// TF-21: a stripped signature (`h.p.`, `h.p`) or one borrowed from another token is refused;
/// and a session cookie's JWE, which our secret decrypts, is no bearer token (nor a bearer
/// token a session cookie).
#[tokio::test]
async fn tf21_stripped_or_borrowed_signatures_and_session_tokens_as_bearer_are_refused() {
    let served = serve(ed1_keys()).await;
    let admin = forge(
        &header(Algorithm::EdDSA, &ed1_kid()),
        &claims(&served, json!({})),
        &ed1_signer(),
    );
    let viewer = bearer_token_of(&served, "viewer@example.com", "viewer-password").await;
    let (head, rest) = admin.split_once('.').unwrap();
    let (payload, _) = rest.split_once('.').unwrap();
    let viewer_signature = viewer.rsplit('.').next().unwrap();
    for token in [
        format!("{head}.{payload}."),
        format!("{head}.{payload}"),
        format!("{head}.{payload}.{viewer_signature}"),
        format!(
            "{head}.{}.{}",
            payload_of_b64(&viewer),
            admin.rsplit('.').next().unwrap()
        ),
    ] {
        assert_eq!(me_status(&served, &token).await, StatusCode::UNAUTHORIZED);
    }

    // The session cookie's token (a JWE under our secret) as a bearer token.
    let session = session_cookie_of(&served, "admin@example.com", "admin-password").await;
    assert_eq!(session.split('.').count(), 5);
    assert_eq!(me_status(&served, &session).await, StatusCode::UNAUTHORIZED);
    // A bearer token as the session cookie: signed out too.
    let as_cookie = support::http::browser_with(&[("authjs.session-token", &viewer)]);
    let status = as_cookie
        .get(served.server.url("/api/me"))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

fn payload_of_b64(token: &str) -> &str {
    token.split('.').nth(1).unwrap()
}

/// Signs in with a client without a jar and returns the session cookie's value (one chunk).
async fn session_cookie_of(served: &Served, email: &str, password: &str) -> String {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = client
        .get(served.server.url("/api/auth/csrf"))
        .send()
        .await
        .unwrap();
    let csrf_cookie =
        support::http::cookie_value(&set_cookies(response.headers()), "authjs.csrf-token")
            .to_owned();
    let body: Value = response.json().await.unwrap();
    let response = client
        .post(served.server.url("/api/auth/callback/credentials"))
        .header("cookie", format!("authjs.csrf-token={csrf_cookie}"))
        .form(&[
            ("csrfToken", body["csrfToken"].as_str().unwrap()),
            ("email", email),
            ("password", password),
        ])
        .send()
        .await
        .unwrap();
    support::http::cookie_value(&set_cookies(response.headers()), "authjs.session-token").to_owned()
}

/// A wrong `aud` (another API, a list without ours, missing) or `iss` (another issuer, ours
/// with a trailing slash, missing) is refused.
#[tokio::test]
async fn a_wrong_audience_or_issuer_is_refused() {
    let served = serve(ed1_keys()).await;
    let trailing = format!("{}/", served.issuer());
    for changes in [
        json!({"aud": "https://other.example"}),
        json!({"aud": ["https://other.example"]}),
        json!({"aud": null}),
        json!({"iss": "https://evil.example/api/auth"}),
        json!({"iss": trailing}),
        json!({"iss": null}),
        json!({"sub": null}),
    ] {
        let token = forge(
            &header(Algorithm::EdDSA, &ed1_kid()),
            &claims(&served, changes.clone()),
            &ed1_signer(),
        );
        assert_eq!(
            me_status(&served, &token).await,
            StatusCode::UNAUTHORIZED,
            "{changes}"
        );
    }
}

/// TF-22: a token is accepted 14 s past its `exp` and refused 15 s past it, by the
/// configured clock.
#[tokio::test]
async fn tf22_expiry_allows_fifteen_seconds_of_clock_skew_and_no_more() {
    let served = serve(ed1_keys()).await;
    let token = bearer_token_of(&served, "admin@example.com", "admin-password").await;
    served.clock.advance(Duration::from_secs(900 + 14));
    assert_eq!(me_status(&served, &token).await, StatusCode::OK);
    served.clock.advance(Duration::from_secs(1));
    assert_eq!(me_status(&served, &token).await, StatusCode::UNAUTHORIZED);
    // One that expired by the system clock too (as `jose` would sign it).
    let expired = forge(
        &header(Algorithm::EdDSA, &ed1_kid()),
        &claims(
            &served,
            json!({"exp": auth_runtime::Clock::now(&auth_runtime::SystemClock) - 16}),
        ),
        &ed1_signer(),
    );
    assert_eq!(me_status(&served, &expired).await, StatusCode::UNAUTHORIZED);
}

/// TF-23: `nbf` a minute ahead, or `iat` an hour ahead, is refused.
#[tokio::test]
async fn tf23_a_future_nbf_or_iat_is_refused() {
    let served = serve(ed1_keys()).await;
    let now = auth_runtime::Clock::now(&served.clock);
    for changes in [json!({"nbf": now + 60}), json!({"iat": now + 3600})] {
        let token = forge(
            &header(Algorithm::EdDSA, &ed1_kid()),
            &claims(&served, changes.clone()),
            &ed1_signer(),
        );
        assert_eq!(
            me_status(&served, &token).await,
            StatusCode::UNAUTHORIZED,
            "{changes}"
        );
    }
    let ok = forge(
        &header(Algorithm::EdDSA, &ed1_kid()),
        &claims(&served, json!({"nbf": now})),
        &ed1_signer(),
    );
    assert_eq!(me_status(&served, &ok).await, StatusCode::OK);
}

/// CL-01: `exp` (or `nbf`, `iat`) as a string, a fraction, `null`, a boolean or beyond 2^53
/// is refused, never read as absent or rounded (CVE-2026-25537 in `jsonwebtoken` before
/// 10.3.0); CL-04: a role outside the declared set is refused.
#[tokio::test]
async fn cl01_registered_times_of_the_wrong_type_are_refused() {
    let served = serve(ed1_keys()).await;
    let now = auth_runtime::Clock::now(&served.clock);
    for changes in [
        json!({"exp": (now + 600).to_string()}),
        json!({"exp": (now + 600) as f64 + 0.5}),
        json!({"exp": true}),
        json!({"exp": [now + 600]}),
        json!({"exp": 9_007_199_254_740_993_u64}),
        json!({"exp": null}),
        json!({"nbf": now.to_string()}),
        json!({"nbf": now as f64 + 0.5}),
        json!({"iat": now as f64 + 0.5}),
        json!({"iat": "now"}),
        json!({"role": "superadmin"}),
        json!({"permissions": "admin"}),
    ] {
        let token = forge(
            &header(Algorithm::EdDSA, &ed1_kid()),
            &claims(&served, changes.clone()),
            &ed1_signer(),
        );
        assert_eq!(
            me_status(&served, &token).await,
            StatusCode::UNAUTHORIZED,
            "{changes}"
        );
    }
}

/// CL-08: a claim given twice in a signed token is refused, not last-wins.
#[tokio::test]
async fn cl08_a_duplicate_claim_in_a_signed_token_is_refused() {
    let served = serve(ed1_keys()).await;
    let claims = claims(&served, json!({"role": "viewer"})).to_string();
    let duplicated = format!("{},\"role\":\"admin\"}}", claims.strip_suffix('}').unwrap());
    let header = b64(&json!({"alg": "EdDSA", "kid": ed1_kid()}));
    let message = format!("{header}.{}", URL_SAFE_NO_PAD.encode(&duplicated));
    let signature =
        jsonwebtoken::crypto::sign(message.as_bytes(), &ed1_signer(), Algorithm::EdDSA).unwrap();
    let token = format!("{message}.{signature}");
    assert_eq!(me_status(&served, &token).await, StatusCode::UNAUTHORIZED);
}

/// A malformed `Authorization` header means signed out (401 JSON), never an error page
/// (next-auth threw here: GHSA-xmf8-cvqr-rfgj); a valid session cookie beside it is not
/// tried, while another scheme (`Basic`) leaves the cookie to decide.
#[tokio::test]
async fn malformed_authorization_headers_sign_out_and_never_error() {
    let served = serve(ed1_keys()).await;
    let long = format!("Bearer {}", "a".repeat(9 * 1024));
    for authorization in [
        "Bearer",
        "Bearer ",
        "Bearer a b c",
        "Bearer ===",
        "Bearer \"quoted\"",
        "Bearer a.b.c",
        "Bearer e30.e30.e30",
        "Bearer e30.e30",
        "Bearer ....",
        "Bearer %2e%2e",
        long.as_str(),
    ] {
        let (status, body) = get_with(&served, "/api/me", authorization).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{authorization:.30}");
        assert_eq!(body, r#"{"error":"unauthorized"}"#);
        let (status, _) = get_with(&served, "/api/admin", authorization).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let client = browser();
    sign_in(&client, &served, "admin@example.com", "admin-password").await;
    let malformed = client
        .get(served.server.url("/api/me"))
        .header("authorization", "Bearer not a token")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), StatusCode::UNAUTHORIZED);
    let basic = client
        .get(served.server.url("/api/me"))
        .header("authorization", "Basic dXNlcjpwYXNz")
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), StatusCode::OK);
}

/// CF-06: bearer keys that are missing, weak, public where a signing key is needed, or of
/// another algorithm than the declared one stop the start-up, each with its `AuthError`.
#[test]
fn missing_weak_or_mismatched_bearer_keys_are_start_up_errors() {
    let build = |keys: Option<BearerKeys>| {
        let mut builder = Auth::<ApiAuth>::builder(()).secrets(Secrets::new([SECRET]).unwrap());
        if let Some(keys) = keys {
            builder = builder.bearer_keys(keys);
        }
        builder.build().map(|_| ())
    };
    // `AUTH_BEARER_KEYS` is not set in the test environment.
    assert_eq!(
        build(None),
        Err(AuthError::MissingBearerKeys {
            variable: "AUTH_BEARER_KEYS"
        })
    );
    let public_first = BearerKeys::new([
        BearerKey::from_pem(ED1_PUBLIC).unwrap(),
        BearerKey::from_pem(ED1).unwrap(),
    ]);
    // The same key twice (one kid) is refused before the builder sees it.
    assert!(matches!(
        public_first,
        Err(AuthError::InvalidBearerKey { index: 1, .. })
    ));
    let public_only = BearerKeys::new([BearerKey::from_pem(ED1_PUBLIC).unwrap()]).unwrap();
    assert!(matches!(
        build(Some(public_only)),
        Err(AuthError::BearerSigningKey { .. })
    ));
    let other_alg = BearerKeys::new([BearerKey::from_pem(EC1).unwrap()]).unwrap();
    assert!(matches!(
        build(Some(other_alg)),
        Err(AuthError::BearerSigningKey { .. })
    ));
    let rsa_verifier = BearerKeys::new([
        BearerKey::from_pem(ED1).unwrap(),
        BearerKey::from_pem(RSA1_PUBLIC).unwrap(),
    ])
    .unwrap();
    assert_eq!(build(Some(rsa_verifier)), Ok(()));
    let refused = BearerKeys::parse(RSA_SMALL, "AUTH_BEARER_KEYS").unwrap_err();
    assert_eq!(
        refused,
        AuthError::InvalidBearerKey {
            variable: "AUTH_BEARER_KEYS",
            index: 0,
            reason: "an RSA key under 2048 bits"
        }
    );
    assert!(refused.to_string().contains("AUTH_BEARER_KEYS"));
    assert!(matches!(
        BearerKey::hs256(b"short"),
        Err("an HS256 secret shorter than 32 bytes")
    ));
    assert!(<ApiAuth as AuthSchema>::BEARER.is_some());
}
