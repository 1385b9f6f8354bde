//! The real `next-auth/react` client (next-auth v5 from npm, `tests/package.json`) run
//! unchanged under Node against the demo application on a loopback port: `getProviders`,
//! `getCsrfToken`, `signIn("credentials", …, { redirect: false })`, `getSession` and the
//! `update()` of `useSession`, and `signIn("oidc")` against the demo's OpenID Connect
//! provider pointed at the real `oidc-provider` on loopback, with a cookie jar around `fetch`
//! (`tests/interop/nextauth-client.mjs`). Each test runs one scenario of the script and
//! asserts on the JSON it prints.
#![allow(clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod support;

use std::time::Duration;

use auth_runtime::OidcClientCredentials;
use serde_json::{Value, json};
use support::demo::{serve_demo, serve_demo_with_oidc};
use support::http::TestServer;
use support::node::run_script;
use support::oidc_op::{client, start_oidc_provider};

const SECRET: &str = "nextauth-client-secret-5e8b2d7f1a9c3e6b";
const BASE: &str = "/api/auth";
/// Far above the few seconds a run takes, for a loaded machine.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(120);

/// Serves the demo at its real origin and runs `scenario` of the client script against it.
async fn run_client(scenario: &'static str) -> Value {
    run_client_against(serve_demo(SECRET).await, scenario).await
}

/// Runs `scenario` of the client script against `server`, then stops it.
async fn run_client_against(server: TestServer, scenario: &'static str) -> Value {
    let base_url = server.url(BASE);
    let output = tokio::task::spawn_blocking(move || {
        run_script(
            "interop/nextauth-client.mjs",
            &[scenario],
            &[("NEXTAUTH_URL", base_url.as_str())],
            SCRIPT_TIMEOUT,
        )
    })
    .await
    .expect("the script runner");
    drop(server);
    assert!(
        output.success,
        "the next-auth client script failed ({scenario}):\n{}\nstdout:\n{}",
        output.stderr, output.stdout
    );
    serde_json::from_str(output.stdout.trim()).unwrap_or_else(|error| {
        panic!(
            "the script printed no JSON ({error}):\n{}\nstderr:\n{}",
            output.stdout, output.stderr
        )
    })
}

/// Asserts that `signIn(…, { redirect: false })` answered a successful sign-in.
fn assert_signed_in(result: &Value) {
    assert_eq!(result["ok"], true, "signIn ok: {result}");
    assert_eq!(result["status"], 200, "{result}");
    assert!(result.get("error").is_none_or(Value::is_null), "{result}");
    let url = result["url"].as_str().expect("signIn answers a URL");
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
}

