//! [`RedisLimiter`]: the sign-in rate limit's sliding window on Redis, answering as
//! [`MemoryLimiter`](crate::MemoryLimiter) does.
//!
//! A key's failures are a sorted set `{prefix}rl:{sha256 of key}` of their times (each member the time
//! and a random suffix, so that two failures in one second are two members). A failure is
//! counted by one script, atomic on the server: the times that left the window dropped, the
//! new one added, the set trimmed to the last `attempts` (no more are ever needed), and its
//! time to live set to the window. Whether a key is limited is one `ZCOUNT` of the times
//! inside the window; a reset is one `DEL`.

use std::sync::LazyLock;

use redis::Script;

use super::connection::RedisConnection;
use super::keys::ttl_ms;
use crate::rate_limit::{RateLimit, SignInLimiter};
use crate::store::StoreFuture;

/// KEYS[1] the key's set; ARGV: the failure's time (the score), the window's start (times at
/// or before it are out), the member, `attempts`, the window in milliseconds.
static RECORD_FAILURE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
        redis.call('ZADD', KEYS[1], ARGV[1], ARGV[3])
        redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[4]) + 1))
        redis.call('PEXPIRE', KEYS[1], ARGV[5])
        return 1
        ",
    )
});

/// Failed sign-in attempts counted on Redis under one [`RateLimit`].
pub(super) struct RedisLimiter {
    connection: RedisConnection,
    limit: RateLimit,
}

impl RedisLimiter {
    pub(super) fn new(connection: RedisConnection, limit: RateLimit) -> Self {
        Self { connection, limit }
    }

    /// The window's start at `now`: a failure at or before it no longer counts.
    fn window_start(&self, now: i64) -> i64 {
        now.saturating_sub(i64::try_from(self.limit.window.as_secs()).unwrap_or(i64::MAX))
    }
}

impl SignInLimiter for RedisLimiter {
    fn is_limited<'a>(&'a self, key: &'a str, now: i64) -> StoreFuture<'a, bool> {
        let mut count = redis::cmd("ZCOUNT");
        count
            .arg(self.connection.keys().rate_limit(key))
            .arg(format!("({}", self.window_start(now)))
            .arg("+inf");
        Box::pin(async move {
            let failures: u64 = self.connection.query(&count).await?;
            Ok(failures >= u64::from(self.limit.attempts))
        })
    }

    fn record_failure<'a>(&'a self, key: &'a str, now: i64) -> StoreFuture<'a, ()> {
        let member = format!("{now}:{:016x}", rand::random::<u64>());
        let mut invocation = RECORD_FAILURE.prepare_invoke();
        invocation
            .key(self.connection.keys().rate_limit(key))
            .arg(now)
            .arg(self.window_start(now))
            .arg(member)
            .arg(self.limit.attempts)
            .arg(ttl_ms(self.limit.window));
        Box::pin(async move {
            let _: i64 = self.connection.invoke(&invocation).await?;
            Ok(())
        })
    }

    fn reset<'a>(&'a self, key: &'a str) -> StoreFuture<'a, ()> {
        let mut delete = redis::cmd("DEL");
        delete.arg(self.connection.keys().rate_limit(key));
        Box::pin(async move {
            let _: i64 = self.connection.query(&delete).await?;
            Ok(())
        })
    }
}
