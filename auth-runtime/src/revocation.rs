//! Revocation at read time: [`Revocation`], the settings, and [`RevocationCheck`], which asks
//! the store whether a session still stands through a small in-process cache.
//!
//! Each session read with revocation on looks up `(subject, sid)` in the cache; an entry at
//! most [`Revocation::max_stale`] old answers, else the store is asked once (one round trip)
//! and the answer cached; the reads of that session that miss meanwhile wait for that one
//! answer rather than each asking. So a session revoked on one instance is refused on every
//! other within that bound, and a busy session costs the store one call per bound, not one
//! per request. Revocations made by this instance clear its own entries at once.
//!
//! When the store does not answer, the configured [`RevocationFailure`] decides: open (the
//! default) lets a session that decodes stand, closed refuses it for that request with a 503
//! and leaves its cookie alone.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::OnceCell;

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

    /// Most sessions kept in the cache. Past it the stale answers are dropped, and every
    /// answer when more than half of them are still fresh.
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

    /// Whether an answer the store gave `at` may still answer `now`.
    fn fresh(&self, at: Instant, now: Instant) -> bool {
        now.saturating_duration_since(at) < self.max_stale
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
/// one lookup with no allocation; and the questions to the store in flight.
#[derive(Default)]
struct Cache {
    by_sid: HashMap<Box<str>, Cached>,
    by_subject: HashMap<Box<str>, Cached>,
    flights: HashMap<SessionKey, Flight>,
}

/// One answer, and whose session it is about.
struct Cached {
    subject: Box<str>,
    answer: Answer,
}

/// The store's answer to one question, and when it was asked.
#[derive(Debug, Clone, Copy)]
struct Answer {
    standing: SessionStanding,
    at: Instant,
}

/// A question to the store in flight: the first read to miss asks, and the reads of the same
/// session that miss meanwhile wait for its answer instead of each asking (`None`: the store
/// did not answer). If the asking read is dropped, a waiting one asks in its place (tokio's
/// `OnceCell` hands the initialisation on).
type Flight = Arc<OnceCell<Option<Answer>>>;

/// Whose question a flight is: `(subject, sid)`.
type SessionKey = (Box<str>, Option<Box<str>>);

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

    /// The flight asking about this session: the one in the air, else a new one. (A flight
    /// leaves the map in the same poll that gives its answer, so one found here is unanswered
    /// or answered this instant.)
    fn flight(&mut self, subject: &str, sid: Option<&str>) -> Flight {
        let key: SessionKey = (subject.into(), sid.map(Into::into));
        Arc::clone(self.flights.entry(key).or_default())
    }

    /// Takes `flight` down and caches its answer, unless it was taken down already (by
    /// another of its readers, or by [`RevocationCheck::forget`]: an answer asked before a
    /// revocation here must not be cached after it).
    fn land(&mut self, subject: &str, sid: Option<&str>, flight: &Flight, settings: &Revocation) {
        let key: SessionKey = (subject.into(), sid.map(Into::into));
        if !self
            .flights
            .get(&key)
            .is_some_and(|current| Arc::ptr_eq(current, flight))
        {
            return;
        }
        let _ = self.flights.remove(&key);
        if let Some(Some(answer)) = flight.get() {
            let cached = Cached {
                subject: subject.into(),
                answer: *answer,
            };
            self.insert(subject, sid, cached, settings);
        }
    }

    fn insert(&mut self, subject: &str, sid: Option<&str>, cached: Cached, settings: &Revocation) {
        if self.len() >= settings.max_cached {
            self.make_room(settings);
        }
        let _ = match sid {
            Some(sid) => self.by_sid.insert(sid.into(), cached),
            None => self.by_subject.insert(subject.into(), cached),
        };
    }

    fn len(&self) -> usize {
        self.by_sid.len() + self.by_subject.len()
    }

    /// Drops the stale answers (they answer nothing any more), and everything when more than
    /// half the bound is still fresh, so that each full pass frees at least half the cache
    /// and inserting stays constant time on average.
    fn make_room(&mut self, settings: &Revocation) {
        let now = Instant::now();
        let fresh = |cached: &Cached| settings.fresh(cached.answer.at, now);
        self.by_sid.retain(|_, cached| fresh(cached));
        self.by_subject.retain(|_, cached| fresh(cached));
        if self.len() > settings.max_cached / 2 {
            self.by_sid.clear();
            self.by_subject.clear();
        }
        // Flights no read waits on any more (all their readers were dropped).
        self.flights
            .retain(|_, flight| Arc::strong_count(flight) > 1);
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
        let settings = &self.settings;
        let flight = {
            let mut cache = self.lock();
            let now = Instant::now();
            if let Some(cached) = cache
                .get(subject, sid)
                .filter(|cached| settings.fresh(cached.answer.at, now))
            {
                return verdict(cached.answer.standing, generation);
            }
            cache.flight(subject, sid)
        };
        let answer = *flight.get_or_init(|| self.ask(subject, sid)).await;
        self.lock().land(subject, sid, &flight, settings);
        match answer {
            Some(answer) => verdict(answer.standing, generation),
            None => self.policy(),
        }
    }

    /// Asks the store once.
    async fn ask(&self, subject: &str, sid: Option<&str>) -> Option<Answer> {
        let at = Instant::now();
        match self.store.standing(sid, subject).await {
            Ok(standing) => {
                self.recovered();
                Some(Answer { standing, at })
            }
            Err(error) => {
                self.failed(&error);
                None
            }
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
        cache.flights.retain(|(of, _), _| &**of != subject);
    }

    /// Forgets what the cache holds of session `sid`.
    pub(crate) fn forget_session(&self, sid: &str) {
        let mut cache = self.lock();
        cache.by_sid.remove(sid);
        cache
            .flights
            .retain(|(_, of), _| of.as_deref() != Some(sid));
    }

    /// Logs a failure of the store, once per outage.
    fn failed(&self, error: &StoreError) {
        if !self.failing.swap(true, Ordering::Relaxed) {
            tracing::warn!(
                %error,
                policy = ?self.settings.on_failure,
                "the revocation store does not answer; sessions are judged by the failure policy"
            );
        }
    }

    /// The standing of a session the store could not answer for.
    fn policy(&self) -> Standing {
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

/// A session with this standing, issued under `generation`: does it stand?
fn verdict(standing: SessionStanding, generation: u64) -> Standing {
    if standing.admits(generation) {
        Standing::Stands
    } else {
        Standing::Revoked
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

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

    /// The memory store, counting the questions asked; each answer is read at once and
    /// returned after yielding to the scheduler a few times, as a network round trip would.
    #[derive(Default)]
    struct Counting {
        inner: MemoryRevocations,
        asked: AtomicUsize,
    }

    impl Revocations for Counting {
        fn revoke_session<'a>(&'a self, sid: &'a str, ttl: Duration) -> StoreFuture<'a, ()> {
            self.inner.revoke_session(sid, ttl)
        }
        fn end_sessions<'a>(
            &'a self,
            subject: &'a str,
            at: u64,
            ttl: Duration,
        ) -> StoreFuture<'a, u64> {
            self.inner.end_sessions(subject, at, ttl)
        }
        fn standing<'a>(
            &'a self,
            sid: Option<&'a str>,
            subject: &'a str,
        ) -> StoreFuture<'a, SessionStanding> {
            Box::pin(async move {
                let _ = self.asked.fetch_add(1, Ordering::Relaxed);
                let answer = self.inner.standing(sid, subject).await;
                for _ in 0..5 {
                    tokio::task::yield_now().await;
                }
                answer
            })
        }
    }

    fn counting(settings: Revocation) -> (Arc<Counting>, Arc<RevocationCheck>) {
        let store = Arc::new(Counting::default());
        let check = RevocationCheck::new(settings, Arc::clone(&store) as Arc<dyn Revocations>);
        (store, Arc::new(check))
    }

    /// Fifty reads of one session at once, on a cold cache: how many stood.
    async fn fifty_reads(check: &Arc<RevocationCheck>) -> usize {
        let mut reads = tokio::task::JoinSet::new();
        for _ in 0..50 {
            let check = Arc::clone(check);
            let _ = reads.spawn(async move { check.judge("alice", Some("s1"), 10).await });
        }
        reads
            .join_all()
            .await
            .into_iter()
            .filter(|standing| *standing == Standing::Stands)
            .count()
    }

    #[tokio::test]
    async fn reads_that_miss_together_ask_the_store_once() {
        let (store, check) = counting(Revocation::new().max_stale(Duration::from_millis(50)));
        assert_eq!(fifty_reads(&check).await, 50);
        assert_eq!(store.asked.load(Ordering::Relaxed), 1);
        // Once the answer is stale, the next burst asks once again, and sees a revocation.
        store.inner.revoke_session("s1", DAY).await.unwrap();
        tokio::time::sleep(Duration::from_millis(60)).await;
        assert_eq!(fifty_reads(&check).await, 0);
        assert_eq!(store.asked.load(Ordering::Relaxed), 2);
    }

    #[tokio::test]
    async fn an_answer_asked_before_a_revocation_here_is_not_cached_after_it() {
        let (store, check) = counting(Revocation::new());
        let early = {
            let check = Arc::clone(&check);
            tokio::spawn(async move { check.judge("alice", Some("s1"), 10).await })
        };
        // The read is now waiting for the store; this instance revokes meanwhile.
        tokio::task::yield_now().await;
        assert_eq!(store.asked.load(Ordering::Relaxed), 1);
        store.inner.revoke_session("s1", DAY).await.unwrap();
        check.forget_session("s1");
        // The read in flight was asked before: it stands (it began before the revocation).
        assert_eq!(early.await.unwrap(), Standing::Stands);
        // Its answer was not cached: the next read asks and is refused.
        assert_eq!(
            check.judge("alice", Some("s1"), 10).await,
            Standing::Revoked
        );
        assert_eq!(store.asked.load(Ordering::Relaxed), 2);
    }

    #[tokio::test]
    async fn a_full_cache_drops_its_stale_answers_first() {
        let (store, check) = counting(
            Revocation::new()
                .max_cached(4)
                .max_stale(Duration::from_millis(200)),
        );
        for sid in ["s1", "s2"] {
            assert_eq!(check.judge("alice", Some(sid), 1).await, Standing::Stands);
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
        // s1 and s2 are stale; s3..s5 fill the cache, and s5 makes room by dropping them.
        for sid in ["s3", "s4", "s5"] {
            assert_eq!(check.judge("alice", Some(sid), 1).await, Standing::Stands);
        }
        assert_eq!(store.asked.load(Ordering::Relaxed), 5);
        // s3 and s4 were kept: answered from the cache.
        for sid in ["s3", "s4", "s5"] {
            assert_eq!(check.judge("alice", Some(sid), 1).await, Standing::Stands);
        }
        assert_eq!(store.asked.load(Ordering::Relaxed), 5);
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
