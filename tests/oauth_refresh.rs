//! Provider tokens as claims and their declarative refresh, against the real OpenID Provider
//! (`oidc-provider`, `tests/interop/oidc-provider.mjs` with `REFRESH=1`: refresh tokens issued
//! and rotated at every refresh, a count of refresh-token grants, grants revocable) on
//! loopback. Our clock is shifted forward to make the access token due, so nothing sleeps;
//! the provider's token endpoint is slowed (`TOKEN_DELAY_MS`) where requests must overlap.
//!
//! OA-15: parallel requests with an expiring access token share one refresh-token grant, and
//! a rotated-out refresh token is never sent again. OA-16: a refused refresh (`invalid_grant`)
//! gives `session.error == "RefreshAccessTokenError"`, drops the refresh token, and is not
//! retried. LG-04: the session JSON has no provider token unless one is exposed on purpose,
//! and never the refresh token.
#![allow(clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod support;

use std::time::Duration;

use auth_runtime::OidcClientCredentials;
use auth_runtime::prelude::*;
use poem::web::Json;
use poem::{EndpointExt as _, Route, get, handler};
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::clock::ShiftedClock;
use support::http::{TestServer, browser, csrf_token, location, set_cookies};
use support::node::NodeServer;
use support::oauth_user::User;
use support::oidc_op::{refresh_grants, revoke_grants, sign_in_as_alice, start_oidc_provider};
use support::session::session_cookie;

const SECRET: &str = "oauth-refresh-test-secret-5e2c8a1f4b7d9e3a6c0b";
const CLIENT_ID: &str = "client-refresh";
const CLIENT_SECRET: &str = "secret-refresh-0123456789";
/// The provider's access token lifetime.
const ACCESS_TOKEN_TTL: Duration = Duration::from_secs(300);
/// Every concurrency test's bound.
const BOUND: Duration = Duration::from_secs(60);

async fn from_oidc(profile: &OAuthProfile, _state: &()) -> Result<Option<User>, CallbackError> {
    Ok(Some(User::from_profile(profile.sub.clone(), profile)))
}

/// The seed's configuration: the access token for the browser (`session.accessToken`), the
/// rest of the provider's tokens kept private in the encrypted token, refreshed 10 s before
/// the access token expires.
#[auth_config(user = User, session(max_age = "1d"))]
pub(crate) struct RefreshAuth {
    #[provider(oidc(profile = from_oidc, refresh, refresh_skew = "10s"))]
    oidc: Oidc,
    /// The provider's access token, for the browser's own API calls.
    #[claim(from_account = access_token, session = top)]
    access_token: Option<String>,
    /// When it expires.
    #[claim(from_account = expires_at)]
    expires_at: Option<i64>,
    /// The refresh token: private, never in the session.
    #[claim(from_account = refresh_token)]
    refresh_token: Option<String>,
}

/// An app route behind the middleware: the access token its handler sees.
#[handler]
fn provider_token(session: Session<RefreshAuth>) -> Json<Value> {
    Json(json!({ "accessToken": session.token().access_token }))
}

struct Harness {
    op: NodeServer,
    server: TestServer,
    auth: Auth<RefreshAuth>,
    clock: ShiftedClock,
    /// Carries only the cookie each test gives it.
    client: reqwest::Client,
}

impl Harness {
    /// The provider (`REFRESH=1`, its token endpoint slowed by `token_delay_ms`) and our
    /// server, the app route under the middleware.
    async fn start(token_delay_ms: u64) -> Self {
        let port = TestServer::bind().await;
        let origin = port.origin();
        let clients = json!([{
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": [format!("{origin}/api/auth/callback/oidc")],
        }]);
        let ttl = ACCESS_TOKEN_TTL.as_secs().to_string();
        let delay = token_delay_ms.to_string();
        let op = start_oidc_provider(
            &clients,
            &[
                ("REFRESH", "1"),
                ("ACCESS_TOKEN_TTL", &ttl),
                ("TOKEN_DELAY_MS", &delay),
            ],
        )
        .await;
        let clock = ShiftedClock::default();
        let auth = Auth::<RefreshAuth>::builder(())
            .secrets(Secrets::new([SECRET]).expect("a strong secret"))
            .public_url(&origin)
            .clock(clock.clone())
            .oidc_client(
                "oidc",
                OidcClientCredentials::new(CLIENT_ID, CLIENT_SECRET, Some(op.origin.clone())),
            )
            .build_async()
            .await
            .expect("discovery succeeds");
        let app = auth
            .mount(Route::new())
            .at("/api/provider-token", get(provider_token))
            .with(auth.middleware());
        let server = port.serve(app);
        Self {
            op,
            server,
            auth,
            clock,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("a client"),
        }
    }

