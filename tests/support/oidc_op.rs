//! The OpenID Providers the OIDC tests run against on loopback: the real `oidc-provider`
//! (`tests/interop/oidc-provider.mjs`) and a lying one (`tests/interop/hostile-op.mjs`).

use std::time::Duration;

use serde_json::{Value, json};

use super::node::NodeServer;

/// How long a provider may take to start on a loaded machine.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// Starts the real `oidc-provider` with `clients` (`[{"client_id", "client_secret",
/// "redirect_uris": […]}]`); its issuer is the server's `origin`.
pub(crate) async fn start_oidc_provider(clients: &Value) -> NodeServer {
    let clients = clients.to_string();
    tokio::task::spawn_blocking(move || {
        NodeServer::start(
            "interop/oidc-provider.mjs",
            &[("PORT", "0"), ("CLIENTS", &clients)],
            START_TIMEOUT,
        )
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
