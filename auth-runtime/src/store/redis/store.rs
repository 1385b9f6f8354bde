//! [`RedisStore`]: the four kinds of shared state on one Redis server.
//!
//! Why redis-rs (the `redis` crate) and not fred: it is the most used Rust client of Redis;
//! its `aio::ConnectionManager` keeps one multiplexed connection and reconnects by itself when
//! Redis comes back; scripts are `redis::Script`s, run by their hash in one round trip; and it
//! runs on the tokio we already have, with no runtime of its own. fred would serve as well,
//! but brings more than we use (pools, cluster and sentinel routing, its own reconnection
//! policies and event streams).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use redis::Client;
use zeroize::Zeroizing;

use super::connection::RedisConnection;
use super::keys::{DEFAULT_PREFIX, Keys};
use super::leases::RedisLeases;
use super::limiter::RedisLimiter;
use super::revocations::RedisRevocations;
use super::updates::RedisUpdates;
use crate::error::AuthError;
use crate::rate_limit::{RateLimit, SignInLimiter};
use crate::store::{
    REDIS_PREFIX_VARIABLE, REDIS_URL_VARIABLE, RefreshLeases, Revocations, STORE_TIMEOUT,
    SharedStore, UpdateLog,
};

/// The longest the start-up check may take: a few attempts to connect, then `PING`.
const START_UP_TIMEOUT: Duration = Duration::from_secs(5);

/// The shared store on Redis: sign-in rate limits, the update race, the leases of provider
/// refreshes and revocations, for every instance of an app at once.
///
/// Every key begins with the prefix (`authjs:` unless [`with_prefix`](Self::with_prefix) or
/// `AUTH_REDIS_PREFIX` says otherwise) and is written with a time to live:
///
/// | key | holds | lives |
/// |---|---|---|
/// | `rl:{sha256 of key}` | a sorted set of failure times (the sliding window) | the window, after the last failure |
/// | `upd:{sha256 of subject}` | `{at}:{sealed token}`, the user's latest update | the update log's time |
/// | `lease:{hex}` | a refresh token's lease (`SET NX`) | the lease's time |
/// | `flight:{hex}` | the sealed outcome of that refresh | the outcome's time |
/// | `rev:{sha256 of sid}` | a revoked session | the session's longest life |
/// | `gen:{sha256 of subject}` | the user's session generation | the session's longest life |
///
/// (`{hex}` is the hex of a [`FlightKey`](crate::FlightKey), a hash: never the refresh
/// token.) Each call is one round trip, atomic on the server (a script or a transaction where
/// it reads and writes), and waits at most the store's timeout ([`STORE_TIMEOUT`] unless
/// [`with_timeout`](Self::with_timeout) says otherwise): past it the call fails with
/// [`StoreError::Timeout`](crate::StoreError::Timeout), and a server that cannot be reached
/// fails it with [`StoreError::Unavailable`](crate::StoreError::Unavailable), so that Redis
/// going away slows no request. The connection is replaced by itself when Redis comes back;
/// nothing needs rebuilding.
///
/// Cheap to clone: clones share the connection. `Debug` and
/// [`describe`](SharedStore::describe) show the server's address and the prefix, never the
/// URL's password.
#[derive(Clone)]
pub struct RedisStore {
    connection: RedisConnection,
    /// `host:port`, or the socket's path.
    address: Arc<str>,
}

impl RedisStore {
    /// Connects to the Redis server at `url` and checks that it answers, at start-up: a URL
    /// this build cannot use is [`AuthError::InvalidRedisUrl`], a server that does not answer
    /// within a few seconds (refused, unreachable, wrong password) is
    /// [`AuthError::StoreUnavailable`]. Neither error carries the URL's password.
    pub async fn connect(url: &str) -> Result<Self, AuthError> {
        let store = Self::open(url)?;
        store
            .connection
            .open(START_UP_TIMEOUT)
            .await
            .map_err(|reason| AuthError::StoreUnavailable {
                address: store.address.to_string(),
                reason,
            })?;
        Ok(store)
    }

    /// The store `AUTH_REDIS_URL` names, with the prefix `AUTH_REDIS_PREFIX` gives (when set),
    /// connected and checked as [`connect`](Self::connect) does; `None` when
    /// `AUTH_REDIS_URL` is not set.
    pub async fn from_env() -> Result<Option<Self>, AuthError> {
        let url = read_variable(REDIS_URL_VARIABLE)?.map(Zeroizing::new);
        let prefix = read_variable(REDIS_PREFIX_VARIABLE)?;
        Self::from_settings(url, prefix).await
    }

    /// As [`from_env`](Self::from_env), reading the variables through `lookup` (for tests,
    /// and for configuration sources other than the process environment).
    pub async fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<Self>, AuthError> {
        let url = lookup(REDIS_URL_VARIABLE).map(Zeroizing::new);
        let prefix = lookup(REDIS_PREFIX_VARIABLE);
        Self::from_settings(url, prefix).await
    }

    async fn from_settings(
        url: Option<Zeroizing<String>>,
        prefix: Option<String>,
    ) -> Result<Option<Self>, AuthError> {
        let Some(url) = url else {
            return Ok(None);
        };
        let store = Self::connect(&url).await?;
        Ok(Some(match prefix {
            Some(prefix) => store.with_prefix(&prefix),
            None => store,
        }))
    }

    /// The store at `url`, its URL read but nothing opened yet.
    fn open(url: &str) -> Result<Self, AuthError> {
        let client = redis_client(url)?;
        let address = client.get_connection_info().addr().to_string();
        Ok(Self {
            connection: RedisConnection::new(client, Keys::new(DEFAULT_PREFIX), STORE_TIMEOUT),
            address: Arc::from(address),
        })
    }