    /// Signs in as `alice`: the session cookie's value.
    async fn sign_in(&self) -> String {
        let jar = browser();
        let csrf = csrf_token(&jar, &self.server, "/api/auth").await;
        let response = jar
            .post(self.server.url("/api/auth/signin/oidc"))
            .form(&[("csrfToken", csrf.as_str())])
            .send()
            .await
            .expect("POST /signin/oidc");
        let prefix = self.server.url("/api/auth/callback/oidc");
        let callback = sign_in_as_alice(&jar, &location(response.headers()), &prefix).await;
        let response = jar.get(&callback).send().await.expect("GET /callback");
        assert_eq!(response.status(), StatusCode::FOUND);
        session_cookie(&set_cookies(response.headers())).expect("a session cookie")
    }

    /// `GET path` carrying the session cookie `cookie`: the JSON answer and the re-issued
    /// session cookie, if any.
    async fn get(&self, path: &str, cookie: &str) -> (Value, Option<String>) {
        get_with(&self.client, self.server.url(path), cookie.to_owned()).await
    }

    /// `count` requests `GET path` carrying `cookie`, all at once, each on its own task;
    /// bounded by [`BOUND`].
    async fn parallel_gets(
        &self,
        path: &str,
        cookie: &str,
        count: usize,
    ) -> Vec<(Value, Option<String>)> {
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..count {
            let client = self.client.clone();
            let url = self.server.url(path);
            let cookie = cookie.to_owned();
            tasks.spawn(async move { get_with(&client, url, cookie).await });
        }
        tokio::time::timeout(BOUND, tasks.join_all())
            .await
            .expect("bounded")
    }

    /// `GET /api/auth/session` carrying `cookie`.
    async fn session(&self, cookie: &str) -> (Value, Option<String>) {
        self.get("/api/auth/session", cookie).await
    }

    /// The claims of a session cookie, decrypted with the server's secret.
    fn claims(&self, cookie: &str) -> serde_json::Map<String, Value> {
        self.auth.codec().decode(cookie).expect("the cookie opens")
    }

    /// Moves our clock past the access token's expiry (its lifetime, from wherever it is).
    fn expire_access_token(&self) {
        self.clock.advance(ACCESS_TOKEN_TTL);
    }

    /// The provider's count of refresh-token grants.
    async fn grants(&self) -> (u64, u64, Vec<String>) {
        let grants = refresh_grants(&self.op).await;
        let presented = grants["presented"]
            .as_array()
            .expect("presented")
            .iter()
            .map(|token| token.as_str().expect("a token").to_owned())
            .collect();
        (
            grants["attempts"].as_u64().expect("attempts"),
            grants["refused"].as_u64().expect("refused"),
            presented,
        )
    }
}

/// `GET url` carrying the session cookie `cookie`: the JSON answer and the re-issued session
/// cookie, if any.
async fn get_with(
    client: &reqwest::Client,
    url: String,
    cookie: String,
) -> (Value, Option<String>) {
    let response = client
        .get(&url)
        .header(
            reqwest::header::COOKIE,
            format!("authjs.session-token={cookie}"),
        )
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), StatusCode::OK, "{url}");
    let cookie = session_cookie(&set_cookies(response.headers()));
    (response.json().await.expect("JSON"), cookie)
}

/// The refresh token a cookie's claims keep for refreshing.
fn kept_refresh_token(claims: &serde_json::Map<String, Value>) -> Option<String> {
    claims["providerRefresh"]["refreshToken"]
        .as_str()
        .map(str::to_owned)
}

/// LG-04: after sign-in, the session JSON carries the access token at its top level
/// (`session.accessToken`, declared `session = top`) and no other provider token; the
/// refresh token, the expiry and the runtime's `providerRefresh` stay in the encrypted token.
#[tokio::test]
async fn lg_04_sign_in_exposes_only_the_declared_access_token_and_never_the_refresh_token() {
    let harness = Harness::start(0).await;
    let cookie = harness.sign_in().await;
    let claims = harness.claims(&cookie);
    let refresh_token = kept_refresh_token(&claims).expect("a refresh token kept");
    assert_eq!(claims["refreshToken"], refresh_token.as_str());
    assert!(claims["expiresAt"].is_i64() && claims["accessToken"].is_string());
    assert!(
        claims.get("idToken").is_none(),
        "the id_token is not kept unless asked for"
    );

    let (session, _) = harness.session(&cookie).await;
    assert_eq!(session["accessToken"], claims["accessToken"]);
    assert_eq!(session["user"]["name"], "Alice Example");
    let text = session.to_string();
    for absent in [
        "refreshToken",
        "expiresAt",
        "providerRefresh",
        "idToken",
        "error",
    ] {
        assert!(!text.contains(absent), "{absent} in {text}");
    }
    assert!(
        !text.contains(&refresh_token),
        "the refresh token in {text}"
    );
    assert!(session["user"].get("accessToken").is_none());
    let (attempts, _, _) = harness.grants().await;
    assert_eq!(attempts, 0, "a fresh access token is not refreshed");
}

