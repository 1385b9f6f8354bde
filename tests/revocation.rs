//! Revocation on one instance, without a shared store (the in-process record): the session
//! id and generation in the token, sign-out revoking the session, `POST /signout/others`,
//! `Auth::revoke_session`, and revocation off (the default) changing nothing.
#![allow(clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod support;

use auth_runtime::{Auth, AuthError, Revocation, Secrets};
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::demo::app;
use support::http::{TestServer, browser_with, csrf_token, set_cookies};
use support::session::{BASE, SESSION_COOKIE, carrying, post_with_csrf, session_cookie, signed_in};

const SECRET: &str = "revocation-test-secret-2f8c4a6e1b3d5f7a9c0e";

/// The demo on a loopback port, with revocation on or off.
async fn serve(revocation: bool) -> (TestServer, Auth<app::DemoAuth>) {
    let port = TestServer::bind().await;
    let mut builder =
        Auth::<app::DemoAuth>::builder(app::AppState::with_demo_users().expect("demo users"))
            .secrets(Secrets::new([SECRET]).expect("a strong secret"))
            .public_url(&port.origin())
            .bearer_keys(app::bearer_keys().expect("bearer keys"));
    if revocation {
        builder = builder.revocation(Revocation::new());
    }
    let auth = builder.build().expect("the demo's configuration is valid");
    (port.serve(app::app(&auth)), auth)
}

async fn status_of(server: &TestServer, path: &str, cookie: &str) -> StatusCode {
    browser_with(&[(SESSION_COOKIE, cookie)])
        .get(server.url(path))
        .send()
        .await
        .expect("GET")
        .status()
}

/// With revocation on, every session carries a random `sid` and a generation; a re-issue
/// keeps both.
#[tokio::test]
async fn sessions_carry_a_session_id_kept_across_reissues() {
    let (server, auth) = serve(true).await;
    let first = signed_in(&server, "admin@example.com", "correct-horse-admin").await;
    let second = signed_in(&server, "admin@example.com", "correct-horse-admin").await;
    let claims = auth.codec().decode(&first).expect("opens");
    let other = auth.codec().decode(&second).expect("opens");
    let sid = claims["sid"].as_str().expect("a sid");
    assert_eq!(sid.len(), 36, "a UUID");
    assert_ne!(Some(sid), other["sid"].as_str(), "one id per session");
    assert!(claims["sgen"].as_u64().expect("a generation") > 0);

    let (status, session, updated) = {
        let client = carrying(&server, &first);
        let csrf = csrf_token(&client, &server, BASE).await;
        let response = client
            .post(server.url(&format!("{BASE}/session")))
            .json(&json!({ "csrfToken": csrf, "data": { "tenantId": "globex" } }))
            .send()
            .await
            .expect("POST /session");
        let status = response.status();
        let cookie = session_cookie(&set_cookies(response.headers()));
        (
            status,
            response.json::<Value>().await.expect("JSON"),
            cookie,
        )
    };
    assert_eq!(status, StatusCode::OK, "{session}");
    let updated = auth
        .codec()
        .decode(&updated.expect("re-issued"))
        .expect("opens");
    assert_eq!(updated["sid"], claims["sid"]);
    assert_eq!(updated["sgen"], claims["sgen"]);
}

