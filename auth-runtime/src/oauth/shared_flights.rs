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
    /// How long a lease is held ([`LEASE`]; shorter in tests).
    lease: Duration,
}

impl SharedRefreshFlights {
    pub(crate) fn new(leases: Arc<dyn RefreshLeases>, sealer: Sealer) -> Self {
        Self {
            local: MemoryRefreshFlights::new(),
            leases,
            sealer,
            lease: LEASE,
        }
    }

    /// The outcome of the grant on `key`, sent here only when no instance sent it.
    async fn across_instances(
        &self,
        key: FlightKey,
        refresh: RefreshFuture<'_>,
    ) -> ProviderRefresh {
        let memory = Duration::from_secs(FLIGHT_MEMORY_SECONDS.unsigned_abs());
        let give_up = Instant::now() + self.lease;
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
            match self.leases.try_lead(&key, self.lease).await {
                Ok(true) => {
                    // The previous holder may have published (and given up its lease) between
                    // the look above and this lease: then its outcome is the answer.
                    if let Ok(Some(sealed)) = self.leases.outcome(&key).await
                        && let Some(outcome) = self.sealer.open::<ProviderRefresh>(&sealed)
                    {
                        return outcome;
                    }
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

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::keys::Keyring;
    use crate::schema::ProviderToken;
    use crate::sealed::SEALED_SALT;
    use crate::secret::Secrets;
    use crate::store::StoreFuture;
    use crate::token::TokenCodec;

    /// Leases in memory, as a store shared by two instances would keep them.
    #[derive(Default)]
    struct Leases {
        leased: Mutex<HashMap<FlightKey, Instant>>,
        published: Mutex<HashMap<FlightKey, String>>,
    }

    impl RefreshLeases for Leases {
        fn try_lead<'a>(&'a self, key: &'a FlightKey, ttl: Duration) -> StoreFuture<'a, bool> {
            let mut leased = self.leased.lock().unwrap();
            let now = Instant::now();
            let free = leased.get(key).is_none_or(|until| *until <= now);
            if free {
                leased.insert(*key, now + ttl);
            }
            Box::pin(std::future::ready(Ok(free)))
        }
        fn publish<'a>(
            &'a self,
            key: &'a FlightKey,
            sealed: String,
            _: Duration,
        ) -> StoreFuture<'a, ()> {
            self.published.lock().unwrap().insert(*key, sealed);
            self.leased.lock().unwrap().remove(key);
            Box::pin(std::future::ready(Ok(())))
        }
        fn outcome<'a>(&'a self, key: &'a FlightKey) -> StoreFuture<'a, Option<String>> {
            let outcome = self.published.lock().unwrap().get(key).cloned();
            Box::pin(std::future::ready(Ok(outcome)))
        }
        fn is_leased<'a>(&'a self, key: &'a FlightKey) -> StoreFuture<'a, bool> {
            let leased = self
                .leased
                .lock()
                .unwrap()
                .get(key)
                .is_some_and(|until| *until > Instant::now());
            Box::pin(std::future::ready(Ok(leased)))
        }
    }

    fn instance(leases: &Arc<Leases>, lease: Duration) -> SharedRefreshFlights {
        let keyring =
            Keyring::new(Secrets::new(["a-long-random-secret-of-at-least-32-bytes"]).unwrap());
        let mut flights = SharedRefreshFlights::new(
            Arc::clone(leases) as Arc<dyn RefreshLeases>,
            Sealer::new(TokenCodec::new(keyring.keys_for(SEALED_SALT))),
        );
        flights.lease = lease;
        flights
    }

    fn refreshed(access: &str) -> ProviderRefresh {
        ProviderRefresh {
            provider: "oidc".to_owned(),
            access_token: ProviderToken::new(access),
            refresh_token: Some(ProviderToken::new("r2")),
            expires_at: 100,
            error: None,
        }
    }

    /// ST-06: two instances, one grant; the second instance gets the first one's outcome.
    #[tokio::test]
    async fn two_instances_send_one_grant() {
        let leases = Arc::new(Leases::default());
        let (a, b) = (instance(&leases, LEASE), instance(&leases, LEASE));
        let grants = AtomicUsize::new(0);
        let grant = |access: &'static str| {
            let grants = &grants;
            Box::pin(async move {
                grants.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(100)).await;
                refreshed(access)
            }) as RefreshFuture<'_>
        };
        let key = FlightKey::new("oidc", "r1");
        let (one, two) = tokio::join!(
            a.share(key, 10, grant("from-a")),
            b.share(key, 10, grant("from-b"))
        );
        assert_eq!(grants.load(Ordering::SeqCst), 1);
        assert_eq!(one, two);
    }

    /// Leases whose first look at an outcome misses it: the holder published just after.
    struct PublishedJustAfterTheLook {
        leases: Arc<Leases>,
        looked: AtomicUsize,
    }

    impl RefreshLeases for PublishedJustAfterTheLook {
        fn try_lead<'a>(&'a self, key: &'a FlightKey, ttl: Duration) -> StoreFuture<'a, bool> {
            self.leases.try_lead(key, ttl)
        }
        fn publish<'a>(
            &'a self,
            key: &'a FlightKey,
            sealed: String,
            ttl: Duration,
        ) -> StoreFuture<'a, ()> {
            self.leases.publish(key, sealed, ttl)
        }
        fn outcome<'a>(&'a self, key: &'a FlightKey) -> StoreFuture<'a, Option<String>> {
            if self.looked.fetch_add(1, Ordering::SeqCst) == 0 {
                return Box::pin(std::future::ready(Ok(None)));
            }
            self.leases.outcome(key)
        }
        fn is_leased<'a>(&'a self, key: &'a FlightKey) -> StoreFuture<'a, bool> {
            self.leases.is_leased(key)
        }
    }

    /// ST-06: an outcome published (and its lease given up) between a waiter's look and its
    /// taking the lease is the waiter's answer: no second grant.
    #[tokio::test]
    async fn an_outcome_published_just_before_the_lease_is_taken_is_used() {
        let leases = Arc::new(Leases::default());
        let key = FlightKey::new("oidc", "r1");
        let holder = instance(&leases, LEASE);
        holder
            .share(key, 10, Box::pin(async { refreshed("from-the-holder") }))
            .await;
        let mut late = instance(&leases, LEASE);
        late.leases = Arc::new(PublishedJustAfterTheLook {
            leases: Arc::clone(&leases),
            looked: AtomicUsize::new(0),
        });
        let grants = AtomicUsize::new(0);
        let outcome = late
            .share(
                key,
                10,
                Box::pin(async {
                    grants.fetch_add(1, Ordering::SeqCst);
                    refreshed("a second grant")
                }),
            )
            .await;
        assert_eq!(outcome, refreshed("from-the-holder"));
        assert_eq!(grants.load(Ordering::SeqCst), 0);
    }

    /// ST-06: a waiter whose lease holder died (took the lease, never published) takes the
    /// lease once it expires and refreshes itself: never a hang.
    #[tokio::test]
    async fn a_waiter_takes_over_from_a_holder_that_died() {
        let leases = Arc::new(Leases::default());
        let key = FlightKey::new("oidc", "r1");
        let lease = Duration::from_millis(300);
        assert!(
            leases.try_lead(&key, lease).await.unwrap(),
            "the holder that dies"
        );
        let waiter = instance(&leases, lease);
        let outcome = tokio::time::timeout(
            Duration::from_secs(5),
            waiter.share(key, 10, Box::pin(async { refreshed("from-the-waiter") })),
        )
        .await
        .expect("never a hang");
        assert_eq!(outcome, refreshed("from-the-waiter"));
    }
}
