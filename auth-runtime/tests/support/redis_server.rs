//! A throwaway `redis-server` for the tests: started on a free loopback port (127.0.0.1
//! only), with no persistence, in its own temporary folder; stopped and started again on the
//! same port for the fault tests, frozen (`SIGSTOP`) to play a server that accepts and never
//! answers; killed, and its folder removed, on drop.
//!
//! Std only, so that any test binary can use it (the workspace root's tests include this file
//! as `support::redis_server`). `redis-server` missing is installed from Debian's packages
//! when the tests run as root (as the browser test does with chromium), and otherwise a
//! failure that says how to install it, never a skipped test.
#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test harness fails loudly"
)]

use std::io::{Read as _, Write as _};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The program started; on `PATH`.
const PROGRAM: &str = "redis-server";
/// The longest a server may take to answer `PING` after it was started.
const READY_WITHIN: Duration = Duration::from_secs(10);

/// A `redis-server` of this test's own. See the module's documentation.
pub(crate) struct RedisServer {
    port: u16,
    password: Option<String>,
    dir: PathBuf,
    child: Option<Child>,
}

impl RedisServer {
    /// Starts a server on a free loopback port and waits until it answers `PING`.
    pub(crate) fn spawn() -> Self {
        Self::spawn_with(None)
    }

    /// As [`RedisServer::spawn`], with a server that requires `password` (`requirepass`).
    pub(crate) fn spawn_requiring_password(password: &str) -> Self {
        Self::spawn_with(Some(password.to_owned()))
    }

    fn spawn_with(password: Option<String>) -> Self {
        ensure_installed();
        static SERVERS: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "auth-redis-{}-{}",
            std::process::id(),
            SERVERS.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir)
            .unwrap_or_else(|error| panic!("cannot create {}: {error}", dir.display()));
        // The port is free when asked; another process may take it before redis-server binds
        // it, so a server that exits at once is tried again on another port.
        let mut server = Self {
            port: free_port(),
            password,
            dir,
            child: None,
        };
        for _ in 0..3 {
            if server.try_start() {
                return server;
            }
            server.port = free_port();
        }
        panic!(
            "redis-server did not start on 127.0.0.1; its log:\n{}",
            server.log()
        );
    }

    /// The port it listens on (the same across [`stop`](Self::stop) and
    /// [`start`](Self::start)).
    pub(crate) fn port(&self) -> u16 {
        self.port
    }

    /// `redis://127.0.0.1:<port>`, with the password when the server requires one.
    pub(crate) fn url(&self) -> String {
        match &self.password {
            Some(password) => format!("redis://:{password}@127.0.0.1:{}", self.port),
            None => format!("redis://127.0.0.1:{}", self.port),
        }
    }

    /// Kills the server (`SIGKILL`: its clients see their connections reset) and waits for
    /// it to exit. Its records are lost: nothing is saved.
    pub(crate) fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            // Already exited is fine: it is stopped either way.
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same port, empty, and waits until it answers `PING`.
    pub(crate) fn start(&mut self) {
        self.stop();
        assert!(
            self.try_start(),
            "redis-server did not start again on 127.0.0.1:{}; its log:\n{}",
            self.port,
            self.log()
        );
    }

    /// Freezes the server (`SIGSTOP`): connections stay open and nothing is answered, as a
    /// server that hangs. [`thaw`](Self::thaw) undoes it; [`stop`](Self::stop) and drop kill
    /// it either way.
    pub(crate) fn freeze(&self) {
        self.signal("-STOP");
    }

    /// Lets a frozen server run again (`SIGCONT`).
    pub(crate) fn thaw(&self) {
        self.signal("-CONT");
    }

    fn signal(&self, signal: &str) {
        let child = self.child.as_ref().expect("the server is running");
        let status = Command::new("kill")
            .arg(signal)
            .arg(child.id().to_string())
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill {signal} failed: {status}");
    }

    /// Starts the process and waits for `PING`; `false` when it exited first (the port was
    /// taken).
    fn try_start(&mut self) -> bool {
        let mut command = Command::new(PROGRAM);
        command
            .args(["--port", &self.port.to_string()])
            .args(["--bind", "127.0.0.1"])
            .args(["--save", ""])
            .args(["--appendonly", "no"])
            .arg("--dir")
            .arg(&self.dir)
            .arg("--logfile")
            .arg(self.dir.join("redis.log"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(password) = &self.password {
            command.args(["--requirepass", password]);
        }
        let child = command.spawn().unwrap_or_else(|error| {
            panic!(
                "cannot run `{PROGRAM}` ({error}): the Redis store's tests start their own \
                 server and need it on PATH (Debian: apt-get install redis-server)"
            )
        });
        self.child = Some(child);
        let deadline = Instant::now() + READY_WITHIN;
        while Instant::now() < deadline {
            if self.answers_ping() {
                return true;
            }
            let exited = self
                .child
                .as_mut()
                .and_then(|child| child.try_wait().ok().flatten());
            if exited.is_some() {
                self.child = None;
                return false;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "redis-server on 127.0.0.1:{} did not answer PING within {READY_WITHIN:?}; its \
             log:\n{}",
            self.port,
            self.log()
        );
    }

    /// Whether something on the port answers `PING` (`+PONG`, or `-NOAUTH` from a server
    /// that requires a password: it is up either way).
    fn answers_ping(&self) -> bool {
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        let Ok(mut stream) = TcpStream::connect_timeout(&address, Duration::from_millis(200))
        else {
            return false;
        };
        let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
        if stream.write_all(b"PING\r\n").is_err() {
            return false;
        }
        let mut reply = [0_u8; 64];
        match stream.read(&mut reply) {
            Ok(read) => reply[..read].starts_with(b"+PONG") || reply[..read].starts_with(b"-"),
            Err(_) => false,
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("redis.log")).unwrap_or_default()
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        // SIGKILL ends a frozen server too.
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A port nobody listens on now (the system's pick).
/// Installs Debian's `redis-server` when it is missing and we may (root), once per test
/// binary; fails clearly otherwise.
fn ensure_installed() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let present = Command::new(PROGRAM)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        if present {
            return;
        }
        let uid = Command::new("id")
            .arg("-u")
            .output()
            .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
            .unwrap_or_default();
        assert_eq!(
            uid, "0",
            "`{PROGRAM}` is missing and only root can install it: run \
             `apt-get update && apt-get install -y redis-server` (as .ci/run does)"
        );
        let status = Command::new("sh")
            .args([
                "-c",
                "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server",
            ])
            .status()
            .expect("run apt-get");
        assert!(status.success(), "installing redis-server with apt-get failed ({status})");
    });
}

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free loopback port")
}
