//! Refreshing a provider's access token: the refresh-token grant ([`refresh_grant`], through
//! the provider's own `openidconnect` or `oauth2` client) and the record that makes it a
//! single flight ([`RefreshFlights`]): requests carrying the same expiring token share one
//! grant, and a request arriving just after with the old token is answered with the outcome
//! instead of sending the (possibly rotated-out) refresh token again.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};

use sha2::{Digest as _, Sha256};
use tokio::sync::OnceCell;

use super::providers::OAuthProvider;
use crate::schema::{ProviderRefresh, SessionError};

/// How long a finished refresh is remembered: a request carrying the token from before it,
/// arriving within this time, gets its outcome rather than sending the old refresh token.
pub const FLIGHT_MEMORY_SECONDS: i64 = 60;

/// Most refresh tokens remembered at once; past it the oldest records are dropped.
const MAX_FLIGHTS: usize = 10_000;

/// The outcome of a refresh, as [`RefreshFlights`] shares it.
pub type RefreshFuture<'a> = Pin<Box<dyn Future<Output = ProviderRefresh> + Send + 'a>>;

/// Names one refresh token without holding it: the SHA-256 of the provider id and the token.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct FlightKey([u8; 32]);

impl FlightKey {
    /// The key of `refresh_token` at `provider`.
    pub fn new(provider: &str, refresh_token: &str) -> Self {
        let mut hash = Sha256::new();
        hash.update(provider.as_bytes());
        hash.update([0]);
        hash.update(refresh_token.as_bytes());
        Self(hash.finalize().into())
    }

    /// The key's bytes (for a shared store's key).
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

/// Not printed: it is derived from a refresh token.
impl fmt::Debug for FlightKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FlightKey([redacted])")
    }
}

/// Where refreshes in flight and just finished are recorded, so that one refresh token is
/// sent to the provider once. Implement it over a shared store when several processes serve
/// the same users; [`MemoryRefreshFlights`] is the default.
pub trait RefreshFlights: Send + Sync + 'static {
    /// The outcome of refreshing the token `key` names at `now` (Unix seconds): `refresh`'s,
    /// run here, unless a refresh of the same token is in flight or finished within
    /// [`FLIGHT_MEMORY_SECONDS`], whose outcome is answered instead (and `refresh` dropped
    /// unpolled).
    fn share<'a>(
        &'a self,
        key: FlightKey,
        now: i64,
        refresh: RefreshFuture<'a>,
    ) -> RefreshFuture<'a>;
}

/// Refreshes in this process's memory, bounded in size.
pub struct MemoryRefreshFlights {
    flights: Mutex<HashMap<FlightKey, Flight>>,
}

struct Flight {
    /// When the first request asked, in Unix seconds.
    started: i64,
    outcome: Arc<OnceCell<ProviderRefresh>>,
}

impl MemoryRefreshFlights {
    /// An empty record.
    pub fn new() -> Self {
        Self {
            flights: Mutex::new(HashMap::new()),
        }
    }

    /// The shared outcome cell of `key`, made when there is none or it is too old.
    fn cell(&self, key: FlightKey, now: i64) -> Arc<OnceCell<ProviderRefresh>> {
        let mut flights = self.flights.lock().unwrap_or_else(PoisonError::into_inner);
        if flights.len() >= MAX_FLIGHTS && !flights.contains_key(&key) {
            flights.retain(|_, flight| now - flight.started <= FLIGHT_MEMORY_SECONDS);
            if flights.len() >= MAX_FLIGHTS {
                let oldest = flights
                    .iter()
                    .min_by_key(|(_, flight)| flight.started)
                    .map(|(key, _)| *key);
                if let Some(oldest) = oldest {
                    flights.remove(&oldest);
                }
            }
        }
        let flight = flights.entry(key).or_insert_with(|| Flight {
            started: now,
            outcome: Arc::new(OnceCell::new()),
        });
        if now - flight.started > FLIGHT_MEMORY_SECONDS && flight.outcome.initialized() {
            *flight = Flight {
                started: now,
                outcome: Arc::new(OnceCell::new()),
            };
        }
        Arc::clone(&flight.outcome)
    }
}

impl Default for MemoryRefreshFlights {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for MemoryRefreshFlights {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let flights = self.flights.lock().map_or(0, |flights| flights.len());
        f.debug_struct("MemoryRefreshFlights")
            .field("flights", &flights)
            .finish()
    }
}

impl RefreshFlights for MemoryRefreshFlights {
    fn share<'a>(
        &'a self,
        key: FlightKey,
        now: i64,
        refresh: RefreshFuture<'a>,
    ) -> RefreshFuture<'a> {
        let cell = self.cell(key, now);
        // A request cancelled while leading hands the lead to the next waiter, which runs its
        // own `refresh`: the grant was then never answered, so its refresh token is unspent.
        Box::pin(async move { cell.get_or_init(|| refresh).await.clone() })
    }
}

