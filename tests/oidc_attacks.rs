//! Issue 12's negative tests for OpenID Connect sign-in, against a provider that lies
//! (`tests/interop/hostile-op.mjs`: discovery, a key set, an authorization endpoint that
//! redirects straight back with a code, and a token endpoint whose `id_token` is shaped by a
//! mode the test sets). The demo application is the relying party, its `oidc` provider (and,
//! for the cross-provider case, its `google` preset) pointed at hostile providers.
//!
//! Each refusal is checked the same way: a redirect to our own error or sign-in page with the
//! Auth.js v5 code, never a 5xx or an off-site redirect, and the browser signed out after it
//! (`GET /api/auth/session` → `null`). Refused check cookies also redeem no code at the
//! provider. The refusals `tests/oidc_flow.rs` already shows against the real `oidc-provider`
//! (missing or tampered check cookies, a nonce cookie of another sign-in, another provider's
//! callback on the same provider, an off-site `callbackUrl`) are not repeated here.
#![allow(clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod support;

use std::time::{Duration, Instant};

use auth_runtime::prelude::*;
use auth_runtime::{OidcClientCredentials, REQUEST_TIMEOUT};
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::demo::{app, serve_demo_with_oidc};
use support::http::{
    TestServer, begin_sign_in, browser, browser_with, cookie_value, location, session_json,
    set_cookies, with_param,
};
use support::node::NodeServer;
use support::oidc_op::start_hostile_op;

const SECRET: &str = "oidc-attacks-test-secret-4d9b1f7e2a6c0e8b";
const CLIENT_ID: &str = "hostile-client";
const CLIENT_SECRET: &str = "hostile-client-secret-0123456789abcdef";
/// The check cookies of an OpenID Connect sign-in over http.
const CHECK_COOKIES: [&str; 3] = ["authjs.state", "authjs.pkce.code_verifier", "authjs.nonce"];

/// A hostile provider, the demo using it as `oidc`, and a client to drive the provider's
/// test endpoints.
struct Harness {
    op: NodeServer,
    server: TestServer,
    control: reqwest::Client,
}

/// One callback's answer, and the browser that made it.
struct Answer {
    browser: reqwest::Client,
    status: StatusCode,
    location: String,
    body: String,
}

impl Harness {
    async fn start() -> Self {
        let op = start_hostile_op(CLIENT_ID, CLIENT_SECRET).await;
        let port = TestServer::bind().await;
        let server = serve_demo_with_oidc(port, SECRET, &[("oidc", credentials(&op))]).await;
        Self {
            op,
            server,
            control: reqwest::Client::new(),
        }
    }

    /// Sets how the provider's token endpoint lies from now on.
    async fn set_mode(&self, mode: &Value) {
        let response = self
            .control
            .post(format!("{}/test/mode", self.op.origin))
            .json(mode)
            .send()
            .await
            .expect("POST /test/mode");
        assert!(response.status().is_success());
    }

    /// The provider's counters: `jwksFetches`, `tokenRequests`, `jkuFetches`.
    async fn stats(&self) -> Value {
        stats(&self.control, &self.op).await
    }

    /// A sign-in started in `browser` and taken through the provider: our callback URL with
    /// its `code` and `state`, and the check cookies set.
    async fn to_callback(&self, browser: &reqwest::Client) -> (String, Vec<String>) {
        through_provider(browser, &self.server, "oidc").await
    }

    /// A whole sign-in in a fresh browser while the provider lies as `mode`.
    async fn sign_in_with(&self, mode: &Value) -> Answer {
        self.set_mode(mode).await;
        let browser = browser();
        let (callback, _) = self.to_callback(&browser).await;
        callback_in(browser, &callback).await
    }

    /// Asserts a refusal with `code` on our own page (the error page for `Configuration`, the
    /// sign-in page for `OAuthCallbackError`), and that the browser is signed out.
    async fn assert_refused(&self, answer: &Answer, code: &str, case: &str) {
        assert_refused_at(&self.server, answer, code, case).await;
    }
}

/// The demo's credentials for a hostile provider.
fn credentials(op: &NodeServer) -> OidcClientCredentials {
    OidcClientCredentials::new(CLIENT_ID, CLIENT_SECRET, Some(op.origin.clone()))
}

async fn stats(control: &reqwest::Client, op: &NodeServer) -> Value {
    control
        .get(format!("{}/test/stats", op.origin))
        .send()
        .await
        .expect("GET /test/stats")
        .json()
        .await
        .expect("JSON")
}

