//! Sign-in with the `github(...)` preset (plain OAuth 2: PKCE S256 and `state`, no `nonce`)
//! against a loopback stand-in for GitHub (`tests/support/github.rs`) answering with GitHub's
//! real shapes: the token exchange (`/login/oauth/access_token`, including its error answer,
//! a 200 with `error`), `GET /user` and `GET /user/emails`, on GitHub Enterprise's paths
//! (`/api/v3/...`), which the endpoint overrides reach. The email is GitHub's primary one only
//! when verified: an account whose primary email is unverified signs in without an email, or
//! is refused by a profile function that requires one. A failing token endpoint or `/user`
//! is an `OAuthCallbackError` redirect, never a 5xx, never the provider's text. The demo's
//! GitHub provider, pointed at the stand-in, signs an unknown GitHub user in as an `acme`
//! viewer.
#![allow(clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod support;

use std::sync::{Arc, Mutex};

use auth_runtime::prelude::*;
use poem::Route;
use reqwest::StatusCode;
use serde_json::Value;
use support::github::{StandIn, authorize_as, start_stand_in};
use support::http::{TestServer, browser, csrf_token, location, set_cookies};
use support::oauth_user::User;

const SECRET: &str = "github-flow-test-secret-4f2a9c7e1b3d5a6c8e0f";

/// Every profile the profile functions saw, by `sub`.
static SEEN: Mutex<Vec<OAuthProfile>> = Mutex::new(Vec::new());

fn seen(sub: &str) -> OAuthProfile {
    SEEN.lock()
        .expect("the record")
        .iter()
        .find(|profile| profile.sub == sub)
        .cloned()
        .unwrap_or_else(|| panic!("no profile with sub {sub}"))
}

/// Signs in with or without an email: only a verified one is ever given.
async fn from_github(profile: &OAuthProfile, _state: &()) -> Result<Option<User>, CallbackError> {
    SEEN.lock().expect("the record").push(profile.clone());
    Ok(Some(User::from_profile(
        format!("github:{}", profile.sub),
        profile,
    )))
}

/// Refuses an account without a verified email.
async fn verified_only(profile: &OAuthProfile, _state: &()) -> Result<Option<User>, CallbackError> {
    Ok(profile.verified_email().map(|email| User {
        id: format!("github:{}", profile.sub),
        name: profile.name.clone(),
        email: Some(email.to_owned()),
    }))
}

#[auth_config(user = User)]
pub(crate) struct GitHubAuth {
    #[provider(github(profile = from_github))]
    github: GitHub,
    #[provider(github(id = "github-strict", name = "GitHub (verified email)", profile = verified_only))]
    strict: GitHub,
}

struct Harness {
    github: TestServer,
    stand_in: Arc<Mutex<StandIn>>,
    server: TestServer,
    browser: reqwest::Client,
}

impl Harness {
    async fn start() -> Self {
        let (stand_in, github, credentials) = start_stand_in().await;
        let port = TestServer::bind().await;
        let auth = Auth::<GitHubAuth>::builder(())
            .secrets(Secrets::new([SECRET]).expect("a strong secret"))
            .public_url(&port.origin())
            .oidc_client("github", credentials.clone())
            .oidc_client("github-strict", credentials)
            .build_async()
            .await
            .expect("the providers are configured");
        let server = port.serve(auth.mount(Route::new()));
        Self {
            github,
            stand_in,
            server,
            browser: browser(),
        }
    }

    fn url(&self, path: &str) -> String {
        self.server.url(path)
    }

    /// `POST /signin/<provider>`: the authorization URL and the cookies set.
    async fn begin(&self, provider: &str) -> (String, Vec<String>) {
        let token = csrf_token(&self.browser, &self.server, "/api/auth").await;
        let response = self
            .browser
            .post(self.url(&format!("/api/auth/signin/{provider}")))
            .form(&[("csrfToken", token.as_str()), ("callbackUrl", "/welcome")])
            .send()
            .await
            .expect("POST /signin");
        assert_eq!(response.status(), StatusCode::FOUND);
        (
            location(response.headers()),
            set_cookies(response.headers()),
        )
    }

    /// A whole sign-in as `login` with `provider`: the callback's status and `Location`.
    async fn sign_in(&self, provider: &str, login: &str) -> (StatusCode, String) {
        let (authorization, _) = self.begin(provider).await;
        let callback = authorize_as(&self.browser, &authorization, login).await;
        assert!(callback.starts_with(&self.url(&format!("/api/auth/callback/{provider}?"))));
        let response = self
            .browser
            .get(&callback)
            .send()
            .await
            .expect("GET /callback");
        assert!(!response.status().is_server_error());
        (response.status(), location(response.headers()))
    }