/// OA-15: an access token within the skew of its expiry is refreshed on a session read; the
/// provider's rotated refresh token is kept and presented at the next refresh, and a
/// rotated-out one is never sent again.
#[tokio::test]
async fn oa_15_an_expiring_access_token_is_refreshed_and_the_rotated_refresh_token_used_next() {
    let harness = Harness::start(0).await;
    let first = harness.sign_in().await;
    let first_claims = harness.claims(&first);
    let first_refresh = kept_refresh_token(&first_claims).expect("a refresh token");

    harness.expire_access_token();
    let (session, second) = harness.session(&first).await;
    let second = second.expect("the refreshed session is re-issued");
    let second_claims = harness.claims(&second);
    let second_refresh = kept_refresh_token(&second_claims).expect("a rotated refresh token");
    assert_ne!(session["accessToken"], first_claims["accessToken"]);
    assert_eq!(session["accessToken"], second_claims["accessToken"]);
    assert_ne!(second_refresh, first_refresh, "the provider rotated it");
    assert_eq!(second_claims["refreshToken"], second_refresh.as_str());
    assert!(second_claims["expiresAt"].as_i64() > first_claims["expiresAt"].as_i64());
    assert!(session.get("error").is_none());

    // Not due again until the new access token nears its expiry: no grant.
    harness.session(&second).await;
    assert_eq!(harness.grants().await.0, 1);

    harness.expire_access_token();
    let (session, third) = harness.session(&second).await;
    let third_claims = harness.claims(&third.expect("re-issued"));
    assert_eq!(session["accessToken"], third_claims["accessToken"]);
    let (attempts, refused, presented) = harness.grants().await;
    assert_eq!((attempts, refused), (2, 0));
    assert_eq!(presented, vec![first_refresh.clone(), second_refresh]);
    assert!(
        presented
            .iter()
            .filter(|token| **token == first_refresh)
            .count()
            == 1,
        "a rotated-out refresh token is never resent"
    );
}

/// OA-16: a refresh the provider refuses (its grants revoked: `invalid_grant`) leaves the
/// user signed in with `session.error == "RefreshAccessTokenError"`, the refresh token
/// dropped from the token, and no further grant attempt however many reads follow.
#[tokio::test]
async fn oa_16_a_refused_refresh_gives_refresh_access_token_error_and_is_never_retried() {
    let harness = Harness::start(0).await;
    let cookie = harness.sign_in().await;
    let access_token = harness.claims(&cookie)["accessToken"].clone();
    revoke_grants(&harness.op).await;

    harness.expire_access_token();
    let (session, refused) = harness.session(&cookie).await;
    assert_eq!(session["error"], "RefreshAccessTokenError");
    assert_eq!(session["user"]["name"], "Alice Example", "still signed in");
    assert_eq!(
        session["accessToken"], access_token,
        "the old access token stays"
    );
    let refused = refused.expect("the session is re-issued with the error");
    let claims = harness.claims(&refused);
    assert!(
        kept_refresh_token(&claims).is_none(),
        "the refresh token is dropped"
    );
    assert!(claims.get("refreshToken").is_none());
    assert_eq!(
        claims["providerRefresh"]["error"],
        "RefreshAccessTokenError"
    );
    assert_eq!(harness.grants().await.0, 1);

    // No retry loop: later reads, the app's routes, and more time change nothing.
    for _ in 0..3 {
        harness.expire_access_token();
        let (session, _) = harness.session(&refused).await;
        assert_eq!(session["error"], "RefreshAccessTokenError");
        harness.get("/api/provider-token", &refused).await;
    }
    let (attempts, refused_count, _) = harness.grants().await;
    assert_eq!((attempts, refused_count), (1, 1));

    // Signing in again starts over without the error.
    let cookie = harness.sign_in().await;
    let (session, _) = harness.session(&cookie).await;
    assert!(session.get("error").is_none(), "{session}");
}

