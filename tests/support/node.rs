//! Runs the real `@auth/core` under Node, installed from `tests/package-lock.json`.

use std::fs::File;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

/// `tests/`, where `package.json`, the lockfile and the peer scripts live.
pub(crate) fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

/// Installs the pinned Node packages with `npm ci` unless they are already there. A file
/// lock keeps parallel test processes from installing at the same time.
pub(crate) fn ensure_node_packages() {
    let dir = tests_dir();
    let installed = || dir.join("node_modules/@auth/core/package.json").is_file();
    if installed() {
        return;
    }
    let lock = File::create(dir.join(".npm-install.lock")).expect("create the install lock");
    lock.lock().expect("take the install lock");
    if !installed() {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir)
            .status()
            .expect("npm must be installed to run the interop tests");
        assert!(status.success(), "npm ci in tests/ failed");
    }
}

/// Runs `ops` through `tests/interop/authjs-peer.mjs` (the real `@auth/core`) and returns one
/// result object per op.
pub(crate) fn authjs(ops: &[Value]) -> Vec<Value> {
    ensure_node_packages();
    let mut child = Command::new("node")
        .arg(tests_dir().join("interop/authjs-peer.mjs"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node must be installed to run the interop tests");
    let input = json!({ "ops": ops }).to_string();
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(input.as_bytes())
        .expect("write ops to node");
    let output = child.wait_with_output().expect("node runs");
    assert!(
        output.status.success(),
        "the Auth.js peer failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut reply: Value = serde_json::from_slice(&output.stdout).expect("the peer prints JSON");
    match reply["results"].take() {
        Value::Array(results) => {
            assert_eq!(results.len(), ops.len(), "one result per op");
            results
        }
        other => panic!("unexpected reply from the peer: {other}"),
    }
}
