//! Revocation at read time: [`Revocation`], the settings, and [`RevocationCheck`], which asks
//! the store whether a session still stands through a small in-process cache.
//!
//! Each session read with revocation on looks up `(subject, sid)` in the cache; an entry at
//! most [`Revocation::max_stale`] old answers, else the store is asked once (one round trip)
//! and the answer cached. So a session revoked on one instance is refused on every other
//! within that bound, and a busy session costs the store one call per bound, not one per
//! request. Revocations made by this instance clear its own entries at once.
//!
//! When the store does not answer, the configured [`RevocationFailure`] decides: open (the
//! default) lets a session that decodes stand, closed refuses it for that request with a 503
//! and leaves its cookie alone.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::store::{Revocations, SessionStanding, StoreError};

/// What a session read does when the revocation store does not answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RevocationFailure {
    /// Let the session stand, as if nothing were revoked (logged). The default: an outage of
    /// the store must not sign every user out, and a session is still bounded by its
    /// expiry; revocations made before the outage are enforced again when it ends.
    Open,
    /// Refuse the session for that request: `401`/`503` answers, the cookie kept, so the user
    /// is signed in again when the store returns. For apps where a revoked session must
    /// never pass, even during an outage.
    Closed,
}

/// Revocation settings, for [`AuthBuilder::revocation`](crate::AuthBuilder::revocation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Revocation {
    max_stale: Duration,
    on_failure: RevocationFailure,
    max_cached: usize,
}

impl Default for Revocation {
    fn default() -> Self {
        Self {
            max_stale: Self::DEFAULT_MAX_STALE,
            on_failure: RevocationFailure::Open,
            max_cached: Self::DEFAULT_MAX_CACHED,
        }
    }
}

impl Revocation {
    /// How stale a cached answer may be by default: one second.
    pub const DEFAULT_MAX_STALE: Duration = Duration::from_secs(1);
    /// Most sessions cached by default.
    pub const DEFAULT_MAX_CACHED: usize = 100_000;

    /// Revocation on, with the defaults: answers at most one second stale, open on failure.
    pub fn new() -> Self {
        Self::default()
    }

    /// How stale a cached answer may be: a session revoked elsewhere is refused here within
    /// this bound. `Duration::ZERO` asks the store on every read.
    #[must_use]
    pub fn max_stale(mut self, max_stale: Duration) -> Self {
        self.max_stale = max_stale;
        self
    }

    /// What a read does when the store does not answer (default [`RevocationFailure::Open`]).
    #[must_use]
    pub fn on_failure(mut self, on_failure: RevocationFailure) -> Self {
        self.on_failure = on_failure;
        self
    }

    /// Most sessions kept in the cache; past it the cache is emptied and refilled.
    #[must_use]
    pub fn max_cached(mut self, max_cached: usize) -> Self {
        self.max_cached = max_cached.max(1);
        self
    }

    /// The staleness bound.
    pub fn staleness(&self) -> Duration {
        self.max_stale
    }

    /// The failure policy.
    pub fn failure_policy(&self) -> RevocationFailure {
        self.on_failure
    }
}

/// Whether a session stands, as a read sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Standing {
    /// Not revoked (or the store did not answer and the policy is open).
    Stands,
    /// Revoked, or issued before its user signed out everywhere.
    Revoked,
    /// The store did not answer and the policy is closed.
    Unknown,
}

/// The store's answers, by session id (a token without one: by subject), so that a hit is
/// one lookup with no allocation.
#[derive(Default)]
struct Cache {
    by_sid: HashMap<Box<str>, Cached>,
    by_subject: HashMap<Box<str>, Cached>,
}

/// One answer: whose session it is, what the store said, and when.
struct Cached {
    subject: Box<str>,
    standing: SessionStanding,
    at: Instant,
}

impl Cache {
    fn get(&self, subject: &str, sid: Option<&str>) -> Option<&Cached> {
        match sid {
            Some(sid) => self
                .by_sid
                .get(sid)
                .filter(|cached| &*cached.subject == subject),
            None => self.by_subject.get(subject),
        }
    }

    fn insert(&mut self, subject: &str, sid: Option<&str>, cached: Cached, max: usize) {
        if self.by_sid.len() + self.by_subject.len() >= max {
            self.by_sid.clear();
            self.by_subject.clear();
        }
        let _ = match sid {
            Some(sid) => self.by_sid.insert(sid.into(), cached),
            None => self.by_subject.insert(subject.into(), cached),
        };
    }
}

/// The check every session read makes when revocation is on.
pub(crate) struct RevocationCheck {
    settings: Revocation,
    store: Arc<dyn Revocations>,
    cache: Mutex<Cache>,
    /// Set while the store fails, so that an outage is logged once, not once per request.
    failing: AtomicBool,
}