/// OA-15: ten session reads carrying the same expired access token, in parallel against a
/// slow token endpoint, make exactly one refresh-token grant, and every answer carries the
/// new access token and a re-issued cookie; a read arriving just after with the old cookie
/// is answered with the refreshed tokens, without a grant.
#[tokio::test]
async fn oa_15_ten_parallel_reads_of_an_expired_access_token_share_one_refresh_grant() {
    const PARALLEL: usize = 10;
    let harness = Harness::start(500).await;
    let cookie = harness.sign_in().await;
    let old_access = harness.claims(&cookie)["accessToken"].clone();
    harness.expire_access_token();

    let answers = harness
        .parallel_gets("/api/auth/session", &cookie, PARALLEL)
        .await;
    let (attempts, refused, _) = harness.grants().await;
    assert_eq!((attempts, refused), (1, 0), "one shared refresh grant");
    let new_access = answers[0].0["accessToken"].clone();
    assert_ne!(new_access, old_access);
    for (session, reissued) in &answers {
        assert_eq!(session["accessToken"], new_access);
        let claims = harness.claims(reissued.as_deref().expect("a re-issued cookie"));
        assert_eq!(claims["accessToken"], new_access);
    }

    // Just after, the old cookie again: answered with the refreshed tokens, no second grant.
    let (late, reissued) = harness.session(&cookie).await;
    assert_eq!(late["accessToken"], new_access);
    assert_eq!(
        harness.claims(&reissued.expect("re-issued"))["accessToken"],
        new_access
    );
    assert_eq!(harness.grants().await.0, 1);
}

/// The middleware refreshes too: an app route reached with an expired access token sees the
/// new one in its handler and answers with the re-issued cookie; parallel app requests share
/// the one grant, and the session read after it makes none.
#[tokio::test]
async fn the_middleware_refreshes_before_an_app_route_and_sets_the_cookie() {
    let harness = Harness::start(300).await;
    let cookie = harness.sign_in().await;
    let old_access = harness.claims(&cookie)["accessToken"].clone();
    let (fresh, none) = harness.get("/api/provider-token", &cookie).await;
    assert_eq!(
        (fresh["accessToken"].clone(), none),
        (old_access.clone(), None)
    );

    harness.expire_access_token();
    let answers = harness
        .parallel_gets("/api/provider-token", &cookie, 4)
        .await;
    let new_access = answers[0].0["accessToken"].clone();
    assert_ne!(new_access, old_access);
    for (answer, reissued) in &answers {
        assert_eq!(
            answer["accessToken"], new_access,
            "the handler sees the new token"
        );
        let claims = harness.claims(reissued.as_deref().expect("Set-Cookie from the middleware"));
        assert_eq!(claims["accessToken"], new_access);
    }
    let (reissued_session, _) = harness
        .session(answers[0].1.as_deref().expect("a cookie"))
        .await;
    assert_eq!(reissued_session["accessToken"], new_access);
    assert_eq!(harness.grants().await.0, 1);
}

/// The demo's `oidc` provider refreshes (`refresh`) and exposes none of the provider's tokens
/// in the session JSON: the tokens are in the encrypted cookie only.
#[tokio::test]
async fn the_demo_oidc_provider_keeps_provider_tokens_out_of_the_session() {
    use support::demo::app;

    let port = TestServer::bind().await;
    let origin = port.origin();
    let clients = json!([{
        "client_id": "demo-client",
        "client_secret": "demo-secret-0123456789",
        "redirect_uris": [format!("{origin}/api/auth/callback/oidc")],
    }]);
    let op = start_oidc_provider(&clients, &[("REFRESH", "1")]).await;
    let auth = Auth::<app::DemoAuth>::builder(app::AppState::with_demo_users().expect("users"))
        .secrets(Secrets::new([SECRET]).expect("a strong secret"))
        .public_url(&origin)
        .bearer_keys(app::bearer_keys().expect("bearer keys"))
        .oidc_client(
            "oidc",
            OidcClientCredentials::new(
                "demo-client",
                "demo-secret-0123456789",
                Some(op.origin.clone()),
            ),
        )
        .build_async()
        .await
        .expect("discovery succeeds");
    let server = port.serve(app::app(&auth));
    let jar = browser();
    let csrf = csrf_token(&jar, &server, "/api/auth").await;
    let response = jar
        .post(server.url("/api/auth/signin/oidc"))
        .form(&[("csrfToken", csrf.as_str())])
        .send()
        .await
        .expect("POST /signin/oidc");
    let prefix = server.url("/api/auth/callback/oidc");
    let callback = sign_in_as_alice(&jar, &location(response.headers()), &prefix).await;
    let response = jar.get(&callback).send().await.expect("GET /callback");
    let cookie = session_cookie(&set_cookies(response.headers())).expect("a session cookie");
    let claims = auth.codec().decode(&cookie).expect("opens");
    assert!(kept_refresh_token(&claims).is_some(), "kept for refreshing");
    let session: Value = jar
        .get(server.url("/api/auth/session"))
        .send()
        .await
        .expect("GET /session")
        .json()
        .await
        .expect("JSON");
    assert_eq!(session["user"]["role"], "viewer");
    let text = session.to_string();
    for absent in ["accessToken", "refreshToken", "providerRefresh", "idToken"] {
        assert!(!text.contains(absent), "{absent} in {text}");
    }
}