    async fn session(&self) -> Value {
        self.browser
            .get(self.url("/api/auth/session"))
            .send()
            .await
            .expect("GET /session")
            .json()
            .await
            .expect("JSON")
    }

    /// A refusal with `code` on our `page` (`error`, or `signin` for the codes Auth.js shows
    /// there): signed out, the provider's text nowhere.
    async fn assert_refused(
        &self,
        (status, location): (StatusCode, String),
        page: &str,
        code: &str,
    ) {
        assert_eq!(status, StatusCode::FOUND);
        assert_eq!(
            location,
            self.url(&format!("/api/auth/{page}?error={code}"))
        );
        let page = self
            .browser
            .get(&location)
            .send()
            .await
            .expect("the error page");
        assert!(!page.status().is_server_error());
        let page = page.text().await.expect("a page");
        for provider_text in [
            "bad_verification_code",
            "incorrect or expired",
            "Bad credentials",
        ] {
            assert!(!page.contains(provider_text), "{provider_text} echoed");
        }
        assert_eq!(self.session().await, Value::Null, "signed out");
    }
}

/// GitHub's flow: PKCE S256 and `state` (no nonce, no nonce cookie), the code exchanged,
/// `/user` and `/user/emails` read with GitHub's media type and a User-Agent; the verified
/// primary email and the name reach the session, and GitHub's numeric id is the account id.
#[tokio::test]
async fn a_verified_primary_email_signs_in_with_name_and_email() {
    let harness = Harness::start().await;
    let (authorization, cookies) = harness.begin("github").await;
    assert!(authorization.starts_with(&harness.github.url("/login/oauth/authorize?")));
    for param in [
        "code_challenge_method=S256",
        "code_challenge=",
        "state=",
        "scope=read%3Auser+user%3Aemail",
    ] {
        assert!(authorization.contains(param), "{param} in {authorization}");
    }
    assert!(!authorization.contains("nonce="));
    assert!(cookies.iter().any(|line| line.starts_with("authjs.state=")));
    assert!(
        cookies
            .iter()
            .any(|line| line.starts_with("authjs.pkce.code_verifier="))
    );
    assert!(
        !cookies.iter().any(|line| line.starts_with("authjs.nonce=")),
        "{cookies:?}"
    );

    let (status, location) = harness.sign_in("github", "octocat").await;
    assert_eq!(
        (status, location.as_str()),
        (StatusCode::FOUND, harness.url("/welcome").as_str())
    );
    let session = harness.session().await;
    assert_eq!(session["user"]["name"], "The Octocat");
    assert_eq!(session["user"]["email"], "octocat@github.com");
    let profile = seen("583231");
    assert!(profile.email_verified);
    assert_eq!(
        profile.picture.as_deref(),
        Some("https://avatars.githubusercontent.com/u/583231?v=4")
    );

    let requests = harness
        .stand_in
        .lock()
        .expect("the stand-in")
        .api_requests
        .clone();
    let paths: Vec<_> = requests.iter().map(|(path, ..)| path.as_str()).collect();
    assert!(paths.contains(&"/api/v3/user") && paths.contains(&"/api/v3/user/emails"));
    for (_, accept, agent) in &requests {
        assert_eq!(accept, "application/vnd.github+json");
        assert!(agent.starts_with("auth-runtime/"), "{agent}");
    }
}

/// OA-13: an account whose primary email is unverified: the public email on `/user` and the other,
/// verified but not primary, address are both ignored. The lenient profile function signs it
/// in without an email (name from `login`); the strict one refuses it (`AccessDenied`).
#[tokio::test]
async fn an_unverified_primary_email_is_never_trusted() {
    let harness = Harness::start().await;
    let (status, location) = harness.sign_in("github", "newbie").await;
    assert_eq!(
        (status, location.as_str()),
        (StatusCode::FOUND, harness.url("/welcome").as_str())
    );
    let session = harness.session().await;
    assert_eq!(
        session["user"]["name"], "newbie",
        "the name falls back to login"
    );
    assert!(
        session["user"].get("email").is_none_or(Value::is_null),
        "{session}"
    );
    let profile = seen("9000001");
    assert_eq!(
        (profile.email.as_deref(), profile.email_verified),
        (None, false)
    );
    assert_eq!(
        profile.raw["email"],
        Value::Null,
        "the unverified email is not in raw either"
    );

    let strict = Harness::start().await;
    let refused = strict.sign_in("github-strict", "newbie").await;
    strict
        .assert_refused(refused, "error", "AccessDenied")
        .await;
    // The same provider signs in an account with a verified primary email.
    let (status, location) = strict.sign_in("github-strict", "octocat").await;
    assert_eq!(
        (status, location.as_str()),
        (StatusCode::FOUND, strict.url("/welcome").as_str())
    );
    assert_eq!(
        strict.session().await["user"]["email"],
        "octocat@github.com"
    );
}

