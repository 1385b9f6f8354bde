//! [`SharedRefreshFlights`]: one refresh-token grant across every instance sharing a store.
//!
//! Requests in this process carrying the same expiring token first share one flight here
//! ([`MemoryRefreshFlights`]); that flight then coordinates with the other instances through
//! the store's [`RefreshLeases`]: a published outcome is taken as it is; else whoever takes
//! the lease sends the grant and publishes the outcome (sealed), and the others poll for it.
//! So one grant is sent however many instances see the token expire, and a request arriving
//! within [`FLIGHT_MEMORY_SECONDS`] with the old token gets the outcome instead of sending a
//! rotated-out refresh token.
//!
//! When the store does not answer, the flight goes on without it (logged): a grant per
//! instance at worst, never a refresh withheld.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::refresh::{
    FLIGHT_MEMORY_SECONDS, FlightKey, MemoryRefreshFlights, RefreshFlights, RefreshFuture,
};
use crate::schema::ProviderRefresh;
use crate::sealed::Sealer;
use crate::store::{RefreshLeases, StoreError};

/// How long a lease is held: longer than a grant can take (the provider client gives up
/// after its 15 s request timeout), so a holder that dies frees the lease soon after.
const LEASE: Duration = Duration::from_secs(20);

/// How often a waiter asks whether the holder published.
const POLL: Duration = Duration::from_millis(50);

/// Refresh flights shared through a store's leases.
pub(crate) struct SharedRefreshFlights {
    local: MemoryRefreshFlights,
    leases: Arc<dyn RefreshLeases>,
    sealer: Sealer,
}

impl SharedRefreshFlights {
    pub(crate) fn new(leases: Arc<dyn RefreshLeases>, sealer: Sealer) -> Self {
        Self {
            local: MemoryRefreshFlights::new(),
            leases,
            sealer,
        }
    }

    /// The outcome of the grant on `key`, sent here only when no instance sent it.
    async fn across_instances(
        &self,
        key: FlightKey,
        refresh: RefreshFuture<'_>,
    ) -> ProviderRefresh {
        let memory = Duration::from_secs(FLIGHT_MEMORY_SECONDS.unsigned_abs());
        let give_up = Instant::now() + LEASE;
        loop {
            match self.leases.outcome(&key).await {
                Ok(Some(sealed)) => {
                    if let Some(outcome) = self.sealer.open::<ProviderRefresh>(&sealed) {
                        return outcome;
                    }
                }
                Ok(None) => {}
                Err(error) => return without_store(&error, refresh).await,
            }
            match self.leases.try_lead(&key, LEASE).await {
                Ok(true) => {
                    let outcome = refresh.await;
                    match self.sealer.seal(&outcome, memory) {
                        Ok(sealed) => {
                            if let Err(error) = self.leases.publish(&key, sealed, memory).await {
                                tracing::warn!(%error, "a refresh outcome could not be published");
                            }
                        }
                        Err(error) => {
                            tracing::error!(%error, "a refresh outcome could not be sealed");
                        }
                    }
                    return outcome;
                }
                Ok(false) if Instant::now() < give_up => tokio::time::sleep(POLL).await,
                Ok(false) => {
                    tracing::warn!("the refresh lease's holder never published; refreshing here");
                    return refresh.await;
                }
                Err(error) => return without_store(&error, refresh).await,
            }
        }
    }
}

/// The grant sent by this instance alone, the store not answering.
async fn without_store(error: &StoreError, refresh: RefreshFuture<'_>) -> ProviderRefresh {
    tracing::warn!(%error, "the refresh lease store does not answer; refreshing without it");
    refresh.await
}

impl fmt::Debug for SharedRefreshFlights {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedRefreshFlights")
            .field("local", &self.local)
            .finish_non_exhaustive()
    }
}

impl RefreshFlights for SharedRefreshFlights {
    fn share<'a>(
        &'a self,
        key: FlightKey,
        now: i64,
        refresh: RefreshFuture<'a>,
    ) -> RefreshFuture<'a> {
        self.local
            .share(key, now, Box::pin(self.across_instances(key, refresh)))
    }
}
