//! The built-in sign-in, sign-out and error pages through `TestClient`: forms, CSRF, escaping
//! and no echo of request values (OA-12, RD), security headers, and the redirects to custom
//! pages.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

#[macro_use]
mod support;

use auth_runtime::Auth;
use poem::http::{StatusCode, header};
use poem::test::TestResponse;
use serde_json::{Value, json};

use support::*;

async fn html(response: TestResponse) -> String {
    response.0.into_body().into_string().await.unwrap()
}

/// The `value` of the hidden input `name` in `html`.
fn hidden_value(html: &str, name: &str) -> String {
    let marker = format!("<input type=\"hidden\" name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in {html}"))
        + marker.len();
    let end = start + html[start..].find('"').unwrap();
    html[start..end].to_owned()
}

fn assert_page_headers(response: &TestResponse) {
    let headers = response.0.headers();
    let get = |name: header::HeaderName| {
        headers
            .get(&name)
            .unwrap_or_else(|| panic!("no {name}"))
            .to_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(get(header::CONTENT_TYPE), "text/html; charset=utf-8");
    assert_eq!(get(header::CACHE_CONTROL), "no-store");
    assert_eq!(get(header::REFERRER_POLICY), "no-referrer");
    assert_eq!(get(header::X_FRAME_OPTIONS), "DENY");
    assert_eq!(get(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    let policy = get(header::CONTENT_SECURITY_POLICY);
    assert!(
        policy.starts_with("default-src 'none'; style-src 'sha256-"),
        "{policy}"
    );
    assert!(
        policy.contains("form-action 'self' http://localhost:3000 https://docs.example;"),
        "{policy}"
    );
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert!(!policy.contains("script-src"), "{policy}");
}

// --- sign-in --------------------------------------------------------------------------------

#[tokio::test]
async fn sign_in_page_lists_providers_with_a_csrf_field_and_sets_the_cookie() {
    let mut browser = Browser::new(app(&auth()));
    let response = browser.get("/api/auth/signin").await;
    response.assert_status_is_ok();
    assert_page_headers(&response);
    let cookies = set_cookies(&response);
    assert_eq!(cookies.len(), 1);
    assert!(
        cookies[0].starts_with("authjs.csrf-token="),
        "{}",
        cookies[0]
    );
    let page = html(response).await;
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<h1>Sign in</h1>"));
    assert!(page.contains(
        "<form method=\"post\" action=\"http://localhost:3000/api/auth/callback/credentials\">"
    ));
    assert!(page.contains("<button type=\"submit\">Sign in with Credentials</button>"));
    assert!(!page.contains("<script"));
    let token = hidden_value(&page, "csrfToken");
    assert_eq!(token.len(), 64);
    let cookie = browser.jar.get("authjs.csrf-token").unwrap();
    assert!(cookie.starts_with(&format!("{token}%7C")));
    assert!(!page.contains("name=\"callbackUrl\""), "none asked for");

    // With a valid cookie: the same token, no new cookie.
    let again = browser.get("/api/auth/signin").await;
    assert!(set_cookies(&again).is_empty());
    assert_eq!(hidden_value(&html(again).await, "csrfToken"), token);
}

#[tokio::test]
async fn sign_in_fields_have_the_right_types() {
    let mut browser = Browser::new(app(&auth()));
    let page = html(browser.get("/api/auth/signin").await).await;
    assert!(page.contains("<label for=\"credentials-username\">Username</label>"));
    assert!(page.contains(
        "<input id=\"credentials-username\" name=\"username\" type=\"text\" \
         autocomplete=\"username\">"
    ));
    assert!(page.contains(
        "<input id=\"credentials-password\" name=\"password\" type=\"password\" \
         autocomplete=\"current-password\">"
    ));
}

#[tokio::test]
async fn the_sign_in_form_as_rendered_signs_in() {
    let auth = auth();
    let mut browser = Browser::new(app(&auth));
    let page = html(
        browser
            .get("/api/auth/signin?callbackUrl=%2Fdashboard")
            .await,
    )
    .await;
    let csrf = hidden_value(&page, "csrfToken");
    let callback_url = hidden_value(&page, "callbackUrl");
    assert_eq!(callback_url, "http://localhost:3000/dashboard");
    let response = browser
        .post_form(
            "/api/auth/callback/credentials",
            &[
                ("csrfToken", &csrf),
                ("callbackUrl", &callback_url),
                ("username", "alice"),
                ("password", "correct horse"),
            ],
        )
        .await;
    assert_eq!(location(&response), "http://localhost:3000/dashboard");
    assert_eq!(browser.session().await["user"]["name"], "Alice");
}

#[tokio::test]
async fn sign_in_errors_show_fixed_messages() {
    let mut browser = Browser::new(app(&auth()));
    for (code, message) in [
        (
            "CredentialsSignin",
            "Sign in failed. Check the details you provided are correct.",
        ),
        ("RateLimited", "Too many attempts. Try again later."),
        ("MissingCSRF", "The sign-in form expired. Please try again."),
        ("AccessDenied", "You do not have permission to sign in."),
    ] {
        let response = browser
            .get(&format!("/api/auth/signin?error={code}&code=credentials"))
            .await;
        response.assert_status_is_ok();
        let page = html(response).await;
        assert!(
            page.contains(&format!("<p class=\"error\" role=\"alert\">{message}</p>")),
            "{code}: {page}"
        );
    }
}

#[tokio::test]
async fn sign_in_page_echoes_no_error_code_or_query_value() {
    let mut browser = Browser::new(app(&auth()));
    for query in [
        "error=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "error=SomethingUnknown",
        "error=CredentialsSignin%22%3E%3Cscript%3E",
        "error=x&callbackUrl=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "callbackUrl=javascript%3Aalert(1)&error=%27onmouseover%3Dalert(1)",
    ] {
        let page = html(browser.get(&format!("/api/auth/signin?{query}")).await).await;
        assert!(!page.contains("<script"), "{query}: {page}");
        assert!(!page.contains("alert(1)"), "{query}: {page}");
        assert!(!page.contains("SomethingUnknown"), "{query}");
        assert!(!page.contains("onmouseover"), "{query}");
        assert!(page.contains("Unable to sign in."), "{query}");
    }
}

#[tokio::test]
async fn a_foreign_callback_url_is_not_put_in_the_form() {
    let mut browser = Browser::new(app(&auth()));
    for requested in [
        "https%3A%2F%2Fevil.example",
        "%2F%2Fevil.example",
        "https%3A%2F%2Flocalhost%3A3000%40evil.example",
    ] {
        let page = html(
            browser
                .get(&format!("/api/auth/signin?callbackUrl={requested}"))
                .await,
        )
        .await;
        assert!(!page.contains("evil.example"), "{requested}");
        assert_eq!(hidden_value(&page, "callbackUrl"), "http://localhost:3000/");
    }
    let page = html(
        browser
            .get("/api/auth/signin?callbackUrl=https%3A%2F%2Fdocs.example%2Fguide")
            .await,
    )
    .await;
    assert_eq!(
        hidden_value(&page, "callbackUrl"),
        "https://docs.example/guide"
    );
}

// --- sign-out -------------------------------------------------------------------------------

/// CS-06
#[tokio::test]
async fn sign_out_page_has_a_post_form_with_csrf_and_get_does_not_sign_out() {
    let state = state();
    let auth = auth_with(state.clone());
    let mut browser = signed_in_browser(&auth).await;
    let response = browser.get("/api/auth/signout?callbackUrl=%2Fbye").await;
    response.assert_status_is_ok();
    assert_page_headers(&response);
    assert!(
        set_cookies(&response)
            .iter()
            .all(|cookie| !cookie.starts_with(SESSION)),
        "GET expires no session cookie"
    );
    let page = html(response).await;
    assert!(page.contains("Are you sure you want to sign out?"));
    assert!(
        page.contains("<form method=\"post\" action=\"http://localhost:3000/api/auth/signout\">")
    );
    assert_eq!(
        hidden_value(&page, "callbackUrl"),
        "http://localhost:3000/bye"
    );
    let csrf = hidden_value(&page, "csrfToken");
    assert_eq!(browser.session().await["user"]["name"], "Alice");
    assert!(!state.events.lock().unwrap().contains(&"signed_out"));

    let response = browser
        .post_form(
            "/api/auth/signout",
            &[
                ("csrfToken", &csrf),
                ("callbackUrl", "http://localhost:3000/bye"),
            ],
        )
        .await;
    assert_eq!(location(&response), "http://localhost:3000/bye");
    assert_eq!(browser.session().await, Value::Null);
}

#[tokio::test]
async fn sign_out_page_sets_a_csrf_cookie_when_missing() {
    let mut browser = Browser::new(app(&auth()));
    let response = browser.get("/api/auth/signout").await;
    let cookies = set_cookies(&response);
    assert_eq!(cookies.len(), 1);
    assert!(cookies[0].starts_with("authjs.csrf-token="));
    let page = html(response).await;
    assert!(!page.contains("name=\"callbackUrl\""));
    let token = hidden_value(&page, "csrfToken");
    assert!(
        browser
            .jar
            .get("authjs.csrf-token")
            .unwrap()
            .starts_with(&token)
    );
}

// --- error ----------------------------------------------------------------------------------

/// LG-05
#[tokio::test]
async fn error_page_statuses_follow_the_code() {
    let mut browser = Browser::new(app(&auth()));
    for (query, status, heading) in [
        ("error=Configuration", 500, "Server error"),
        ("error=AccessDenied", 403, "Access denied"),
        ("error=Verification", 403, "Unable to sign in"),
        ("error=RateLimited", 429, "Too many attempts"),
        ("error=CredentialsSignin", 200, "Error"),
        ("error=Unknown", 200, "Error"),
        ("", 200, "Error"),
    ] {
        let response = browser.get(&format!("/api/auth/error?{query}")).await;
        response.assert_status(StatusCode::from_u16(status).unwrap());
        assert_page_headers(&response);
        let page = html(response).await;
        assert!(
            page.contains(&format!("<h1>{heading}</h1>")),
            "{query}: {page}"
        );
        assert!(
            page.contains("<a href=\"http://localhost:3000/api/auth/signin\">Sign in</a>"),
            "{query}"
        );
    }
}

#[tokio::test]
async fn oa12_error_page_echoes_nothing_it_was_given() {
    let mut browser = Browser::new(app(&auth()));
    for query in [
        "error=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "error=Configuration%3Cscript%3E",
        "error=AccessDenied&error_description=%3Cb%3Eyou%20were%20hacked%3C%2Fb%3E",
        "error=Unknown%22%20onload%3D%22alert(1)",
    ] {
        let response = browser.get(&format!("/api/auth/error?{query}")).await;
        let page = html(response).await;
        assert!(!page.contains("<script"), "{query}");
        assert!(!page.contains("alert(1)"), "{query}");
        assert!(!page.contains("hacked"), "{query}");
        assert!(!page.contains("Unknown"), "{query}");
    }
}

// --- custom pages ---------------------------------------------------------------------------

fn custom_auth() -> Auth<CustomPagesAuth> {
    builder::<CustomPagesAuth>(state()).build().unwrap()
}

#[tokio::test]
async fn custom_pages_are_redirected_to_with_checked_parameters() {
    let mut browser = Browser::new(auth_app(&custom_auth()));
    for (path, expected) in [
        ("/api/auth/signin", "http://localhost:3000/login"),
        (
            "/api/auth/signin?callbackUrl=%2Fx&error=CredentialsSignin",
            "http://localhost:3000/login?callbackUrl=http%3A%2F%2Flocalhost%3A3000%2Fx\
             &error=CredentialsSignin",
        ),
        (
            "/api/auth/signin?callbackUrl=https%3A%2F%2Fevil.example&error=%3Cscript%3E",
            "http://localhost:3000/login?callbackUrl=http%3A%2F%2Flocalhost%3A3000%2F",
        ),
        (
            "/api/auth/signout?callbackUrl=%2Fbye",
            "http://localhost:3000/logout?from=auth\
             &callbackUrl=http%3A%2F%2Flocalhost%3A3000%2Fbye",
        ),
        ("/api/auth/error", "http://localhost:3000/oops"),
        (
            "/api/auth/error?error=AccessDenied",
            "http://localhost:3000/oops?error=AccessDenied",
        ),
        (
            "/api/auth/error?error=%3Cscript%3E",
            "http://localhost:3000/oops?error=Configuration",
        ),
    ] {
        let response = browser.get(path).await;
        response.assert_status(StatusCode::FOUND);
        assert_eq!(location(&response), expected, "{path}");
        assert!(set_cookies(&response).is_empty(), "{path}");
        response.assert_header(header::REFERRER_POLICY, "no-referrer");
    }
}

#[tokio::test]
async fn errors_redirect_to_the_custom_pages() {
    let mut browser = Browser::new(auth_app(&custom_auth()));
    let response = browser.sign_in("alice", "wrong").await;
    assert_eq!(
        location(&response),
        "http://localhost:3000/login?error=CredentialsSignin&code=credentials"
    );
    let response = browser
        .post_form("/api/auth/callback/credentials", &[("username", "alice")])
        .await;
    assert_eq!(
        location(&response),
        "http://localhost:3000/login?error=MissingCSRF"
    );
    let response = browser.sign_in("banned", "banned").await;
    assert_eq!(
        location(&response),
        "http://localhost:3000/oops?error=AccessDenied"
    );
    let response = browser
        .post_form_with("/api/auth/signout", &[], &[("X-Auth-Return-Redirect", "1")])
        .await;
    assert_eq!(
        body_json(response).await,
        json!({ "url": "http://localhost:3000/login?error=MissingCSRF" })
    );
}

test_schema!(
    ForeignSignInPage,
    pages = Pages {
        sign_in: Some("//evil.example/login"),
        sign_out: None,
        error: None,
    },
    rate_limit = None
);
test_schema!(
    AbsoluteErrorPage,
    pages = Pages {
        sign_in: None,
        sign_out: None,
        error: Some("https://evil.example/error"),
    },
    rate_limit = None
);
test_schema!(
    LoopingSignInPage,
    pages = Pages {
        sign_in: Some("/api/auth/signin"),
        sign_out: None,
        error: None,
    },
    rate_limit = None
);
test_schema!(
    EscapingSignOutPage,
    pages = Pages {
        sign_in: None,
        sign_out: Some("/%2F%2Fevil.example"),
        error: None,
    },
    rate_limit = None
);

#[test]
fn custom_pages_off_this_site_fail_at_build_time() {
    let errors = [
        builder::<ForeignSignInPage>(state()).build().map(|_| ()),
        builder::<AbsoluteErrorPage>(state()).build().map(|_| ()),
        builder::<LoopingSignInPage>(state()).build().map(|_| ()),
        builder::<EscapingSignOutPage>(state()).build().map(|_| ()),
    ];
    for result in errors {
        let error = result.unwrap_err().to_string();
        assert!(
            error.starts_with("invalid configuration: the custom"),
            "{error}"
        );
    }
}
