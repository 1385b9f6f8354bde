//! The bounded call: every command of the Redis store goes through a [`RedisConnection`],
//! which waits at most the store's timeout and turns any failure into a [`StoreError`] naming
//! the kind of failure, never a key, a value or the password.
//!
//! The connection is redis-rs's `ConnectionManager`: one multiplexed connection shared by
//! every request, replaced by itself when it breaks (a failed call starts the reconnection;
//! later calls use the new connection once it is up). Its own response timeout is the store's
//! timeout too, so that a connection whose server went silent is found broken and replaced,
//! and its reconnection gives up after a few short tries; `tokio::time::timeout` around each
//! call is the bound a request relies on.
//!
//! After a call fails for want of the server (a timeout, a refused or lost connection), the
//! calls of the next [`BACK_OFF`] fail at once with [`StoreError::Unavailable`] rather than
//! each waiting out the timeout again: a server that hangs costs the requests of that moment
//! one timeout, not one each. The first call after it tries the server again.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock};
use std::time::{Duration, Instant};

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{Client, Cmd, ErrorKind, FromRedisValue, Pipeline, RedisError, RedisResult};
use redis::{ScriptInvocation, Value};
use tokio::sync::OnceCell;

use super::keys::Keys;
use crate::store::StoreError;

/// The longest one attempt to open a connection may take.
const CONNECTION_TIMEOUT: Duration = Duration::from_secs(1);
/// Attempts after the first when a connection is opened or replaced.
const CONNECTION_RETRIES: usize = 2;
/// The shortest pause between two attempts (doubled each time, with jitter).
const RETRY_MIN_DELAY: Duration = Duration::from_millis(50);
/// The longest pause between two attempts.
const RETRY_MAX_DELAY: Duration = Duration::from_millis(200);

/// How long calls fail at once after one failed for want of the server.
const BACK_OFF: Duration = Duration::from_secs(1);

/// The instant the back-off is measured from, in milliseconds.
static EPOCH: LazyLock<Instant> = LazyLock::new(Instant::now);

/// Milliseconds since [`EPOCH`].
fn now_ms() -> u64 {
    u64::try_from(EPOCH.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// The error code the store's scripts answer when a record is not one they wrote.
pub(super) const CORRUPT_CODE: &str = "CORRUPT";

/// The connection of one store, its key names and the bound on every call. Cheap to clone:
/// the clones share the connection.
#[derive(Clone)]
pub(super) struct RedisConnection {
    client: Client,
    /// Made on first use, or at start-up by [`RedisConnection::open`].
    manager: Arc<OnceCell<ConnectionManager>>,
    keys: Keys,
    timeout: Duration,
    /// Until when (ms since [`EPOCH`]) calls fail at once: 0 while the server answers.
    backing_off_until: Arc<AtomicU64>,
}

impl RedisConnection {
    /// A connection to `client`'s server, not opened yet.
    pub(super) fn new(client: Client, keys: Keys, timeout: Duration) -> Self {
        Self {
            client,
            manager: Arc::new(OnceCell::new()),
            keys,
            timeout,
            backing_off_until: Arc::new(AtomicU64::new(0)),
        }
    }

    /// The key names.
    pub(super) fn keys(&self) -> &Keys {
        &self.keys
    }

    /// The bound on every call.
    pub(super) fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The same connection, writing keys named by `keys`.
    pub(super) fn with_keys(mut self, keys: Keys) -> Self {
        self.keys = keys;
        self
    }

    /// Bounds every call by `timeout`. The connection's own response timeout is fixed when
    /// it is made, so another bound means another connection, opened on first use.
    pub(super) fn with_timeout(mut self, timeout: Duration) -> Self {
        if timeout != self.timeout {
            self.timeout = timeout;
            self.manager = Arc::new(OnceCell::new());
            self.backing_off_until = Arc::new(AtomicU64::new(0));
        }
        self
    }

    /// Opens the connection now and checks that the server answers `PING`, within
    /// `bound`: the start-up check. The error is the kind of failure.
    pub(super) async fn open(&self, bound: Duration) -> Result<(), String> {
        let opened = async {
            let manager = self
                .manager
                .get_or_try_init(|| {
                    ConnectionManager::new_with_config(
                        self.client.clone(),
                        manager_config(self.timeout),
                    )
                })
                .await?;
            redis::cmd("PING")
                .query_async::<Value>(&mut manager.clone())
                .await
        };
        match tokio::time::timeout(bound, opened).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(error)) => Err(failure_kind(&error)),
            Err(_) => Err(format!("no answer within {bound:?}")),
        }
    }

    /// Sends one command.
    pub(super) async fn query<T: FromRedisValue>(&self, cmd: &Cmd) -> Result<T, StoreError> {
        self.bounded(async {
            let mut manager = self.manager().await?;
            cmd.query_async(&mut manager).await
        })
        .await
    }

    /// Sends a pipeline (a `MULTI`/`EXEC` transaction when it is atomic), in one round trip.
    pub(super) async fn query_pipeline<T: FromRedisValue>(
        &self,
        pipeline: &Pipeline,
    ) -> Result<T, StoreError> {
        self.bounded(async {
            let mut manager = self.manager().await?;
            pipeline.query_async(&mut manager).await
        })
        .await
    }

    /// Runs a script by its hash (`EVALSHA`), one round trip; after a restart of the server
    /// (which forgets scripts), it is loaded again first.
    pub(super) async fn invoke<T: FromRedisValue>(
        &self,
        invocation: &ScriptInvocation<'_>,
    ) -> Result<T, StoreError> {
        self.bounded(async {
            let mut manager = self.manager().await?;
            invocation.invoke_async(&mut manager).await
        })
        .await
    }

    async fn manager(&self) -> RedisResult<ConnectionManager> {
        self.manager
            .get_or_try_init(|| async {
                ConnectionManager::new_lazy_with_config(
                    self.client.clone(),
                    manager_config(self.timeout),
                )
            })
            .await
            .cloned()
    }

    async fn bounded<T>(
        &self,
        call: impl Future<Output = RedisResult<T>>,
    ) -> Result<T, StoreError> {
        if now_ms() < self.backing_off_until.load(Ordering::Relaxed) {
            return Err(StoreError::Unavailable(
                "unreachable a moment ago; not tried again yet".to_owned(),
            ));
        }
        let outcome = match tokio::time::timeout(self.timeout, call).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(error)) => Err(store_error(&error, self.timeout)),
            Err(_) => Err(StoreError::Timeout(self.timeout)),
        };
        if matches!(
            outcome,
            Err(StoreError::Timeout(_) | StoreError::Unavailable(_))
        ) {
            let until =
                now_ms().saturating_add(u64::try_from(BACK_OFF.as_millis()).unwrap_or(u64::MAX));
            self.backing_off_until.store(until, Ordering::Relaxed);
        }
        outcome
    }
}

