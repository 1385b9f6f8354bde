//! The demo in a real browser: headless Debian chromium, driven by `playwright-core`
//! (`tests/interop/browser.mjs`), opens the home page, signs in through the built-in sign-in
//! page, switches tenant, and signs out through the confirmation page. A PNG of every step is
//! saved under `target/browser-test/`. A second walk signs in with OpenID Connect: the
//! sign-in page's `oidc` button, the real `oidc-provider`'s login (as `alice`) and consent
//! pages on loopback, and back signed in (PNGs under `target/browser-test-oidc/`).
//!
//! Needs `/usr/bin/chromium` (Debian's `chromium` package): installed here with apt-get when
//! running as root, as `.ci/run` also does; otherwise the test fails saying so.
#![allow(clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod support;

use std::path::Path;
use std::time::Duration;

use auth_runtime::OidcClientCredentials;
use serde_json::Value;
use serde_json::json;
use support::chromium::{CHROMIUM, ensure_chromium, screenshot_dir};
use support::demo::{serve_demo, serve_demo_with_oidc};
use support::http::TestServer;
use support::node::run_script;
use support::oidc_op::{client, start_oidc_provider};

const SECRET: &str = "browser-test-secret-3f9a6c1e8b2d7a4f0e5c";
/// Far above the ten-odd seconds a run takes, for a cold browser start on a loaded machine.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(180);

/// Runs `tests/interop/browser.mjs` against `origin` (and, for the OpenID Connect walk,
/// `provider`), saving screenshots in `shots`: the JSON it printed.
async fn run_browser(origin: &str, shots: &Path, provider: Option<&str>) -> Value {
    let mut args = vec![
        origin.to_owned(),
        shots.to_str().expect("a UTF-8 path").to_owned(),
    ];
    args.extend(provider.map(str::to_owned));
    let output = tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run_script(
            "interop/browser.mjs",
            &args,
            &[("CHROMIUM", CHROMIUM)],
            SCRIPT_TIMEOUT,
        )
    })
    .await
    .expect("the script runner");
    assert!(
        output.success,
        "the browser script failed (screenshots in {}):\n{}\nstdout:\n{}",
        shots.display(),
        output.stderr,
        output.stdout
    );
    serde_json::from_str(output.stdout.trim()).unwrap_or_else(|error| {
        panic!(
            "the script printed no JSON ({error}):\n{}\nstderr:\n{}",
            output.stdout, output.stderr
        )
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn a_person_signs_in_on_the_built_in_page_switches_tenant_and_signs_out_in_chromium() {
    ensure_chromium();
    let shots = screenshot_dir("browser-test");

    let server = serve_demo(SECRET).await;
    let out = run_browser(&server.url(""), &shots, None).await;
    drop(server);

    let steps = out["steps"].as_array().expect("steps");
    let names: Vec<&str> = steps.iter().filter_map(|s| s["name"].as_str()).collect();
    assert_eq!(
        names,
        [
            "home",
            "signin",
            "signin-filled",
            "signed-in",
            "tenant-globex",
            "signout",
            "signed-out"
        ],
        "{out}"
    );
    let step = |name: &str| {
        steps
            .iter()
            .find(|s| s["name"] == name)
            .unwrap_or_else(|| panic!("step {name}"))
    };

    let home = step("home");
    assert_eq!(home["path"], "/");
    assert_eq!(home["status"], "You are not signed in.", "{home}");

    let signin = step("signin");
    assert_eq!(signin["path"], "/api/auth/signin", "{signin}");

    let signed_in = step("signed-in");
    assert_eq!(signed_in["path"], "/", "{signed_in}");
    assert_eq!(signed_in["role"], "admin", "{signed_in}");
    assert_eq!(signed_in["tenant"], "acme", "{signed_in}");
    assert!(
        signed_in["status"]
            .as_str()
            .is_some_and(|s| s.contains("admin@example.com")),
        "{signed_in}"
    );

    let switched = step("tenant-globex");
    assert_eq!(switched["tenant"], "globex", "{switched}");
    assert_eq!(switched["role"], "admin", "{switched}");

    let signout = step("signout");
    assert_eq!(signout["path"], "/api/auth/signout", "{signout}");
    assert_eq!(signout["heading"], "Sign out", "{signout}");

    let signed_out = step("signed-out");
    assert_eq!(signed_out["path"], "/", "{signed_out}");
    assert_eq!(
        signed_out["status"], "You are not signed in.",
        "{signed_out}"
    );
    assert_eq!(signed_out["role"], Value::Null, "{signed_out}");
    let cookies = out["cookies"].as_array().expect("cookies");
    assert!(
        !cookies.iter().any(|c| c
            .as_str()
            .is_some_and(|c| c.starts_with("authjs.session-token"))),
        "no session cookie is left: {cookies:?}"
    );
    assert_eq!(
        out["consoleErrors"],
        Value::Array(vec![]),
        "no script errors"
    );

    for step in steps {
        let file = shots.join(step["file"].as_str().expect("a file name"));
        let png = std::fs::read(&file).unwrap_or_else(|_| panic!("{} saved", file.display()));
        assert!(
            png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 1000,
            "{} is a PNG",
            file.display()
        );
    }
}

/// The OpenID Connect sign-in in chromium: the demo's sign-in page, its OpenID Connect button
/// (the page's `form-action` lets chromium follow the redirect to the provider), the
/// provider's login as `alice` and its consent page, and back on the home page signed in as
/// alice, as `/api/auth/session` shows.
#[tokio::test(flavor = "multi_thread")]
async fn a_person_signs_in_with_openid_connect_in_chromium() {
    ensure_chromium();
    let shots = screenshot_dir("browser-test-oidc");
    let port = TestServer::bind().await;
    let origin = port.origin();
    let op = start_oidc_provider(
        &json!([client(
            "browser-client",
            "browser-client-secret-0123456789",
            &origin,
            "oidc"
        )]),
        &[],
    )
    .await;
    let credentials = OidcClientCredentials::new(
        "browser-client",
        "browser-client-secret-0123456789",
        Some(op.origin.clone()),
    );
    let server = serve_demo_with_oidc(port, SECRET, &[("oidc", credentials)]).await;
    let out = run_browser(&origin, &shots, Some(&op.origin)).await;
    drop(server);
    drop(op);

    let steps = out["steps"].as_array().expect("steps");
    let names: Vec<&str> = steps.iter().filter_map(|s| s["name"].as_str()).collect();
    assert_eq!(
        names,
        [
            "home",
            "signin",
            "provider-login",
            "provider-consent",
            "signed-in-oidc"
        ],
        "{out}"
    );
    let signed_in = &steps[4];
    assert_eq!(signed_in["path"], "/", "{signed_in}");
    assert_eq!(signed_in["role"], "viewer", "{signed_in}");
    assert_eq!(signed_in["tenant"], "acme", "{signed_in}");
    let user = &signed_in["session"]["user"];
    assert_eq!(user["name"], "Alice Example", "{signed_in}");
    assert_eq!(user["email"], "alice@acme.example", "{signed_in}");
    let cookies = out["cookies"].as_array().expect("cookies");
    assert!(
        cookies.iter().any(|c| c == "authjs.session-token"),
        "{cookies:?}"
    );
    for check in ["authjs.state", "authjs.pkce.code_verifier", "authjs.nonce"] {
        assert!(!cookies.iter().any(|c| c == check), "{check} used up");
    }
    assert_eq!(out["consoleErrors"], Value::Array(vec![]), "{out}");
}
