//! CK-10 at the routes: callback URLs holding CR, LF, `;` or `,`. A binary of its own, so
//! that its sign-ins never share the CPU with `poem_routes`'s timing test (DS-09).
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

mod support;

use auth_runtime::CookieNames;
use poem::http::StatusCode;

use support::*;

/// CK-10, as it applies here: the runtime never writes `authjs.callback-url` (README, "Callback
/// URL cookie"), so there is no cookie value to percent-encode. A `callbackUrl` holding CR, LF,
/// `;` or `,`, in the sign-in form, in the query of the sign-in page or of `/csrf`, or in a
/// callback-url cookie Auth.js set, writes no such cookie, adds no header and no cookie of its
/// own, and reaches `Location` (or the JSON `url`) without a raw CR or LF.
#[tokio::test]
async fn ck_10_callback_urls_with_cr_lf_semicolons_or_commas_inject_no_header_or_cookie() {
    let hostile = [
        "http://localhost:3000/a\r\nSet-Cookie: injected=1",
        "/a\nLocation: https://evil.example",
        "/a\rX-Injected: 1",
        "/a;injected=1,b=2",
        "http://localhost:3000/a;Path=/,injected=1",
        "/a%0D%0ASet-Cookie:%20injected=1",
    ];
    let own_cookies = [SESSION, CookieNames::HTTP.csrf];
    let no_injection = |response: &poem::test::TestResponse, shown: &str| {
        assert!(
            !response.0.status().is_server_error(),
            "{shown}: {}",
            response.0.status()
        );
        for (name, value) in response.0.headers() {
            assert!(
                !name.as_str().contains("injected"),
                "{shown}: header {name}"
            );
            let value = String::from_utf8_lossy(value.as_bytes());
            assert!(!value.contains(['\r', '\n']), "{shown}: {name}: {value:?}");
        }
        for line in set_cookies(response) {
            let name = line.split('=').next().unwrap();
            assert!(own_cookies.contains(&name), "{shown}: wrote {line}");
            assert!(!line.contains("injected"), "{shown}: {line}");
        }
    };
    for requested in hostile {
        let shown = requested.escape_debug().to_string();
        for json in [false, true] {
            let mut browser = Browser::new(app(&auth()));
            let headers: &[(&'static str, &str)] = if json {
                &[("X-Auth-Return-Redirect", "1")]
            } else {
                &[]
            };
            let response = browser
                .sign_in_to("alice", "correct horse", requested, headers)
                .await;
            no_injection(&response, &shown);
            let target = if json {
                response.assert_status_is_ok();
                let body = body_json(response).await;
                body["url"].as_str().unwrap().to_owned()
            } else {
                response.assert_status(StatusCode::FOUND);
                location(&response)
            };
            assert!(!target.contains(['\r', '\n']), "{shown}: {target:?}");
            assert!(browser.jar.get(SESSION).is_some(), "{shown}: signed in");
        }
        // The sign-in page and `/csrf` with it in the query, as Auth.js would set the cookie.
        let query: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("callbackUrl", requested)
            .finish();
        let mut browser = Browser::new(app(&auth()));
        for path in ["/api/auth/signin", "/api/auth/csrf"] {
            let response = browser.get(&format!("{path}?{query}")).await;
            response.assert_status_is_ok();
            no_injection(&response, &shown);
        }
        // In a callback-url cookie written by Auth.js on the same site (percent-encoded, as
        // it writes it), read when the form names none.
        let mut browser = Browser::new(app(&auth()));
        let cookie: String =
            percent_encoding::utf8_percent_encode(requested, percent_encoding::NON_ALPHANUMERIC)
                .to_string();
        browser.jar.set("authjs.callback-url", &cookie);
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
        response.assert_status(StatusCode::FOUND);
        no_injection(&response, &shown);
        assert!(!location(&response).contains(['\r', '\n']), "{shown}");
    }
}
