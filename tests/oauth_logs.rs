//! Provider tokens kept as claims, seen from the logs and the cookie jar, every log line
//! captured at TRACE level:
//!
//! - LG-01 for OAuth: a sign-in with OpenID Connect, a refresh, and a refused refresh, against
//!   the real `oidc-provider` (`REFRESH=1`), leave no provider token (access, refresh, `id_token`,
//!   before and after the refresh), authorization code, `state`, client secret or cookie value
//!   in any log line (LG-05: the callback's `code` and `state` are not traced either).
//! - Size: a sign-in whose kept `id_token` is large (a long `groups` claim, as Entra and Okta
//!   send, from the hostile provider in its honest mode) is split into cookie chunks that read
//!   back whole, and the sign-in logs a warning that the token is over 4 KB naming its largest
//!   claims, never their values.
#![allow(clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod support;

use std::time::Duration;

use auth_runtime::OidcClientCredentials;
use auth_runtime::prelude::*;
use poem::Route;
use reqwest::StatusCode;
use serde_json::{Map, Value, json};
use support::clock::ShiftedClock;
use support::http::{
    TestServer, begin_sign_in, browser_with_jar, jar_cookie, location, session_json,
};
use support::logs::captured_logs;
use support::node::NodeServer;
use support::oauth_user::User;
use support::oidc_op::{
    client, refresh_grants, revoke_grants, sign_in_as_alice, start_hostile_op, start_oidc_provider,
};

const SECRET: &str = "oauth-logs-test-secret-8b3e1d6f0a4c7e2b9d5f";
const CLIENT_ID: &str = "client-logs";
const CLIENT_SECRET: &str = "secret-logs-0123456789-do-not-log";
const HOSTILE_ID: &str = "hostile-logs";
const HOSTILE_SECRET: &str = "hostile-logs-secret-0123456789abcdef";
/// The provider's access token lifetime.
const ACCESS_TOKEN_TTL: Duration = Duration::from_secs(300);

async fn from_oidc(profile: &OAuthProfile, _state: &()) -> Result<Option<User>, CallbackError> {
    Ok(Some(User::from_profile(profile.sub.clone(), profile)))
}

/// Every provider token kept: the access token for the browser, the rest private, the
/// `id_token` included (kept only because a claim asks for it).
#[auth_config(user = User)]
pub(crate) struct KeptTokensAuth {
    #[provider(oidc(profile = from_oidc, refresh, refresh_skew = "10s"))]
    oidc: Oidc,
    #[provider(oidc(id = "hostile", profile = from_oidc))]
    hostile: Oidc,
    #[claim(from_account = access_token, session = top)]
    access_token: Option<String>,
    #[claim(from_account = expires_at)]
    expires_at: Option<i64>,
    #[claim(from_account = refresh_token)]
    refresh_token: Option<String>,
    #[claim(from_account = id_token)]
    id_token: Option<String>,
}

struct Harness {
    op: NodeServer,
    hostile: NodeServer,
    server: TestServer,
    auth: Auth<KeptTokensAuth>,
    clock: ShiftedClock,
}

impl Harness {
    async fn start() -> Self {
        let port = TestServer::bind().await;
        let origin = port.origin();
        let ttl = ACCESS_TOKEN_TTL.as_secs().to_string();
        let op = start_oidc_provider(
            &json!([client(CLIENT_ID, CLIENT_SECRET, &origin, "oidc")]),
            &[("REFRESH", "1"), ("ACCESS_TOKEN_TTL", &ttl)],
        )
        .await;
        let hostile = start_hostile_op(HOSTILE_ID, HOSTILE_SECRET).await;
        let clock = ShiftedClock::default();
        let auth = Auth::<KeptTokensAuth>::builder(())
            .secrets(Secrets::new([SECRET]).expect("a strong secret"))
            .public_url(&origin)
            .clock(clock.clone())
            .oidc_client(
                "oidc",
                OidcClientCredentials::new(CLIENT_ID, CLIENT_SECRET, Some(op.origin.clone())),
            )
            .oidc_client(
                "hostile",
                OidcClientCredentials::new(
                    HOSTILE_ID,
                    HOSTILE_SECRET,
                    Some(hostile.origin.clone()),
                ),
            )
            .build_async()
            .await
            .expect("discovery succeeds");
        let server = port.serve(auth.mount(Route::new()));
        Self {
            op,
            hostile,
            server,
            auth,
            clock,
        }
    }

    /// The session token a jar holds, its chunks reassembled, and its claims.
    fn claims(&self, jar: &reqwest::cookie::Jar) -> Map<String, Value> {
        let token = session_token(jar, &self.server).expect("a session cookie");
        self.auth.codec().decode(&token).expect("the cookie opens")
    }
}

/// The session token in `jar`: the unchunked cookie, or its chunks `.0`, `.1`, … joined.
fn session_token(jar: &reqwest::cookie::Jar, server: &TestServer) -> Option<String> {
    const NAME: &str = "authjs.session-token";
    if let Some(whole) = jar_cookie(jar, server, NAME) {
        return Some(whole);
    }
    let chunks: Vec<String> = (0..)
        .map_while(|index| jar_cookie(jar, server, &format!("{NAME}.{index}")))
        .collect();
    (!chunks.is_empty()).then(|| chunks.concat())
}

