//! Sign-in rate limiting: failed attempts counted per key in a sliding window.
//!
//! The sign-in route keys each attempt twice, by the submitted identifier and by the client
//! address, and refuses an attempt when either key has used up its failures, before any
//! `authorize` or password hashing runs. [`SignInLimiter`] is the seam for a shared store;
//! [`MemoryLimiter`] keeps counts in this process.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

use auth_rules::{RateLimitSpec, parse_rate_limit};
use unicode_normalization::UnicodeNormalization as _;

use crate::error::AuthError;
use crate::store::StoreFuture;

/// A limit such as "5 per 15m": at most `attempts` failures per key within `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Failures allowed within the window; the next attempt is refused.
    pub attempts: u32,
    /// The sliding window.
    pub window: Duration,
}

impl RateLimit {
    /// Reads `"<attempts> per <duration>"`, e.g. `"5 per 15m"` or `"100 per 1h"`: at least
    /// one attempt in a window of at least one second (the rule the macro applies too).
    pub fn parse(text: &str) -> Result<Self, AuthError> {
        let spec = parse_rate_limit(text).map_err(|reason| AuthError::InvalidRateLimit {
            limit: text.to_owned(),
            reason,
        })?;
        Ok(Self {
            attempts: spec.attempts,
            window: spec.window,
        })
    }

    /// Checks a limit built by hand (a schema written without the macro) by the same rule as
    /// [`RateLimit::parse`].
    pub fn check(&self) -> Result<(), AuthError> {
        let spec = RateLimitSpec {
            attempts: self.attempts,
            window: self.window,
        };
        spec.check().map_err(|reason| AuthError::InvalidRateLimit {
            limit: self.to_string(),
            reason,
        })
    }
}

impl fmt::Display for RateLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} per {}",
            self.attempts,
            humantime::format_duration(self.window)
        )
    }
}

/// Folds an identifier so that one person is one key: trimmed, NFKC-normalised (full-width
/// `＠` becomes `@`), lower-cased. `" Alice@X "` and `"alice@x"` are the same key.
pub fn normalize_identifier(identifier: &str) -> String {
    identifier.trim().nfkc().collect::<String>().to_lowercase()
}

/// Where failed sign-in attempts are counted. Implement it over a shared store (Redis, a
/// database) when several processes serve the same users, or take a
/// [`SharedStore`](crate::SharedStore)'s. A call that fails refuses the sign-in attempt
/// (never lets it through unlimited).
pub trait SignInLimiter: Send + Sync + 'static {
    /// Whether `key` has used up its failures at `now` (Unix seconds).
    fn is_limited<'a>(&'a self, key: &'a str, now: i64) -> StoreFuture<'a, bool>;
    /// Counts a failed attempt for `key` at `now`.
    fn record_failure<'a>(&'a self, key: &'a str, now: i64) -> StoreFuture<'a, ()>;
    /// Forgets `key`'s failures (after a successful sign-in).
    fn reset<'a>(&'a self, key: &'a str) -> StoreFuture<'a, ()>;
}

/// Failures per key in this process's memory, bounded in size.
pub struct MemoryLimiter {
    limit: RateLimit,
    max_keys: usize,
    failures: Mutex<HashMap<String, VecDeque<i64>>>,
}

impl MemoryLimiter {
    /// Most keys tracked by default; beyond it, keys with no recent failure are dropped first.
    pub const DEFAULT_MAX_KEYS: usize = 100_000;

    /// A limiter enforcing `limit`, tracking at most [`Self::DEFAULT_MAX_KEYS`] keys.
    pub fn new(limit: RateLimit) -> Self {
        Self::with_max_keys(limit, Self::DEFAULT_MAX_KEYS)
    }

