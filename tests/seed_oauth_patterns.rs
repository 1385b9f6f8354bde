//! The OAuth patterns of `../shared/seeds/` written in the DSL, each a test named after the
//! seed section it comes from, through a real loopback server:
//!
//! - the JWT guide's "OAuth Access Tokens: Store Access Token in JWT" (GitHub's access token
//!   and provider in the token, the access token as `session.accessToken`, used to call the
//!   provider's API), against the GitHub stand-in of `tests/support/github.rs`;
//! - the JWT guide's "Token Refresh Patterns: OAuth Token Refresh (Google)" and the callbacks
//!   guide's "Handle Token Refresh" (`access_type=offline`, `prompt=consent`, the refresh, and
//!   `session.error === "RefreshAccessTokenError"` answered by signing in again), against the
//!   real `oidc-provider` standing in for Google;
//! - the callbacks guide's "signIn Callback: Account Verification" (a Google account must
//!   exist in the app's store and be active) and "OAuth Provider Restrictions" (GitHub only in
//!   production, else `/auth/error?error=ProviderNotAllowed`).
//!
//! The seeds write these in callbacks with hand-patched types; here the token claims come from
//! the account by declaration (`from_account`), the refresh is the runtime's (one grant however
//! many requests, the rotated refresh token kept), and the refresh token never reaches the
//! session (a compile error if a claim tried).
#![allow(clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod support;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use auth_runtime::OidcClientCredentials;
use auth_runtime::prelude::*;
use poem::Route;
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::clock::ShiftedClock;
use support::github::{StandIn, authorize_as, start_stand_in};
use support::http::{
    TestServer, begin_sign_in, browser_with_jar, jar_cookie, location, session_json,
};
use support::node::NodeServer;
use support::oauth_user::User;
use support::oidc_op::{
    client, refresh_grants, revoke_grants, sign_in_at_provider, start_oidc_provider,
};

const SECRET: &str = "seed-oauth-patterns-secret-6d1f3b8e2a9c4e7f0b5d";
const GOOGLE_ID: &str = "seed-google.apps.example";
const GOOGLE_SECRET: &str = "GOCSPX-seed-secret-0123456789";
/// The stand-in Google's access token lifetime.
const ACCESS_TOKEN_TTL: Duration = Duration::from_secs(3600);

/// The app's store (the seeds' `db`): users by email with `isActive`, and where it runs.
#[derive(Clone)]
pub(crate) struct Db {
    users: Arc<HashMap<&'static str, DbUser>>,
    /// `process.env.NODE_ENV === "production"`.
    production: bool,
}

struct DbUser {
    is_active: bool,
}

impl Db {
    /// `alice` is active, `bob` deactivated; `carol` is not in the store.
    fn new(production: bool) -> Self {
        Self {
            users: Arc::new(HashMap::from([
                ("alice@acme.example", DbUser { is_active: true }),
                ("bob@acme.example", DbUser { is_active: false }),
            ])),
            production,
        }
    }
}

/// Profile functions: only a verified email is ever taken.
async fn from_google(profile: &OAuthProfile, _db: &Db) -> Result<Option<User>, CallbackError> {
    Ok(Some(User::from_profile(profile.sub.clone(), profile)))
}

async fn from_github(profile: &OAuthProfile, _db: &Db) -> Result<Option<User>, CallbackError> {
    Ok(Some(User::from_profile(
        format!("github:{}", profile.sub),
        profile,
    )))
}

/// The callbacks guide's `signIn`: "Account Verification" for Google, "OAuth Provider
/// Restrictions" for GitHub.
async fn sign_in(user: &User, account: &Account, db: &Db) -> Result<SignIn, CallbackError> {
    match account.provider.as_str() {
        // Check that the user exists in the store, and allow only if active.
        "google" => {
            let active = user
                .email
                .as_deref()
                .and_then(|email| db.users.get(email))
                .is_some_and(|found| found.is_active);
            Ok(if active { SignIn::Allow } else { SignIn::Deny })
        }
        // Only allow GitHub OAuth in production.
        "github" if !db.production => Ok(SignIn::Redirect(
            "/auth/error?error=ProviderNotAllowed".to_owned(),
        )),
        _ => Ok(SignIn::Allow),
    }
}

/// The seeds' configuration in the DSL: the `jwt` callbacks' `token.accessToken = …`,
/// `token.provider = …`, `expires_at` and `refresh_token` are `from_account` claims, their
/// `session.accessToken = token.accessToken` is `session = top`, and the hand-written refresh
/// is `refresh` on the provider.
#[auth_config(user = User, state = Db, callbacks(sign_in = sign_in))]
pub(crate) struct SeedAuth {
    #[provider(google(
        profile = from_google,
        params(access_type = "offline", prompt = "consent"),
        refresh
    ))]
    google: Google,
    #[provider(github(profile = from_github))]
    github: GitHub,
    /// `session.accessToken`, for calling the provider's API from the browser.
    #[claim(from_account = access_token, session = top)]
    access_token: Option<String>,
    /// `token.provider`: in the token only.
    #[claim(from_account = provider)]
    provider: Option<String>,
    /// When the access token expires: in the token only.
    #[claim(from_account = expires_at)]
    expires_at: Option<i64>,
    /// The refresh token: in the token only, never in the session.
    #[claim(from_account = refresh_token)]
    refresh_token: Option<String>,
}