/// The query parameter `name` of `url`.
fn query_param(url: &str, name: &str) -> String {
    let query = url.split_once('?').map_or("", |(_, query)| query);
    form_urlencoded::parse(query.as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
        .unwrap_or_else(|| panic!("{name} in {url}"))
}

/// LG-01, LG-05: sign-in, refresh and a refused refresh, and not one log line holds a
/// provider token, the code, the `state`, the client secret or a cookie value.
#[tokio::test]
async fn lg_01_oauth_sign_in_and_refresh_leave_no_provider_token_code_or_secret_in_the_logs() {
    let logs = captured_logs();
    let harness = Harness::start().await;
    let (browser, jar) = browser_with_jar();
    let mut forbidden: Vec<String> = vec![SECRET.to_owned(), CLIENT_SECRET.to_owned()];

    let (authorization, _) = begin_sign_in(&browser, &harness.server, "oidc", None).await;
    let prefix = harness.server.url("/api/auth/callback/oidc");
    let callback = sign_in_as_alice(&browser, &authorization, &prefix).await;
    forbidden.push(query_param(&callback, "code"));
    forbidden.push(query_param(&callback, "state"));
    for name in ["authjs.state", "authjs.pkce.code_verifier", "authjs.nonce"] {
        forbidden.push(jar_cookie(&jar, &harness.server, name).expect("a check cookie"));
    }
    let response = browser.get(&callback).send().await.expect("GET /callback");
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(location(response.headers()), harness.server.url("/"));

    let mut remember = |claims: &Map<String, Value>| {
        for name in ["accessToken", "refreshToken", "idToken"] {
            if let Some(value) = claims.get(name).and_then(Value::as_str) {
                forbidden.push(value.to_owned());
            }
        }
    };
    let signed_in = harness.claims(&jar);
    assert!(signed_in["idToken"].is_string(), "the id_token is kept");
    remember(&signed_in);
    let mut cookies = vec![session_token(&jar, &harness.server).expect("a session")];

    // A refresh, then a refused one.
    harness.clock.advance(ACCESS_TOKEN_TTL);
    let session = session_json(&browser, &harness.server).await;
    assert!(session.get("error").is_none(), "{session}");
    let refreshed = harness.claims(&jar);
    assert_ne!(refreshed["accessToken"], signed_in["accessToken"]);
    remember(&refreshed);
    cookies.push(session_token(&jar, &harness.server).expect("a session"));
    revoke_grants(&harness.op).await;
    harness.clock.advance(ACCESS_TOKEN_TTL);
    let session = session_json(&browser, &harness.server).await;
    assert_eq!(session["error"], "RefreshAccessTokenError");
    let grants = refresh_grants(&harness.op).await;
    assert_eq!(
        (grants["attempts"].as_u64(), grants["refused"].as_u64()),
        (Some(2), Some(1))
    );
    for presented in grants["presented"].as_array().expect("presented") {
        forbidden.push(presented.as_str().expect("a token").to_owned());
    }
    cookies.push(session_token(&jar, &harness.server).expect("a session"));
    for cookie in &cookies {
        forbidden.extend(
            cookie
                .split('.')
                .filter(|part| part.len() >= 24)
                .map(str::to_owned),
        );
    }

    let text = logs.text();
    assert!(text.contains("signed_in"), "the sign-in was logged at all");
    assert!(text.contains("access token refreshed"), "the refresh too");
    assert!(
        text.contains("refreshing the access token failed"),
        "and its failure"
    );
    for needle in &forbidden {
        assert!(needle.len() >= 16, "a value worth looking for");
        let window = &needle[..needle.len().min(24)];
        assert!(
            !text.contains(window),
            "the logs contain a secret value ({} characters)",
            needle.len()
        );
    }
}

/// A kept `id_token` of about 6 KB: the session is split into cookie chunks that read back
/// whole (the token the provider issued, byte for byte), the session JSON stays small, and
/// the sign-in logs a warning naming `idToken` as the largest claim, without its value.
#[tokio::test]
async fn a_token_over_4_kb_is_chunked_reads_back_whole_and_is_warned_about_at_sign_in() {
    let logs = captured_logs();
    let harness = Harness::start().await;
    let groups: Vec<String> = (0..120)
        .map(|index| format!("7f3c2a1e-5b8d-4c6f-9e0a-{index:012}"))
        .collect();
    let response = reqwest::Client::new()
        .post(format!("{}/test/mode", harness.hostile.origin))
        .json(&json!({ "extra": { "groups": groups } }))
        .send()
        .await
        .expect("POST /test/mode");
    assert!(response.status().is_success());

    let (browser, jar) = browser_with_jar();
    let (authorization, _) = begin_sign_in(&browser, &harness.server, "hostile", None).await;
    let at_provider = browser
        .get(&authorization)
        .send()
        .await
        .expect("GET the authorization URL");
    let callback = location(at_provider.headers());
    let response = browser.get(&callback).send().await.expect("GET /callback");
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(location(response.headers()), harness.server.url("/"));

    assert!(jar_cookie(&jar, &harness.server, "authjs.session-token").is_none());
    assert!(
        jar_cookie(&jar, &harness.server, "authjs.session-token.1").is_some(),
        "chunked"
    );
    let stats: Value = reqwest::get(format!("{}/test/stats", harness.hostile.origin))
        .await
        .expect("GET /test/stats")
        .json()
        .await
        .expect("JSON");
    let issued = stats["lastIdToken"].as_str().expect("an id_token issued");
    assert!(issued.len() > 4096, "{} bytes", issued.len());
    let claims = harness.claims(&jar);
    assert_eq!(claims["idToken"], issued, "read back whole");

    let session = session_json(&browser, &harness.server).await;
    assert_eq!(session["user"]["name"], "Mallory");
    assert!(!session.to_string().contains("idToken"));

    let text = logs.text();
    let warning = text
        .lines()
        .find(|line| line.contains("WARN") && line.contains("over 4 KB"))
        .unwrap_or_else(|| panic!("a size warning in:\n{text}"));
    assert!(warning.contains("largest_claims=idToken ("), "{warning}");
    assert!(
        !text.contains(&issued[..24]),
        "the id_token's value in the logs"
    );
}
