//! Sign-in with a generic OpenID Connect provider against a real OpenID Provider
//! (`oidc-provider`, `tests/interop/oidc-provider.mjs`) on loopback: discovery at start-up,
//! the authorization code flow with PKCE, `state` and `nonce`, the `id_token` verified, the
//! claims in the session; and the refusals of the check cookies (`state`, PKCE, `nonce`,
//! another provider's cookies, a replayed callback) and of an off-site `callbackUrl`. Every
//! refusal leaves the browser signed out, without a 5xx or an off-site redirect.
#![allow(clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod support;

use auth_runtime::prelude::*;
use auth_runtime::{AuthSchema, OidcClientCredentials};
use poem::Route;
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::http::{
    TestServer, begin_sign_in, browser, browser_with, cookie_value, location, session_json,
    set_cookies, with_param,
};
use support::node::NodeServer;
use support::oauth_user::User;
use support::oidc_op::{client, sign_in_as_alice, start_oidc_provider};

const SECRET: &str = "oidc-flow-test-secret-7c1e9a4b2d6f8e0a3c5b";

/// The profile function: the email only when verified.
async fn from_oidc(profile: &OAuthProfile, _state: &()) -> Result<Option<User>, CallbackError> {
    Ok(Some(User::from_profile(
        format!("{}:{}", profile.provider, profile.sub),
        profile,
    )))
}

/// Two OpenID Connect providers on the same OpenID Provider, each its own client.
#[auth_config(user = User)]
pub(crate) struct OidcAuth {
    #[provider(oidc(profile = from_oidc, name = "Test OP"))]
    oidc: Oidc,
    #[provider(oidc(profile = from_oidc, id = "other", name = "Other OP"))]
    other: Oidc,
}

/// The OpenID Provider, our server on loopback, and a browser with a cookie jar.
struct Harness {
    _op: NodeServer,
    server: TestServer,
    browser: reqwest::Client,
}

impl Harness {
    async fn start() -> Self {
        let port = TestServer::bind().await;
        let origin = port.origin();
        let op = start_oidc_provider(
            &json!([
                client("client-oidc", "secret-oidc-0123456789", &origin, "oidc"),
                client("client-other", "secret-other-0123456789", &origin, "other"),
            ]),
            &[],
        )
        .await;
        let issuer = Some(op.origin.clone());
        let auth = Auth::<OidcAuth>::builder(())
            .secrets(Secrets::new([SECRET]).expect("a strong secret"))
            .public_url(&origin)
            .oidc_client(
                "oidc",
                OidcClientCredentials::new("client-oidc", "secret-oidc-0123456789", issuer.clone()),
            )
            .oidc_client(
                "other",
                OidcClientCredentials::new("client-other", "secret-other-0123456789", issuer),
            )
            .build_async()
            .await
            .expect("discovery succeeds");
        let server = port.serve(auth.mount(Route::new()));
        Self {
            _op: op,
            server,
            browser: browser(),
        }
    }

    fn url(&self, path: &str) -> String {
        self.server.url(path)
    }

    /// `POST /signin/<provider>` with the CSRF token: the provider's authorization URL.
    async fn begin(&self, provider: &str, callback_url: Option<&str>) -> (String, Vec<String>) {
        begin_sign_in(&self.browser, &self.server, provider, callback_url).await
    }

    /// Logs in as `alice` and consents at the provider; the callback URL it redirects to.
    async fn authorize_at_provider(&self, authorization_url: &str) -> String {
        let callback_prefix = self.server.url("/api/auth/callback/");
        sign_in_as_alice(&self.browser, authorization_url, &callback_prefix).await
    }

    /// `GET` of our callback URL: status and `Location`.
    async fn callback(&self, callback_url: &str) -> (StatusCode, String) {
        let response = self
            .browser
            .get(callback_url)
            .send()
            .await
            .expect("GET /callback");
        (response.status(), location(response.headers()))
    }

    /// The session JSON.
    async fn session(&self) -> Value {
        session_json(&self.browser, &self.server).await
    }