/// `POST /signin/<provider>`, then the provider's authorization URL, which redirects straight
/// back to our callback.
async fn through_provider(
    browser: &reqwest::Client,
    server: &TestServer,
    provider: &str,
) -> (String, Vec<String>) {
    let (authorization, cookies) = begin_sign_in(browser, server, provider, None).await;
    let response = browser
        .get(&authorization)
        .send()
        .await
        .expect("GET the authorization URL");
    assert_eq!(response.status(), StatusCode::FOUND);
    let callback = location(response.headers());
    let ours = server.url(&format!("/api/auth/callback/{provider}?"));
    assert!(callback.starts_with(&ours), "{callback}");
    (callback, cookies)
}

/// `GET` of our callback URL in `browser`.
async fn callback_in(browser: reqwest::Client, callback: &str) -> Answer {
    let response = browser.get(callback).send().await.expect("GET /callback");
    let status = response.status();
    let location = location(response.headers());
    let body = response.text().await.expect("a body");
    Answer {
        browser,
        status,
        location,
        body,
    }
}

async fn assert_refused_at(server: &TestServer, answer: &Answer, code: &str, case: &str) {
    let page = if code == "Configuration" {
        "error"
    } else {
        "signin"
    };
    assert_eq!(answer.status, StatusCode::FOUND, "{case}: {}", answer.body);
    assert_eq!(
        answer.location,
        server.url(&format!("/api/auth/{page}?error={code}")),
        "{case}"
    );
    assert_eq!(
        session_json(&answer.browser, server).await,
        Value::Null,
        "{case}: signed out"
    );
}

/// A control for every refusal below: the hostile provider, answering honestly (with an
/// `iat` 5 s ahead, inside the 15 s leeway), signs the demo's user in. So each refusal is the
/// check at work, not a broken harness.
#[tokio::test]
async fn an_honest_answer_of_the_test_provider_signs_in() {
    let harness = Harness::start().await;
    let answer = harness.sign_in_with(&json!({ "iat": 5 })).await;
    assert_eq!(answer.status, StatusCode::FOUND, "{}", answer.body);
    assert_eq!(answer.location, harness.server.url("/"));
    let session = session_json(&answer.browser, &harness.server).await;
    assert_eq!(session["user"]["name"], "Mallory", "{session}");
    assert_eq!(session["user"]["email"], "mallory@hostile.example");
    assert_eq!(harness.stats().await["tokenRequests"], 1);
}

/// OA-01, OA-02, OA-03, OA-04 (CBX), CF-05: a callback without the state cookie, without `state`,
/// with a forged `state`, or without the PKCE verifier cookie is refused before the code is
/// redeemed: the provider's token endpoint is never called. A good callback then redeems its
/// code once, and the same browser replaying it (its check cookies used up) redeems nothing.
#[tokio::test]
async fn oa01_oa02_oa03_oa04_refused_checks_and_a_replay_redeem_no_code() {
    let harness = Harness::start().await;
    harness.set_mode(&json!({})).await;
    let (callback, cookies) = harness.to_callback(&browser()).await;
    let value = |name: &str| cookie_value(&cookies, name).to_owned();
    let without = |dropped: &str| -> Vec<(String, String)> {
        CHECK_COOKIES
            .into_iter()
            .filter(|name| *name != dropped)
            .map(|name| (name.to_owned(), value(name)))
            .collect()
    };
    let all = without("");
    let cases = [
        ("no state cookie", without("authjs.state"), callback.clone()),
        (
            "no state parameter",
            all.clone(),
            with_param(&callback, "state", None),
        ),
        (
            "a forged state",
            all.clone(),
            with_param(&callback, "state", Some("forged-state")),
        ),
        (
            "no PKCE verifier cookie",
            without("authjs.pkce.code_verifier"),
            callback.clone(),
        ),
    ];
    for (case, jar, url) in cases {
        let pairs: Vec<(&str, &str)> = jar.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let answer = callback_in(browser_with(&pairs), &url).await;
        harness.assert_refused(&answer, "Configuration", case).await;
    }
    assert_eq!(
        harness.stats().await["tokenRequests"],
        0,
        "no code redeemed"
    );

    let browser = browser();
    let (callback, _) = harness.to_callback(&browser).await;
    let first = callback_in(browser, &callback).await;
    assert_eq!(first.location, harness.server.url("/"), "{}", first.body);
    let replay = callback_in(first.browser, &callback).await;
    assert_eq!(replay.status, StatusCode::FOUND);
    assert_eq!(
        replay.location,
        harness.server.url("/api/auth/error?error=Configuration")
    );
    assert_eq!(harness.stats().await["tokenRequests"], 1, "one redemption");
}

