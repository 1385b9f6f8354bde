//! The demo application, black box: served on a loopback port and driven by an HTTP client
//! that keeps cookies like a browser. Every step of the sign-in flow, the tenant switch, the
//! guards, the rate limit and sign-out, and the session cookie read by the real `@auth/core`.
#![allow(clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod support;

use std::time::Duration;

use auth_runtime::SessionCookie;
use auth_runtime::read_protected_header;
use auth_runtime::{Keyring, Secrets, TokenCodec};
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::clock::SteppingClock;
use support::demo::{serve_demo, serve_demo_with};
use support::http::{TestServer, browser, csrf_token, get_status, location, set_cookies};
use support::node::authjs;

const SECRET: &str = "demo-flow-secret-7d1c9e3a5b2f4e6d8a0c";
const BASE: &str = "/api/auth";

async fn start() -> TestServer {
    serve_demo(SECRET).await
}

/// Posts the credentials form; answers the status and the `Location`.
async fn sign_in(
    client: &reqwest::Client,
    server: &TestServer,
    email: &str,
    password: &str,
) -> (StatusCode, String) {
    sign_in_with_headers(client, server, email, password, &[]).await
}

async fn sign_in_with_headers(
    client: &reqwest::Client,
    server: &TestServer,
    email: &str,
    password: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, String) {
    let csrf = csrf_token(client, server, BASE).await;
    let mut request = client
        .post(server.url(&format!("{BASE}/callback/credentials")))
        .form(&[
            ("csrfToken", csrf.as_str()),
            ("email", email),
            ("password", password),
            ("callbackUrl", "/"),
        ]);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("POST /callback/credentials");
    (response.status(), location(response.headers()))
}

