//! [`RefreshLeases`]: one refresh-token grant across every instance.
//!
//! Within one process, requests carrying the same expiring refresh token already share one
//! grant ([`MemoryRefreshFlights`](crate::MemoryRefreshFlights)). Across processes, the first
//! to take the lease on the token's [`FlightKey`] sends the grant and publishes the outcome
//! (sealed); the others wait for it, and a request arriving later with the old token reads
//! it instead of sending a rotated-out refresh token.

use std::time::Duration;

use super::error::StoreFuture;
use crate::oauth::FlightKey;

/// Leases and published outcomes of refresh-token grants.
pub trait RefreshLeases: Send + Sync + 'static {
    /// Takes the lease on `key` for `ttl` when nobody holds it (`SET NX PX`): `true` when
    /// this caller is now the one to send the grant.
    fn try_lead<'a>(&'a self, key: &'a FlightKey, ttl: Duration) -> StoreFuture<'a, bool>;

    /// Publishes the sealed outcome of the grant on `key`, kept for `ttl`, and gives up the
    /// lease.
    fn publish<'a>(
        &'a self,
        key: &'a FlightKey,
        sealed: String,
        ttl: Duration,
    ) -> StoreFuture<'a, ()>;

    /// The sealed outcome published on `key`, if any.
    fn outcome<'a>(&'a self, key: &'a FlightKey) -> StoreFuture<'a, Option<String>>;

    /// Whether someone holds the lease on `key` now (a waiter stops waiting when the lease
    /// ends without an outcome: its holder died, and the waiter may lead).
    fn is_leased<'a>(&'a self, key: &'a FlightKey) -> StoreFuture<'a, bool>;
}