    /// Every key begins with `prefix` (by default `authjs:`): apps sharing one Redis each
    /// take their own, and never see each other's records.
    pub fn with_prefix(self, prefix: &str) -> Self {
        Self {
            connection: self.connection.with_keys(Keys::new(prefix)),
            address: self.address,
        }
    }

    /// Bounds every call by `timeout` instead of [`STORE_TIMEOUT`]. Another bound means
    /// another connection (the connection's own response timeout is the same bound), opened on
    /// the first call.
    pub fn with_timeout(self, timeout: Duration) -> Self {
        Self {
            connection: self.connection.with_timeout(timeout),
            address: self.address,
        }
    }

    /// The prefix every key begins with.
    pub fn prefix(&self) -> &str {
        self.connection.keys().prefix()
    }

    /// The bound on every call.
    pub fn timeout(&self) -> Duration {
        self.connection.timeout()
    }
}

/// Names the server and the prefix; never the URL, which may carry a password.
impl fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisStore")
            .field("address", &self.address)
            .field("prefix", &self.prefix())
            .field("timeout", &self.timeout())
            .finish_non_exhaustive()
    }
}

impl SharedStore for RedisStore {
    fn limiter(&self, limit: RateLimit) -> Arc<dyn SignInLimiter> {
        Arc::new(RedisLimiter::new(self.connection.clone(), limit))
    }

    fn updates(&self) -> Arc<dyn UpdateLog> {
        Arc::new(RedisUpdates::new(self.connection.clone()))
    }

    fn leases(&self) -> Arc<dyn RefreshLeases> {
        Arc::new(RedisLeases::new(self.connection.clone()))
    }

    fn revocations(&self) -> Arc<dyn Revocations> {
        Arc::new(RedisRevocations::new(self.connection.clone()))
    }

    fn describe(&self) -> String {
        format!("redis at {}, prefix {:?}", self.address, self.prefix())
    }
}

/// A variable's value; `None` when it is not set.
fn read_variable(variable: &'static str) -> Result<Option<String>, AuthError> {
    match std::env::var(variable) {
        Ok(value) => Ok(Some(value)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(AuthError::NotUnicode { variable }),
    }
}

/// The client of `url`, refused with the reason (never the URL, which may carry a password)
/// when this build cannot use it.
fn redis_client(url: &str) -> Result<Client, AuthError> {
    let refused = |reason| AuthError::InvalidRedisUrl { reason };
    let parsed = redis::parse_redis_url(url).ok_or(refused(
        "is not a URL of the redis://, valkey://, redis+unix:// or unix:// scheme",
    ))?;
    if matches!(parsed.scheme(), "rediss" | "valkeys") {
        return Err(refused(
            "asks for TLS (rediss://), which this build does not include",
        ));
    }
    let unix = matches!(parsed.scheme(), "unix" | "redis+unix" | "valkey+unix");
    if !unix && parsed.host_str().is_none_or(str::is_empty) {
        return Err(refused("has no host"));
    }
    Client::open(url).map_err(|_| {
        refused(
            "has an unusable host (a wildcard address), database number, protocol, or user \
             name or password encoding",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASSWORD: &str = "hunter2-never-printed";

    #[test]
    fn debug_and_describe_name_the_server_and_prefix_never_the_password() {
        let url = format!("redis://app:{PASSWORD}@redis.internal:6380/2");
        let store = RedisStore::open(&url).unwrap().with_prefix("shop:");
        let debug = format!("{store:?}");
        assert_eq!(
            debug,
            "RedisStore { address: \"redis.internal:6380\", prefix: \"shop:\", timeout: 250ms, .. }"
        );
        assert_eq!(
            store.describe(),
            "redis at redis.internal:6380, prefix \"shop:\""
        );
        for shown in [debug, store.describe()] {
            assert!(!shown.contains(PASSWORD), "{shown}");
            assert!(!shown.contains("app:"), "{shown}");
        }
    }

    #[test]
    fn the_default_prefix_and_timeout() {
        let store = RedisStore::open("redis://127.0.0.1").unwrap();
        assert_eq!(store.prefix(), "authjs:");
        assert_eq!(store.timeout(), STORE_TIMEOUT);
        assert_eq!(
            store.describe(),
            "redis at 127.0.0.1:6379, prefix \"authjs:\""
        );
        let slower = store.with_timeout(Duration::from_secs(1));
        assert_eq!(slower.timeout(), Duration::from_secs(1));
    }

    #[test]
    fn unusable_urls_are_refused_without_their_password() {
        for url in [
            format!("http://u:{PASSWORD}@localhost:6379"),
            format!("rediss://u:{PASSWORD}@localhost:6379"),
            format!("redis://u:{PASSWORD}@0.0.0.0:6379"),
            format!("redis://u:{PASSWORD}@localhost:6379/not-a-db"),
            format!("redis://u:{PASSWORD}@[::1"),
            PASSWORD.to_owned(),
            String::new(),
        ] {
            let error = RedisStore::open(&url).unwrap_err();
            assert!(
                matches!(error, AuthError::InvalidRedisUrl { .. }),
                "{url}: {error:?}"
            );
            let shown = format!("{error} {error:?}");
            assert!(!shown.contains(PASSWORD), "{shown}");
            assert!(error.to_string().contains("AUTH_REDIS_URL"), "{error}");
        }
    }

    #[test]
    fn a_unix_socket_url_is_named_by_its_path() {
        let store = RedisStore::open("unix:///run/redis/redis.sock?pass=secret").unwrap();
        assert_eq!(
            store.describe(),
            "redis at /run/redis/redis.sock, prefix \"authjs:\""
        );
        assert!(!format!("{store:?}").contains("secret"));
    }
}
