//! Debian's chromium for the browser tests, and where they keep their screenshots.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Debian's `chromium` package, driven by the pinned `playwright-core`.
pub(crate) const CHROMIUM: &str = "/usr/bin/chromium";

/// Installs Debian's chromium when it is missing and we may (root); fails clearly otherwise.
pub(crate) fn ensure_chromium() {
    if Path::new(CHROMIUM).is_file() {
        return;
    }
    let uid = Command::new("id")
        .arg("-u")
        .output()
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
        .unwrap_or_default();
    assert_eq!(
        uid, "0",
        "{CHROMIUM} is missing and only root can install it: run \
         `apt-get update && apt-get install -y chromium` (as .ci/run does)"
    );
    let status = Command::new("sh")
        .args([
            "-c",
            "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium",
        ])
        .status()
        .expect("run apt-get");
    assert!(
        status.success() && Path::new(CHROMIUM).is_file(),
        "installing chromium with apt-get failed ({status})"
    );
}

/// `target/<dir>/`, emptied of the screenshots of an earlier run.
pub(crate) fn screenshot_dir(dir: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join(dir);
    std::fs::create_dir_all(&dir).expect("create the screenshot directory");
    for entry in std::fs::read_dir(&dir).expect("list the screenshot directory") {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_some_and(|ext| ext == "png") {
            std::fs::remove_file(&path).expect("remove an old screenshot");
        }
    }
    dir
}
