//! The demo application (`examples/demo/app.rs`), served on a loopback port at its real
//! origin, for the tests that drive it as a black box.

#[path = "../../examples/demo/app.rs"]
pub(crate) mod app;

use auth_runtime::{Auth, OidcClientCredentials, Secrets};
use auth_runtime::{Clock, SystemClock};

use super::http::{BoundPort, TestServer};

/// Serves the demo, with its users and `secret`, on a fresh loopback port; its public URL is
/// the port's own origin, so redirects and cookies are what a browser would see.
pub(crate) async fn serve_demo(secret: &str) -> TestServer {
    serve_demo_with(
        Secrets::new([secret]).expect("a strong secret"),
        SystemClock,
    )
    .await
}

/// [`serve_demo`] with `secrets` (newest first) and the time from `clock`.
pub(crate) async fn serve_demo_with(secrets: Secrets, clock: impl Clock) -> TestServer {
    let port = TestServer::bind().await;
    let state = app::AppState::with_demo_users().expect("demo users");
    let auth = Auth::<app::DemoAuth>::builder(state)
        .secrets(secrets)
        .public_url(&port.origin())
        .bearer_keys(app::bearer_keys().expect("bearer keys"))
        .clock(clock)
        .build()
        .expect("the demo's configuration is valid");
    port.serve(app::app(&auth))
}

/// Serves the demo, with its users and `secret`, on `port` (bound first, so that a provider
/// could be told the callback URLs), with the OAuth `providers` given by id (`oidc`, `google`,
/// …) and their credentials, each discovered or checked at start-up.
pub(crate) async fn serve_demo_with_oidc(
    port: BoundPort,
    secret: &str,
    providers: &[(&'static str, OidcClientCredentials)],
) -> TestServer {
    let state = app::AppState::with_demo_users().expect("demo users");
    let mut builder = Auth::<app::DemoAuth>::builder(state)
        .secrets(Secrets::new([secret]).expect("a strong secret"))
        .public_url(&port.origin())
        .bearer_keys(app::bearer_keys().expect("bearer keys"));
    for (id, credentials) in providers {
        builder = builder.oidc_client(id, credentials.clone());
    }
    let auth = builder.build_async().await.expect("discovery succeeds");
    port.serve(app::app(&auth))
}
