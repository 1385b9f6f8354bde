//! The demo in a real browser: headless Debian chromium, driven by `playwright-core`
//! (`tests/interop/browser.mjs`), opens the home page, signs in through the built-in sign-in
//! page, switches tenant, and signs out through the confirmation page. A PNG of every step is
//! saved under `target/browser-test/`.
//!
//! Needs `/usr/bin/chromium` (Debian's `chromium` package): installed here with apt-get when
//! running as root, as `.ci/run` also does; otherwise the test fails saying so.
#![allow(clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod support;

use std::time::Duration;

use serde_json::Value;
use support::chromium::{CHROMIUM, ensure_chromium, screenshot_dir};
use support::demo::serve_demo;
use support::node::run_script;

const SECRET: &str = "browser-test-secret-3f9a6c1e8b2d7a4f0e5c";
/// Far above the ten-odd seconds a run takes, for a cold browser start on a loaded machine.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(180);

#[tokio::test(flavor = "multi_thread")]
async fn a_person_signs_in_on_the_built_in_page_switches_tenant_and_signs_out_in_chromium() {
    ensure_chromium();
    let shots = screenshot_dir("browser-test");

    let server = serve_demo(SECRET).await;
    let origin = server.url("");

    let shots_arg = shots.to_str().expect("a UTF-8 path").to_owned();
    let script_origin = origin.clone();
    let output = tokio::task::spawn_blocking(move || {
        run_script(
            "interop/browser.mjs",
            &[&script_origin, &shots_arg],
            &[("CHROMIUM", CHROMIUM)],
            SCRIPT_TIMEOUT,
        )
    })
    .await
    .expect("the script runner");
    drop(server);
    assert!(
        output.success,
        "the browser script failed (screenshots in {}):\n{}\nstdout:\n{}",
        shots.display(),
        output.stderr,
        output.stdout
    );
    let out: Value = serde_json::from_str(output.stdout.trim()).unwrap_or_else(|error| {
        panic!(
            "the script printed no JSON ({error}):\n{}\nstderr:\n{}",
            output.stdout, output.stderr
        )
    });

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