/// The connection manager's settings: answers awaited `timeout` at most, connections opened
/// within [`CONNECTION_TIMEOUT`], and a few short retries, so that a lost server is noticed
/// quickly and a returning one is used again soon.
fn manager_config(timeout: Duration) -> ConnectionManagerConfig {
    ConnectionManagerConfig::new()
        .set_response_timeout(Some(timeout))
        .set_connection_timeout(Some(CONNECTION_TIMEOUT))
        .set_number_of_retries(CONNECTION_RETRIES)
        .set_min_delay(RETRY_MIN_DELAY)
        .set_max_delay(RETRY_MAX_DELAY)
}

/// A failed call as the store reports it.
fn store_error(error: &RedisError, timeout: Duration) -> StoreError {
    if error.is_timeout() {
        return StoreError::Timeout(timeout);
    }
    if matches!(
        error.kind(),
        ErrorKind::Parse | ErrorKind::UnexpectedReturnType
    ) {
        return StoreError::Corrupt("a reply of an unexpected type");
    }
    match error.code() {
        Some("WRONGTYPE") => StoreError::Corrupt("a key holds another type of value"),
        Some(CORRUPT_CODE) => StoreError::Corrupt("a record is not one this version writes"),
        _ => StoreError::Unavailable(failure_kind(error)),
    }
}

/// The kind of a failure, in a few words: never the server's message, which may quote a
/// key or an argument.
pub(super) fn failure_kind(error: &RedisError) -> String {
    if error.is_connection_refusal() {
        return "connection refused".to_owned();
    }
    if error.is_timeout() {
        return "timed out".to_owned();
    }
    if error.is_connection_dropped() {
        return "connection lost".to_owned();
    }
    match (error.kind(), error.code()) {
        (ErrorKind::AuthenticationFailed, _) => "authentication failed".to_owned(),
        (_, Some(code @ ("WRONGPASS" | "NOAUTH" | "NOPERM"))) => {
            format!("authentication failed ({code})")
        }
        (_, Some(code)) => format!("the server refused the call ({code})"),
        (ErrorKind::Io, None) => "I/O error".to_owned(),
        (_, None) => error.category().to_owned(),
    }
}
