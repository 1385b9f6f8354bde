//! The OpenID Providers the OIDC tests run against on loopback: the real `oidc-provider`
//! (`tests/interop/oidc-provider.mjs`) and a lying one (`tests/interop/hostile-op.mjs`);
//! signing in at the real one as one of its accounts through its development interaction
//! pages, and (with `REFRESH=1`) reading its count of refresh-token grants and revoking its
//! grants.

use std::time::Duration;

use serde_json::{Value, json};

use super::http::location;
use super::node::NodeServer;

/// How long a provider may take to start on a loaded machine.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// Starts the real `oidc-provider` with `clients` (`[{"client_id", "client_secret",
/// "redirect_uris": […]}]`, see [`client`]) and the extra environment `env` (`REFRESH`,
/// `ACCESS_TOKEN_TTL`, `TOKEN_DELAY_MS`, …); its issuer is the server's `origin`.
pub(crate) async fn start_oidc_provider(clients: &Value, env: &[(&str, &str)]) -> NodeServer {
    let clients = clients.to_string();
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
    tokio::task::spawn_blocking(move || {
        let mut envs: Vec<(&str, &str)> = vec![("PORT", "0"), ("CLIENTS", &clients)];
        envs.extend(
            env.iter()
                .map(|(name, value)| (name.as_str(), value.as_str())),
        );
        NodeServer::start("interop/oidc-provider.mjs", &envs, START_TIMEOUT)
    })
    .await
    .expect("the OpenID Provider starts")
}

/// One client of `oidc-provider` whose only redirect URI is `<origin>/api/auth/callback/<id>`.
pub(crate) fn client(id: &str, secret: &str, origin: &str, provider: &str) -> Value {
    json!({
        "client_id": id,
        "client_secret": secret,
        "redirect_uris": [format!("{origin}/api/auth/callback/{provider}")],
    })
}

/// Starts the hostile provider for one client; its issuer is the server's `origin`.
pub(crate) async fn start_hostile_op(client_id: &str, client_secret: &str) -> NodeServer {
    let (id, secret) = (client_id.to_owned(), client_secret.to_owned());
    tokio::task::spawn_blocking(move || {
        NodeServer::start(
            "interop/hostile-op.mjs",
            &[
                ("PORT", "0"),
                ("CLIENT_ID", &id),
                ("CLIENT_SECRET", &secret),
            ],
            START_TIMEOUT,
        )
    })
    .await
    .expect("the hostile OpenID Provider starts")
}

/// Follows `authorization_url` at the real provider with `browser`, logging in as `alice` and
/// consenting, until it redirects to a URL starting with `callback_prefix`: that URL.
pub(crate) async fn sign_in_as_alice(
    browser: &reqwest::Client,
    authorization_url: &str,
    callback_prefix: &str,
) -> String {
    sign_in_at_provider(browser, "alice", authorization_url, callback_prefix).await
}

/// Follows `authorization_url` at the real provider with `browser`, logging in as `login`
/// (`alice`, `bob` or `carol`) and consenting, until it redirects to a URL starting with
/// `callback_prefix`: that URL.
pub(crate) async fn sign_in_at_provider(
    browser: &reqwest::Client,
    login: &str,
    authorization_url: &str,
    callback_prefix: &str,
) -> String {
    let mut next = authorization_url.to_owned();
    for _ in 0..12 {
        if next.starts_with(callback_prefix) {
            return next;
        }
        let response = browser
            .get(&next)
            .send()
            .await
            .expect("GET at the provider");
        if response.status().is_redirection() {
            next = absolute(&next, &location(response.headers()));
            continue;
        }
        let html = response.text().await.expect("an interaction page");
        let action = between(&html, "action=\"", "\"").expect("a form");
        let prompt = between(&html, "name=\"prompt\" value=\"", "\"").expect("a prompt");
        let fields: Vec<(&str, &str)> = if prompt == "login" {
            vec![("prompt", "login"), ("login", login), ("password", "any")]
        } else {
            vec![("prompt", prompt)]
        };
        let response = browser
            .post(absolute(&next, action))
            .form(&fields)
            .send()
            .await
            .expect("POST an interaction");
        next = absolute(&next, &location(response.headers()));
    }
    panic!("the provider never redirected back to {callback_prefix}: {next}");
}

/// `reference` resolved against `base` (absolute, or a path on `base`'s origin).
pub(crate) fn absolute(base: &str, reference: &str) -> String {
    if reference.starts_with("http://") || reference.starts_with("https://") {
        return reference.to_owned();
    }
    let origin_end = base[8..].find('/').map_or(base.len(), |at| at + 8);
    format!("{}{reference}", &base[..origin_end])
}

/// The text between `start` and the next `end` in `text`.
pub(crate) fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(&text[from..from + len])
}

/// The refresh-token grants the provider saw (`REFRESH=1`): `attempts`, `refused`, and the
/// refresh tokens `presented`, in order.
pub(crate) async fn refresh_grants(op: &NodeServer) -> Value {
    reqwest::get(format!("{}/test/refresh-grants", op.origin))
        .await
        .expect("GET /test/refresh-grants")
        .json()
        .await
        .expect("JSON")
}

/// Revokes every grant the provider issued (`REFRESH=1`): the next refresh is refused.
pub(crate) async fn revoke_grants(op: &NodeServer) {
    let response = reqwest::Client::new()
        .post(format!("{}/test/revoke-grants", op.origin))
        .send()
        .await
        .expect("POST /test/revoke-grants");
    assert!(response.status().is_success(), "grants revoked");
}
