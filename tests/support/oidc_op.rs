//! The real OpenID Provider of the OAuth tests (`oidc-provider`, `tests/interop/oidc-provider.mjs`)
//! on loopback: starting it with its clients, signing in at it as `alice` through its
//! development interaction pages, and (with `REFRESH=1`) reading its count of refresh-token
//! grants and revoking its grants.

use std::time::Duration;

use serde_json::Value;

use super::http::location;
use super::node::NodeServer;

/// How long the provider may take to start.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// Starts the provider with `clients` (a JSON array of `{"client_id", "client_secret",
/// "redirect_uris"}`) and the extra environment `env` (`REFRESH`, `ACCESS_TOKEN_TTL`,
/// `TOKEN_DELAY_MS`, …).
pub(crate) async fn start_op(clients: &Value, env: &[(&str, &str)]) -> NodeServer {
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

/// Follows `authorization_url` at the provider with `browser`, logging in as `alice` and
/// consenting, until it redirects to a URL starting with `callback_prefix`: that URL.
pub(crate) async fn sign_in_as_alice(
    browser: &reqwest::Client,
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
            vec![("prompt", "login"), ("login", "alice"), ("password", "any")]
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
