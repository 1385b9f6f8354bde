//! The demo server: `cargo run --example demo`.
//!
//! Serves on `127.0.0.1:$PORT` (default 3000). `AUTH_SECRET` (and `AUTH_SECRET_1..3` for
//! rotation) holds the secret; without one, a random secret is generated for this run and
//! sessions do not survive a restart. `AUTH_URL` is the public URL (default
//! `http://127.0.0.1:$PORT`); an `https` URL switches to the `__Secure-` cookie names.
//! `AUTH_OIDC_ISSUER`, `AUTH_OIDC_ID` and `AUTH_OIDC_SECRET` add the OpenID Connect provider
//! (discovered before the server binds), `AUTH_GITHUB_ID` and `AUTH_GITHUB_SECRET` add
//! GitHub, `AUTH_GOOGLE_ID` and `AUTH_GOOGLE_SECRET` add Google (discovered too); a provider
//! without its variables is left out, and one with an id but no secret stops the start.
//! Each provider's redirect URI is `<AUTH_URL>/api/auth/callback/<id>`.
//! `AUTH_BEARER_KEYS` holds the bearer tokens' keys (PEM or a JWK set, the signing Ed25519
//! key first); without it a throwaway key signs them for this run.
//! `AUTH_REDIS_URL` (`redis://127.0.0.1:6379`) puts the shared state (the sign-in rate limit,
//! the update race, refresh leases, revocations) in that Redis, so that several instances on
//! several ports serve the same users as one; `AUTH_REDIS_PREFIX` prefixes its keys.
//! Revocation is on (`POST /api/auth/signout/others`, and sign-out revokes the session);
//! `DEMO_REVOCATION=off` turns it off, for comparing the stateless path.
#![allow(
    clippy::print_stderr,
    reason = "start-up problems are told on stderr before logging exists"
)]

mod app;

use std::process::ExitCode;

use auth_runtime::SECRET_VARIABLE;
use auth_runtime::{Auth, AuthError, Revocation, Secrets};
use poem::Server;
use poem::listener::TcpListener;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("demo: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let port: u16 = match std::env::var("PORT") {
        Ok(port) => port
            .parse()
            .map_err(|_| format!("PORT must be a port number, not `{port}`"))?,
        Err(_) => 3000,
    };
    let public_url =
        std::env::var("AUTH_URL").unwrap_or_else(|_| format!("http://127.0.0.1:{port}"));
    let secrets = secrets()?;
    let state = app::AppState::with_demo_users().map_err(|error| error.to_string())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start the runtime: {error}"))?;
    // Every configuration problem (an OpenID Connect issuer too) stops the server here,
    // before it binds.
    let mut builder = Auth::<app::DemoAuth>::builder(state)
        .secrets(secrets)
        .public_url(&public_url)
        .bearer_keys(app::bearer_keys().map_err(|error| error.to_string())?);
    if std::env::var("DEMO_REVOCATION").as_deref() != Ok("off") {
        builder = builder.revocation(Revocation::new());
    }
    // `build_async` also connects to AUTH_REDIS_URL when it is set.
    let auth = runtime
        .block_on(builder.build_async())
        .map_err(|error| error.to_string())?;
    runtime.block_on(async {
        tracing::info!("demo listening on http://127.0.0.1:{port} (public URL {public_url})");
        Server::new(TcpListener::bind(("127.0.0.1", port)))
            .run_with_graceful_shutdown(
                app::app(&auth),
                async {
                    let _ = tokio::signal::ctrl_c().await;
                },
                None,
            )
            .await
            .map_err(|error| format!("cannot serve on 127.0.0.1:{port}: {error}"))
    })
}

/// The configured secrets, or a fresh random one for this run when none is set.
fn secrets() -> Result<Secrets, String> {
    match Secrets::from_env() {
        Ok(secrets) => Ok(secrets),
        Err(AuthError::MissingSecret { .. }) => {
            let bytes: [u8; 32] = rand::random();
            let secret: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
            tracing::warn!(
                "{SECRET_VARIABLE} is not set: using a random secret generated for this run. \
                 Sessions will not survive a restart, and no other service can read them. \
                 Set {SECRET_VARIABLE} (e.g. `openssl rand -base64 33`) for anything but a demo."
            );
            eprintln!(
                "\n  *** {SECRET_VARIABLE} IS NOT SET: this run uses a throwaway secret ***\n"
            );
            Secrets::new([secret]).map_err(|error| error.to_string())
        }
        Err(error) => Err(error.to_string()),
    }
}