    /// A limiter tracking at most `max_keys` keys, so that a flood of distinct identifiers
    /// cannot grow memory without bound.
    pub fn with_max_keys(limit: RateLimit, max_keys: usize) -> Self {
        Self {
            limit,
            max_keys: max_keys.max(1),
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// The limit enforced.
    pub fn limit(&self) -> RateLimit {
        self.limit
    }

    /// How many keys are tracked now.
    pub fn tracked_keys(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, VecDeque<i64>>> {
        // The map stays consistent even if a holder panicked; keep serving.
        self.failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn window_start(&self, now: i64) -> i64 {
        now.saturating_sub(i64::try_from(self.limit.window.as_secs()).unwrap_or(i64::MAX))
    }

    fn limited_now(&self, key: &str, now: i64) -> bool {
        let start = self.window_start(now);
        self.lock().get(key).is_some_and(|times| {
            times.iter().filter(|time| **time > start).count() >= self.limit.attempts as usize
        })
    }

    fn record_now(&self, key: &str, now: i64) {
        let start = self.window_start(now);
        let mut failures = self.lock();
        if !failures.contains_key(key) && failures.len() >= self.max_keys {
            failures.retain(|_, times| times.back().is_some_and(|last| *last > start));
            if failures.len() >= self.max_keys {
                // Still full of recent keys: drop the tenth whose last failure is oldest, so
                // that the cost of eviction is paid once per many insertions.
                let mut by_age: Vec<(i64, String)> = failures
                    .iter()
                    .map(|(key, times)| (times.back().copied().unwrap_or(i64::MIN), key.clone()))
                    .collect();
                by_age.sort_unstable();
                for (_, key) in by_age.into_iter().take((self.max_keys / 10).max(1)) {
                    failures.remove(&key);
                }
            }
        }
        let times = failures.entry(key.to_owned()).or_default();
        while times.front().is_some_and(|time| *time <= start) {
            times.pop_front();
        }
        times.push_back(now);
        while times.len() > self.limit.attempts as usize {
            times.pop_front();
        }
    }
}

impl SignInLimiter for MemoryLimiter {
    fn is_limited<'a>(&'a self, key: &'a str, now: i64) -> StoreFuture<'a, bool> {
        Box::pin(std::future::ready(Ok(self.limited_now(key, now))))
    }

    fn record_failure<'a>(&'a self, key: &'a str, now: i64) -> StoreFuture<'a, ()> {
        self.record_now(key, now);
        Box::pin(std::future::ready(Ok(())))
    }

    fn reset<'a>(&'a self, key: &'a str) -> StoreFuture<'a, ()> {
        self.lock().remove(key);
        Box::pin(std::future::ready(Ok(())))
    }
}

impl fmt::Debug for MemoryLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryLimiter")
            .field("limit", &self.limit)
            .field("max_keys", &self.max_keys)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn five_per_15m() -> MemoryLimiter {
        MemoryLimiter::new(RateLimit::parse("5 per 15m").unwrap())
    }

    #[test]
    fn limits_parse_and_print() {
        let limit = RateLimit::parse("5 per 15m").unwrap();
        assert_eq!(limit.attempts, 5);
        assert_eq!(limit.window, Duration::from_secs(900));
        assert_eq!(limit.to_string(), "5 per 15m");
        for bad in ["5", "five per 15m", "0 per 1m", "5 per", "5 per soon"] {
            assert!(RateLimit::parse(bad).is_err(), "{bad}");
        }
    }

    #[tokio::test]
    async fn the_sixth_attempt_after_five_failures_is_limited_until_the_window_passes() {
        let limiter = five_per_15m();
        for minute in 0..5 {
            assert!(!limiter.is_limited("alice@x", minute * 60).await.unwrap());
            limiter
                .record_failure("alice@x", minute * 60)
                .await
                .unwrap();
        }
        assert!(limiter.is_limited("alice@x", 300).await.unwrap());
        assert!(!limiter.is_limited("bob@x", 300).await.unwrap());
        // The first failure (t = 0) leaves the window at t = 900.
        assert!(limiter.is_limited("alice@x", 899).await.unwrap());
        assert!(!limiter.is_limited("alice@x", 901).await.unwrap());
    }

    #[tokio::test]
    async fn a_reset_forgets_failures() {
        let limiter = five_per_15m();
        for _ in 0..5 {
            limiter.record_failure("k", 10).await.unwrap();
        }
        limiter.reset("k").await.unwrap();
        assert!(!limiter.is_limited("k", 10).await.unwrap());
    }

    /// DS-07
    #[tokio::test]
    async fn a_flood_of_keys_stays_bounded() {
        let limiter = MemoryLimiter::with_max_keys(RateLimit::parse("5 per 15m").unwrap(), 1000);
        for i in 0..20_000 {
            limiter
                .record_failure(&format!("user-{i}"), 100)
                .await
                .unwrap();
        }
        assert!(limiter.tracked_keys() <= 1000);
    }

    #[test]
    fn identifiers_fold_to_one_key() {
        assert_eq!(normalize_identifier(" Alice@X "), "alice@x");
        assert_eq!(normalize_identifier("alice\u{FF20}x"), "alice@x");
        assert_eq!(normalize_identifier("ＡＬＩＣＥ@x"), "alice@x");
    }
}
