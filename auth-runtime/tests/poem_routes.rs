//! The Poem integration, end to end: the auth routes, the session middleware, the `Session`
//! extractor and `Guard`, driven through `poem::test::TestClient` with a hand-written schema
//! (what `#[auth_config]` would generate) and a fixed clock.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

mod support;

use auth_runtime::{Auth, AuthSchema, FixedClock, Secrets, Session};
use auth_runtime::{CookieNames, MAX_COOKIE_HEADER_LEN, split_into_chunks};
use poem::http::{StatusCode, header};
use poem::test::TestClient;
use poem::{EndpointExt, Route, get};
use serde_json::{Value, json};

use support::*;

// --- /csrf ----------------------------------------------------------------------------------

#[tokio::test]
async fn csrf_answers_a_token_and_sets_a_hashed_cookie_once() {
    let mut browser = Browser::new(app(&auth()));
    let response = browser.get("/api/auth/csrf").await;
    response.assert_status_is_ok();
    let cookies = set_cookies(&response);
    let token = body_json(response).await["csrfToken"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(token.len(), 64);
    assert!(
        token
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );
    assert_eq!(cookies.len(), 1);
    assert!(
        cookies[0].starts_with(&format!("authjs.csrf-token={token}%7C")),
        "{}",
        cookies[0]
    );
    assert!(cookies[0].ends_with("; Path=/; HttpOnly; SameSite=Lax"));

    // A valid cookie is kept: same token, no new cookie.
    let again = browser.get("/api/auth/csrf").await;
    assert!(set_cookies(&again).is_empty());
    assert_eq!(body_json(again).await["csrfToken"], token.as_str());
}

/// CS-03
#[tokio::test]
async fn csrf_cookie_with_a_wrong_hash_is_replaced() {
    let mut browser = Browser::new(app(&auth()));
    let forged = format!("{}%7C{}", "a".repeat(64), "b".repeat(64));
    browser.jar.set("authjs.csrf-token", &forged);
    let token = browser.csrf_token().await;
    assert_ne!(token, "a".repeat(64));
    assert_ne!(browser.jar.get("authjs.csrf-token"), Some(forged.as_str()));
}

/// CK-02 (the OAuth check cookies are not built)
#[tokio::test]
async fn https_public_url_uses_secure_and_host_cookie_names() {
    let auth = Auth::<TestAuth>::builder(state())
        .secrets(secrets())
        .public_url("https://app.example")
        .clock(FixedClock(NOW))
        .build()
        .unwrap();
    assert_eq!(auth.names(), &CookieNames::HTTPS);
    let mut browser = Browser::new(app(&auth));
    let response = browser.get("/api/auth/csrf").await;
    let cookie = &set_cookies(&response)[0];
    assert!(cookie.starts_with("__Host-authjs.csrf-token="), "{cookie}");
    assert!(cookie.contains("; Secure"), "{cookie}");
    let response = browser.sign_in("alice", "correct horse").await;
    assert_eq!(location(&response), "https://app.example/dashboard");
    let session = set_cookies(&response).remove(0);
    assert!(
        session.starts_with("__Secure-authjs.session-token="),
        "{session}"
    );
    assert!(session.contains("; Secure"), "{session}");
    assert!(!session.contains("Domain="), "{session}");
    assert!(!cookie.contains("Domain="), "{cookie}");
    let token = session
        .strip_prefix("__Secure-authjs.session-token=")
        .and_then(|rest| rest.split(';').next())
        .unwrap()
        .to_owned();

    // Over https, a session under the unprefixed name (which any sibling subdomain or plain
    // http page could have set: cookie tossing) is not read, even when it holds a genuine
    // token.
    let mut tossed = Browser::new(app(&auth));
    tossed.jar.set(SESSION, &token);
    assert_eq!(tossed.session().await, Value::Null);
    tossed
        .get("/me")
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
}

/// The `Set-Cookie` that deletes the cookie `name`.
fn expired_cookie(name: &str) -> String {
    format!("{name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax")
}

/// A token of `auth`'s whose tag was changed, and one it issued two hours ago (past its hour).
fn tampered_and_expired_tokens(auth: &Auth<TestAuth>) -> [String; 2] {
    let valid = forge(auth, json!({ "sub": "user-1", "role": "user" }));
    let mut tampered = valid.into_bytes();
    let last = tampered.len() - 2;
    tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
    let earlier = Auth::<TestAuth>::builder(state())
        .secrets(secrets())
        .public_url(ORIGIN)
        .clock(FixedClock(NOW - 7200))
        .build()
        .unwrap();
    let expired = forge(&earlier, json!({ "sub": "user-1", "role": "user" }));
    [String::from_utf8(tampered).unwrap(), expired]
}

// --- credentials sign-in --------------------------------------------------------------------

/// CK-01, LG-05
#[tokio::test]
async fn correct_credentials_set_the_session_cookie_and_redirect_to_the_callback_url() {
    let auth = auth();
    let mut browser = Browser::new(app(&auth));
    let response = browser.sign_in("alice", "correct horse").await;
    response.assert_status(StatusCode::FOUND);
    assert_eq!(location(&response), "http://localhost:3000/dashboard");
    response.assert_header(header::REFERRER_POLICY, "no-referrer");
    let cookie = set_cookies(&response).remove(0);
    assert!(cookie.starts_with("authjs.session-token=eyJ"), "{cookie}");
    assert!(
        cookie.ends_with("; Path=/; Expires=Thu, 01 Jan 2026 01:00:00 GMT; HttpOnly; SameSite=Lax"),
        "{cookie}"
    );
    let claims = decode_jar_token(&auth, &browser.jar);
    assert_eq!(claims["sub"], "user-1");
    assert_eq!(claims["tenantId"], "home");
    assert_eq!(claims["exp"], NOW + 3600);
}

#[tokio::test]
async fn wrong_password_redirects_to_credentials_signin_without_a_session() {
    let mut browser = Browser::new(app(&auth()));
    let response = browser.sign_in("alice", "wrong").await;
    response.assert_status(StatusCode::FOUND);
    assert_eq!(
        location(&response),
        "http://localhost:3000/api/auth/signin?error=CredentialsSignin&code=credentials"
    );
    assert!(browser.jar.get(SESSION).is_none());
}

/// CS-01, CS-02, CS-04 (on the credentials callback)
#[tokio::test]
async fn sign_in_without_a_matching_csrf_token_redirects_to_missing_csrf() {
    let mut browser = Browser::new(app(&auth()));
    let path = "/api/auth/callback/credentials";
    let credentials = [("username", "alice"), ("password", "correct horse")];
    let expected = "http://localhost:3000/api/auth/signin?error=MissingCSRF";

    // No token at all, and no cookie.
    let response = browser.post_form(path, &credentials).await;
    assert_eq!(location(&response), expected);

    // A cookie, but the body's token is wrong (upper-cased, cut, with the hash).
    let csrf = browser.csrf_token().await;
    let cookie_value = browser
        .jar
        .get("authjs.csrf-token")
        .unwrap()
        .replace("%7C", "|");
    for wrong in [csrf.to_uppercase(), csrf[1..].to_owned(), cookie_value] {
        let mut form = credentials.to_vec();
        form.push(("csrfToken", &wrong));
        let response = browser.post_form(path, &form).await;
        assert_eq!(location(&response), expected);
    }

    // The right token in the query or a header does not count.
    let response = browser
        .post_form_with(
            &format!("{path}?csrfToken={csrf}"),
            &credentials,
            &[("x-csrf-token", &csrf)],
        )
        .await;
    assert_eq!(location(&response), expected);
    assert!(browser.jar.get(SESSION).is_none());

    // A genuine token in the body, but no CSRF cookie beside it.
    let mut cookieless = Browser::new(app(&auth()));
    let mut form = credentials.to_vec();
    form.push(("csrfToken", &csrf));
    let response = cookieless.post_form(path, &form).await;
    assert_eq!(location(&response), expected);
    assert!(cookieless.jar.get(SESSION).is_none());
}

/// CF-04 (its other half, bad tokens still read as signed out, is
/// `bad_session_cookies_read_as_null_never_as_an_error`), LG-03 (the failing callback's
/// message; token-endpoint and JWKS failures need OAuth, not built)
#[tokio::test]
async fn denied_sign_in_and_failing_authorize_use_public_error_codes() {
    let mut browser = Browser::new(app(&auth()));
    let response = browser.sign_in("banned", "banned").await;
    assert_eq!(
        location(&response),
        "http://localhost:3000/api/auth/error?error=AccessDenied"
    );
    let response = browser.sign_in("broken", "x").await;
    assert_eq!(
        location(&response),
        "http://localhost:3000/api/auth/error?error=Configuration"
    );
    assert!(browser.jar.get(SESSION).is_none());
    // LG-03: the error page shows the code's generic text, never the callback's message.
    let response = browser.get("/api/auth/error?error=Configuration").await;
    response.assert_status(StatusCode::INTERNAL_SERVER_ERROR);
    let page = response.0.into_body().into_string().await.unwrap();
    assert!(!page.contains("database down"), "{page}");
}

/// OA-14, RD-01
#[tokio::test]
async fn sign_in_callback_url_to_a_foreign_origin_leads_home() {
    let mut browser = Browser::new(app(&auth()));
    for (requested, expected) in [
        ("https://evil.example/x", "http://localhost:3000/"),
        ("//evil.example", "http://localhost:3000/"),
        ("javascript:alert(1)", "http://localhost:3000/"),
        ("https://docs.example/guide", "https://docs.example/guide"),
        ("http://localhost:3000/x", "http://localhost:3000/x"),
    ] {
        let response = browser
            .sign_in_to("alice", "correct horse", requested, &[])
            .await;
        assert_eq!(location(&response), expected, "{requested}");
    }
}

#[tokio::test]
async fn callback_url_cookie_is_used_when_the_body_names_none() {
    let mut browser = Browser::new(app(&auth()));
    browser.jar.set(
        "authjs.callback-url",
        "http%3A%2F%2Flocalhost%3A3000%2Fsaved",
    );
    let csrf = browser.csrf_token().await;
    let response = browser
        .post_form(
            "/api/auth/callback/credentials",
            &[
                ("csrfToken", &csrf),
                ("username", "alice"),
                ("password", "correct horse"),
            ],
        )
        .await;
    assert_eq!(location(&response), "http://localhost:3000/saved");
}

/// RD-09, RD-10: through a real sign-in, every hostile `callbackUrl` form (unparsable and huge
/// ones included) leads home, as a 302 and in the JSON form alike, never a 5xx.
#[tokio::test]
async fn hostile_callback_urls_lead_home_as_redirects_and_as_json() {
    let huge = format!("https://app.example/{}", "a".repeat(10_000));
    let hostile = [
        "//evil.example",
        "/\\evil.example",
        "/\t/evil.example",
        "JaVaScRiPt:alert(1)",
        "data:text/html,x",
        "%2F%2Fevil.example",
        "/%5Cevil.example",
        "https://localhost:3000@evil.example",
        "http://localhost:3000.evil.example",
        "https://docs.example.evil",
        "http://[::1",
        "https://%zz",
        huge.as_str(),
    ];
    let mut browser = Browser::new(app(&auth()));
    for requested in hostile {
        for json in [false, true] {
            let headers: &[(&'static str, &str)] = if json {
                &[("X-Auth-Return-Redirect", "1")]
            } else {
                &[]
            };
            let response = browser
                .sign_in_to("alice", "correct horse", requested, headers)
                .await;
            let shown = &requested[..requested.len().min(40)];
            if json {
                response.assert_status_is_ok();
                assert_eq!(
                    body_json(response).await,
                    json!({ "url": "http://localhost:3000/" }),
                    "{shown}"
                );
            } else {
                response.assert_status(StatusCode::FOUND);
                assert_eq!(location(&response), "http://localhost:3000/", "{shown}");
            }
        }
    }
}

#[tokio::test]
async fn return_redirect_header_answers_json_with_the_same_cookies() {
    let mut browser = Browser::new(app(&auth()));
    let response = browser
        .sign_in_to(
            "alice",
            "correct horse",
            "https://evil.example/",
            &[("X-Auth-Return-Redirect", "1")],
        )
        .await;
    response.assert_status_is_ok();
    assert!(set_cookies(&response)[0].starts_with("authjs.session-token="));
    assert_eq!(
        body_json(response).await,
        json!({ "url": "http://localhost:3000/" })
    );

    // Errors too.
    let response = browser
        .post_form_with(
            "/api/auth/callback/credentials",
            &[("username", "alice")],
            &[("X-Auth-Return-Redirect", "1")],
        )
        .await;
    response.assert_status_is_ok();
    assert_eq!(
        body_json(response).await,
        json!({ "url": "http://localhost:3000/api/auth/signin?error=MissingCSRF" })
    );
}

/// CL-08
#[tokio::test]
async fn json_sign_in_body_works_and_duplicate_keys_are_refused() {
    let mut browser = Browser::new(app(&auth()));
    let csrf = browser.csrf_token().await;
    let duplicate = format!(
        r#"{{"csrfToken":"{csrf}","username":"alice","password":"correct horse","username":"root"}}"#
    );
    let response = browser
        .post_json("/api/auth/callback/credentials", &duplicate)
        .await;
    assert!(location(&response).ends_with("error=MissingCSRF"));
    let body = json!({ "csrfToken": csrf, "username": "alice", "password": "correct horse" });
    let response = browser
        .post_json("/api/auth/callback/credentials", &body.to_string())
        .await;
    assert_eq!(location(&response), "http://localhost:3000/");
    assert!(browser.jar.get(SESSION).is_some());
}

/// CS-06
#[tokio::test]
async fn get_callback_for_credentials_is_refused() {
    let mut browser = Browser::new(app(&auth()));
    let response = browser
        .get("/api/auth/callback/credentials?username=alice&password=correct%20horse")
        .await;
    assert_eq!(
        location(&response),
        "http://localhost:3000/api/auth/error?error=Configuration"
    );
    assert!(browser.jar.get(SESSION).is_none());
    let response = browser.get("/api/auth/callback/github").await;
    assert!(location(&response).ends_with("error=Configuration"));
}

/// DS-09
///
/// A form is read before its CSRF token can be checked, so by anyone: reading it must cost
/// time linear in its size. Ten times the distinct names (9,500, a 56 KB body, against 950)
/// may cost about ten times as much; pairwise name comparisons cost a hundred times. Growth
/// within one run, never an absolute time: the best of five interleaved rounds of each.
#[tokio::test]
async fn form_parsing_cost_grows_linearly_with_the_number_of_fields() {
    fn form_of(names: usize) -> String {
        (0..names).map(|index| format!("{index:x}=&")).collect()
    }
    let browser = Browser::new(app(&auth()));
    let (small, large) = (form_of(950), form_of(9_500));
    assert!(
        large.len() < 64 * 1024,
        "under the body cap, so the whole form is parsed"
    );
    let mut best = [std::time::Duration::MAX; 2];
    for _ in 0..5 {
        for (slot, body) in [&small, &large].into_iter().enumerate() {
            let request = browser
                .client
                .post("/api/auth/callback/credentials")
                .content_type("application/x-www-form-urlencoded")
                .body(body.clone());
            let started = std::time::Instant::now();
            let response = request.send().await;
            best[slot] = best[slot].min(started.elapsed());
            assert!(location(&response).ends_with("error=MissingCSRF"));
        }
    }
    let growth = best[1].as_secs_f64() / best[0].as_secs_f64();
    assert!(
        growth < 30.0,
        "10x the fields cost {growth:.1}x the time ({:?} against {:?}): not linear",
        best[1],
        best[0]
    );
}

/// DS-01
#[tokio::test]
async fn oversized_bodies_are_refused_before_parsing() {
    let auth = auth();
    let mut browser = Browser::new(app(&auth));
    let big = "a".repeat(64 * 1024 + 1);
    let response = browser
        .post_form("/api/auth/callback/credentials", &[("username", &big)])
        .await;
    response.assert_status(StatusCode::PAYLOAD_TOO_LARGE);
    let response = browser
        .post_json("/api/auth/session", &format!(r#"{{"x":"{big}"}}"#))
        .await;
    response.assert_status(StatusCode::PAYLOAD_TOO_LARGE);

    // Streamed without a length (chunked), or under a Content-Length that lies low.
    let client = TestClient::new(app(&auth));
    let body = format!(r#"{{"x":"{big}"}}"#).into_bytes();
    let response = client
        .post("/api/auth/session")
        .content_type("application/json")
        .body(poem::Body::from_async_read(std::io::Cursor::new(
            body.clone(),
        )))
        .send()
        .await;
    response.assert_status(StatusCode::PAYLOAD_TOO_LARGE);
    let response = client
        .post("/api/auth/session")
        .content_type("application/json")
        .header(header::CONTENT_LENGTH, "10")
        .body(body)
        .send()
        .await;
    response.assert_status(StatusCode::PAYLOAD_TOO_LARGE);
}

// --- /session -------------------------------------------------------------------------------

#[tokio::test]
async fn session_answers_json_uncached_and_reissues_the_cookie() {
    let auth = auth();
    let mut browser = signed_in_browser(&auth).await;
    let before = decode_jar_token(&auth, &browser.jar);
    let response = browser.get("/api/auth/session").await;
    response.assert_status_is_ok();
    response.assert_header(header::CACHE_CONTROL, "private, no-cache, no-store");
    let cookies = set_cookies(&response);
    assert_eq!(cookies.len(), 1);
    assert!(cookies[0].starts_with("authjs.session-token=eyJ"));
    assert_eq!(
        body_json(response).await,
        json!({
            "user": { "name": "Alice", "email": "alice@example.com", "role": "user" },
            "tenantId": "home",
            "expires": "2026-01-01T01:00:00.000Z",
        })
    );
    let after = decode_jar_token(&auth, &browser.jar);
    assert_ne!(before["jti"], after["jti"], "re-encoded with a fresh jti");
    assert_eq!(after["sub"], "user-1");
}

#[tokio::test]
async fn post_session_without_data_refreshes() {
    let auth = auth();
    let mut browser = signed_in_browser(&auth).await;
    let csrf = browser.csrf_token().await;
    let response = browser
        .post_json(
            "/api/auth/session",
            &json!({ "csrfToken": csrf }).to_string(),
        )
        .await;
    response.assert_status_is_ok();
    response.assert_header(header::CACHE_CONTROL, "private, no-cache, no-store");
    assert_eq!(body_json(response).await["tenantId"], "home");
}

#[tokio::test]
async fn signed_out_session_is_null_and_expires_every_chunk_carried() {
    let mut browser = Browser::new(app(&auth()));
    let response = browser.get("/api/auth/session").await;
    response.assert_status_is_ok();
    response.assert_header(header::CACHE_CONTROL, "private, no-cache, no-store");
    assert!(set_cookies(&response).is_empty());
    assert_eq!(body_json(response).await, Value::Null);

    browser.jar.set(&format!("{SESSION}.0"), "eyJhbGciOiJkaXIi");
    browser.jar.set(&format!("{SESSION}.1"), "garbage");
    let response = browser.get("/api/auth/session").await;
    response.assert_status_is_ok();
    let cookies = set_cookies(&response);
    assert_eq!(
        cookies,
        vec![
            expired_cookie(&format!("{SESSION}.0")),
            expired_cookie(&format!("{SESSION}.1")),
        ]
    );
    assert_eq!(body_json(response).await, Value::Null);
    assert!(browser.jar.0.keys().all(|name| !name.starts_with(SESSION)));
}

/// CF-04
#[tokio::test]
async fn bad_session_cookies_read_as_null_never_as_an_error() {
    let auth = auth();
    let other_secret = Auth::<TestAuth>::builder(state())
        .secrets(Secrets::new(["another-secret-0123456789abcdef0123456789"]).unwrap())
        .public_url(ORIGIN)
        .clock(FixedClock(NOW))
        .build()
        .unwrap();
    let [tampered, expired] = tampered_and_expired_tokens(&auth);
    let cases = [
        "garbage".to_owned(),
        "a.b.c.d.e".to_owned(),
        tampered,
        forge(&other_secret, json!({ "sub": "user-1", "role": "user" })),
        expired,
        // Claims that do not fit the token type: `role` missing, `role` a number.
        forge(&auth, json!({ "sub": "user-1" })),
        forge(&auth, json!({ "sub": "user-1", "role": 7 })),
    ];
    for cookie in cases {
        let mut browser = Browser::new(app(&auth));
        browser.jar.set(SESSION, &cookie);
        let response = browser.get("/api/auth/session").await;
        response.assert_status_is_ok();
        assert_eq!(set_cookies(&response), vec![expired_cookie(SESSION)]);
        assert_eq!(body_json(response).await, Value::Null);
        let response = browser.get("/me").await;
        response.assert_status(StatusCode::UNAUTHORIZED);
    }
}

/// CK-09
#[tokio::test]
async fn tossed_session_cookie_sent_twice_reads_as_signed_out() {
    let auth = auth();
    let token = forge(&auth, json!({ "sub": "user-1", "role": "user" }));
    let client = TestClient::new(app(&auth));
    let response = client
        .get("/api/auth/session")
        .header(
            header::COOKIE,
            format!("{SESSION}={token}; {SESSION}={token}"),
        )
        .send()
        .await;
    response.assert_status_is_ok();
    assert_eq!(body_json(response).await, Value::Null);
}

/// DS-02: a genuine session beside other cookies that take the `Cookie` headers over 16 KiB
/// reads as signed out (`null`, the session cookie expired) and the extractors answer 401.
#[tokio::test]
async fn a_genuine_session_in_cookie_headers_over_16_kib_is_signed_out() {
    let auth = auth();
    let mut browser = Browser::new(app(&auth));
    browser.sign_in("alice", "correct horse").await;
    assert_eq!(
        browser.session().await["user"]["email"],
        "alice@example.com"
    );
    browser.jar.set("pref", &"x".repeat(MAX_COOKIE_HEADER_LEN));
    browser
        .get("/me")
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    let response = browser.get("/api/auth/session").await;
    response.assert_status_is_ok();
    assert_eq!(set_cookies(&response), vec![expired_cookie(SESSION)]);
    assert_eq!(body_json(response).await, Value::Null);
}

/// A foreign cookie with bytes outside ASCII (a UTF-8 value set by script, or raw Latin-1) in
/// the same `Cookie` header as the session: the session is still read, as are the CSRF and
/// callback cookies.
#[tokio::test]
async fn a_foreign_non_ascii_cookie_beside_the_session_signs_nobody_out() {
    let auth = auth();
    let token = forge(&auth, json!({ "sub": "user-1", "role": "user" }));
    let client = TestClient::new(app(&auth));
    for foreign in [&b"pref=caf\xc3\xa9"[..], b"latin=caf\xe9", b"\xff\xfe=x"] {
        let mut cookie = foreign.to_vec();
        cookie.extend_from_slice(format!("; {SESSION}={token}").as_bytes());
        let cookie = header::HeaderValue::from_bytes(&cookie).expect("obs-text is allowed");
        let response = client
            .get("/api/auth/session")
            .header(header::COOKIE, cookie)
            .send()
            .await;
        response.assert_status_is_ok();
        let session = body_json(response).await;
        assert_eq!(
            session["user"]["role"],
            "user",
            "{}",
            String::from_utf8_lossy(foreign)
        );
    }
}

/// CL-07
#[tokio::test]
async fn unknown_claims_are_kept_on_reissue_but_not_shown() {
    let auth = auth();
    let mut browser = Browser::new(app(&auth));
    let token = forge(
        &auth,
        json!({ "sub": "user-1", "role": "user", "nested": { "a": [1, 2] }, "Role": "admin" }),
    );
    browser.jar.set(SESSION, &token);
    let session = browser.session().await;
    assert_eq!(session["user"]["role"], "user");
    assert!(session.get("nested").is_none() && session.get("Role").is_none());
    let claims = decode_jar_token(&auth, &browser.jar);
    assert_eq!(claims["nested"], json!({ "a": [1, 2] }));
    assert_eq!(claims["Role"], "admin");
}

/// CL-06
#[tokio::test]
async fn large_tokens_are_chunked_and_read_back() {
    let auth = auth();
    let mut browser = Browser::new(app(&auth));
    let padding = "x".repeat(6000);
    let token = forge(
        &auth,
        json!({ "sub": "user-1", "role": "user", "padding": padding }),
    );
    browser.jar.set(SESSION, &token);
    let session = browser.session().await;
    assert_eq!(session["user"]["role"], "user");
    assert!(
        browser.jar.get(SESSION).is_none(),
        "the plain cookie was expired"
    );
    assert!(browser.jar.get(&format!("{SESSION}.0")).is_some());
    assert!(browser.jar.get(&format!("{SESSION}.1")).is_some());
    // Read back from the chunks.
    let session = browser.session().await;
    assert_eq!(session["user"]["name"], Value::Null);
    assert_eq!(session["user"]["role"], "user");
}

/// SU-07
#[tokio::test]
async fn jwt_callback_signing_out_on_refresh_answers_null_and_clears() {
    let auth = auth();
    let mut browser = Browser::new(app(&auth));
    let token = forge(
        &auth,
        json!({ "sub": "user-1", "role": "user", "revoked": true }),
    );
    browser.jar.set(SESSION, &token);
    assert_eq!(browser.session().await, Value::Null);
    assert!(browser.jar.get(SESSION).is_none());

    // A session in chunks: every chunk is expired.
    let token = forge(
        &auth,
        json!({ "sub": "user-1", "role": "user", "revoked": true, "blob": "b".repeat(6_000) }),
    );
    let chunks: Vec<&str> = split_into_chunks(&token).collect();
    assert_eq!(chunks.len(), 3);
    let mut browser = Browser::new(app(&auth));
    for (index, chunk) in chunks.iter().enumerate() {
        browser.jar.set(&format!("{SESSION}.{index}"), chunk);
    }
    let response = browser.get("/api/auth/session").await;
    assert_eq!(
        set_cookies(&response),
        (0..3)
            .map(|index| expired_cookie(&format!("{SESSION}.{index}")))
            .collect::<Vec<_>>()
    );
    assert_eq!(body_json(response).await, Value::Null);
    assert!(browser.jar.0.is_empty(), "{:?}", browser.jar.0);
}

// --- POST /session: update ------------------------------------------------------------------

#[tokio::test]
async fn update_to_an_allowed_tenant_switches_it() {
    let state = state();
    let auth = auth_with(state.clone());
    let mut browser = signed_in_browser(&auth).await;
    let response = browser.update(json!({ "tenantId": "acme" })).await;
    response.assert_status_is_ok();
    response.assert_header(header::CACHE_CONTROL, "private, no-cache, no-store");
    assert_eq!(set_cookies(&response).len(), 1);
    assert_eq!(body_json(response).await["tenantId"], "acme");
    assert_eq!(decode_jar_token(&auth, &browser.jar)["tenantId"], "acme");
    assert_eq!(browser.session().await["tenantId"], "acme");
    assert!(state.events.lock().unwrap().contains(&"session_updated"));
}

/// SU-08 (Auth.js pain point 1): a session read sent with the cookie from before an update and
/// answered after it does not write the old claims back; it answers, and re-issues, the
/// updated token.
#[tokio::test]
async fn a_read_with_the_pre_update_cookie_cannot_undo_the_update() {
    let clock = SteppingClock::default();
    let auth = Auth::<TestAuth>::builder(state())
        .secrets(secrets())
        .public_url(ORIGIN)
        .clock(clock.clone())
        .build()
        .unwrap();
    let mut browser = Browser::new(app(&auth));
    browser.sign_in("alice", "correct horse").await;
    let before_update = browser.jar.clone();
    assert_eq!(decode_jar_token(&auth, &before_update)["tenantId"], "home");

    clock.advance(std::time::Duration::from_secs(3));
    browser
        .update(json!({ "tenantId": "acme" }))
        .await
        .assert_status_is_ok();

    // The slow read: sent with the old cookie, answered now.
    let mut slow = Browser::new(app(&auth));
    slow.jar = before_update;
    assert_eq!(slow.session().await["tenantId"], "acme");
    assert_eq!(decode_jar_token(&auth, &slow.jar)["tenantId"], "acme");

    // Once the update is a minute old, the record is gone; nothing else changed.
    clock.advance(std::time::Duration::from_secs(120));
    assert_eq!(browser.session().await["tenantId"], "acme");
}

/// SU-04
#[tokio::test]
async fn update_to_a_foreign_tenant_is_forbidden_and_leaves_the_token_unchanged() {
    let state = state();
    let auth = auth_with(state.clone());
    let mut browser = signed_in_browser(&auth).await;
    let before = browser.jar.get(SESSION).unwrap().to_owned();
    for tenant in ["evil", "ACME", "acme "] {
        let response = browser.update(json!({ "tenantId": tenant })).await;
        response.assert_status(StatusCode::FORBIDDEN);
        assert!(set_cookies(&response).is_empty());
        assert_eq!(body_json(response).await, Value::Null);
    }
    assert_eq!(browser.jar.get(SESSION), Some(before.as_str()));
    assert_eq!(browser.session().await["tenantId"], "home");
    assert!(state.events.lock().unwrap().contains(&"update_refused"));
}

/// SU-01, SU-02: registered claims (`sub`, `exp`, `iat`, `jti`) and `email` are refused
/// outright (400), stricter than ignored.
#[tokio::test]
async fn update_with_a_field_outside_the_whitelist_is_a_bad_request() {
    let auth = auth();
    let mut browser = signed_in_browser(&auth).await;
    let before = browser.jar.get(SESSION).unwrap().to_owned();
    for data in [
        json!({ "role": "admin" }),
        json!({ "tenantId": "acme", "role": "admin" }),
        json!({ "sub": "user-0" }),
        json!({ "exp": 9_999_999_999_i64 }),
        json!({ "iat": 0 }),
        json!({ "jti": "chosen" }),
        json!({ "email": "root@example.com" }),
        json!({ "tenantId": {} }),
        json!("acme"),
    ] {
        let response = browser.update(data.clone()).await;
        response.assert_status(StatusCode::BAD_REQUEST);
        assert!(set_cookies(&response).is_empty(), "{data}");
        assert_eq!(body_json(response).await, Value::Null);
    }
    assert_eq!(browser.jar.get(SESSION), Some(before.as_str()));
    let session = browser.session().await;
    assert_eq!(session["user"]["role"], "user");
    assert_eq!(session["tenantId"], "home");
}

/// SU-05
#[tokio::test]
async fn update_without_the_csrf_token_is_a_bad_request() {
    let auth = auth();
    let mut browser = signed_in_browser(&auth).await;
    let before = browser.jar.get(SESSION).unwrap().to_owned();
    for body in [
        json!({ "data": { "tenantId": "acme" } }),
        json!({ "csrfToken": "0".repeat(64), "data": { "tenantId": "acme" } }),
        json!({ "csrfToken": "", "data": { "tenantId": "acme" } }),
    ] {
        let response = browser
            .post_json("/api/auth/session", &body.to_string())
            .await;
        response.assert_status(StatusCode::BAD_REQUEST);
        assert!(set_cookies(&response).is_empty(), "{body}");
        assert_eq!(body_json(response).await, Value::Null, "{body}");
    }
    assert_eq!(browser.jar.get(SESSION), Some(before.as_str()));
    assert_eq!(browser.session().await["tenantId"], "home");
}

/// CL-08, CL-09
#[tokio::test]
async fn update_body_with_duplicate_keys_is_refused() {
    let auth = auth();
    let mut browser = signed_in_browser(&auth).await;
    let csrf = browser.csrf_token().await;
    let body =
        format!(r#"{{"csrfToken":"{csrf}","data":{{"tenantId":"acme","tenantId":"evil"}}}}"#);
    let response = browser.post_json("/api/auth/session", &body).await;
    response.assert_status(StatusCode::BAD_REQUEST);
    assert_eq!(body_json(response).await, Value::Null);
    let deep = format!(
        r#"{{"csrfToken":"{csrf}","data":{}{}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let response = browser.post_json("/api/auth/session", &deep).await;
    response.assert_status(StatusCode::BAD_REQUEST);
    assert_eq!(browser.session().await["tenantId"], "home");
}

/// SU-06: an update with no session, or with an expired or tampered one, answers `null`, the
/// bad cookie expired, and nothing is updated.
#[tokio::test]
async fn update_when_signed_out_is_null() {
    let state = state();
    let auth = auth_with(state.clone());
    let mut browser = Browser::new(app(&auth));
    let response = browser.update(json!({ "tenantId": "acme" })).await;
    response.assert_status_is_ok();
    assert_eq!(body_json(response).await, Value::Null);

    for cookie in tampered_and_expired_tokens(&auth) {
        let mut browser = Browser::new(app(&auth));
        browser.jar.set(SESSION, &cookie);
        let response = browser.update(json!({ "tenantId": "acme" })).await;
        response.assert_status_is_ok();
        assert_eq!(set_cookies(&response), vec![expired_cookie(SESSION)]);
        assert_eq!(body_json(response).await, Value::Null);
    }
    let events = state.events.lock().unwrap();
    assert!(!events.contains(&"session_updated"), "{events:?}");
}

// --- sign-out -------------------------------------------------------------------------------

#[tokio::test]
async fn sign_out_clears_the_session_cookies_and_redirects() {
    let state = state();
    let auth = auth_with(state.clone());
    let mut browser = signed_in_browser(&auth).await;
    let csrf = browser.csrf_token().await;
    let response = browser
        .post_form(
            "/api/auth/signout",
            &[
                ("csrfToken", &csrf),
                ("callbackUrl", "https://evil.example"),
            ],
        )
        .await;
    response.assert_status(StatusCode::FOUND);
    assert_eq!(location(&response), "http://localhost:3000/");
    // As the sign-in's redirect: not cached, and no referrer leaves with the next request.
    response.assert_header(header::CACHE_CONTROL, "no-store");
    response.assert_header(header::REFERRER_POLICY, "no-referrer");
    assert_eq!(set_cookies(&response), vec![expired_cookie(SESSION)]);
    assert!(browser.jar.get(SESSION).is_none());
    assert_eq!(browser.session().await, Value::Null);
    assert!(state.events.lock().unwrap().contains(&"signed_out"));
}

/// CS-05
#[tokio::test]
async fn sign_out_without_csrf_keeps_the_session() {
    let auth = auth();
    let mut browser = signed_in_browser(&auth).await;
    let response = browser
        .post_form("/api/auth/signout", &[("callbackUrl", "/")])
        .await;
    assert_eq!(
        location(&response),
        "http://localhost:3000/api/auth/signin?error=MissingCSRF"
    );
    assert!(set_cookies(&response).is_empty());
    assert_eq!(browser.session().await["user"]["name"], "Alice");
}

#[tokio::test]
async fn sign_out_with_return_redirect_answers_json() {
    let auth = auth();
    let mut browser = signed_in_browser(&auth).await;
    let csrf = browser.csrf_token().await;
    let response = browser
        .post_form_with(
            "/api/auth/signout",
            &[("csrfToken", &csrf), ("callbackUrl", "/bye")],
            &[("X-Auth-Return-Redirect", "1")],
        )
        .await;
    response.assert_status_is_ok();
    assert_eq!(set_cookies(&response).len(), 1);
    assert_eq!(
        body_json(response).await,
        json!({ "url": "http://localhost:3000/bye" })
    );
    assert!(browser.jar.get(SESSION).is_none());
}

// --- other routes ---------------------------------------------------------------------------

#[tokio::test]
async fn providers_lists_the_credentials_provider() {
    let mut browser = Browser::new(app(&auth()));
    let response = browser.get("/api/auth/providers").await;
    response.assert_status_is_ok();
    assert_eq!(
        body_json(response).await,
        json!({
            "credentials": {
                "id": "credentials",
                "name": "Credentials",
                "type": "credentials",
                "signinUrl": "http://localhost:3000/api/auth/signin/credentials",
                "callbackUrl": "http://localhost:3000/api/auth/callback/credentials",
            }
        })
    );
}

#[tokio::test]
async fn unknown_routes_answer_bad_request() {
    let auth = auth();
    for (how, app) in [
        ("nested", app(&auth).map_to_response().boxed()),
        ("mounted", mounted_app(&auth).map_to_response().boxed()),
    ] {
        let mut browser = Browser::new(app);
        for path in [
            "/api/auth",
            "/api/auth/",
            "/api/auth/nope",
            "/api/auth/session/extra",
            "/api/auth/signin/credentials/extra",
        ] {
            let response = browser.get(path).await;
            response.assert_status(StatusCode::BAD_REQUEST);
            assert_eq!(
                body_json(response).await,
                json!("Bad request."),
                "{how}: {path}"
            );
        }
        for path in ["/api/auth/csrf", "/api/auth/signin", "/api/auth/error"] {
            let response = browser.post_form(path, &[]).await;
            response.assert_status(StatusCode::BAD_REQUEST);
        }
    }
}

/// `Auth::mount` serves the routes `nest` does: a sign-in, the session, an update and a
/// sign-out answer the same, cookies included.
#[tokio::test]
async fn mounted_routes_answer_as_nested_ones() {
    let auth = auth();
    let mut transcripts = Vec::new();
    for app in [
        app(&auth).map_to_response().boxed(),
        mounted_app(&auth).map_to_response().boxed(),
    ] {
        let mut browser = Browser::new(app);
        let mut transcript = Vec::new();
        let providers = browser.get("/api/auth/providers").await;
        transcript.push(body_json(providers).await);
        let signed_in = browser.sign_in("alice", "correct horse").await;
        signed_in.assert_status(StatusCode::FOUND);
        transcript.push(browser.session().await);
        let updated = browser.update(json!({ "tenantId": "acme" })).await;
        transcript.push(body_json(updated).await);
        let own = browser.get("/me").await;
        transcript.push(body_json(own).await);
        let csrf = browser.csrf_token().await;
        let signed_out = browser
            .post_form("/api/auth/signout", &[("csrfToken", csrf.as_str())])
            .await;
        signed_out.assert_status(StatusCode::FOUND);
        transcript.push(browser.session().await);
        transcripts.push(transcript);
    }
    assert_eq!(transcripts[0][1]["user"]["email"], "alice@example.com");
    assert_eq!(transcripts[0][2]["tenantId"], "acme", "updated");
    assert_eq!(transcripts[0][4], Value::Null, "signed out");
    assert_eq!(transcripts[0], transcripts[1]);
}

/// CS-01, CS-06: `/signin/<provider>` is an action only as a POST with the CSRF token; a GET
/// sets nothing and is a `Configuration` error, as in Auth.js.
#[tokio::test]
async fn signin_provider_route_is_a_csrf_checked_post_only() {
    let mut browser = Browser::new(app(&auth()));
    let response = browser.get("/api/auth/signin/credentials").await;
    response.assert_status(StatusCode::FOUND);
    assert!(location(&response).ends_with("/api/auth/error?error=Configuration"));
    assert!(set_cookies(&response).is_empty());

    let response = browser.post_form("/api/auth/signin/credentials", &[]).await;
    assert!(location(&response).ends_with("/api/auth/signin?error=MissingCSRF"));

    let csrf = browser.csrf_token().await;
    let response = browser
        .post_form(
            "/api/auth/signin/credentials",
            &[("csrfToken", &csrf), ("callbackUrl", "/dashboard")],
        )
        .await;
    response.assert_status(StatusCode::FOUND);
    assert_eq!(
        location(&response),
        "http://localhost:3000/api/auth/signin?callbackUrl=http%3A%2F%2Flocalhost%3A3000%2Fdashboard"
    );

    let response = browser
        .post_form("/api/auth/signin/github", &[("csrfToken", &csrf)])
        .await;
    assert!(location(&response).ends_with("/api/auth/error?error=Configuration"));
}

// --- extractor and guard --------------------------------------------------------------------

#[tokio::test]
async fn guard_answers_401_signed_out_403_without_the_role_and_passes_admins() {
    let auth = auth();
    let mut browser = Browser::new(app(&auth));
    let response = browser.get("/admin").await;
    response.assert_status(StatusCode::UNAUTHORIZED);
    assert_eq!(
        body_json(response).await,
        json!({ "error": "unauthorized" })
    );

    browser.sign_in("alice", "correct horse").await;
    let response = browser.get("/admin").await;
    response.assert_status(StatusCode::FORBIDDEN);
    assert_eq!(body_json(response).await, json!({ "error": "forbidden" }));

    let mut root = Browser::new(app(&auth));
    root.sign_in("root", "root password").await;
    let response = root.get("/admin").await;
    response.assert_status_is_ok();
    response.assert_text("admin area").await;
}

#[tokio::test]
async fn session_extractor_answers_401_signed_out_and_option_reads_none() {
    let auth = auth();
    let mut browser = Browser::new(app(&auth));
    let response = browser.get("/me").await;
    response.assert_status(StatusCode::UNAUTHORIZED);
    assert_eq!(
        body_json(response).await,
        json!({ "error": "unauthorized" })
    );
    browser.get("/maybe").await.assert_text("signed out").await;

    browser.sign_in("alice", "correct horse").await;
    let response = browser.get("/me").await;
    response.assert_status_is_ok();
    assert_eq!(
        body_json(response).await,
        json!({ "sub": "user-1", "role": "user" })
    );
    browser
        .get("/maybe")
        .await
        .assert_text("signed in as user-1")
        .await;
}

/// `into_session` hands over the session `/session` answers; `into_parts` the same session
/// and the token the middleware decoded.
#[tokio::test]
async fn session_extractor_parts_are_the_session_and_the_token() {
    #[poem::handler]
    fn taken(session: Session<TestAuth>) -> poem::web::Json<TestSession> {
        poem::web::Json(session.into_session())
    }
    #[poem::handler]
    fn apart(session: Session<TestAuth>) -> poem::web::Json<Value> {
        let (session, token) = session.into_parts();
        poem::web::Json(json!({ "session": session, "sub": token.sub, "role": token.role }))
    }
    let auth = auth();
    let endpoint = Route::new()
        .nest(TestAuth::BASE_PATH, auth.routes())
        .at("/whole", get(taken))
        .at("/parts", get(apart))
        .with(auth.middleware());
    let mut browser = Browser::new(endpoint);
    browser.sign_in("alice", "correct horse").await;
    let served = browser.session().await;
    let whole = browser.get("/whole").await;
    whole.assert_status_is_ok();
    assert_eq!(body_json(whole).await, served);
    let parts = browser.get("/parts").await;
    assert_eq!(
        body_json(parts).await,
        json!({ "session": served, "sub": "user-1", "role": "user" })
    );
}

#[tokio::test]
async fn extractor_without_the_middleware_is_a_500_naming_it_unless_auth_is_data() {
    let auth = auth();
    let mut signed_in = signed_in_browser(&auth).await;

    let bare = TestClient::new(Route::new().at("/me", get(me)));
    let response = bare
        .get("/me")
        .header(header::COOKIE, signed_in.jar.header())
        .send()
        .await;
    response.assert_status(StatusCode::INTERNAL_SERVER_ERROR);
    let text = response.0.into_body().into_string().await.unwrap();
    assert!(text.contains("server_misconfigured"), "{text}");

    let guarded = TestClient::new(Route::new().at("/admin", get(admin).with(require_admin())));
    guarded
        .get("/admin")
        .send()
        .await
        .assert_status(StatusCode::INTERNAL_SERVER_ERROR);

    // Given as data, the cookie is decoded on the spot.
    let with_data = TestClient::new(Route::new().at("/me", get(me)).data(auth.clone()));
    let response = with_data
        .get("/me")
        .header(header::COOKIE, signed_in.jar.header())
        .send()
        .await;
    response.assert_status_is_ok();
    assert_eq!(body_json(response).await["sub"], "user-1");
    signed_in.get("/me").await.assert_status_is_ok();
}

// --- configuration --------------------------------------------------------------------------

#[test]
fn configuration_mistakes_fail_at_build_time() {
    let build = |url: &str| {
        Auth::<TestAuth>::builder(state())
            .secrets(secrets())
            .public_url(url)
            .build()
            .map(|_| ())
    };
    assert!(build("https://app.example").is_ok());
    assert!(build("https://app.example/api/auth").is_ok());
    for bad in [
        "app.example",
        "ftp://app.example",
        "https://user@app.example",
        "https://app.example/other",
        "https://app.example/?x=1",
    ] {
        assert!(build(bad).is_err(), "{bad}");
    }
    let missing_secret = Auth::<TestAuth>::builder(state()).build().map(|_| ());
    assert_eq!(
        missing_secret.unwrap_err().to_string(),
        "no secret configured: set AUTH_SECRET"
    );
    let bad_origin = Auth::<TestAuth>::builder(state())
        .secrets(secrets())
        .redirect_origins(["https://docs.example/path"])
        .build()
        .map(|_| ());
    assert!(bad_origin.is_err());
}

#[test]
fn default_public_url_is_loopback_http() {
    let auth = Auth::<TestAuth>::builder(state())
        .secrets(secrets())
        .build()
        .unwrap();
    assert_eq!(auth.origin().as_str(), "http://127.0.0.1:3000");
    assert_eq!(auth.names(), &CookieNames::HTTP);
}

/// LG-02
#[test]
fn debug_output_of_the_configuration_holds_no_secret() {
    let auth = auth();
    let printed = format!("{auth:?} {:?}", auth.middleware());
    assert!(!printed.contains(SECRET), "{printed}");
    assert!(!printed.contains("k3J9"), "{printed}");
    assert!(printed.contains("http://localhost:3000"), "{printed}");
}

/// RD-10
#[tokio::test]
async fn spoofed_host_headers_do_not_move_the_origin() {
    let mut browser = Browser::new(app(&auth()));
    let csrf = browser.csrf_token().await;
    let response = browser
        .post_form_with(
            "/api/auth/callback/credentials",
            &[
                ("csrfToken", &csrf),
                ("username", "alice"),
                ("password", "correct horse"),
                ("callbackUrl", "https://evil.example/x"),
            ],
            &[
                ("host", "evil.example"),
                ("x-forwarded-host", "evil.example"),
                ("x-forwarded-proto", "https"),
                ("X-Auth-Return-Redirect", "1"),
            ],
        )
        .await;
    assert_eq!(
        body_json(response).await,
        json!({ "url": "http://localhost:3000/" })
    );
}

/// CS-03
#[tokio::test]
async fn csrf_cookie_made_with_a_foreign_secret_does_not_verify() {
    let mut browser = Browser::new(app(&auth()));
    let foreign = Secrets::new(["another-secret-0123456789abcdef0123456789"]).unwrap();
    let token = auth_runtime::CsrfToken::generate();
    let value = token.cookie_value(&foreign).replace('|', "%7C");
    browser.jar.set("authjs.csrf-token", &value);
    let response = browser
        .post_form(
            "/api/auth/callback/credentials",
            &[
                ("csrfToken", token.as_str()),
                ("username", "alice"),
                ("password", "correct horse"),
            ],
        )
        .await;
    assert!(location(&response).ends_with("/signin?error=MissingCSRF"));
    assert!(browser.jar.get(SESSION).is_none());
}

/// CK-04
#[tokio::test]
async fn plain_session_cookie_beside_a_chunk_is_signed_out_and_both_expired() {
    let auth = auth();
    let token = forge(&auth, json!({ "sub": "user-1", "role": "user" }));
    let mut browser = Browser::new(app(&auth));
    browser.jar.set(SESSION, &token);
    browser.jar.set(&format!("{SESSION}.0"), &token);
    let response = browser.get("/api/auth/session").await;
    assert_eq!(set_cookies(&response).len(), 2);
    assert_eq!(body_json(response).await, Value::Null);
    assert!(browser.jar.0.keys().all(|name| !name.starts_with(SESSION)));
}
