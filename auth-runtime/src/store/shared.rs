//! [`SharedStore`]: one backend for all four kinds of shared state.

use std::sync::Arc;

use super::leases::RefreshLeases;
use super::revocations::Revocations;
use super::updates::UpdateLog;
use crate::rate_limit::{RateLimit, SignInLimiter};

/// The environment variable naming the Redis every instance shares (`redis://host:port`),
/// read by [`AuthBuilder::build_async`](crate::AuthBuilder::build_async) with auth-runtime's
/// `redis` feature; set without it, a start-up error.
pub const REDIS_URL_VARIABLE: &str = "AUTH_REDIS_URL";

/// The environment variable holding the prefix of every key the shared store writes
/// (default `authjs:`), so that several apps can share one Redis.
pub const REDIS_PREFIX_VARIABLE: &str = "AUTH_REDIS_PREFIX";

/// A store every instance of an app shares, handing out each kind of shared state. Given to
/// [`AuthBuilder::shared_store`](crate::AuthBuilder::shared_store) (or read from
/// `AUTH_REDIS_URL`), it replaces every in-process record at once.
pub trait SharedStore: Send + Sync + 'static {
    /// The sign-in rate limiter enforcing `limit`.
    fn limiter(&self, limit: RateLimit) -> Arc<dyn SignInLimiter>;
    /// The update-race record.
    fn updates(&self) -> Arc<dyn UpdateLog>;
    /// The leases of provider refreshes.
    fn leases(&self) -> Arc<dyn RefreshLeases>;
    /// Revoked sessions and users' session generations.
    fn revocations(&self) -> Arc<dyn Revocations>;
    /// What to call the store in logs and `Debug` output (never a password).
    fn describe(&self) -> String;
}