struct Harness {
    server: TestServer,
    auth: Auth<SeedAuth>,
    google: NodeServer,
    github: TestServer,
    github_state: Arc<std::sync::Mutex<StandIn>>,
    clock: ShiftedClock,
    browser: reqwest::Client,
    jar: Arc<reqwest::cookie::Jar>,
}

impl Harness {
    /// Our server with both providers: Google played by `oidc-provider` (refresh tokens
    /// issued and rotated), GitHub by its stand-in; `production` as the store says.
    async fn start(production: bool) -> Self {
        let port = TestServer::bind().await;
        let origin = port.origin();
        let ttl = ACCESS_TOKEN_TTL.as_secs().to_string();
        let google = start_oidc_provider(
            &json!([client(GOOGLE_ID, GOOGLE_SECRET, &origin, "google")]),
            &[("REFRESH", "1"), ("ACCESS_TOKEN_TTL", &ttl)],
        )
        .await;
        let (github_state, github, github_credentials) = start_stand_in().await;
        let clock = ShiftedClock::default();
        let auth = Auth::<SeedAuth>::builder(Db::new(production))
            .secrets(Secrets::new([SECRET]).expect("a strong secret"))
            .public_url(&origin)
            .clock(clock.clone())
            .oidc_client(
                "google",
                OidcClientCredentials::new(GOOGLE_ID, GOOGLE_SECRET, Some(google.origin.clone())),
            )
            .oidc_client("github", github_credentials)
            .build_async()
            .await
            .expect("the providers are configured");
        let server = port.serve(auth.mount(Route::new()));
        let (browser, jar) = browser_with_jar();
        Self {
            server,
            auth,
            google,
            github,
            github_state,
            clock,
            browser,
            jar,
        }
    }

    /// The client's `signIn("google")`, completed at the provider as `login`: our callback's
    /// status and `Location`.
    async fn sign_in_with_google(&self, login: &str) -> (StatusCode, String) {
        let (authorization, _) = begin_sign_in(&self.browser, &self.server, "google", None).await;
        assert!(
            authorization.contains("access_type=offline")
                && authorization.contains("prompt=consent"),
            "{authorization}"
        );
        let prefix = self.server.url("/api/auth/callback/google");
        let callback = sign_in_at_provider(&self.browser, login, &authorization, &prefix).await;
        self.callback(&callback).await
    }

    /// The client's `signIn("github")` as the stand-in's `login`: our callback's status and
    /// `Location`.
    async fn sign_in_with_github(&self, login: &str) -> (StatusCode, String) {
        let (authorization, _) = begin_sign_in(&self.browser, &self.server, "github", None).await;
        let callback = authorize_as(&self.browser, &authorization, login).await;
        self.callback(&callback).await
    }

    async fn callback(&self, url: &str) -> (StatusCode, String) {
        let response = self.browser.get(url).send().await.expect("GET /callback");
        assert!(!response.status().is_server_error());
        (response.status(), location(response.headers()))
    }

    /// `useSession()`'s data: the session JSON.
    async fn session(&self) -> Value {
        session_json(&self.browser, &self.server).await
    }

    /// The claims of the browser's session cookie, decrypted with the server's secret.
    fn claims(&self) -> serde_json::Map<String, Value> {
        let cookie =
            jar_cookie(&self.jar, &self.server, "authjs.session-token").expect("a session cookie");
        self.auth.codec().decode(&cookie).expect("the cookie opens")
    }

    /// The refresh-token grants the stand-in Google saw: attempts and refused.
    async fn refresh_grants(&self) -> (u64, u64) {
        let grants = refresh_grants(&self.google).await;
        (
            grants["attempts"].as_u64().expect("attempts"),
            grants["refused"].as_u64().expect("refused"),
        )
    }

    fn assert_signed_in_home(&self, (status, location): (StatusCode, String)) {
        assert_eq!(
            (status, location.as_str()),
            (StatusCode::FOUND, self.server.url("/").as_str())
        );
    }
}

/// JWT guide, "OAuth Access Tokens: Store Access Token in JWT": after a GitHub sign-in the
/// token holds the access token and the provider, the session exposes `session.accessToken`
/// (at its top level, as the seed's `declare module` has it) and not the provider, and the
/// seed's use case works: the API called with `Authorization: Bearer ${session.accessToken}`.
#[tokio::test]
async fn jwt_seed_store_access_token_in_jwt_and_call_the_api_with_session_access_token() {
    let harness = Harness::start(true).await;
    harness.assert_signed_in_home(harness.sign_in_with_github("octocat").await);

    let session = harness.session().await;
    let access_token = session["accessToken"]
        .as_str()
        .expect("session.accessToken")
        .to_owned();
    let issued: Vec<String> = harness
        .github_state
        .lock()
        .expect("the stand-in")
        .tokens
        .keys()
        .cloned()
        .collect();
    assert_eq!(issued, vec![access_token.clone()], "GitHub's own token");
    assert!(session.get("provider").is_none() && session["user"].get("provider").is_none());
    let claims = harness.claims();
    assert_eq!(claims["provider"], "github");
    assert_eq!(claims["accessToken"], access_token.as_str());

    let repos = reqwest::Client::new()
        .get(harness.github.url("/api/v3/user"))
        .header("authorization", format!("Bearer {access_token}"))
        .header("user-agent", "seed-client")
        .send()
        .await
        .expect("GET the provider's API");
    assert_eq!(repos.status(), StatusCode::OK);
    let me: Value = repos.json().await.expect("JSON");
    assert_eq!(me["login"], "octocat");
}