/// OA-05, GHSA-x445-f3h2-j279: check cookies issued by `POST /signin/oidc` (provider A) are
/// presented at `/callback/google` (provider B, another provider) with B's code and A's own
/// `state`, so that only the cookies' binding to their provider can refuse them: refused
/// before either provider's token endpoint is called.
#[tokio::test]
async fn oa05_check_cookies_of_one_provider_are_refused_at_another_before_any_redemption() {
    let op_a = start_hostile_op(CLIENT_ID, CLIENT_SECRET).await;
    let op_b = start_hostile_op(CLIENT_ID, CLIENT_SECRET).await;
    let port = TestServer::bind().await;
    let server = serve_demo_with_oidc(
        port,
        SECRET,
        &[("oidc", credentials(&op_a)), ("google", credentials(&op_b))],
    )
    .await;
    let control = reqwest::Client::new();

    let (callback_a, cookies_a) = through_provider(&browser(), &server, "oidc").await;
    let (_, query) = callback_a.split_once('?').expect("a query");
    let state_a = form_urlencoded::parse(query.as_bytes())
        .find(|(name, _)| name == "state")
        .map(|(_, value)| value.into_owned())
        .expect("A's state");
    let (callback_b, _) = through_provider(&browser(), &server, "google").await;
    let crossed = with_param(&callback_b, "state", Some(&state_a));
    let jar: Vec<(&str, &str)> = CHECK_COOKIES
        .into_iter()
        .map(|name| (name, cookie_value(&cookies_a, name)))
        .collect();
    let answer = callback_in(browser_with(&jar), &crossed).await;
    assert_refused_at(&server, &answer, "Configuration", "A's cookies at B").await;
    assert_eq!(stats(&control, &op_b).await["tokenRequests"], 0);
    assert_eq!(stats(&control, &op_a).await["tokenRequests"], 0);
}

/// OA-06: an `id_token` whose `nonce` is not the one this sign-in sent, or that has none, is
/// refused (`Configuration`).
#[tokio::test]
async fn oa06_an_id_token_with_a_wrong_or_absent_nonce_is_refused() {
    let harness = Harness::start().await;
    for (case, mode) in [
        (
            "another nonce",
            json!({ "nonce": "another-sign-ins-nonce" }),
        ),
        ("no nonce", json!({ "nonce": "absent" })),
    ] {
        let answer = harness.sign_in_with(&mode).await;
        harness.assert_refused(&answer, "Configuration", case).await;
    }
}

/// OA-07: an `id_token` whose `iss` is not exactly the issuer (a trailing slash, https for
/// http, another tenant's path, none) is refused.
#[tokio::test]
async fn oa07_an_id_token_from_another_issuer_is_refused() {
    let harness = Harness::start().await;
    let issuer = harness.op.origin.clone();
    for (case, iss) in [
        ("a trailing slash", json!(format!("{issuer}/"))),
        (
            "https for http",
            json!(issuer.replacen("http:", "https:", 1)),
        ),
        ("another tenant", json!(format!("{issuer}/tenant-b"))),
        ("no iss", Value::Null),
    ] {
        let answer = harness.sign_in_with(&json!({ "iss": iss })).await;
        harness.assert_refused(&answer, "Configuration", case).await;
    }
}

/// OA-07: an `id_token` not for this client is refused: another `aud`, none, our client
/// beside another (with `azp` absent or naming the other), or an `azp` naming another client.
#[tokio::test]
async fn oa07_an_id_token_for_another_audience_or_party_is_refused() {
    let harness = Harness::start().await;
    for (case, mode) in [
        ("another aud", json!({ "aud": "someone-else" })),
        ("no aud", json!({ "aud": null })),
        (
            "an extra aud, no azp",
            json!({ "aud": [CLIENT_ID, "someone-else"] }),
        ),
        (
            "an extra aud, a foreign azp",
            json!({ "aud": [CLIENT_ID, "someone-else"], "azp": "someone-else" }),
        ),
        ("a foreign azp", json!({ "azp": "someone-else" })),
    ] {
        let answer = harness.sign_in_with(&mode).await;
        harness.assert_refused(&answer, "Configuration", case).await;
    }
}

