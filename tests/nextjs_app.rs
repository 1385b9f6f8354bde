//! One session between a real Next.js app and the demo: `examples/nextjs` (Next.js App
//! Router, next-auth v5, typed by the generated `examples/demo/next-auth.d.ts`) built with
//! `next build` and served by `next start` on 127.0.0.1, beside the demo on another port of the
//! same host, both with one secret. Headless chromium (`tests/interop/nextjs-e2e.mjs`) signs in
//! on either side and checks the other sees the same user, switches tenant on either side and
//! checks the other sees it, signs out on either side, and checks the Next.js side refuses
//! the user the demo's allowlist refuses. A PNG of every step is saved under
//! `target/browser-test/nextjs/`.
//!
//! The build is cached in `examples/nextjs/.next-e2e/` (Next.js refuses a `distDir` outside the
//! app or its workspace, so it cannot live under `target/`), stamped with a SHA-256 of the app's
//! sources, its lockfile and the declarations it type-checks against: a run whose stamp matches
//! skips `next build`.
#![allow(clippy::expect_used, clippy::panic, reason = "tests fail loudly")]
#![allow(
    clippy::print_stderr,
    reason = "the run tells what the build and the browser cost, for the README's figures"
)]

mod support;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;
use sha2::{Digest as _, Sha256};
use support::chromium::{CHROMIUM, ensure_chromium, screenshot_dir};
use support::demo::serve_demo;
use support::node::{NodeServer, ensure_node_packages_in, run_bounded, run_script};

const SECRET: &str = "nextjs-e2e-secret-7c2e9b4a1f6d3e8c0b5a2d9f";
/// Where the cached build goes, relative to the app (`NEXTJS_DIST_DIR` in its `next.config.ts`).
const DIST_DIR: &str = ".next-e2e";
/// The file in [`DIST_DIR`] holding the hash of the sources it was built from.
const STAMP: &str = "e2e-source-hash";
/// A cold `next build` takes about 20 s here; far above it, for a loaded machine.
const BUILD_TIMEOUT: Duration = Duration::from_secs(420);
/// `next start` is ready in well under a second.
const START_TIMEOUT: Duration = Duration::from_secs(60);
/// The browser script takes some 15 s.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(240);

fn app_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/nextjs")
}