    /// Asserts a refusal: the error page with `Configuration` on our origin, signed out.
    async fn assert_refused(&self, (status, location): (StatusCode, String)) {
        assert_eq!(status, StatusCode::FOUND);
        assert_eq!(location, self.url("/api/auth/error?error=Configuration"));
        assert_eq!(self.session().await, Value::Null, "signed out");
    }
}

/// OA-01, OA-02, OA-04: a full sign-in sends PKCE S256, `state` and `nonce`, each in its own
/// 15-minute cookie, and ends with the provider's claims in the session.
#[tokio::test]
async fn sign_in_with_pkce_state_and_nonce_puts_the_claims_in_the_session() {
    let harness = Harness::start().await;
    let (authorization, cookies) = harness.begin("oidc", Some("/dashboard")).await;
    assert!(authorization.contains("code_challenge_method=S256"));
    for param in [
        "state=",
        "nonce=",
        "code_challenge=",
        "scope=openid+email+profile",
    ] {
        assert!(authorization.contains(param), "{param} in {authorization}");
    }
    for name in ["authjs.pkce.code_verifier", "authjs.state", "authjs.nonce"] {
        let line = cookies
            .iter()
            .find(|line| line.starts_with(&format!("{name}=")))
            .unwrap_or_else(|| panic!("{name} is set: {cookies:?}"));
        assert!(
            line.contains("Max-Age=900") && line.contains("HttpOnly"),
            "{line}"
        );
    }
    let callback = harness.authorize_at_provider(&authorization).await;
    let (status, location) = harness.callback(&callback).await;
    assert_eq!(status, StatusCode::FOUND);
    assert_eq!(location, harness.url("/dashboard"));
    let session = harness.session().await;
    assert_eq!(session["user"]["name"], "Alice Example");
    assert_eq!(session["user"]["email"], "alice@acme.example");
}

/// OA-03: the callback URL replayed after a sign-in is refused: the check cookies were used
/// up (expired by the first callback).
#[tokio::test]
async fn a_replayed_callback_is_refused() {
    let harness = Harness::start().await;
    let (authorization, _) = harness.begin("oidc", None).await;
    let callback = harness.authorize_at_provider(&authorization).await;
    let (status, _) = harness.callback(&callback).await;
    assert_eq!(status, StatusCode::FOUND);
    assert!(harness.session().await["user"].is_object());
    // Signed out again, the same callback URL is replayed.
    let replay = browser();
    let response = replay.get(&callback).send().await.expect("GET /callback");
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(
        location(response.headers()),
        harness.url("/api/auth/error?error=Configuration")
    );
}

/// OA-02: `state` missing from the callback, or different from the cookie's, is refused.
#[tokio::test]
async fn a_missing_or_mismatched_state_is_refused() {
    let harness = Harness::start().await;
    let (authorization, _) = harness.begin("oidc", None).await;
    let callback = harness.authorize_at_provider(&authorization).await;
    let missing = with_param(&callback, "state", None);
    harness
        .assert_refused(harness.callback(&missing).await)
        .await;

    let (authorization, _) = harness.begin("oidc", None).await;
    let callback = harness.authorize_at_provider(&authorization).await;
    let mismatched = with_param(&callback, "state", Some("forged-state-value"));
    harness
        .assert_refused(harness.callback(&mismatched).await)
        .await;
}