/// OA-08: an expired `id_token`, or one issued in the future past the 15 s leeway, is refused.
#[tokio::test]
async fn oa08_an_expired_or_future_issued_id_token_is_refused() {
    let harness = Harness::start().await;
    for (case, mode) in [
        ("expired a minute ago", json!({ "exp": -60 })),
        ("issued in 2 minutes", json!({ "iat": 120, "exp": 600 })),
        ("issued in an hour", json!({ "iat": 3600, "exp": 7200 })),
    ] {
        let answer = harness.sign_in_with(&mode).await;
        harness.assert_refused(&answer, "Configuration", case).await;
    }
}

/// OA-09: an unsecured `id_token` (`alg: none`) and an HS256 one keyed with the client secret
/// (the provider publishes RS256) are refused.
#[tokio::test]
async fn oa09_an_unsecured_or_client_secret_hmac_id_token_is_refused() {
    let harness = Harness::start().await;
    for (case, mode) in [
        ("alg none", json!({ "alg": "none" })),
        ("HS256 with the client secret", json!({ "alg": "HS256" })),
    ] {
        let answer = harness.sign_in_with(&mode).await;
        harness.assert_refused(&answer, "Configuration", case).await;
    }
}

/// OA-10: an `id_token` signed by a key outside the key set, one with a forged signature, and
/// one whose `jku` header names a key set holding its key are refused; the `jku` URL is
/// never fetched.
#[tokio::test]
async fn oa10_a_key_outside_the_key_set_a_forged_signature_or_a_jku_is_refused() {
    let harness = Harness::start().await;
    for (case, mode) in [
        ("a rogue key", json!({ "key": "rogue" })),
        ("a forged signature", json!({ "forge": true })),
        ("a jku header", json!({ "jku": true })),
    ] {
        let answer = harness.sign_in_with(&mode).await;
        harness.assert_refused(&answer, "Configuration", case).await;
    }
    assert_eq!(harness.stats().await["jkuFetches"], 0, "jku never fetched");
}

/// OA-10: the first unknown `kid` after start-up fetches the key set again at once, so a key
/// the provider rotated in signs in; a second unknown `kid` within the minute fetches nothing
/// and is refused.
#[tokio::test]
async fn oa10_the_first_unknown_kid_refetches_the_key_set_at_once_and_a_second_within_a_minute_does_not()
 {
    let harness = Harness::start().await;
    let fetched = |stats: &Value| stats["jwksFetches"].as_u64().expect("a count");
    let at_start = fetched(&harness.stats().await);

    let rotated = harness
        .sign_in_with(&json!({ "rotate": true, "key": "rotated" }))
        .await;
    assert_eq!(rotated.status, StatusCode::FOUND, "{}", rotated.body);
    assert_eq!(rotated.location, harness.server.url("/"), "rotated key");
    assert_eq!(fetched(&harness.stats().await), at_start + 1, "one refetch");

    let rogue = harness
        .sign_in_with(&json!({ "rotate": true, "key": "rogue" }))
        .await;
    harness
        .assert_refused(&rogue, "Configuration", "a second unknown kid")
        .await;
    assert_eq!(
        fetched(&harness.stats().await),
        at_start + 1,
        "no refetch within the minute"
    );
}

/// OA-11, OA-12, LG-03: an error the provider sends to the callback (`access_denied` or
/// another) is `OAuthCallbackError` on the sign-in page, as in Auth.js v5; no code is
/// redeemed, and neither the callback's answer nor the page shows the provider's
/// `error_description`.
#[tokio::test]
async fn oa11_oa12_a_provider_error_is_an_oauth_callback_error_and_its_description_is_never_shown()
{
    let harness = Harness::start().await;
    for error in ["access_denied", "server_error"] {
        let answer = harness.sign_in_with(&json!({ "error": error })).await;
        harness
            .assert_refused(&answer, "OAuthCallbackError", error)
            .await;
        let page = answer
            .browser
            .get(&answer.location)
            .send()
            .await
            .expect("GET the sign-in page");
        assert_eq!(page.status(), StatusCode::OK);
        let page = page.text().await.expect("HTML");
        for shown in [&answer.body, &page] {
            for echoed in ["locked", "555-0100", "alert(", error] {
                assert!(!shown.contains(echoed), "{error}: {echoed} shown");
            }
        }
    }
    assert_eq!(harness.stats().await["tokenRequests"], 0);
}

