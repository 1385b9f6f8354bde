//! The demo application (`examples/demo/app.rs`), served on a loopback port at its real
//! origin, for the tests that drive it as a black box.

#[path = "../../examples/demo/app.rs"]
pub(crate) mod app;

use auth_runtime::{Auth, Secrets};

use super::http::TestServer;

/// Serves the demo, with its users and `secret`, on a fresh loopback port; its public URL is
/// the port's own origin, so redirects and cookies are what a browser would see.
pub(crate) async fn serve_demo(secret: &str) -> TestServer {
    let port = TestServer::bind().await;
    let state = app::AppState::with_demo_users().expect("demo users");
    let auth = Auth::<app::DemoAuth>::builder(state)
        .secrets(Secrets::new([secret]).expect("a strong secret"))
        .public_url(&port.origin())
        .build()
        .expect("the demo's configuration is valid");
    port.serve(app::app(&auth))
}
