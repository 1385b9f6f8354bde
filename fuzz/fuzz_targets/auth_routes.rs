//! Every auth route and the demo's own routes with arbitrary requests (method, route, path
//! suffix, query, `Cookie` header, `X-Forwarded-For`, form or JSON body), through the demo
//! application as it serves: never a panic, never a 5xx. The fuzzer may add a valid CSRF
//! pair (reaching sign-in, sign-out and update bodies past their CSRF check) and a signed-in
//! admin's session (reaching update bodies and the guarded routes); the OAuth callbacks are
//! reached through the demo's GitHub provider, pointed at loopback endpoints it never calls
//! before the check cookies pass; `Authorization` headers reach the bearer path.
#![no_main]

#[path = "../../examples/demo/app.rs"]
#[allow(dead_code, reason = "the demo's binary uses the rest")]
mod app;

use std::sync::LazyLock;

use arbitrary::Arbitrary;
use auth_runtime::{Auth, CsrfToken, OidcClientCredentials, Secrets};
use libfuzzer_sys::fuzz_target;
use poem::endpoint::BoxEndpoint;
use poem::http::{Method, header};
use poem::{Body, Endpoint, EndpointExt as _, Request};

const SECRET: &str = "fuzz-secret-0123456789abcdef0123456789";
const ORIGIN: &str = "http://127.0.0.1:3000";

const ROUTES: &[&str] = &[
    "/api/auth/session",
    "/api/auth/csrf",
    "/api/auth/providers",
    "/api/auth/signin",
    "/api/auth/signin/credentials",
    "/api/auth/signin/github",
    "/api/auth/callback/credentials",
    "/api/auth/callback/github",
    "/api/auth/signout",
    "/api/auth/error",
    "/api/me",
    "/api/admin",
    "/api/posts",
    "/api/ping",
    "/",
];

#[derive(Arbitrary, Debug)]
struct Input {
    post: bool,
    route: u8,
    suffix: String,
    query: String,
    cookie: Vec<u8>,
    forwarded: String,
    /// Sent as `Authorization: Bearer <this>` (a malformed one must read as signed out).
    bearer: Option<String>,
    json: bool,
    body: Vec<u8>,
    with_csrf: bool,
    with_session: bool,
    return_redirect: bool,
}

struct Fixture {
    runtime: tokio::runtime::Runtime,
    app: BoxEndpoint<'static, poem::Response>,
    csrf_token: String,
    csrf_cookie: String,
    session_cookie: String,
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let secrets = Secrets::new([SECRET]).expect("a strong secret");
    let github = OidcClientCredentials::new("fuzz-client", "fuzz-client-secret-0123456789", None)
        .with_endpoints(
            "http://127.0.0.1:9/login/oauth/authorize",
            "http://127.0.0.1:9/login/oauth/access_token",
            "http://127.0.0.1:9/api/v3/user",
        );
    let auth = runtime.block_on(async {
        Auth::<app::DemoAuth>::builder(app::AppState::with_demo_users().expect("demo users"))
            .secrets(secrets.clone())
            .public_url(ORIGIN)
            .oidc_client("github", github)
            .bearer_keys(app::bearer_keys().expect("bearer keys"))
            .build_async()
            .await
            .expect("the demo's configuration")
    });
    let app = app::app(&auth).map_to_response().boxed();
    let csrf = CsrfToken::generate();
    let csrf_cookie = csrf.cookie_value(&secrets);
    let csrf_token = csrf.as_str().to_owned();
    // Sign the admin in once, through the route, for the session the fuzzer may carry.
    let sign_in = Request::builder()
        .method(Method::POST)
        .uri_str("/api/auth/callback/credentials")
        .header(header::COOKIE, format!("authjs.csrf-token={csrf_cookie}"))
        .content_type("application/x-www-form-urlencoded")
        .body(format!(
            "csrfToken={csrf_token}&email=admin%40example.com&password=correct-horse-admin"
        ));
    let response = runtime.block_on(app.get_response(sign_in));
    let session_cookie = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|line| line.strip_prefix("authjs.session-token="))
        .and_then(|rest| rest.split(';').next())
        .expect("the admin signs in")
        .to_owned();
    Fixture {
        runtime,
        app,
        csrf_token,
        csrf_cookie,
        session_cookie,
    }
});

fuzz_target!(|input: Input| {
    let fixture = &*FIXTURE;
    let route = ROUTES[usize::from(input.route) % ROUTES.len()];
    let mut uri = format!("{route}{}", input.suffix);
    if !input.query.is_empty() {
        uri = format!("{uri}?{}", input.query);
    }
    let Ok(uri) = uri.parse::<poem::http::Uri>() else {
        return;
    };
    let mut cookie = input.cookie.clone();
    if input.with_csrf {
        cookie.extend_from_slice(format!("; authjs.csrf-token={}", fixture.csrf_cookie).as_bytes());
    }
    if input.with_session {
        cookie.extend_from_slice(
            format!("; authjs.session-token={}", fixture.session_cookie).as_bytes(),
        );
    }
    let mut body = input.body.clone();
    if input.with_csrf && !input.json {
        let mut prefixed = format!("csrfToken={}&", fixture.csrf_token).into_bytes();
        prefixed.extend_from_slice(&body);
        body = prefixed;
    }
    let mut request = Request::builder()
        .method(if input.post {
            Method::POST
        } else {
            Method::GET
        })
        .uri(uri)
        .content_type(if input.json {
            "application/json"
        } else {
            "application/x-www-form-urlencoded"
        });
    if let Ok(value) = header::HeaderValue::from_bytes(&cookie) {
        request = request.header(header::COOKIE, value);
    }
    if let Ok(value) = header::HeaderValue::from_str(&input.forwarded) {
        request = request.header("x-forwarded-for", value);
    }
    if let Some(bearer) = &input.bearer
        && let Ok(value) = header::HeaderValue::from_str(&format!("Bearer {bearer}"))
    {
        request = request.header(header::AUTHORIZATION, value);
    }
    if input.return_redirect {
        request = request.header("x-auth-return-redirect", "1");
    }
    let request = request.body(Body::from_vec(body));
    let response = fixture.runtime.block_on(fixture.app.get_response(request));
    assert!(
        !response.status().is_server_error(),
        "{} for {input:?}",
        response.status()
    );
});