/// The files a build depends on, sorted: everything in the app but installed packages, build
/// output and what `next build` writes itself, and the generated declarations beside it.
fn build_inputs(app: &Path) -> Vec<PathBuf> {
    const SKIPPED: [&str; 6] = [
        "node_modules",
        ".next",
        DIST_DIR,
        "next-env.d.ts",
        ".npm-install.lock",
        ".build.lock",
    ];
    fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("list the Next.js app") {
            let path = entry.expect("a directory entry").path();
            let name = path
                .file_name()
                .and_then(|name| name.to_str())
                .unwrap_or("");
            if SKIPPED.contains(&name) {
                continue;
            }
            if path.is_dir() {
                walk(&path, files);
            } else {
                files.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(app, &mut files);
    files.push(app.join("../demo/next-auth.d.ts"));
    files.sort();
    files
}

/// SHA-256 over every input's path and contents.
fn source_hash(app: &Path) -> String {
    let mut hash = Sha256::new();
    for file in build_inputs(app) {
        let relative = file.strip_prefix(app).unwrap_or(&file);
        hash.update(relative.to_string_lossy().as_bytes());
        hash.update([0]);
        let contents =
            std::fs::read(&file).unwrap_or_else(|error| panic!("read {}: {error}", file.display()));
        hash.update((contents.len() as u64).to_be_bytes());
        hash.update(&contents);
    }
    hash.finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Builds the app into [`DIST_DIR`] unless the build there was made from the same sources.
/// Returns whether it built. A file lock keeps parallel runs from building at once.
fn ensure_build(app: &Path) -> bool {
    ensure_node_packages_in(app);
    let dist = app.join(DIST_DIR);
    let stamp = dist.join(STAMP);
    let hash = source_hash(app);
    let current = || {
        dist.join("BUILD_ID").is_file()
            && std::fs::read_to_string(&stamp).is_ok_and(|built| built == hash)
    };
    if current() {
        return false;
    }
    let lock = File::create(app.join(".build.lock")).expect("create the build lock");
    lock.lock().expect("take the build lock");
    if current() {
        return false;
    }
    // A build that fails half-way must not look current next time.
    let _ = std::fs::remove_file(&stamp);
    let mut command = Command::new("node");
    command
        .args(["node_modules/next/dist/bin/next", "build"])
        .env("NEXT_TELEMETRY_DISABLED", "1")
        .env("NEXTJS_DIST_DIR", DIST_DIR)
        .current_dir(app);
    let output = run_bounded(command, "next build", BUILD_TIMEOUT);
    assert!(
        output.success,
        "next build failed:\n{}\n{}",
        output.stdout, output.stderr
    );
    std::fs::write(&stamp, &hash).expect("write the build stamp");
    true
}

/// `next start` on a free loopback port, its session secret the demo's.
fn start_next(app: &Path, poem_origin: &str) -> NodeServer {
    let mut command = Command::new("node");
    command
        .args([
            "node_modules/next/dist/bin/next",
            "start",
            "--hostname",
            "127.0.0.1",
            "--port",
            "0",
        ])
        .env("NEXT_TELEMETRY_DISABLED", "1")
        .env("NEXTJS_DIST_DIR", DIST_DIR)
        .env("AUTH_SECRET", SECRET)
        .env("POEM_ORIGIN", poem_origin)
        .env_remove("AUTH_URL")
        .env_remove("NEXTAUTH_URL")
        .current_dir(app);
    // `- Local: http://127.0.0.1:<port>` names the port it bound, `✓ Ready` says it serves.
    let mut origin = None;
    NodeServer::spawn(
        command,
        "next start",
        move |line| {
            if let Some((_, url)) = line.split_once("Local:") {
                origin = Some(url.trim().to_owned());
            }
            if line.contains("Ready in") {
                return origin.clone();
            }
            None
        },
        START_TIMEOUT,
    )
}

/// Polls `url` until it answers 200, for at most `timeout`.
async fn wait_until_serving(url: &str, timeout: Duration) {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .expect("a client");
    let deadline = Instant::now() + timeout;
    loop {
        let answer = client.get(url).send().await;
        if answer.as_ref().is_ok_and(|answer| answer.status() == 200) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{url} did not answer 200 within {timeout:?}: {answer:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_session_made_on_either_side_is_the_same_session_on_the_other_in_chromium() {
    ensure_chromium();
    let shots = screenshot_dir("browser-test/nextjs");
    let app = app_dir();

    let started = Instant::now();
    let build_app = app.clone();
    let built = tokio::task::spawn_blocking(move || ensure_build(&build_app))
        .await
        .expect("the build");
    let build_time = started.elapsed();

    let server = serve_demo(SECRET).await;
    let poem_origin = server.url("");
    let start_app = app.clone();
    let start_origin = poem_origin.clone();
    let next = tokio::task::spawn_blocking(move || start_next(&start_app, &start_origin))
        .await
        .expect("next start");
    wait_until_serving(&format!("{}/api/auth/csrf", next.origin), START_TIMEOUT).await;

    let browser_started = Instant::now();
    let shots_arg = shots.to_str().expect("a UTF-8 path").to_owned();
    let args = [next.origin.clone(), poem_origin.clone(), shots_arg];
    let output = tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run_script(
            "interop/nextjs-e2e.mjs",
            &args,
            &[("CHROMIUM", CHROMIUM)],
            SCRIPT_TIMEOUT,
        )
    })
    .await
    .expect("the script runner");
    eprintln!(
        "next build: {} ({build_time:?}); browser script: {:?}",
        if built { "built" } else { "cached" },
        browser_started.elapsed()
    );
    let next_output = next.output();
    drop(next);
    drop(server);
    assert!(
        output.success,
        "the browser script failed (screenshots in {}):\n{}\nstdout:\n{}\nnext start said:\n{next_output}",
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
    check_steps(&out);

    let steps = out["steps"].as_array().expect("steps");
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

/// What each step of `tests/interop/nextjs-e2e.mjs` must have shown.
fn check_steps(out: &Value) {
    let steps = out["steps"].as_array().expect("steps");
    let names: Vec<&str> = steps.iter().filter_map(|s| s["name"].as_str()).collect();
    assert_eq!(
        names,
        [
            "next-signed-out",
            "next-signed-in",
            "poem-api-me",
            "next-switched-globex",
            "poem-api-me-globex",
            "poem-home-globex",
            "poem-signed-out",
            "next-after-poem-sign-out",
            "poem-signed-in",
            "next-sees-poem-session",
            "poem-switched-globex",
            "next-sees-poem-switch",
            "next-switched-acme",
            "poem-api-me-acme",
            "next-signed-out-again",
            "poem-api-me-signed-out",
            "next-eve-refused",
            "next-viewer-signed-in",
            "poem-api-me-viewer",
        ],
        "{out}"
    );
    let step = |name: &str| {
        steps
            .iter()
            .find(|s| s["name"] == name)
            .unwrap_or_else(|| panic!("step {name}"))
    };
    let session_cookie = Value::from(vec!["authjs.session-token"]);
    let no_cookie = Value::Array(vec![]);

    // On a Next.js page, both views are signed out, or both show the admin in `tenant`.
    let signed_out_on_next = |name: &str| {
        let s = step(name);
        assert_eq!(s["path"], "/", "{s}");
        assert_eq!(s["next"]["status"], "Signed out", "{s}");
        assert_eq!(s["poem"]["status"], "Signed out (401)", "{s}");
        assert_eq!(s["sessionCookies"], no_cookie, "{s}");
    };
    let admin_on_next = |name: &str, tenant: &str| {
        let s = step(name);
        assert_eq!(s["path"], "/", "{s}");
        assert_eq!(s["sessionCookies"], session_cookie, "{s}");
        for side in ["next", "poem"] {
            let view = &s[side];
            assert_eq!(view["status"], "Signed in", "{side}: {s}");
            assert_eq!(view["name"], "Ada Admin", "{side}: {s}");
            assert_eq!(view["email"], "admin@example.com", "{side}: {s}");
            assert_eq!(view["id"], "u-admin", "{side}: {s}");
            assert_eq!(view["role"], "admin", "{side}: {s}");
            assert_eq!(
                view["permissions"], "read, write, delete, admin",
                "{side}: {s}"
            );
            assert_eq!(view["tenant"], tenant, "{side}: {s}");
        }
    };
    // The Poem service's own JSON for the admin in `tenant`.
    let admin_on_poem_api = |name: &str, tenant: &str| {
        let s = step(name);
        assert_eq!(s["httpStatus"], 200, "{s}");
        let user = &s["body"]["user"];
        assert_eq!(user["email"], "admin@example.com", "{s}");
        assert_eq!(user["name"], "Ada Admin", "{s}");
        assert_eq!(user["id"], "u-admin", "{s}");
        assert_eq!(user["role"], "admin", "{s}");
        assert_eq!(
            user["permissions"],
            serde_json::json!(["read", "write", "delete", "admin"]),
            "{s}"
        );
        assert_eq!(user["tenantId"], tenant, "{s}");
        assert!(s["body"]["expires"].is_string(), "{s}");
    };
    // The Poem demo's home page.
    let poem_home = |name: &str, tenant: Option<&str>| {
        let s = step(name);
        assert_eq!(s["path"], "/", "{s}");
        match tenant {
            Some(tenant) => {
                assert_eq!(s["role"], "admin", "{s}");
                assert_eq!(s["tenant"], tenant, "{s}");
                assert!(
                    s["status"]
                        .as_str()
                        .is_some_and(|status| status.contains("admin@example.com")),
                    "{s}"
                );
                assert_eq!(s["sessionCookies"], session_cookie, "{s}");
            }
            None => {
                assert_eq!(s["status"], "You are not signed in.", "{s}");
                assert_eq!(s["sessionCookies"], no_cookie, "{s}");
            }
        }
    };

    // Signed in on the Next.js app: the Poem service reads the same user from the same cookie.
    signed_out_on_next("next-signed-out");
    admin_on_next("next-signed-in", "acme");
    admin_on_poem_api("poem-api-me", "acme");
    // next-auth's client update() in Next.js: the Poem service sees the new tenant.
    admin_on_next("next-switched-globex", "globex");
    assert_eq!(
        step("next-switched-globex")["switchResult"],
        "switched to globex"
    );
    admin_on_poem_api("poem-api-me-globex", "globex");
    poem_home("poem-home-globex", Some("globex"));
    // Signed out on the Poem service: Next.js sees no session.
    poem_home("poem-signed-out", None);
    signed_out_on_next("next-after-poem-sign-out");
    // Signed in on the Poem service: the Next.js server component reads that session.
    poem_home("poem-signed-in", Some("acme"));
    admin_on_next("next-sees-poem-session", "acme");
    // The Poem service's update: Next.js sees it; Next.js updates the Poem-issued token back.
    poem_home("poem-switched-globex", Some("globex"));
    admin_on_next("next-sees-poem-switch", "globex");
    admin_on_next("next-switched-acme", "acme");
    assert_eq!(
        step("next-switched-acme")["switchResult"],
        "switched to acme"
    );
    admin_on_poem_api("poem-api-me-acme", "acme");
    // Signed out in Next.js: the Poem service refuses the API.
    signed_out_on_next("next-signed-out-again");
    let signed_out = step("poem-api-me-signed-out");
    assert_eq!(signed_out["httpStatus"], 401, "{signed_out}");
    assert_eq!(signed_out["sessionCookies"], no_cookie, "{signed_out}");
    // The allowlist refuses eve in Next.js too; the viewer is the viewer on both sides.
    signed_out_on_next("next-eve-refused");
    let refused = step("next-eve-refused");
    assert_eq!(
        refused["error"], "Sign-in failed: AccessDenied",
        "{refused}"
    );
    let viewer = step("next-viewer-signed-in");
    assert_eq!(viewer["sessionCookies"], session_cookie, "{viewer}");
    for side in ["next", "poem"] {
        let view = &viewer[side];
        assert_eq!(view["status"], "Signed in", "{side}: {viewer}");
        assert_eq!(view["name"], "Vic Viewer", "{side}: {viewer}");
        assert_eq!(view["email"], "viewer@example.com", "{side}: {viewer}");
        assert_eq!(view["id"], "u-viewer", "{side}: {viewer}");
        assert_eq!(view["role"], "viewer", "{side}: {viewer}");
        assert_eq!(view["permissions"], "read", "{side}: {viewer}");
        assert_eq!(view["tenant"], "acme", "{side}: {viewer}");
    }
    let viewer_api = step("poem-api-me-viewer");
    assert_eq!(viewer_api["httpStatus"], 200, "{viewer_api}");
    assert_eq!(
        viewer_api["body"]["user"],
        serde_json::json!({
            "name": "Vic Viewer",
            "email": "viewer@example.com",
            "id": "u-viewer",
            "role": "viewer",
            "permissions": ["read"],
            "tenantId": "acme",
        }),
        "{viewer_api}"
    );

    assert_eq!(
        out["consoleErrors"],
        Value::Array(vec![]),
        "no script errors"
    );
}