/// DS-08, CF-04: a token endpoint that never answers ends, within the client's timeout, on
/// the error page (`Configuration`), not in a hung request; a token response past the size
/// cap is refused the same way.
#[tokio::test]
async fn ds08_a_token_endpoint_that_never_answers_or_answers_too_much_ends_on_the_error_page() {
    let harness = Harness::start().await;
    let started = Instant::now();
    let answer = tokio::time::timeout(
        REQUEST_TIMEOUT + Duration::from_secs(20),
        harness.sign_in_with(&json!({ "hang": true })),
    )
    .await
    .expect("the callback answers within the client's timeout");
    let took = started.elapsed();
    harness
        .assert_refused(&answer, "Configuration", "a hanging token endpoint")
        .await;
    assert!(took >= REQUEST_TIMEOUT, "ended by the timeout: {took:?}");

    let answer = harness.sign_in_with(&json!({ "huge": true })).await;
    harness
        .assert_refused(&answer, "Configuration", "a 2 MiB token response")
        .await;
}

/// The sign-in page's `Content-Security-Policy` lets its form's `POST /signin/oidc` be
/// redirected to the provider's authorization endpoint (browsers apply `form-action` to
/// that redirect; `tests/browser.rs` shows chromium following it).
#[tokio::test]
async fn the_sign_in_page_lets_its_form_redirect_to_the_provider() {
    let harness = Harness::start().await;
    let response = browser()
        .get(harness.server.url("/api/auth/signin"))
        .send()
        .await
        .expect("GET /signin");
    let policy = response
        .headers()
        .get(reqwest::header::CONTENT_SECURITY_POLICY)
        .and_then(|value| value.to_str().ok())
        .expect("a policy")
        .to_owned();
    let form_action = format!(
        "form-action 'self' {} {};",
        harness.server.url(""),
        harness.op.origin
    );
    assert!(policy.contains(&form_action), "{policy}");
}

/// CK-02: over https the check cookies are `__Secure-` prefixed, `Secure`, `HttpOnly`, for
/// 15 minutes.
#[tokio::test]
async fn ck02_check_cookies_over_https_are_secure_prefixed() {
    let op = start_hostile_op(CLIENT_ID, CLIENT_SECRET).await;
    let state = app::AppState::with_demo_users().expect("demo users");
    let auth = Auth::<app::DemoAuth>::builder(state)
        .secrets(Secrets::new([SECRET]).expect("a strong secret"))
        .public_url("https://app.example")
        .bearer_keys(app::bearer_keys().expect("bearer keys"))
        .oidc_client("oidc", credentials(&op))
        .build_async()
        .await
        .expect("discovery succeeds");
    let server = TestServer::start(app::app(&auth)).await;
    // A browser sends `Secure` cookies only over https: they are carried here by hand.
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");
    let response = client
        .get(server.url("/api/auth/csrf"))
        .send()
        .await
        .expect("GET /csrf");
    let csrf_cookie = set_cookies(response.headers());
    let token: Value = response.json().await.expect("JSON");
    let name = "__Host-authjs.csrf-token";
    let response = client
        .post(server.url("/api/auth/signin/oidc"))
        .header(
            reqwest::header::COOKIE,
            format!("{name}={}", cookie_value(&csrf_cookie, name)),
        )
        .form(&[("csrfToken", token["csrfToken"].as_str().expect("a token"))])
        .send()
        .await
        .expect("POST /signin/oidc");
    assert_eq!(response.status(), StatusCode::FOUND);
    let cookies = set_cookies(response.headers());
    for name in CHECK_COOKIES {
        let line = cookies
            .iter()
            .find(|line| line.starts_with(&format!("__Secure-{name}=")))
            .unwrap_or_else(|| panic!("__Secure-{name} in {cookies:?}"));
        for attribute in ["Secure", "HttpOnly", "Max-Age=900", "Path=/"] {
            assert!(line.contains(attribute), "{attribute} in {line}");
        }
    }
    assert!(
        !cookies
            .iter()
            .any(|line| CHECK_COOKIES.iter().any(|name| line.starts_with(name))),
        "no unprefixed check cookie: {cookies:?}"
    );
}

/// CL-08: an `id_token` naming a claim twice (`sub` or `email`, the second value another
/// user's), validly signed, is refused rather than read with either value.
#[tokio::test]
async fn cl08_an_id_token_with_a_duplicate_claim_is_refused() {
    let harness = Harness::start().await;
    for (case, duplicate) in [
        ("sub twice", json!({ "sub": "alice" })),
        ("email twice", json!({ "email": "admin@example.com" })),
    ] {
        let answer = harness
            .sign_in_with(&json!({ "duplicate": duplicate }))
            .await;
        harness.assert_refused(&answer, "Configuration", case).await;
    }
}