/// OA-01, OA-04, OA-06: a callback without the state cookie, without the PKCE verifier
/// cookie, or with a nonce cookie altered, is refused.
#[tokio::test]
async fn missing_or_tampered_check_cookies_are_refused() {
    let harness = Harness::start().await;
    for (drop, tamper) in [
        (Some("authjs.state"), None),
        (Some("authjs.pkce.code_verifier"), None),
        (Some("authjs.nonce"), None),
        (None, Some("authjs.nonce")),
    ] {
        let (authorization, cookies) = harness.begin("oidc", None).await;
        let callback = harness.authorize_at_provider(&authorization).await;
        let mut kept: Vec<(String, String)> = Vec::new();
        for name in ["authjs.pkce.code_verifier", "authjs.state", "authjs.nonce"] {
            if drop == Some(name) {
                continue;
            }
            let mut value = cookie_value(&cookies, name).to_owned();
            if tamper == Some(name) {
                // A flipped character in the JWE's ciphertext.
                let at = value.len() - 30;
                let flipped = if &value[at..=at] == "A" { "B" } else { "A" };
                value.replace_range(at..=at, flipped);
            }
            kept.push((name.to_owned(), value));
        }
        let pairs: Vec<(&str, &str)> = kept
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        let response = browser_with(&pairs)
            .get(&callback)
            .send()
            .await
            .expect("GET /callback");
        assert_eq!(response.status(), StatusCode::FOUND, "{drop:?} {tamper:?}");
        assert_eq!(
            location(response.headers()),
            harness.url("/api/auth/error?error=Configuration"),
            "{drop:?} {tamper:?}"
        );
        assert!(
            !set_cookies(response.headers()).iter().any(|line| line
                .starts_with("authjs.session-token=")
                && !line.contains("Max-Age=0")),
            "no session for {drop:?} {tamper:?}"
        );
    }
}

/// OA-06: a valid nonce cookie of another sign-in (a nonce unequal to the id_token's) is
/// refused after the code exchange, when the id_token is verified: no session.
#[tokio::test]
async fn a_wrong_nonce_is_refused() {
    let harness = Harness::start().await;
    let (_, first) = harness.begin("oidc", None).await;
    let (authorization, second) = harness.begin("oidc", None).await;
    let callback = harness.authorize_at_provider(&authorization).await;
    let response = browser_with(&[
        ("authjs.state", cookie_value(&second, "authjs.state")),
        (
            "authjs.pkce.code_verifier",
            cookie_value(&second, "authjs.pkce.code_verifier"),
        ),
        ("authjs.nonce", cookie_value(&first, "authjs.nonce")),
    ])
    .get(&callback)
    .send()
    .await
    .expect("GET /callback");
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(
        location(response.headers()),
        harness.url("/api/auth/error?error=Configuration")
    );
    assert!(
        !set_cookies(response.headers())
            .iter()
            .any(|line| line.starts_with("authjs.session-token=") && !line.contains("Max-Age=0"))
    );
}

/// OA-05: check cookies issued by `POST /signin/oidc` presented at `/callback/other` (the
/// code and state sent there) are refused.
#[tokio::test]
async fn check_cookies_of_one_provider_are_refused_at_another() {
    let harness = Harness::start().await;
    let (authorization, _) = harness.begin("oidc", None).await;
    let callback = harness.authorize_at_provider(&authorization).await;
    let elsewhere = callback.replace("/callback/oidc", "/callback/other");
    harness
        .assert_refused(harness.callback(&elsewhere).await)
        .await;
}

/// OA-14: an off-site `callbackUrl` at sign-in ends on our home page.
#[tokio::test]
async fn an_off_site_callback_url_ends_at_home() {
    let harness = Harness::start().await;
    let (authorization, _) = harness
        .begin("oidc", Some("https://evil.example/steal"))
        .await;
    let callback = harness.authorize_at_provider(&authorization).await;
    let (status, location) = harness.callback(&callback).await;
    assert_eq!(status, StatusCode::FOUND);
    assert_eq!(location, harness.url("/"));
    assert!(harness.session().await["user"].is_object());
}