/// JWT guide, "Token Refresh Patterns: OAuth Token Refresh (Google)", and the callbacks
/// guide's "Handle Token Refresh": offline access and consent are asked for; an expired access
/// token is refreshed on the next read (the rotated refresh token kept); when the provider
/// refuses the refresh, the user stays signed in with `session.error ===
/// "RefreshAccessTokenError"`, and the seed's client answer, `signIn("google")`, clears it.
#[tokio::test]
async fn jwt_seed_google_token_refresh_and_refresh_access_token_error() {
    let harness = Harness::start(true).await;
    harness.assert_signed_in_home(harness.sign_in_with_google("alice").await);
    let first = harness.session().await;
    let first_access = first["accessToken"].clone();
    assert!(first_access.is_string(), "{first}");
    assert!(first.get("error").is_none(), "{first}");
    let first_refresh = harness.claims()["refreshToken"].clone();
    assert!(
        first_refresh.is_string(),
        "offline access gave a refresh token"
    );

    // The access token expires: the next read refreshes it.
    harness.clock.advance(ACCESS_TOKEN_TTL);
    let refreshed = harness.session().await;
    assert_ne!(refreshed["accessToken"], first_access);
    assert!(refreshed.get("error").is_none(), "{refreshed}");
    assert_eq!(refreshed["user"]["name"], "Alice Example");
    let claims = harness.claims();
    assert_eq!(claims["accessToken"], refreshed["accessToken"]);
    assert_ne!(
        claims["refreshToken"], first_refresh,
        "the rotated one kept"
    );
    assert_eq!(harness.refresh_grants().await, (1, 0));

    // The provider revokes the grant: the refresh fails, the user stays signed in.
    revoke_grants(&harness.google).await;
    harness.clock.advance(ACCESS_TOKEN_TTL);
    let failed = harness.session().await;
    assert_eq!(failed["error"], "RefreshAccessTokenError");
    assert_eq!(failed["user"]["email"], "alice@acme.example");
    assert_eq!(harness.refresh_grants().await, (2, 1));
    assert!(!failed.to_string().contains("refreshToken"));

    // `if (session?.error === "RefreshAccessTokenError") signIn("google")`.
    harness.assert_signed_in_home(harness.sign_in_with_google("alice").await);
    let again = harness.session().await;
    assert!(again.get("error").is_none(), "{again}");
    assert!(again["accessToken"].is_string());
    assert_ne!(again["accessToken"], refreshed["accessToken"]);
}

/// Callbacks guide, "signIn Callback: Account Verification": a Google account signs in only
/// when its user exists in the app's store and is active; a deactivated or unknown one ends
/// on the error page with `AccessDenied`, signed out.
#[tokio::test]
async fn callbacks_seed_account_verification_google_user_must_exist_and_be_active() {
    let harness = Harness::start(true).await;
    harness.assert_signed_in_home(harness.sign_in_with_google("alice").await);
    assert_eq!(
        harness.session().await["user"]["email"],
        "alice@acme.example"
    );

    for login in ["bob", "carol"] {
        let harness = Harness::start(true).await;
        let (status, location) = harness.sign_in_with_google(login).await;
        assert_eq!(status, StatusCode::FOUND, "{login}");
        assert_eq!(
            location,
            harness.server.url("/api/auth/error?error=AccessDenied"),
            "{login}"
        );
        assert_eq!(harness.session().await, Value::Null, "{login} signed out");
    }
}

/// Callbacks guide, "signIn Callback: OAuth Provider Restrictions": outside production a
/// GitHub sign-in goes to `/auth/error?error=ProviderNotAllowed` and leaves no session, while
/// Google still signs in; in production GitHub signs in.
#[tokio::test]
async fn callbacks_seed_oauth_provider_restrictions_github_only_in_production() {
    let development = Harness::start(false).await;
    let (status, location) = development.sign_in_with_github("octocat").await;
    assert_eq!(status, StatusCode::FOUND);
    assert_eq!(
        location,
        development
            .server
            .url("/auth/error?error=ProviderNotAllowed")
    );
    assert_eq!(development.session().await, Value::Null, "signed out");
    development.assert_signed_in_home(development.sign_in_with_google("alice").await);

    let production = Harness::start(true).await;
    production.assert_signed_in_home(production.sign_in_with_github("octocat").await);
    assert_eq!(production.session().await["user"]["name"], "The Octocat");
}