impl fmt::Debug for RevocationCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RevocationCheck")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl RevocationCheck {
    pub(crate) fn new(settings: Revocation, store: Arc<dyn Revocations>) -> Self {
        Self {
            settings,
            store,
            cache: Mutex::new(Cache::default()),
            failing: AtomicBool::new(false),
        }
    }

    /// The store (for revoking).
    pub(crate) fn store(&self) -> &dyn Revocations {
        &*self.store
    }

    /// Whether the session `sid` of `subject`, issued under generation `generation`, stands.
    pub(crate) async fn judge(
        &self,
        subject: &str,
        sid: Option<&str>,
        generation: u64,
    ) -> Standing {
        let now = Instant::now();
        let cached = self
            .lock()
            .get(subject, sid)
            .filter(|cached| now.saturating_duration_since(cached.at) < self.settings.max_stale)
            .map(|cached| cached.standing);
        let standing = match cached {
            Some(standing) => standing,
            None => match self.store.standing(sid, subject).await {
                Ok(standing) => {
                    self.recovered();
                    let cached = Cached {
                        subject: subject.into(),
                        standing,
                        at: now,
                    };
                    self.lock()
                        .insert(subject, sid, cached, self.settings.max_cached);
                    standing
                }
                Err(error) => return self.failed(&error),
            },
        };
        if standing.admits(generation) {
            Standing::Stands
        } else {
            Standing::Revoked
        }
    }

    /// The generation a session signed in now is issued under: the user's current one, or
    /// `now_ms` when later (or when the store does not answer, logged).
    pub(crate) async fn generation_for_sign_in(&self, subject: &str, now_ms: u64) -> u64 {
        match self.store.standing(None, subject).await {
            Ok(standing) => standing.generation.max(now_ms),
            Err(error) => {
                tracing::warn!(%error, "the session generation could not be read at sign-in");
                now_ms
            }
        }
    }

    /// Forgets what the cache holds of `subject` (after this instance revoked something of
    /// theirs).
    pub(crate) fn forget(&self, subject: &str) {
        let mut cache = self.lock();
        cache.by_sid.retain(|_, cached| &*cached.subject != subject);
        cache.by_subject.remove(subject);
    }

    /// Forgets what the cache holds of session `sid`.
    pub(crate) fn forget_session(&self, sid: &str) {
        self.lock().by_sid.remove(sid);
    }

    fn failed(&self, error: &StoreError) -> Standing {
        if !self.failing.swap(true, Ordering::Relaxed) {
            tracing::warn!(
                %error,
                policy = ?self.settings.on_failure,
                "the revocation store does not answer; sessions are judged by the failure policy"
            );
        }
        match self.settings.on_failure {
            RevocationFailure::Open => Standing::Stands,
            RevocationFailure::Closed => Standing::Unknown,
        }
    }

    fn recovered(&self) {
        if self.failing.swap(false, Ordering::Relaxed) {
            tracing::info!("the revocation store answers again");
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Cache> {
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{MemoryRevocations, StoreFuture};

    const DAY: Duration = Duration::from_secs(86_400);

    #[tokio::test]
    async fn a_revocation_is_seen_once_the_cached_answer_is_stale() {
        let store = Arc::new(MemoryRevocations::new());
        let check = RevocationCheck::new(
            Revocation::new().max_stale(Duration::from_millis(50)),
            Arc::clone(&store) as Arc<dyn Revocations>,
        );
        assert_eq!(check.judge("alice", Some("s1"), 10).await, Standing::Stands);
        // Revoked elsewhere (another instance): the cached answer stands until stale.
        store.revoke_session("s1", DAY).await.unwrap();
        assert_eq!(check.judge("alice", Some("s1"), 10).await, Standing::Stands);
        tokio::time::sleep(Duration::from_millis(60)).await;
        assert_eq!(
            check.judge("alice", Some("s1"), 10).await,
            Standing::Revoked
        );
        // Revoked here: forgotten at once.
        assert_eq!(check.judge("alice", Some("s2"), 10).await, Standing::Stands);
        store.end_sessions("alice", 20, DAY).await.unwrap();
        check.forget("alice");
        assert_eq!(
            check.judge("alice", Some("s2"), 10).await,
            Standing::Revoked
        );
        assert_eq!(check.judge("alice", Some("s3"), 20).await, Standing::Stands);
    }

    #[tokio::test]
    async fn the_cache_stays_bounded() {
        let check = RevocationCheck::new(
            Revocation::new().max_cached(100),
            Arc::new(MemoryRevocations::new()),
        );
        for n in 0..1_000 {
            let sid = format!("s{n}");
            let standing = check.judge("alice", Some(&sid), 1).await;
            assert_eq!(standing, Standing::Stands);
            let cache = check.lock();
            assert!(cache.by_sid.len() + cache.by_subject.len() <= 100);
        }
    }

    struct Down;

    impl Revocations for Down {
        fn revoke_session<'a>(&'a self, _: &'a str, _: Duration) -> StoreFuture<'a, ()> {
            Box::pin(std::future::ready(Err(StoreError::Unavailable(
                "down".into(),
            ))))
        }
        fn end_sessions<'a>(&'a self, _: &'a str, _: u64, _: Duration) -> StoreFuture<'a, u64> {
            Box::pin(std::future::ready(Err(StoreError::Unavailable(
                "down".into(),
            ))))
        }
        fn standing<'a>(
            &'a self,
            _: Option<&'a str>,
            _: &'a str,
        ) -> StoreFuture<'a, SessionStanding> {
            Box::pin(std::future::ready(Err(StoreError::Timeout(
                Duration::from_millis(1),
            ))))
        }
    }

    #[tokio::test]
    async fn a_store_that_does_not_answer_is_judged_by_the_policy() {
        let open = RevocationCheck::new(Revocation::new(), Arc::new(Down));
        assert_eq!(open.judge("alice", Some("s1"), 1).await, Standing::Stands);
        let closed = RevocationCheck::new(
            Revocation::new().on_failure(RevocationFailure::Closed),
            Arc::new(Down),
        );
        assert_eq!(
            closed.judge("alice", Some("s1"), 1).await,
            Standing::Unknown
        );
        assert_eq!(open.generation_for_sign_in("alice", 77).await, 77);
    }
}