/// The providers are listed by `/providers` and on the sign-in page as buttons posting the
/// CSRF token to `/signin/<id>`.
#[tokio::test]
async fn configured_providers_are_listed_with_buttons() {
    let harness = Harness::start().await;
    let providers: Value = harness
        .browser
        .get(harness.url("/api/auth/providers"))
        .send()
        .await
        .expect("GET /providers")
        .json()
        .await
        .expect("JSON");
    assert_eq!(providers["oidc"]["type"], "oidc");
    assert_eq!(providers["other"]["name"], "Other OP");
    let page = harness
        .browser
        .get(harness.url("/api/auth/signin"))
        .send()
        .await
        .expect("GET /signin")
        .text()
        .await
        .expect("HTML");
    let action = format!("action=\"{}\"", harness.url("/api/auth/signin/oidc"));
    assert!(page.contains(&action), "{page}");
    assert!(page.contains("Sign in with Test OP"));
    assert!(!page.contains("<script"));
}

/// A provider whose client id is absent is left out: `build` (no discovery) works, and the
/// provider is in neither `/providers` nor the routes.
#[tokio::test]
async fn an_unconfigured_provider_is_left_out() {
    let auth = Auth::<OidcAuth>::builder(())
        .secrets(Secrets::new([SECRET]).expect("a strong secret"))
        .build()
        .expect("no provider configured: no discovery needed");
    assert_eq!(auth.providers().count(), 0);
    assert_eq!(<OidcAuth as AuthSchema>::OIDC_PROVIDERS.len(), 2);
}

/// A bad issuer is an error at start-up, naming the provider.
#[tokio::test]
async fn a_bad_issuer_fails_at_start_up() {
    for issuer in ["http://id.example.com", "http://127.0.0.1:9/none"] {
        let error = Auth::<OidcAuth>::builder(())
            .secrets(Secrets::new([SECRET]).expect("a strong secret"))
            .oidc_client(
                "oidc",
                OidcClientCredentials::new("id", "secret", Some(issuer.to_owned())),
            )
            .build_async()
            .await
            .expect_err("discovery fails");
        assert!(
            matches!(&error, AuthError::OidcDiscovery { provider, .. } if provider == "oidc"),
            "{error:?}"
        );
    }
}

/// The demo's OpenID Connect provider (`oidc`): listed when configured, and an unknown user
/// of the provider signs in as a viewer of `acme`.
#[tokio::test]
async fn the_demo_signs_an_unknown_oidc_user_in_as_an_acme_viewer() {
    use support::demo::serve_demo_with_oidc;

    let port = TestServer::bind().await;
    let origin = port.origin();
    let op = start_oidc_provider(
        &json!([client(
            "demo-client",
            "demo-secret-0123456789",
            &origin,
            "oidc"
        )]),
        &[],
    )
    .await;
    let credentials = OidcClientCredentials::new(
        "demo-client",
        "demo-secret-0123456789",
        Some(op.origin.clone()),
    );
    let server = serve_demo_with_oidc(port, SECRET, &[("oidc", credentials)]).await;
    let harness = Harness {
        _op: op,
        server,
        browser: browser(),
    };
    let page = harness
        .browser
        .get(harness.url("/api/auth/signin"))
        .send()
        .await
        .expect("GET /signin")
        .text()
        .await
        .expect("HTML");
    assert!(page.contains("Sign in with OpenID Connect"), "{page}");
    let (authorization, _) = harness.begin("oidc", None).await;
    let callback = harness.authorize_at_provider(&authorization).await;
    let (status, location) = harness.callback(&callback).await;
    assert_eq!((status, location), (StatusCode::FOUND, harness.url("/")));
    let session = harness.session().await;
    assert_eq!(session["user"]["role"], "viewer");
    assert_eq!(session["user"]["tenantId"], "acme");
    assert_eq!(session["user"]["name"], "Alice Example");
    assert_eq!(session["user"]["email"], "alice@acme.example");
}

/// Without its variables the demo's provider is absent: not in `/providers`.
#[tokio::test]
async fn the_demo_leaves_out_an_unconfigured_oidc_provider() {
    let server = support::demo::serve_demo(SECRET).await;
    let providers: Value = browser()
        .get(server.url("/api/auth/providers"))
        .send()
        .await
        .expect("GET /providers")
        .json()
        .await
        .expect("JSON");
    assert!(providers.get("credentials").is_some());
    assert!(providers.get("oidc").is_none(), "{providers}");
}