/// The refresh-token grant for `current` at `provider`, at `now`: the new tokens (a rotated
/// refresh token kept, else the old one), or, when the provider refuses or cannot be reached,
/// `current` without its refresh token and with [`SessionError::RefreshAccessTokenError`]:
/// never tried again, so a refused token makes no retry loop.
pub(crate) async fn refresh_grant(
    provider: &OAuthProvider,
    current: &ProviderRefresh,
    now: i64,
) -> ProviderRefresh {
    let failed = |why: &'static str| {
        tracing::warn!(
            provider = current.provider,
            why,
            "refreshing the access token failed; the refresh token is dropped"
        );
        ProviderRefresh {
            refresh_token: None,
            error: Some(SessionError::RefreshAccessTokenError),
            ..current.clone()
        }
    };
    let Some(refresh_token) = &current.refresh_token else {
        return current.clone();
    };
    let granted = match provider {
        OAuthProvider::Oidc(oidc) => oidc.refresh_grant(refresh_token.expose()).await,
        OAuthProvider::OAuth(plain) => plain.refresh_grant(refresh_token.expose()).await,
    };
    match granted {
        Ok(granted) => {
            tracing::debug!(
                provider = current.provider,
                rotated = granted.refresh_token.is_some(),
                "access token refreshed"
            );
            let expires_at = granted.expires_in.map_or(current.expires_at, |expires_in| {
                now.saturating_add(i64::try_from(expires_in.as_secs()).unwrap_or(i64::MAX))
            });
            ProviderRefresh {
                provider: current.provider.clone(),
                access_token: granted.access_token,
                refresh_token: granted
                    .refresh_token
                    .or_else(|| current.refresh_token.clone()),
                expires_at,
                error: None,
            }
        }
        Err(why) => failed(why),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::ProviderToken;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn state(access: &str) -> ProviderRefresh {
        ProviderRefresh {
            provider: "oidc".to_owned(),
            access_token: ProviderToken::new(access),
            refresh_token: Some(ProviderToken::new("r2")),
            expires_at: 100,
            error: None,
        }
    }

    #[tokio::test]
    async fn one_refresh_token_is_refreshed_once_and_its_outcome_shared() {
        let flights = MemoryRefreshFlights::new();
        let runs = AtomicUsize::new(0);
        let key = FlightKey::new("oidc", "r1");
        let refresh = || {
            Box::pin(async {
                runs.fetch_add(1, Ordering::SeqCst);
                tokio::task::yield_now().await;
                state("a2")
            }) as RefreshFuture<'_>
        };
        let outcomes = futures_join(
            (0..8)
                .map(|_| flights.share(key, 10, refresh()))
                .collect::<Vec<_>>(),
        )
        .await;
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        assert!(outcomes.iter().all(|outcome| *outcome == state("a2")));
        // Just after: answered from the record, no second grant.
        let late = flights
            .share(key, 10 + FLIGHT_MEMORY_SECONDS, refresh())
            .await;
        assert_eq!((late, runs.load(Ordering::SeqCst)), (state("a2"), 1));
        // Another refresh token is another flight.
        flights
            .share(FlightKey::new("oidc", "r2"), 11, refresh())
            .await;
        assert_eq!(runs.load(Ordering::SeqCst), 2);
    }

    /// Polls every future to completion on this task.
    async fn futures_join(futures: Vec<RefreshFuture<'_>>) -> Vec<ProviderRefresh> {
        let mut pending: Vec<Option<RefreshFuture<'_>>> = futures.into_iter().map(Some).collect();
        let mut results: Vec<Option<ProviderRefresh>> = vec![None; pending.len()];
        std::future::poll_fn(|cx| {
            let mut done = true;
            for (slot, result) in pending.iter_mut().zip(results.iter_mut()) {
                if let Some(future) = slot {
                    match future.as_mut().poll(cx) {
                        std::task::Poll::Ready(value) => {
                            *result = Some(value);
                            *slot = None;
                        }
                        std::task::Poll::Pending => done = false,
                    }
                }
            }
            if done {
                std::task::Poll::Ready(())
            } else {
                std::task::Poll::Pending
            }
        })
        .await;
        results.into_iter().flatten().collect()
    }

    #[test]
    fn the_record_stays_bounded() {
        let flights = MemoryRefreshFlights::new();
        for n in 0..(MAX_FLIGHTS + 10) {
            drop(flights.cell(FlightKey::new("oidc", &n.to_string()), 100));
        }
        assert!(flights.flights.lock().map_or(0, |map| map.len()) <= MAX_FLIGHTS);
    }

    #[test]
    fn a_flight_key_prints_nothing_of_the_token() {
        let key = FlightKey::new("oidc", "very-secret-refresh-token");
        assert_eq!(format!("{key:?}"), "FlightKey([redacted])");
    }
}
