//! The demo's `google(...)` preset (OpenID Connect) through the real `oidc-provider`
//! (`tests/interop/oidc-provider.mjs`) standing in for Google on loopback, its issuer given at
//! start-up as `AUTH_GOOGLE_ISSUER` would: the preset's scopes and the demo's
//! `params(access_type = "offline", prompt = "consent")` reach the authorization URL, the
//! provider is listed on the sign-in page, and an unknown Google user signs in as a viewer of
//! `acme` with the verified name and email.
#![allow(clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod support;

use auth_runtime::{Auth, OidcClientCredentials, Secrets};
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::demo::app;
use support::http::{TestServer, browser, csrf_token, location};
use support::oidc_op::{sign_in_as_alice, start_oidc_provider};

const SECRET: &str = "google-preset-test-secret-2b8d4f6a0c1e3a5b7d9f";

/// The demo's Google provider, configured: listed, offline access and consent asked for, and
/// an unknown user signed in as an `acme` viewer.
#[tokio::test]
async fn the_demo_google_preset_sends_offline_consent_and_signs_in_an_acme_viewer() {
    let port = TestServer::bind().await;
    let origin = port.origin();
    let clients = json!([{
        "client_id": "demo-google.apps.example",
        "client_secret": "GOCSPX-demo-secret-0123456789",
        "redirect_uris": [format!("{origin}/api/auth/callback/google")],
    }]);
    let op = start_oidc_provider(&clients, &[]).await;
    let auth = Auth::<app::DemoAuth>::builder(app::AppState::with_demo_users().expect("users"))
        .secrets(Secrets::new([SECRET]).expect("a strong secret"))
        .public_url(&origin)
        .bearer_keys(app::bearer_keys().expect("bearer keys"))
        .oidc_client(
            "google",
            OidcClientCredentials::new(
                "demo-google.apps.example",
                "GOCSPX-demo-secret-0123456789",
                Some(op.origin.clone()),
            ),
        )
        .build_async()
        .await
        .expect("discovery succeeds");
    let server = port.serve(app::app(&auth));
    let client = browser();

    let page = client
        .get(server.url("/api/auth/signin"))
        .send()
        .await
        .expect("GET /signin")
        .text()
        .await
        .expect("HTML");
    assert!(page.contains("Sign in with Google"), "{page}");
    assert!(
        !page.contains("Sign in with GitHub"),
        "GitHub is not configured"
    );

    let token = csrf_token(&client, &server, "/api/auth").await;
    let response = client
        .post(server.url("/api/auth/signin/google"))
        .form(&[("csrfToken", token.as_str())])
        .send()
        .await
        .expect("POST /signin/google");
    assert_eq!(response.status(), StatusCode::FOUND);
    let authorization = location(response.headers());
    assert!(authorization.starts_with(&op.origin), "{authorization}");
    for param in [
        "access_type=offline",
        "prompt=consent",
        "scope=openid+email+profile",
        "code_challenge_method=S256",
        "nonce=",
    ] {
        assert!(authorization.contains(param), "{param} in {authorization}");
    }

    // Alice logs in and consents at the provider; it redirects back to our callback.
    let callback_prefix = server.url("/api/auth/callback/google");
    let next = sign_in_as_alice(&client, &authorization, &callback_prefix).await;
    let response = client.get(&next).send().await.expect("GET /callback");
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(location(response.headers()), server.url("/"));

    let session: Value = client
        .get(server.url("/api/auth/session"))
        .send()
        .await
        .expect("GET /session")
        .json()
        .await
        .expect("JSON");
    assert_eq!(session["user"]["role"], "viewer");
    assert_eq!(session["user"]["tenantId"], "acme");
    assert_eq!(session["user"]["name"], "Alice Example");
    assert_eq!(session["user"]["email"], "alice@acme.example");
}
