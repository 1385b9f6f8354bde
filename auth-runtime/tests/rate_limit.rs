//! Sign-in rate limiting through `TestClient` (DS-05, DS-06, DS-07): the sixth attempt after
//! five failures is refused before `authorize` runs, keyed by the folded identifier and by the
//! client address (the socket peer, or the right-most untrusted hop behind a trusted proxy),
//! with a clock that is stepped, never slept on.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

mod support;

use std::net::IpAddr;
use std::sync::atomic::Ordering;
use std::time::Duration;

use auth_runtime::Auth;
use auth_runtime::{MemoryLimiter, RateLimit};
use poem::Endpoint;
use poem::http::StatusCode;
use poem::test::TestResponse;
use serde_json::json;

use support::*;

const RATE_LIMITED: &str = "http://localhost:3000/api/auth/error?error=RateLimited";
const WRONG_CREDENTIALS: &str =
    "http://localhost:3000/api/auth/signin?error=CredentialsSignin&code=credentials";

fn limited(state: TestState) -> Auth<LimitedAuth> {
    builder::<LimitedAuth>(state).build().unwrap()
}

fn calls(state: &TestState) -> usize {
    state.authorize_calls.load(Ordering::SeqCst)
}

/// A sign-in attempt from `peer` with extra request `headers`.
async fn attempt_with<E: Endpoint>(
    browser: &mut Browser<E>,
    peer: &str,
    username: &str,
    password: &str,
    headers: &[(&'static str, &str)],
) -> TestResponse {
    browser.peer = Some(peer.parse().unwrap());
    let csrf = browser.csrf_token().await;
    browser
        .post_form_with(
            "/api/auth/callback/credentials",
            &[
                ("csrfToken", &csrf),
                ("username", username),
                ("password", password),
                ("callbackUrl", "/dashboard"),
            ],
            headers,
        )
        .await
}

async fn attempt<E: Endpoint>(
    browser: &mut Browser<E>,
    peer: &str,
    username: &str,
    password: &str,
) -> TestResponse {
    attempt_with(browser, peer, username, password, &[]).await
}

#[tokio::test]
async fn ds05_sixth_attempt_after_five_failures_is_refused_even_with_the_right_password() {
    let state = state();
    let mut browser = Browser::new(auth_app(&limited(state.clone())));
    // Each failure from another address: only the identifier's key fills up.
    for i in 0..5 {
        let response = attempt(
            &mut browser,
            &format!("198.51.100.{i}:4000"),
            "alice",
            "wrong",
        )
        .await;
        assert_eq!(location(&response), WRONG_CREDENTIALS, "attempt {i}");
    }
    assert_eq!(calls(&state), 5);
    let response = attempt(&mut browser, "198.51.100.99:4000", "alice", "correct horse").await;
    response.assert_status(StatusCode::FOUND);
    assert_eq!(location(&response), RATE_LIMITED);
    assert_eq!(
        calls(&state),
        5,
        "authorize (and its password hash) did not run"
    );
    assert!(browser.jar.get(SESSION).is_none());
    assert_eq!(state.events.lock().unwrap().last(), Some(&"rate_limited"));
    // Another user is not affected.
    let response = attempt(&mut browser, "198.51.100.99:4000", "root", "root password").await;
    assert_eq!(location(&response), "http://localhost:3000/dashboard");

    // The error page it leads to says so, with 429.
    let response = browser.get("/api/auth/error?error=RateLimited").await;
    response.assert_status(StatusCode::TOO_MANY_REQUESTS);
    let page = response.0.into_body().into_string().await.unwrap();
    assert!(page.contains("Too many attempts. Try again later."));
}

#[tokio::test]
async fn one_address_is_refused_a_new_identifier_once_its_key_is_used_up() {
    let state = state();
    let mut browser = Browser::new(auth_app(&limited(state.clone())));
    for i in 0..5 {
        let response = attempt(&mut browser, "203.0.113.7:5000", &format!("user{i}"), "x").await;
        assert_eq!(location(&response), WRONG_CREDENTIALS);
    }
    let response = attempt(&mut browser, "203.0.113.7:5001", "alice", "correct horse").await;
    assert_eq!(
        location(&response),
        RATE_LIMITED,
        "same address, other port"
    );
    assert_eq!(calls(&state), 5);
    let response = attempt(&mut browser, "203.0.113.8:5000", "alice", "correct horse").await;
    assert_eq!(location(&response), "http://localhost:3000/dashboard");
}

#[tokio::test]
async fn ds06_forged_forwarding_headers_from_an_untrusted_peer_do_not_reset_the_limit() {
    let state = state();
    let mut browser = Browser::new(auth_app(&limited(state.clone())));
    for i in 0..5 {
        let forged = format!("10.9.9.{i}");
        let headers = [
            ("x-forwarded-for", forged.as_str()),
            ("x-real-ip", forged.as_str()),
            ("forwarded", "for=192.0.2.60"),
        ];
        attempt_with(
            &mut browser,
            "203.0.113.7:5000",
            &format!("user{i}"),
            "x",
            &headers,
        )
        .await;
    }
    let headers = [
        ("x-forwarded-for", "192.0.2.1"),
        ("x-real-ip", "192.0.2.1"),
        ("forwarded", "for=192.0.2.1"),
    ];
    let response = attempt_with(
        &mut browser,
        "203.0.113.7:5000",
        "alice",
        "correct horse",
        &headers,
    )
    .await;
    assert_eq!(location(&response), RATE_LIMITED);
    assert_eq!(calls(&state), 5);
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_right_most_untrusted_hop_is_the_client() {
    let state = state();
    let proxy: IpAddr = "10.0.0.1".parse().unwrap();
    let auth = builder::<LimitedAuth>(state.clone())
        .trusted_proxies([proxy, "10.0.0.2".parse().unwrap()])
        .build()
        .unwrap();
    assert_eq!(auth.trusted_proxies(), [proxy, "10.0.0.2".parse().unwrap()]);
    let mut browser = Browser::new(auth_app(&auth));
    // The client forges the left-most hops; the proxies append what they saw.
    for i in 0..5 {
        let chain = format!("6.6.6.{i}, 203.0.113.7, 10.0.0.2");
        let headers = [("x-forwarded-for", chain.as_str())];
        let response = attempt_with(
            &mut browser,
            "10.0.0.1:443",
            &format!("user{i}"),
            "x",
            &headers,
        )
        .await;
        assert_eq!(location(&response), WRONG_CREDENTIALS);
    }
    let headers = [("x-forwarded-for", "192.0.2.1, 203.0.113.7, 10.0.0.2")];
    let response = attempt_with(
        &mut browser,
        "10.0.0.1:443",
        "alice",
        "correct horse",
        &headers,
    )
    .await;
    assert_eq!(location(&response), RATE_LIMITED, "the same client");

    // Another client through the same proxy is not limited by the first one's failures.
    let headers = [("x-forwarded-for", "198.51.100.4")];
    let response = attempt_with(
        &mut browser,
        "10.0.0.1:443",
        "alice",
        "correct horse",
        &headers,
    )
    .await;
    assert_eq!(location(&response), "http://localhost:3000/dashboard");
}

#[tokio::test]
async fn a_successful_sign_in_resets_the_identifier() {
    let state = state();
    let mut browser = Browser::new(auth_app(&limited(state.clone())));
    let mut peer = 0;
    let mut next_peer = || {
        peer += 1;
        format!("198.51.100.{peer}:4000")
    };
    for _ in 0..4 {
        attempt(&mut browser, &next_peer(), "alice", "wrong").await;
    }
    let response = attempt(&mut browser, &next_peer(), "alice", "correct horse").await;
    assert_eq!(location(&response), "http://localhost:3000/dashboard");
    for _ in 0..4 {
        let response = attempt(&mut browser, &next_peer(), "alice", "wrong").await;
        assert_eq!(location(&response), WRONG_CREDENTIALS);
    }
    // Eight failures in the window, but only four since the reset.
    let response = attempt(&mut browser, &next_peer(), "alice", "correct horse").await;
    assert_eq!(location(&response), "http://localhost:3000/dashboard");
}

#[tokio::test]
async fn ds07_identifiers_are_folded_into_one_key() {
    let state = state();
    let mut browser = Browser::new(auth_app(&limited(state.clone())));
    for (i, spelling) in [
        " Alice@X ",
        "ALICE@x",
        "alice@X",
        "\tAlice@x",
        "alice\u{FF20}x",
    ]
    .into_iter()
    .enumerate()
    {
        let response = attempt(&mut browser, &format!("198.51.100.{i}:4000"), spelling, "x").await;
        assert_eq!(location(&response), WRONG_CREDENTIALS, "{spelling:?}");
    }
    let response = attempt(&mut browser, "198.51.100.50:4000", "alice@x", "x").await;
    assert_eq!(location(&response), RATE_LIMITED);
    assert_eq!(calls(&state), 5);
}

#[tokio::test]
async fn rate_limited_with_return_redirect_answers_429_json() {
    let mut browser = Browser::new(auth_app(&limited(state())));
    for _ in 0..5 {
        attempt(&mut browser, "203.0.113.7:5000", "alice", "wrong").await;
    }
    let response = attempt_with(
        &mut browser,
        "203.0.113.7:5000",
        "alice",
        "correct horse",
        &[("X-Auth-Return-Redirect", "1")],
    )
    .await;
    response.assert_status(StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body_json(response).await, json!({ "url": RATE_LIMITED }));
}

#[tokio::test]
async fn the_limit_lifts_when_the_window_passes() {
    let state = state();
    let clock = SteppingClock::default();
    let auth = builder::<LimitedAuth>(state.clone())
        .clock(clock.clone())
        .build()
        .unwrap();
    let mut browser = Browser::new(auth_app(&auth));
    for _ in 0..5 {
        attempt(&mut browser, "203.0.113.7:5000", "alice", "wrong").await;
    }
    clock.advance(Duration::from_secs(14 * 60));
    let response = attempt(&mut browser, "203.0.113.7:5000", "alice", "correct horse").await;
    assert_eq!(location(&response), RATE_LIMITED);
    clock.advance(Duration::from_secs(60 + 1));
    let response = attempt(&mut browser, "203.0.113.7:5000", "alice", "correct horse").await;
    assert_eq!(location(&response), "http://localhost:3000/dashboard");
}

#[tokio::test]
async fn a_schema_without_a_limit_is_not_limited_unless_a_limiter_is_given() {
    let state = state();
    let mut browser = Browser::new(app(&auth_with(state.clone())));
    for _ in 0..10 {
        attempt(&mut browser, "203.0.113.7:5000", "alice", "wrong").await;
    }
    let response = attempt(&mut browser, "203.0.113.7:5000", "alice", "correct horse").await;
    assert_eq!(location(&response), "http://localhost:3000/dashboard");
    assert!(auth_with(state.clone()).sign_in_limiter().is_none());

    let limit = RateLimit::parse("2 per 1m").unwrap();
    let auth = builder::<TestAuth>(state)
        .sign_in_limiter(MemoryLimiter::new(limit))
        .build()
        .unwrap();
    let mut browser = Browser::new(app(&auth));
    for _ in 0..2 {
        attempt(&mut browser, "203.0.113.7:5000", "alice", "wrong").await;
    }
    let response = attempt(&mut browser, "203.0.113.7:5000", "alice", "correct horse").await;
    assert_eq!(location(&response), RATE_LIMITED);
}

#[tokio::test]
async fn without_a_peer_address_the_identifier_still_limits() {
    let state = state();
    let mut browser = Browser::new(auth_app(&limited(state.clone())));
    for i in 0..6 {
        browser.peer = None;
        let csrf = browser.csrf_token().await;
        let response = browser
            .post_form(
                "/api/auth/callback/credentials",
                &[
                    ("csrfToken", &csrf),
                    ("username", "alice"),
                    ("password", "x"),
                ],
            )
            .await;
        let expected = if i < 5 {
            WRONG_CREDENTIALS
        } else {
            RATE_LIMITED
        };
        assert_eq!(location(&response), expected, "attempt {i}");
    }
}

#[tokio::test]
async fn missing_csrf_is_checked_before_the_limit_and_counts_nothing() {
    let state = state();
    let mut browser = Browser::new(auth_app(&limited(state.clone())));
    browser.peer = Some("203.0.113.7:5000".parse().unwrap());
    for _ in 0..10 {
        let response = browser
            .post_form(
                "/api/auth/callback/credentials",
                &[("username", "alice"), ("password", "wrong")],
            )
            .await;
        assert!(location(&response).ends_with("error=MissingCSRF"));
    }
    assert_eq!(calls(&state), 0);
    let response = attempt(&mut browser, "203.0.113.7:5000", "alice", "correct horse").await;
    assert_eq!(location(&response), "http://localhost:3000/dashboard");
}
