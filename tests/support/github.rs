//! A loopback stand-in for GitHub (a small Poem server) answering with GitHub's real shapes,
//! on GitHub Enterprise's paths (`/api/v3/...`), which the `github(...)` preset's endpoint
//! overrides reach: the authorization endpoint (which redirects back at once, as the account
//! named by the test's `login` query parameter), the token exchange
//! (`/login/oauth/access_token`, including its error answer, a 200 with `error`), `GET /user`
//! and `GET /user/emails`. Its accounts: `octocat` (a verified primary email), `newbie` (an
//! unverified primary email), `expired-code` (the code is refused) and `revoked` (`/user`
//! answers 401).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use auth_runtime::OidcClientCredentials;
use poem::http::StatusCode as PoemStatus;
use poem::{Body, Request, Response, Route};
use serde_json::{Value, json};
use sha2::Digest as _;

use super::http::{TestServer, location};

/// The client id the stand-in accepts.
pub(crate) const CLIENT_ID: &str = "Iv1.stand-in-client";
/// The client secret the stand-in accepts.
pub(crate) const CLIENT_SECRET: &str = "stand-in-client-secret-0123456789abcdef";

/// One account of the stand-in: `/user`, `/user/emails`, and how it fails.
struct Account {
    user: Value,
    emails: Value,
    /// The token endpoint refuses its code.
    bad_code: bool,
    /// `/user` answers 401.
    user_fails: bool,
}

fn accounts() -> HashMap<&'static str, Account> {
    let user = |login: &str, id: u64, name: Value, email: Value| {
        json!({
            "login": login, "id": id, "node_id": "MDQ6VXNlcjE=",
            "avatar_url": format!("https://avatars.githubusercontent.com/u/{id}?v=4"),
            "html_url": format!("https://github.com/{login}"), "type": "User", "site_admin": false,
            "name": name, "company": null, "blog": "", "location": null, "email": email,
            "hireable": null, "bio": null, "public_repos": 8, "followers": 20, "following": 0,
            "created_at": "2011-01-25T18:44:36Z", "updated_at": "2024-01-22T12:00:00Z"
        })
    };
    let email = |email: &str, primary: bool, verified: bool| json!({"email": email, "primary": primary, "verified": verified, "visibility": if primary { "public" } else { "private" }});
    HashMap::from([
        (
            "octocat",
            Account {
                user: user(
                    "octocat",
                    583_231,
                    json!("The Octocat"),
                    json!("octocat@github.com"),
                ),
                emails: json!([
                    email("octocat@users.noreply.github.com", false, true),
                    email("octocat@github.com", true, true),
                ]),
                bad_code: false,
                user_fails: false,
            },
        ),
        (
            "newbie",
            Account {
                // The public email on `/user` is the unverified primary one.
                user: user(
                    "newbie",
                    9_000_001,
                    Value::Null,
                    json!("newbie@example.com"),
                ),
                emails: json!([
                    email("newbie@example.com", true, false),
                    email("old@example.com", false, true),
                ]),
                bad_code: false,
                user_fails: false,
            },
        ),
        (
            "expired-code",
            Account {
                user: user("expired-code", 1, Value::Null, Value::Null),
                emails: json!([]),
                bad_code: true,
                user_fails: false,
            },
        ),
        (
            "revoked",
            Account {
                user: user("revoked", 2, Value::Null, Value::Null),
                emails: json!([]),
                bad_code: false,
                user_fails: true,
            },
        ),
    ])
}

/// A code the stand-in issued: for which account, PKCE challenge and redirect URI.
struct Grant {
    login: String,
    challenge: String,
    redirect_uri: String,
}

/// The stand-in's state: accounts, outstanding codes, issued tokens, and what it was sent.
#[derive(Default)]
pub(crate) struct StandIn {
    grants: HashMap<String, Grant>,
    /// The access tokens issued, and for which login.
    pub(crate) tokens: HashMap<String, String>,
    counter: u64,
    /// `(path, Accept, User-Agent)` of every API request.
    pub(crate) api_requests: Vec<(String, String, String)>,
}

fn json_response(status: PoemStatus, body: &Value) -> Response {
    Response::builder()
        .status(status)
        .content_type("application/json; charset=utf-8")
        .body(Body::from_string(body.to_string()))
}