#[tokio::test(flavor = "multi_thread")]
async fn client_lists_providers_gets_a_csrf_token_signs_in_and_reads_the_typed_session() {
    let out = run_client("sign-in").await;

    let credentials = &out["providers"]["credentials"];
    assert_eq!(credentials["id"], "credentials", "{out}");
    assert_eq!(credentials["type"], "credentials", "{out}");

    let csrf = out["csrfToken"].as_str().expect("a CSRF token");
    assert_eq!(csrf.len(), 64, "{csrf}");
    assert!(
        csrf.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
        "lowercase hex: {csrf}"
    );

    assert_eq!(out["before"], Value::Null, "signed out before signIn");
    assert_signed_in(&out["signIn"]);

    let user = &out["session"]["user"];
    assert_eq!(user["email"], "admin@example.com", "{out}");
    assert_eq!(user["name"], "Ada Admin", "{out}");
    assert_eq!(user["role"], "admin", "{out}");
    assert_eq!(
        user["permissions"],
        json!(["read", "write", "delete", "admin"])
    );
    assert_eq!(user["tenantId"], "acme", "{out}");
    assert!(
        out["session"]["expires"]
            .as_str()
            .is_some_and(|expires| expires.ends_with('Z')),
        "{out}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn client_sign_in_reports_credentials_signin_for_a_wrong_password_and_access_denied_outside_the_allowlist()
 {
    let out = run_client("sign-in-refused").await;

    let wrong = &out["wrongPassword"];
    assert_eq!(wrong["error"], "CredentialsSignin", "{out}");
    assert_eq!(wrong["code"], "credentials", "{out}");
    assert_eq!(wrong["url"], Value::Null, "{out}");
    assert_eq!(out["afterWrongPassword"], Value::Null, "still signed out");

    let outsider = &out["outsider"];
    assert_eq!(outsider["error"], "AccessDenied", "{out}");
    assert_eq!(outsider["url"], Value::Null, "{out}");
    assert_eq!(out["afterOutsider"], Value::Null, "still signed out");
}

#[tokio::test(flavor = "multi_thread")]
async fn client_update_switches_to_a_member_tenant_and_a_refused_tenant_leaves_the_session_unchanged()
 {
    let out = run_client("update-tenant").await;
    assert_signed_in(&out["signIn"]);
    assert_eq!(out["initial"]["user"]["tenantId"], "acme", "{out}");

    assert_eq!(out["toGlobex"]["status"], 200, "{out}");
    assert_eq!(out["toGlobex"]["threw"], Value::Null, "{out}");
    assert_eq!(out["toGlobex"]["answer"]["user"]["tenantId"], "globex");
    assert_eq!(out["afterGlobex"]["user"]["tenantId"], "globex", "{out}");

    assert_eq!(out["toInitech"]["status"], 403, "{out}");
    assert_eq!(out["toInitech"]["answer"], Value::Null, "no new session");
    assert_eq!(
        out["afterInitech"]["user"], out["afterGlobex"]["user"],
        "the session is unchanged"
    );
    let after = &out["afterInitech"]["user"];
    assert_eq!(after["tenantId"], "globex", "unchanged: {out}");
    assert_eq!(after["role"], "admin", "{out}");
    assert_eq!(after["email"], "admin@example.com", "{out}");
}

#[tokio::test(flavor = "multi_thread")]
async fn client_update_cannot_make_a_viewer_admin() {
    let out = run_client("update-role").await;
    assert_signed_in(&out["signIn"]);
    assert_eq!(out["initial"]["user"]["role"], "viewer", "{out}");

    assert_eq!(out["toAdmin"]["status"], 400, "{out}");
    assert_eq!(out["toAdmin"]["answer"], Value::Null, "no new session");
    let after = &out["after"]["user"];
    assert_eq!(after["role"], "viewer", "{out}");
    assert_eq!(after["permissions"], json!(["read"]), "{out}");
    assert_eq!(after["email"], "viewer@example.com", "{out}");
}

/// `signIn("oidc", { redirect: false })` answers the provider's authorization URL (PKCE S256,
/// `state`, `nonce`); a person signing in there as `alice` comes back to the callback, which
/// sends them to the `callbackUrl`, and the client's `getSession()` shows alice.
#[tokio::test(flavor = "multi_thread")]
async fn client_sign_in_with_oidc_goes_to_the_provider_and_comes_back_signed_in() {
    let port = TestServer::bind().await;
    let origin = port.origin();
    let op = start_oidc_provider(
        &json!([client(
            "nextauth-client",
            "nextauth-client-secret-0123456789",
            &origin,
            "oidc"
        )]),
        &[],
    )
    .await;
    let credentials = OidcClientCredentials::new(
        "nextauth-client",
        "nextauth-client-secret-0123456789",
        Some(op.origin.clone()),
    );
    let server = serve_demo_with_oidc(port, SECRET, &[("oidc", credentials)]).await;
    let out = run_client_against(server, "sign-in-oidc").await;
    let op_origin = op.origin.clone();
    drop(op);

    assert_eq!(out["providers"]["oidc"]["type"], "oidc", "{out}");
    assert_eq!(out["before"], Value::Null, "signed out before signIn");
    let sign_in = &out["signIn"];
    assert_eq!(sign_in["ok"], true, "{out}");
    assert_eq!(sign_in["status"], 200, "{out}");
    let url = sign_in["url"].as_str().expect("the authorization URL");
    assert!(url.starts_with(&format!("{op_origin}/")), "{url}");
    for param in [
        "code_challenge_method=S256",
        "state=",
        "nonce=",
        "client_id=nextauth-client",
    ] {
        assert!(url.contains(param), "{param} in {url}");
    }
    assert_eq!(out["callback"]["status"], 302, "{out}");
    assert_eq!(
        out["callback"]["location"],
        format!("{origin}/dashboard"),
        "{out}"
    );
    let user = &out["session"]["user"];
    assert_eq!(user["name"], "Alice Example", "{out}");
    assert_eq!(user["email"], "alice@acme.example", "{out}");
    assert_eq!(user["role"], "viewer", "{out}");
}