/// OA-11, OA-12: GitHub's token endpoint refusing the code (a 200 carrying `error`) is an
/// `OAuthCallbackError` (on the sign-in page, as Auth.js): no session, no 5xx, GitHub's
/// description never shown.
#[tokio::test]
async fn a_token_endpoint_error_is_an_oauth_callback_error() {
    let harness = Harness::start().await;
    let refused = harness.sign_in("github", "expired-code").await;
    harness
        .assert_refused(refused, "signin", "OAuthCallbackError")
        .await;
}

/// `/user` failing after a good exchange (GitHub's 401 `Bad credentials`) is an
/// `OAuthCallbackError` as well.
#[tokio::test]
async fn a_failing_user_endpoint_is_an_oauth_callback_error() {
    let harness = Harness::start().await;
    let refused = harness.sign_in("github", "revoked").await;
    harness
        .assert_refused(refused, "signin", "OAuthCallbackError")
        .await;
    let requests = harness
        .stand_in
        .lock()
        .expect("the stand-in")
        .api_requests
        .clone();
    assert!(requests.iter().any(|(path, ..)| path == "/api/v3/user"));
}

/// A plain OAuth 2 callback needs its PKCE and state cookies but no nonce cookie; without the
/// PKCE verifier cookie it is refused before any exchange.
#[tokio::test]
async fn a_callback_without_the_pkce_cookie_is_refused() {
    let harness = Harness::start().await;
    let (authorization, cookies) = harness.begin("github").await;
    let at_github = harness
        .browser
        .get(format!("{authorization}&login=octocat"))
        .send()
        .await
        .expect("GET at the stand-in");
    let callback = location(at_github.headers());
    let state_cookie = cookies
        .iter()
        .find(|line| line.starts_with("authjs.state="))
        .and_then(|line| line.split(';').next())
        .expect("the state cookie");
    let fresh = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");
    let response = fresh
        .get(&callback)
        .header(reqwest::header::COOKIE, state_cookie)
        .send()
        .await
        .expect("GET /callback");
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(
        location(response.headers()),
        harness.url("/api/auth/error?error=Configuration")
    );
    assert!(
        harness
            .stand_in
            .lock()
            .expect("the stand-in")
            .tokens
            .is_empty(),
        "no exchange"
    );
}

/// The demo's GitHub provider: listed on the sign-in page when configured, and a GitHub user
/// unknown to the demo signs in as a viewer of `acme` with the profile's name and verified
/// email; GitHub's access token stays out of the session JSON.
#[tokio::test]
async fn the_demo_signs_an_unknown_github_user_in_as_an_acme_viewer() {
    use support::demo::app;

    let (stand_in, github, credentials) = start_stand_in().await;
    let port = TestServer::bind().await;
    let auth = Auth::<app::DemoAuth>::builder(app::AppState::with_demo_users().expect("users"))
        .secrets(Secrets::new([SECRET]).expect("a strong secret"))
        .public_url(&port.origin())
        .bearer_keys(app::bearer_keys().expect("bearer keys"))
        .oidc_client("github", credentials)
        .build_async()
        .await
        .expect("the demo's GitHub provider is configured");
    let harness = Harness {
        github,
        stand_in,
        server: port.serve(app::app(&auth)),
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
    assert!(page.contains("Sign in with GitHub"), "{page}");
    assert!(
        !page.contains("Sign in with Google"),
        "Google is not configured"
    );
    let (status, location) = harness.sign_in("github", "octocat").await;
    assert_eq!(
        (status, location.as_str()),
        (StatusCode::FOUND, harness.url("/welcome").as_str())
    );
    let session = harness.session().await;
    assert_eq!(session["user"]["role"], "viewer");
    assert_eq!(session["user"]["tenantId"], "acme");
    assert_eq!(session["user"]["name"], "The Octocat");
    assert_eq!(session["user"]["email"], "octocat@github.com");
    assert!(!session.to_string().contains("gho_"), "{session}");
}

/// Without their variables the demo's GitHub and Google providers are absent.
#[tokio::test]
async fn the_demo_leaves_out_unconfigured_github_and_google() {
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
    for absent in ["github", "google"] {
        assert!(providers.get(absent).is_none(), "{providers}");
    }
}
