//! Runs the real `@auth/core` and other Node peers (the `next-auth` client, Playwright)
//! under Node, installed from `tests/package-lock.json`.

use std::collections::VecDeque;
use std::fs::File;
use std::io::Write as _;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// `tests/`, where `package.json`, the lockfile and the peer scripts live.
pub(crate) fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

/// Whether every dependency and dev-dependency of `<dir>/package.json` is in
/// `<dir>/node_modules` at the pinned version, so that a checkout whose packages changed since
/// the last install installs again.
fn node_packages_installed(dir: &Path) -> bool {
    let read = |path: PathBuf| -> Option<Value> {
        serde_json::from_slice(&std::fs::read(path).ok()?).ok()
    };
    let manifest = read(dir.join("package.json")).expect("package.json is JSON");
    ["dependencies", "devDependencies"]
        .into_iter()
        .filter_map(|key| manifest[key].as_object())
        .flatten()
        .all(|(name, version)| {
            read(dir.join("node_modules").join(name).join("package.json"))
                .is_some_and(|installed| installed["version"] == *version)
        })
}

/// Installs the pinned Node packages of `tests/` with `npm ci` unless they are already there.
pub(crate) fn ensure_node_packages() {
    ensure_node_packages_in(&tests_dir());
}

/// Installs the pinned Node packages of `dir` (its `package.json` and lockfile) with `npm ci`
/// unless they are already there. A file lock keeps parallel test processes from installing at
/// the same time.
pub(crate) fn ensure_node_packages_in(dir: &Path) {
    let installed = || node_packages_installed(dir);
    if installed() {
        return;
    }
    let lock = File::create(dir.join(".npm-install.lock")).expect("create the install lock");
    lock.lock().expect("take the install lock");
    if !installed() {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(dir)
            .status()
            .expect("npm must be installed to run the interop tests");
        assert!(status.success(), "npm ci in {} failed", dir.display());
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

/// What a Node script printed and how it ended.
pub(crate) struct ScriptOutput {
    /// Whether it exited with status 0.
    pub(crate) success: bool,
    /// Its standard output.
    pub(crate) stdout: String,
    /// Its standard error.
    pub(crate) stderr: String,
}

/// A spawned process group: killed whole when dropped, whatever happened.
struct ProcessGroup(Child);

impl Drop for ProcessGroup {
    fn drop(&mut self) {
        // The script leads its own group (`process_group(0)`), so the group id is its pid:
        // killing the group also ends anything it left running (a browser). Nothing is left
        // to kill after a clean exit, and then `kill` just fails.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.0.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs `node tests/<script> <args>` with `envs`, in its own process group, and waits at most
/// `timeout` for it to exit; on time-out the whole group is killed and the test fails with
/// what the script had printed. Blocking: call it from `spawn_blocking` when the server under
/// test runs on the same runtime.
pub(crate) fn run_script(
    script: &str,
    args: &[&str],
    envs: &[(&str, &str)],
    timeout: Duration,
) -> ScriptOutput {
    ensure_node_packages();
    let dir = tests_dir();
    let mut command = Command::new("node");
    command
        .arg(dir.join(script))
        .args(args)
        .envs(envs.iter().copied())
        .current_dir(&dir);
    run_bounded(command, script, timeout)
}

/// Runs `command` (stdin closed, output captured) in its own process group and waits at most
/// `timeout` for it to exit; on time-out the whole group is killed and the test fails with
/// what it had printed. `what` names it in failures.
pub(crate) fn run_bounded(mut command: Command, what: &str, timeout: Duration) -> ScriptOutput {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    let mut child = ProcessGroup(
        command
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {what}: {error}")),
    );
    let stdout = drain(child.0.stdout.take().expect("piped stdout"));
    let stderr = drain(child.0.stderr.take().expect("piped stderr"));
    let deadline = Instant::now() + timeout;
    let status = loop {
        if let Some(status) = child.0.try_wait().expect("wait for the child") {
            break Some(status);
        }
        if Instant::now() >= deadline {
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    // Kills the group if it timed out (and any child it left behind otherwise), which also
    // closes the pipes the readers wait on.
    drop(child);
    let stdout = stdout.join().expect("stdout reader");
    let stderr = stderr.join().expect("stderr reader");
    let Some(status) = status else {
        panic!(
            "{what} did not finish within {timeout:?}; killed.\nstdout:\n{stdout}\nstderr:\n{stderr}"
        );
    };
    ScriptOutput {
        success: status.success(),
        stdout,
        stderr,
    }
}

/// Reads a pipe to its end on a thread of its own, so that a chatty script never blocks on a
/// full pipe while the caller waits for it.
fn drain(mut pipe: impl std::io::Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// A Node server running in its own process group, killed whole when dropped.
pub(crate) struct NodeServer {
    /// `http://127.0.0.1:<port>`, as the server announced it.
    pub(crate) origin: String,
    /// Its last lines of output (stdout and stderr), for a failing test to show.
    output: Arc<Mutex<VecDeque<String>>>,
    _group: ProcessGroup,
}

/// How many lines of a server's output are kept.
const KEPT_LINES: usize = 200;

impl NodeServer {
    /// Runs `node tests/<script>` with `envs` and waits at most `timeout` for the line on its
    /// output that ends in `listening on <origin>`, which both says it is ready and names its
    /// origin (start it on `PORT=0`: no port is guessed). A script that exits or says nothing
    /// in time fails the test with what it printed. Blocking: call it from `spawn_blocking`
    /// when a server under test runs on the same runtime.
    pub(crate) fn start(script: &str, envs: &[(&str, &str)], timeout: Duration) -> Self {
        const READY: &str = "listening on ";
        ensure_node_packages();
        let dir = tests_dir();
        let mut command = Command::new("node");
        command
            .arg(dir.join(script))
            .envs(envs.iter().copied())
            .current_dir(&dir);
        Self::spawn(
            command,
            script,
            |line| {
                line.rsplit_once(READY)
                    .map(|(_, origin)| origin.trim().to_owned())
            },
            timeout,
        )
    }

    /// Spawns `command` (stdin closed, stdout and stderr read line by line) in its own process
    /// group and waits at most `timeout` for `ready` to return the origin from one of its
    /// lines. `what` names it in failures.
    pub(crate) fn spawn(
        mut command: Command,
        what: &str,
        mut ready: impl FnMut(&str) -> Option<String>,
        timeout: Duration,
    ) -> Self {
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0);
        let mut group = ProcessGroup(
            command
                .spawn()
                .unwrap_or_else(|error| panic!("cannot start {what}: {error}")),
        );
        // Every line goes to the channel and to the kept output; once nobody listens any more,
        // lines are still read, so that the server never blocks on a full pipe.
        let output = Arc::new(Mutex::new(VecDeque::new()));
        let (lines, received) = mpsc::channel::<String>();
        let stdout = group.0.stdout.take().expect("piped stdout");
        let stderr = group.0.stderr.take().expect("piped stderr");
        read_lines(stdout, lines.clone(), Arc::clone(&output));
        read_lines(stderr, lines, Arc::clone(&output));
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match received.recv_timeout(left) {
                Ok(line) => {
                    if let Some(origin) = ready(&line) {
                        return Self {
                            origin,
                            output,
                            _group: group,
                        };
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    panic!(
                        "{what} was not ready within {timeout:?}; killed. Output:\n{}",
                        joined(&output)
                    )
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    let status = group.0.wait().ok();
                    panic!(
                        "{what} ended ({status:?}) before it was ready. Output:\n{}",
                        joined(&output)
                    )
                }
            }
        }
    }

    /// The server's last lines of output.
    pub(crate) fn output(&self) -> String {
        joined(&self.output)
    }
}

/// Reads `pipe` line by line on a thread of its own into `lines` and `kept`.
fn read_lines(
    pipe: impl std::io::Read + Send + 'static,
    lines: mpsc::Sender<String>,
    kept: Arc<Mutex<VecDeque<String>>>,
) {
    std::thread::spawn(move || {
        use std::io::BufRead as _;
        for line in std::io::BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            {
                let mut kept = kept.lock().unwrap_or_else(PoisonError::into_inner);
                if kept.len() == KEPT_LINES {
                    kept.pop_front();
                }
                kept.push_back(line.clone());
            }
            let _ = lines.send(line);
        }
    });
}

fn joined(output: &Mutex<VecDeque<String>>) -> String {
    let output = output.lock().unwrap_or_else(PoisonError::into_inner);
    output
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join("\n")
}