fn query(req: &Request) -> HashMap<String, String> {
    form_urlencoded::parse(req.uri().query().unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

fn header(req: &Request, name: &str) -> String {
    req.headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, byte)| n | u32::from(*byte) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// GitHub's stand-in, on GitHub Enterprise's paths.
fn routes(state: Arc<Mutex<StandIn>>) -> Route {
    let accounts = Arc::new(accounts());
    let authorize = {
        let state = Arc::clone(&state);
        poem::endpoint::make_sync(move |req: Request| {
            let q = query(&req);
            assert_eq!(q.get("client_id").map(String::as_str), Some(CLIENT_ID));
            assert_eq!(
                q.get("code_challenge_method").map(String::as_str),
                Some("S256")
            );
            assert!(!q.contains_key("nonce"), "plain OAuth 2 sends no nonce");
            let mut state = state.lock().expect("the stand-in");
            state.counter += 1;
            let code = format!("code-{}", state.counter);
            let redirect_uri = q["redirect_uri"].clone();
            state.grants.insert(
                code.clone(),
                Grant {
                    login: q["login"].clone(),
                    challenge: q["code_challenge"].clone(),
                    redirect_uri: redirect_uri.clone(),
                },
            );
            let back = format!("{redirect_uri}?code={code}&state={}", q["state"]);
            Response::builder()
                .status(PoemStatus::FOUND)
                .header("location", back)
                .finish()
        })
    };
    let token = {
        let state = Arc::clone(&state);
        let accounts = Arc::clone(&accounts);
        poem::endpoint::make(move |mut req: Request| {
            let state = Arc::clone(&state);
            let accounts = Arc::clone(&accounts);
            async move {
                let body = req.take_body().into_vec().await.expect("a body");
                let form: HashMap<String, String> =
                    form_urlencoded::parse(&body).into_owned().collect();
                // GitHub's answer to a code it does not accept: a 200 with `error`.
                let refuse = json_response(
                    PoemStatus::OK,
                    &json!({
                        "error": "bad_verification_code",
                        "error_description": "The code passed is incorrect or expired.",
                        "error_uri": "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#bad-verification-code"
                    }),
                );
                assert!(header(&req, "accept").contains("application/json"));
                if form.get("client_id").map(String::as_str) != Some(CLIENT_ID)
                    || form.get("client_secret").map(String::as_str) != Some(CLIENT_SECRET)
                {
                    return refuse;
                }
                let mut state = state.lock().expect("the stand-in");
                let Some(grant) = state.grants.remove(&form["code"]) else {
                    return refuse;
                };
                let verifier = form.get("code_verifier").cloned().unwrap_or_default();
                let challenge = base64url(&sha2::Sha256::digest(verifier.as_bytes()));
                if challenge != grant.challenge
                    || form.get("redirect_uri") != Some(&grant.redirect_uri)
                    || accounts[grant.login.as_str()].bad_code
                {
                    return refuse;
                }
                let access_token = format!("gho_standin{}", state.counter);
                state.tokens.insert(access_token.clone(), grant.login);
                json_response(
                    PoemStatus::OK,
                    &json!({
                        "access_token": access_token,
                        "token_type": "bearer",
                        "scope": "read:user,user:email"
                    }),
                )
            }
        })
    };
    let api = |emails: bool| {
        let state = Arc::clone(&state);
        let accounts = Arc::clone(&accounts);
        poem::endpoint::make_sync(move |req: Request| {
            let mut state = state.lock().expect("the stand-in");
            let accept = header(&req, "accept");
            let agent = header(&req, "user-agent");
            state
                .api_requests
                .push((req.uri().path().to_owned(), accept.clone(), agent.clone()));
            if agent.is_empty() {
                // GitHub refuses an API request without a User-Agent.
                return json_response(
                    PoemStatus::FORBIDDEN,
                    &json!({"message": "Request forbidden by administrative rules."}),
                );
            }
            let bearer = header(&req, "authorization");
            let login = bearer
                .strip_prefix("Bearer ")
                .and_then(|token| state.tokens.get(token));
            let Some(account) = login.map(|login| &accounts[login.as_str()]) else {
                return json_response(
                    PoemStatus::UNAUTHORIZED,
                    &json!({"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest", "status": "401"}),
                );
            };
            if account.user_fails {
                return json_response(
                    PoemStatus::UNAUTHORIZED,
                    &json!({"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest", "status": "401"}),
                );
            }
            json_response(
                PoemStatus::OK,
                if emails {
                    &account.emails
                } else {
                    &account.user
                },
            )
        })
    };
    Route::new()
        .at("/login/oauth/authorize", authorize)
        .at("/login/oauth/access_token", poem::post(token))
        .at("/api/v3/user", poem::get(api(false)))
        .at("/api/v3/user/emails", poem::get(api(true)))
}

/// The stand-in, started, and the credentials that point a GitHub provider at it.
pub(crate) async fn start_stand_in() -> (Arc<Mutex<StandIn>>, TestServer, OidcClientCredentials) {
    let stand_in = Arc::new(Mutex::new(StandIn::default()));
    let github = TestServer::start(routes(Arc::clone(&stand_in))).await;
    let credentials = OidcClientCredentials::new(CLIENT_ID, CLIENT_SECRET, None).with_endpoints(
        github.url("/login/oauth/authorize"),
        github.url("/login/oauth/access_token"),
        github.url("/api/v3/user"),
    );
    (stand_in, github, credentials)
}

/// At the stand-in's authorization URL `authorization`, signs in as `login`: the URL of our
/// callback it redirects to.
pub(crate) async fn authorize_as(
    browser: &reqwest::Client,
    authorization: &str,
    login: &str,
) -> String {
    let at_github = browser
        .get(format!("{authorization}&login={login}"))
        .send()
        .await
        .expect("GET at the stand-in");
    assert_eq!(at_github.status(), reqwest::StatusCode::FOUND);
    location(at_github.headers())
}
