//! A session cookie from the outside, for the tests that sign a demo user in and then carry
//! the cookie to one instance or another: the credentials sign-in, the cookie read off
//! `Set-Cookie`, a client carrying it, and reads and CSRF-protected posts with it.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::http::{
    TestServer, browser, browser_with, browser_with_jar, csrf_token, location, set_cookies,
};

/// The auth routes' base path in the demo.
pub(crate) const BASE: &str = "/api/auth";
/// The session cookie's name on an http origin.
pub(crate) const SESSION_COOKIE: &str = "authjs.session-token";

/// Posts the credentials form to `server` with `client`: the status, the `Location`, and the
/// session cookie set, if any.
pub(crate) async fn sign_in(
    client: &reqwest::Client,
    server: &TestServer,
    email: &str,
    password: &str,
) -> (StatusCode, String, Option<String>) {
    let csrf = csrf_token(client, server, BASE).await;
    let response = client
        .post(server.url(&format!("{BASE}/callback/credentials")))
        .form(&[
            ("csrfToken", csrf.as_str()),
            ("email", email),
            ("password", password),
            ("callbackUrl", "/"),
        ])
        .send()
        .await
        .expect("POST /callback/credentials");
    let cookie = session_cookie(&set_cookies(response.headers()));
    (response.status(), location(response.headers()), cookie)
}

/// Signs `email` in on `server`: the session cookie's value.
pub(crate) async fn signed_in(server: &TestServer, email: &str, password: &str) -> String {
    let (status, to, cookie) = sign_in(&browser(), server, email, password).await;
    assert_eq!(status, StatusCode::FOUND, "{to}");
    cookie.expect("a session cookie")
}

/// The value of the session cookie set among `Set-Cookie` lines (not a deletion).
pub(crate) fn session_cookie(lines: &[String]) -> Option<String> {
    lines
        .iter()
        .filter(|line| !line.contains("Max-Age=0"))
        .find_map(|line| line.strip_prefix(&format!("{SESSION_COOKIE}=")))
        .and_then(|rest| rest.split(';').next())
        .map(str::to_owned)
}

/// A browser (cookie jar, no redirects) carrying the session cookie `cookie` for `server`,
/// so that the CSRF cookie it is given joins it.
pub(crate) fn carrying(server: &TestServer, cookie: &str) -> reqwest::Client {
    let (client, jar) = browser_with_jar();
    if !cookie.is_empty() {
        let url = reqwest::Url::parse(&server.url("/")).expect("a URL");
        jar.add_cookie_str(&format!("{SESSION_COOKIE}={cookie}; Path=/"), &url);
    }
    client
}

/// `GET path` on `server` carrying exactly the session cookie `cookie`: the status, the JSON
/// answer (null when none) and the re-issued session cookie, if any.
pub(crate) async fn get(
    server: &TestServer,
    path: &str,
    cookie: &str,
) -> (StatusCode, Value, Option<String>) {
    let response = browser_with(&[(SESSION_COOKIE, cookie)])
        .get(server.url(path))
        .send()
        .await
        .expect("GET");
    let status = response.status();
    let cookie = session_cookie(&set_cookies(response.headers()));
    (status, response.json().await.unwrap_or(Value::Null), cookie)
}

/// `POST path` on `server` with the CSRF pair and `body` (JSON, `csrfToken` added), carrying
/// the session cookie `cookie`: the status, the JSON answer and the new session cookie.
pub(crate) async fn post_with_csrf(
    server: &TestServer,
    path: &str,
    cookie: &str,
    mut body: Value,
) -> (StatusCode, Value, Option<String>) {
    let client = carrying(server, cookie);
    let csrf = csrf_token(&client, server, BASE).await;
    body["csrfToken"] = json!(csrf);
    let response = client
        .post(server.url(path))
        .json(&body)
        .send()
        .await
        .expect("POST");
    let status = response.status();
    let cookie = session_cookie(&set_cookies(response.headers()));
    (status, response.json().await.unwrap_or(Value::Null), cookie)
}