async fn get_json(
    client: &reqwest::Client,
    server: &TestServer,
    path: &str,
) -> (StatusCode, Value) {
    let response = client.get(server.url(path)).send().await.expect("GET");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// `GET <base>/session`: the session JSON, or `null` when signed out.
async fn session_of(client: &reqwest::Client, server: &TestServer) -> Value {
    get_json(client, server, &format!("{BASE}/session")).await.1
}

async fn post_status(client: &reqwest::Client, server: &TestServer, post: &Value) -> StatusCode {
    client
        .post(server.url("/api/posts"))
        .json(post)
        .send()
        .await
        .expect("POST")
        .status()
}

async fn update(client: &reqwest::Client, server: &TestServer, data: Value) -> (StatusCode, Value) {
    let csrf = csrf_token(client, server, BASE).await;
    let response = client
        .post(server.url(&format!("{BASE}/session")))
        .json(&json!({ "csrfToken": csrf, "data": data }))
        .send()
        .await
        .expect("POST /session");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn csrf_then_credentials_sign_in_gives_the_documented_session() {
    let server = start().await;
    let client = browser();
    let csrf = csrf_token(&client, &server, BASE).await;
    assert_eq!(csrf.len(), 64);
    assert!(csrf.bytes().all(|b| b.is_ascii_hexdigit()));

    let (status, to) = sign_in(&client, &server, "admin@example.com", "correct-horse-admin").await;
    assert_eq!(status, StatusCode::FOUND);
    assert!(to.ends_with('/'), "{to}");

    let (status, session) = get_json(&client, &server, &format!("{BASE}/session")).await;
    assert_eq!(status, StatusCode::OK);
    let user = &session["user"];
    assert_eq!(user["id"], "u-admin");
    assert_eq!(user["name"], "Ada Admin");
    assert_eq!(user["email"], "admin@example.com");
    assert_eq!(user["role"], "admin");
    assert_eq!(
        user["permissions"],
        json!(["read", "write", "delete", "admin"])
    );
    assert_eq!(user["tenantId"], "acme");
    assert!(session["expires"].as_str().expect("expires").ends_with('Z'));
    let (_, me) = get_json(&client, &server, "/api/me").await;
    assert_eq!(me, session, "GET /api/me is the session JSON");
}

/// `session(update_age = "1h")` in the demo: a read within the hour answers from the cookie
/// as it is (no `Set-Cookie`, the sign-in's expiry); once the token is an hour old a read
/// re-issues it with a fresh expiry; a token under an older secret is re-issued on its first
/// read, under the newest.
#[tokio::test]
async fn reads_re_issue_once_the_token_is_update_age_old_or_under_an_older_secret() {
    let clock = SteppingClock::starting_now();
    let server = serve_demo_with(Secrets::new([SECRET]).expect("strong"), clock.clone()).await;
    let client = browser();
    sign_in(&client, &server, "admin@example.com", "correct-horse-admin").await;
    let read = || async {
        let (cookies, session) = session_with_cookies(&client, &server).await;
        let expires = session["expires"].as_str().expect("expires").to_owned();
        (cookies, expires)
    };
    let (cookies, signed_in_expiry) = read().await;
    assert!(cookies.is_empty(), "{cookies:?}");
    clock.advance(Duration::from_secs(59 * 60));
    let (cookies, expires) = read().await;
    assert!(cookies.is_empty(), "{cookies:?}");
    assert_eq!(expires, signed_in_expiry, "no re-issue, no new expiry");

    clock.advance(Duration::from_secs(60));
    let (cookies, expires) = read().await;
    assert_eq!(cookies.len(), 1, "re-issued once an hour old: {cookies:?}");
    let old_token = token_in(&cookies).expect("a whole session cookie");
    assert!(
        expires > signed_in_expiry,
        "{expires} after {signed_in_expiry}"
    );
    let (cookies, again) = read().await;
    assert!(cookies.is_empty(), "{cookies:?}");
    assert_eq!(again, expires);

    // The secret rotates: the same cookie, read by a server whose newest secret is another.
    let rotated = Secrets::new(["demo-flow-rotated-secret-4a8c2e6f0b1d3f5a", SECRET])
        .expect("strong secrets");
    let rotated = serve_demo_with(rotated, clock.clone()).await;
    let read_rotated = || async { session_with_cookies(&client, &rotated).await.0 };
    let new_token = token_in(&read_rotated().await).expect("re-issued at once");
    let kid = |token: &str| read_protected_header(token).expect("our header").kid;
    assert_ne!(kid(&new_token), kid(&old_token), "under the newest secret");
    assert!(read_rotated().await.is_empty(), "and then left alone");
}

/// `GET <base>/session`: the `Set-Cookie` headers and the session JSON.
async fn session_with_cookies(
    client: &reqwest::Client,
    server: &TestServer,
) -> (Vec<String>, Value) {
    let response = client
        .get(server.url(&format!("{BASE}/session")))
        .send()
        .await
        .expect("GET /session");
    let cookies = set_cookies(response.headers());
    (cookies, response.json().await.expect("JSON"))
}

/// The session token in `Set-Cookie` headers, when it is one whole cookie.
fn token_in(set_cookies: &[String]) -> Option<String> {
    let pairs = set_cookies
        .iter()
        .filter_map(|cookie| cookie.split(';').next()?.split_once('='));
    SessionCookie::read(pairs, "authjs.session-token")
        .token
        .ok()
        .flatten()
}

#[tokio::test]
async fn wrong_password_and_missing_csrf_do_not_sign_in() {
    let server = start().await;
    let client = browser();
    let (status, to) = sign_in(&client, &server, "viewer@example.com", "wrong").await;
    assert_eq!(status, StatusCode::FOUND);
    assert!(to.contains("error=CredentialsSignin"), "{to}");
    assert_eq!(session_of(&client, &server).await, Value::Null);

    let response = client
        .post(server.url(&format!("{BASE}/callback/credentials")))
        .form(&[
            ("email", "viewer@example.com"),
            ("password", "correct-horse-viewer"),
        ])
        .send()
        .await
        .expect("POST");
    assert!(location(response.headers()).contains("error=MissingCSRF"));
    assert_eq!(session_of(&client, &server).await, Value::Null);
}

#[tokio::test]
async fn the_domain_allowlist_refuses_eve() {
    let server = start().await;
    let client = browser();
    let (status, to) = sign_in(&client, &server, "eve@outside.test", "correct-horse-eve").await;
    assert_eq!(status, StatusCode::FOUND);
    assert!(to.contains("error=AccessDenied"), "{to}");
    assert_eq!(session_of(&client, &server).await, Value::Null);
}

/// SU-04
#[tokio::test]
async fn tenant_switch_is_accepted_for_a_member_tenant_and_refused_otherwise() {
    let server = start().await;
    let client = browser();
    sign_in(&client, &server, "admin@example.com", "correct-horse-admin").await;

    let (status, session) = update(&client, &server, json!({"tenantId": "globex"})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(session["user"]["tenantId"], "globex");

    for refused in ["initech", "GLOBEX", ""] {
        let (status, body) = update(&client, &server, json!({"tenantId": refused})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
        assert_eq!(body, Value::Null);
    }
    let (status, _) = update(&client, &server, json!({"tenantId": null})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a tenant cannot be dropped");
    let session = session_of(&client, &server).await;
    assert_eq!(session["user"]["tenantId"], "globex");
    // Permissions are derived again after the switch: still the admin role's.
    assert_eq!(
        session["user"]["permissions"],
        json!(["read", "write", "delete", "admin"])
    );

    // A tenant that exists, but of which the user is not a member.
    let viewer = browser();
    sign_in(
        &viewer,
        &server,
        "viewer@example.com",
        "correct-horse-viewer",
    )
    .await;
    let (status, body) = update(&viewer, &server, json!({"tenantId": "globex"})).await;
    assert_eq!((status, body), (StatusCode::FORBIDDEN, Value::Null));
    assert_eq!(
        session_of(&viewer, &server).await["user"]["tenantId"],
        "acme"
    );
}

/// SU-03, CL-05: the demo declares no update for `role` or `permissions`, so they cannot be sent at
/// all (400, as SU-02) rather than be refused by a check (403).
#[tokio::test]
async fn a_client_cannot_raise_its_role_or_permissions_through_update() {
    let server = start().await;
    let client = browser();
    sign_in(
        &client,
        &server,
        "viewer@example.com",
        "correct-horse-viewer",
    )
    .await;
    for data in [
        json!({"role": "admin"}),
        json!({"permissions": ["read", "write", "delete", "admin"]}),
        json!({"tenantId": "acme", "role": "admin"}),
        json!({"id": "u-admin"}),
        json!({"sub": "u-admin", "exp": 9_999_999_999_i64}),
    ] {
        let (status, body) = update(&client, &server, data.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{data}");
        assert_eq!(body, Value::Null);
    }
    let session = session_of(&client, &server).await;
    assert_eq!(session["user"]["role"], "viewer");
    assert_eq!(session["user"]["permissions"], json!(["read"]));
    assert_eq!(session["user"]["id"], "u-viewer");
    assert_eq!(
        get_status(&client, &server, "/api/admin").await,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn guards_answer_401_signed_out_and_403_without_role_or_permission() {
    let server = start().await;
    let client = browser();
    for path in ["/api/me", "/api/admin", "/api/posts"] {
        let status = get_status(&client, &server, path).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}");
    }
    let post = json!({"title": "Hello", "body": "World"});
    let status = post_status(&client, &server, &post).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        client
            .get(server.url("/api/ping"))
            .send()
            .await
            .expect("GET")
            .text()
            .await
            .expect("text"),
        "pong"
    );

    sign_in(
        &client,
        &server,
        "viewer@example.com",
        "correct-horse-viewer",
    )
    .await;
    assert_eq!(
        get_status(&client, &server, "/api/admin").await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        get_status(&client, &server, "/api/posts").await,
        StatusCode::OK
    );
    let status = post_status(&client, &server, &post).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a viewer may not write");
}

/// The demo issues bearer tokens (`POST /api/auth/token`); `/api/me` and the guarded routes
/// take them without any cookie, judged as the cookie is: a viewer's token reads posts and is
/// 403 at `/api/admin`, an admin's is 200 there and may write.
#[tokio::test]
async fn bearer_tokens_open_api_me_and_the_guarded_routes_as_the_cookie_does() {
    let server = start().await;
    let mut tokens = Vec::new();
    for (email, password) in [
        ("viewer@example.com", "correct-horse-viewer"),
        ("admin@example.com", "correct-horse-admin"),
    ] {
        let client = browser();
        sign_in(&client, &server, email, password).await;
        let csrf = csrf_token(&client, &server, BASE).await;
        let answer: Value = client
            .post(server.url("/api/auth/token"))
            .json(&json!({ "csrfToken": csrf }))
            .send()
            .await
            .expect("POST /token")
            .json()
            .await
            .expect("JSON");
        assert_eq!(answer["token_type"], "Bearer");
        assert_eq!(answer["expires_in"], 900);
        tokens.push(answer["access_token"].as_str().expect("a token").to_owned());
    }
    let api = reqwest::Client::new();
    let status = |path: &'static str, token: String| {
        let request = api.get(server.url(path)).bearer_auth(token);
        async move { request.send().await.expect("GET").status() }
    };
    let me: Value = api
        .get(server.url("/api/me"))
        .bearer_auth(&tokens[0])
        .send()
        .await
        .expect("GET /api/me")
        .json()
        .await
        .expect("JSON");
    assert_eq!(me["user"]["role"], "viewer");
    assert_eq!(me["user"]["tenantId"], "acme");
    assert_eq!(
        status("/api/posts", tokens[0].clone()).await,
        StatusCode::OK
    );
    assert_eq!(
        status("/api/admin", tokens[0].clone()).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        status("/api/admin", tokens[1].clone()).await,
        StatusCode::OK
    );
    let written = api
        .post(server.url("/api/posts"))
        .bearer_auth(&tokens[1])
        .json(&json!({"title": "By bearer", "body": "from an API client"}))
        .send()
        .await
        .expect("POST /api/posts")
        .status();
    assert!(written.is_success(), "{written}");
    let jwks: Value = api
        .get(server.url("/api/auth/jwks"))
        .send()
        .await
        .expect("GET /jwks")
        .json()
        .await
        .expect("JSON");
    assert_eq!(jwks["keys"][0]["alg"], "EdDSA");
}

#[tokio::test]
async fn posts_are_kept_per_tenant() {
    let server = start().await;
    let admin = browser();
    sign_in(&admin, &server, "admin@example.com", "correct-horse-admin").await;
    let response = admin
        .post(server.url("/api/posts"))
        .json(&json!({"title": "Quarterly", "body": "Numbers are up."}))
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), StatusCode::CREATED);

    let viewer = browser();
    sign_in(
        &viewer,
        &server,
        "viewer@example.com",
        "correct-horse-viewer",
    )
    .await;
    let (_, posts) = get_json(&viewer, &server, "/api/posts").await;
    assert_eq!(posts[0]["title"], "Quarterly", "same tenant acme: {posts}");

    update(&admin, &server, json!({"tenantId": "globex"})).await;
    let (_, posts) = get_json(&admin, &server, "/api/posts").await;
    assert_eq!(posts, json!([]), "globex has no posts");
}

/// Memory stays bounded under a stream of posts: a tenant keeps its latest 1,000.
#[tokio::test]
async fn a_tenant_keeps_its_latest_thousand_posts() {
    let server = start().await;
    let admin = browser();
    sign_in(&admin, &server, "admin@example.com", "correct-horse-admin").await;
    for n in 0..1_001 {
        let response = admin
            .post(server.url("/api/posts"))
            .json(&json!({"title": format!("post {n}"), "body": "."}))
            .send()
            .await
            .expect("POST");
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let (_, posts) = get_json(&admin, &server, "/api/posts").await;
    let titles: Vec<&str> = posts
        .as_array()
        .expect("a list")
        .iter()
        .map(|post| post["title"].as_str().expect("a title"))
        .collect();
    assert_eq!(titles.len(), 1_000);
    assert_eq!((titles[0], titles[999]), ("post 1", "post 1000"));
}

#[tokio::test]
async fn the_sixth_failed_attempt_is_rate_limited_and_forged_forwarding_headers_do_not_help() {
    let server = start().await;
    let client = browser();
    for attempt in 1..=5 {
        let (_, to) = sign_in(&client, &server, "viewer@example.com", "wrong").await;
        assert!(
            to.contains("error=CredentialsSignin"),
            "attempt {attempt}: {to}"
        );
    }
    // The right password, but the identifier has used up its failures.
    let (_, to) = sign_in(
        &client,
        &server,
        "viewer@example.com",
        "correct-horse-viewer",
    )
    .await;
    assert!(to.contains("error=RateLimited"), "{to}");
    // The same person under another spelling is the same key.
    let (_, to) = sign_in(
        &client,
        &server,
        " Viewer@Example.com ",
        "correct-horse-viewer",
    )
    .await;
    assert!(to.contains("error=RateLimited"), "{to}");
    // Forged forwarding headers from an untrusted peer change nothing.
    for header in ["X-Forwarded-For", "X-Real-IP"] {
        let (_, to) = sign_in_with_headers(
            &client,
            &server,
            "viewer@example.com",
            "correct-horse-viewer",
            &[(header, "203.0.113.7")],
        )
        .await;
        assert!(to.contains("error=RateLimited"), "{header}: {to}");
    }
    assert_eq!(session_of(&client, &server).await, Value::Null);
}

#[tokio::test]
async fn sign_out_clears_every_session_chunk() {
    let server = start().await;

    // A browser still carrying the chunks of an older, larger session: a client without a
    // jar, so that the request carries exactly these cookies.
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let response = plain
        .get(server.url(&format!("{BASE}/csrf")))
        .send()
        .await
        .expect("GET /csrf");
    let csrf_cookie = set_cookies(response.headers())
        .into_iter()
        .find_map(|c| Some(c.split(';').next()?.to_owned()))
        .expect("a CSRF cookie");
    let csrf: Value = response.json().await.expect("JSON");
    let csrf = csrf["csrfToken"].as_str().expect("token");
    let response = plain
        .post(server.url(&format!("{BASE}/signout")))
        .header(
            "Cookie",
            format!(
                "{csrf_cookie}; authjs.session-token.0=stale; authjs.session-token.1=stale; \
                 authjs.session-token.2=stale"
            ),
        )
        .form(&[("csrfToken", csrf), ("callbackUrl", "/")])
        .send()
        .await
        .expect("POST /signout");
    assert_eq!(response.status(), StatusCode::FOUND);
    let cleared = set_cookies(response.headers());
    for chunk in 0..3 {
        let name = format!("authjs.session-token.{chunk}=");
        assert!(
            cleared
                .iter()
                .any(|c| c.starts_with(&name) && c.contains("Max-Age=0")),
            "{name} not expired: {cleared:?}"
        );
    }

    // The ordinary sign-out of a signed-in browser: its session is gone.
    let client = browser();
    sign_in(&client, &server, "admin@example.com", "correct-horse-admin").await;
    let csrf = csrf_token(&client, &server, BASE).await;
    let response = client
        .post(server.url(&format!("{BASE}/signout")))
        .form(&[("csrfToken", csrf.as_str()), ("callbackUrl", "/")])
        .send()
        .await
        .expect("POST /signout");
    assert!(
        set_cookies(response.headers())
            .iter()
            .any(|c| c.starts_with("authjs.session-token=;") && c.contains("Max-Age=0"))
    );
    assert_eq!(session_of(&client, &server).await, Value::Null);
    assert_eq!(
        get_status(&client, &server, "/api/me").await,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_session_cookie_opens_in_the_real_authjs_under_the_demo_secret() {
    let server = start().await;
    let client = browser();
    let csrf = csrf_token(&client, &server, BASE).await;
    let response = client
        .post(server.url(&format!("{BASE}/callback/credentials")))
        .form(&[
            ("csrfToken", csrf.as_str()),
            ("email", "admin@example.com"),
            ("password", "correct-horse-admin"),
        ])
        .send()
        .await
        .expect("sign in");
    let cookies = set_cookies(response.headers());
    let pairs: Vec<(String, String)> = cookies
        .iter()
        .filter_map(|c| c.split(';').next()?.split_once('='))
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect();
    let token = SessionCookie::read(
        pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        "authjs.session-token",
    )
    .token
    .expect("well formed")
    .expect("a session cookie");

    let results = authjs(&[json!({
        "op": "decode", "secret": SECRET, "salt": "authjs.session-token", "token": token
    })]);
    let claims = &results[0]["claims"];
    assert_eq!(claims["sub"], "u-admin", "{}", results[0]);
    assert_eq!(claims["email"], "admin@example.com");
    assert_eq!(claims["role"], "admin");
    assert_eq!(
        claims["permissions"],
        json!(["read", "write", "delete", "admin"])
    );
    assert_eq!(claims["tenantId"], "acme");
    assert_eq!(claims["id"], "u-admin");
}

/// DS-02, on the real server: over 100 request headers are refused by hyper with 431 before
/// any handler runs; a genuine session in `Cookie` headers over 16 KiB reads as signed out.
#[tokio::test]
async fn oversized_request_headers_are_refused_or_signed_out() {
    let server = start().await;
    let client = browser();
    let mut request = client.get(server.url("/api/ping"));
    for n in 0..101 {
        request = request.header(format!("x-filler-{n}"), "1");
    }
    let response = request.send().await.expect("an answer");
    assert_eq!(
        response.status(),
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE
    );

    // A genuine session, minted under the demo's secret, sent by a client without a jar.
    let keys = Keyring::new(Secrets::new([SECRET]).expect("a strong secret"))
        .keys_for("authjs.session-token");
    let claims = json!({"sub": "u-admin", "email": "admin@example.com", "id": "u-admin",
                        "role": "admin", "permissions": ["read"], "tenantId": "acme"});
    let Value::Object(claims) = claims else {
        unreachable!("an object")
    };
    let token = TokenCodec::new(keys)
        .encode(claims, Duration::from_secs(3600))
        .expect("encode");
    let session = format!("authjs.session-token={token}");
    let plain = reqwest::Client::new();
    for (cookies, signed_in) in [
        (session.clone(), true),
        (format!("{session}; pref={}", "x".repeat(16 * 1024)), false),
    ] {
        let response = plain
            .get(server.url("/api/auth/session"))
            .header(reqwest::header::COOKIE, cookies)
            .send()
            .await
            .expect("GET");
        assert_eq!(response.status(), StatusCode::OK);
        let answer: Value = response.json().await.expect("JSON");
        assert_eq!(answer != Value::Null, signed_in, "{answer}");
    }
}

/// DS-10: sixteen connections hold requests to the auth routes open at the body limit (the
/// headers and half of a 64 KiB body sent, the rest withheld), while sixteen more send whole
/// 64 KiB bodies to them; `/api/ping` on the same server still answers, promptly, every time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ds_10_a_flood_of_body_limit_requests_to_the_auth_routes_leaves_ping_answering() {
    use std::io::Write as _;

    const FLOOD: usize = 16;
    const BODY_LIMIT: usize = 64 * 1024;
    let server = start().await;
    let held: Vec<std::net::TcpStream> = (0..FLOOD)
        .map(|n| {
            let path = if n % 2 == 0 {
                "/api/auth/callback/credentials"
            } else {
                "/api/auth/session"
            };
            let mut stream = std::net::TcpStream::connect(server.addr).expect("connect");
            stream
                .set_write_timeout(Some(Duration::from_secs(5)))
                .expect("a write timeout");
            let head = format!(
                "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: \
                 application/x-www-form-urlencoded\r\nContent-Length: {BODY_LIMIT}\r\n\r\n",
                server.addr
            );
            stream.write_all(head.as_bytes()).expect("the head");
            stream
                .write_all(&vec![b'a'; BODY_LIMIT / 2])
                .expect("half the body");
            stream
        })
        .collect();
    let client = reqwest::Client::new();
    let whole: Vec<_> = (0..FLOOD)
        .map(|n| {
            let (client, url) = (client.clone(), server.url(BASE));
            tokio::spawn(async move {
                let (path, body) = if n % 2 == 0 {
                    (
                        "/callback/credentials",
                        format!("a={}", "b".repeat(BODY_LIMIT - 2)),
                    )
                } else {
                    (
                        "/session",
                        format!("{{\"a\":\"{}\"}}", "b".repeat(BODY_LIMIT - 8)),
                    )
                };
                let response = client
                    .post(format!("{url}{path}"))
                    .header(
                        reqwest::header::CONTENT_TYPE,
                        "application/x-www-form-urlencoded",
                    )
                    .body(body)
                    .send()
                    .await
                    .expect("an answer");
                assert!(
                    !response.status().is_server_error(),
                    "{path}: {}",
                    response.status()
                );
            })
        })
        .collect();
    for _ in 0..5 {
        let started = std::time::Instant::now();
        let response = tokio::time::timeout(
            Duration::from_secs(3),
            client.get(server.url("/api/ping")).send(),
        )
        .await
        .expect("/api/ping answers within 3 s during the flood")
        .expect("GET /api/ping");
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.text().await.expect("a body"), "pong");
        assert!(started.elapsed() < Duration::from_secs(3));
    }
    for request in whole {
        request.await.expect("a flood request");
    }
    drop(held);
}