/// ST-04 on one instance: signing out revokes the session: a copy of the cookie kept elsewhere stops working on
/// every route, `GET /session` answers `null` and expires it.
#[tokio::test]
async fn a_signed_out_session_is_revoked_wherever_its_cookie_is() {
    let (server, _) = serve(true).await;
    let cookie = signed_in(&server, "admin@example.com", "correct-horse-admin").await;
    assert_eq!(
        status_of(&server, "/api/admin", &cookie).await,
        StatusCode::OK
    );
    let client = carrying(&server, &cookie);
    let csrf = csrf_token(&client, &server, BASE).await;
    let response = client
        .post(server.url(&format!("{BASE}/signout")))
        .form(&[("csrfToken", csrf.as_str())])
        .send()
        .await
        .expect("POST /signout");
    assert_eq!(response.status(), StatusCode::FOUND);

    for path in ["/api/me", "/api/admin", "/api/posts"] {
        assert_eq!(
            status_of(&server, path, &cookie).await,
            StatusCode::UNAUTHORIZED,
            "{path}"
        );
    }
    let response = browser_with(&[(SESSION_COOKIE, &cookie)])
        .get(server.url(&format!("{BASE}/session")))
        .send()
        .await
        .expect("GET /session");
    let expired = set_cookies(response.headers());
    assert!(
        expired
            .iter()
            .any(|line| line.starts_with(SESSION_COOKIE) && line.contains("Max-Age=0")),
        "{expired:?}"
    );
    assert_eq!(response.json::<Value>().await.expect("JSON"), Value::Null);
    // Nor does it buy a bearer token.
    let (status, _, _) =
        post_with_csrf(&server, &format!("{BASE}/token"), &cookie, json!({})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

/// A bearer token minted from a session carries its `sid` and is refused once the session is
/// revoked, though its own signature and expiry are still good.
#[tokio::test]
async fn a_bearer_token_is_refused_with_its_session() {
    let (server, auth) = serve(true).await;
    let cookie = signed_in(&server, "admin@example.com", "correct-horse-admin").await;
    let (status, body, _) =
        post_with_csrf(&server, &format!("{BASE}/token"), &cookie, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let bearer = body["access_token"].as_str().expect("a token").to_owned();
    let with_bearer = || {
        reqwest::Client::new()
            .get(server.url("/api/me"))
            .bearer_auth(&bearer)
            .send()
    };
    assert_eq!(with_bearer().await.expect("GET").status(), StatusCode::OK);

    let sid = auth.codec().decode(&cookie).expect("opens")["sid"]
        .as_str()
        .expect("a sid")
        .to_owned();
    auth.revoke_session(&sid).await.expect("revoked");
    assert_eq!(
        with_bearer().await.expect("GET").status(),
        StatusCode::UNAUTHORIZED
    );
}

/// ST-05 on one instance: `POST /signout/others` ends the user's other sessions at once on this instance, keeps the
/// caller's (re-issued under the new generation), and leaves other users alone.
#[tokio::test]
async fn signing_out_the_other_sessions_keeps_this_one() {
    let (server, auth) = serve(true).await;
    let here = signed_in(&server, "admin@example.com", "correct-horse-admin").await;
    let there = signed_in(&server, "admin@example.com", "correct-horse-admin").await;
    let viewer = signed_in(&server, "viewer@example.com", "correct-horse-viewer").await;

    let (status, body, here_now) =
        post_with_csrf(&server, &format!("{BASE}/signout/others"), &here, json!({})).await;
    assert_eq!(
        (status, body),
        (StatusCode::OK, json!({ "signedOut": "others" }))
    );
    let here_now = here_now.expect("re-issued");
    let before = auth.codec().decode(&here).expect("opens");
    let after = auth.codec().decode(&here_now).expect("opens");
    assert_eq!(after["sid"], before["sid"], "the same session");
    assert!(after["sgen"].as_u64() > before["sgen"].as_u64());

    assert_eq!(
        status_of(&server, "/api/me", &there).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        status_of(&server, "/api/me", &here).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        status_of(&server, "/api/me", &here_now).await,
        StatusCode::OK
    );
    assert_eq!(status_of(&server, "/api/me", &viewer).await, StatusCode::OK);

    // Without the CSRF token, or signed out: refused, nothing changed.
    let response = browser_with(&[(SESSION_COOKIE, &here_now)])
        .post(server.url(&format!("{BASE}/signout/others")))
        .json(&json!({}))
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        status_of(&server, "/api/me", &here_now).await,
        StatusCode::OK
    );
    let (status, _, _) =
        post_with_csrf(&server, &format!("{BASE}/signout/others"), "", json!({})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

/// Revocation is off by default: no `sid` in the token, the route does not exist, and the
/// API says so rather than pretending.
#[tokio::test]
async fn revocation_off_changes_nothing_and_says_so() {
    let (server, auth) = serve(false).await;
    let cookie = signed_in(&server, "admin@example.com", "correct-horse-admin").await;
    let claims = auth.codec().decode(&cookie).expect("opens");
    assert!(claims.get("sid").is_none() && claims.get("sgen").is_none());
    let (status, _, _) = post_with_csrf(
        &server,
        &format!("{BASE}/signout/others"),
        &cookie,
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(matches!(
        auth.revoke_session("any").await,
        Err(AuthError::RevocationOff)
    ));
    assert!(matches!(
        auth.sign_out_everywhere("u-admin").await,
        Err(AuthError::RevocationOff)
    ));
}
