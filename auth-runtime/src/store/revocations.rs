//! [`Revocations`]: sessions ended before their token expires.
//!
//! A session token carries a session id (`sid`, random, kept for the session's life across
//! re-issues) and the session generation it was issued under (`sgen`). A session is refused
//! when its `sid` was revoked, or when its user's generation has since moved past its
//! `sgen` ("sign out everywhere"). Generations are milliseconds since the Unix epoch, moved
//! forward by at least one on each sign-out-everywhere, so a record that expired and was
//! made again still moves past every token issued before it.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::error::StoreFuture;

/// What a store knows of one session: whether its `sid` was revoked, and its user's current
/// session generation (0 when the user never signed out everywhere, or the record expired).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SessionStanding {
    /// The session id was revoked.
    pub revoked: bool,
    /// The user's current generation: a token whose `sgen` is below it is refused.
    pub generation: u64,
}

impl SessionStanding {
    /// Whether a token with session generation `sgen` (0 when it has none) stands.
    pub fn admits(&self, sgen: u64) -> bool {
        !self.revoked && sgen >= self.generation
    }
}

/// Where revoked sessions and users' session generations are kept.
pub trait Revocations: Send + Sync + 'static {
    /// Revokes the session `sid`, remembered for `ttl` (the session's longest life: no token
    /// of it outlives that).
    fn revoke_session<'a>(&'a self, sid: &'a str, ttl: Duration) -> StoreFuture<'a, ()>;

    /// Ends every session of `subject` issued before now: its generation becomes the larger
    /// of `at_least` and the current one plus one, remembered for `ttl`. Returns the new
    /// generation.
    fn end_sessions<'a>(
        &'a self,
        subject: &'a str,
        at_least: u64,
        ttl: Duration,
    ) -> StoreFuture<'a, u64>;

    /// The standing of session `sid` (when the token has one) of `subject`.
    fn standing<'a>(
        &'a self,
        sid: Option<&'a str>,
        subject: &'a str,
    ) -> StoreFuture<'a, SessionStanding>;
}

/// Revocations in this process's memory: for one instance, or tests. Records are dropped when
/// they expire, never before (dropping a revocation would undo it), so the record grows with
/// the revocations of one session lifetime.
#[derive(Default)]
pub struct MemoryRevocations {
    records: Mutex<Records>,
}

#[derive(Default)]
struct Records {
    revoked: HashMap<String, Instant>,
    generations: HashMap<String, (u64, Instant)>,
    /// Inserts since expired records were last swept.
    since_sweep: usize,
}

impl Records {
    /// Drops expired records once every 1024 inserts, so the sweep costs little per insert.
    fn sweep(&mut self, now: Instant) {
        self.since_sweep += 1;
        if self.since_sweep < 1024 {
            return;
        }
        self.since_sweep = 0;
        self.revoked.retain(|_, until| *until > now);
        self.generations.retain(|_, (_, until)| *until > now);
    }
}

impl MemoryRevocations {
    /// An empty record.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Records> {
        self.records
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl fmt::Debug for MemoryRevocations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let records = self.lock();
        f.debug_struct("MemoryRevocations")
            .field("revoked_sessions", &records.revoked.len())
            .field("users", &records.generations.len())
            .finish()
    }
}

impl Revocations for MemoryRevocations {
    fn revoke_session<'a>(&'a self, sid: &'a str, ttl: Duration) -> StoreFuture<'a, ()> {
        let now = Instant::now();
        let mut records = self.lock();
        records.sweep(now);
        records.revoked.insert(sid.to_owned(), now + ttl);
        Box::pin(std::future::ready(Ok(())))
    }

    fn end_sessions<'a>(
        &'a self,
        subject: &'a str,
        at_least: u64,
        ttl: Duration,
    ) -> StoreFuture<'a, u64> {
        let now = Instant::now();
        let mut records = self.lock();
        records.sweep(now);
        let current = records
            .generations
            .get(subject)
            .filter(|(_, until)| *until > now)
            .map_or(0, |(generation, _)| *generation);
        let generation = at_least.max(current.saturating_add(1));
        records
            .generations
            .insert(subject.to_owned(), (generation, now + ttl));
        Box::pin(std::future::ready(Ok(generation)))
    }

    fn standing<'a>(
        &'a self,
        sid: Option<&'a str>,
        subject: &'a str,
    ) -> StoreFuture<'a, SessionStanding> {
        let now = Instant::now();
        let records = self.lock();
        let revoked = sid
            .and_then(|sid| records.revoked.get(sid))
            .is_some_and(|until| *until > now);
        let generation = records
            .generations
            .get(subject)
            .filter(|(_, until)| *until > now)
            .map_or(0, |(generation, _)| *generation);
        Box::pin(std::future::ready(Ok(SessionStanding {
            revoked,
            generation,
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: Duration = Duration::from_secs(86_400);

    #[tokio::test]
    async fn a_revoked_session_and_an_ended_generation_are_refused() {
        let store = MemoryRevocations::new();
        let fresh = store.standing(Some("s1"), "alice").await.unwrap();
        assert!(fresh.admits(0));

        store.revoke_session("s1", DAY).await.unwrap();
        assert!(!store.standing(Some("s1"), "alice").await.unwrap().admits(5));
        assert!(store.standing(Some("s2"), "alice").await.unwrap().admits(5));

        let generation = store.end_sessions("alice", 1_000, DAY).await.unwrap();
        assert_eq!(generation, 1_000);
        let standing = store.standing(Some("s2"), "alice").await.unwrap();
        assert!(!standing.admits(999), "issued before");
        assert!(standing.admits(1_000), "issued under the new generation");
        assert!(store.standing(None, "bob").await.unwrap().admits(0));

        // Twice within one millisecond: the generation still moves.
        let again = store.end_sessions("alice", 1_000, DAY).await.unwrap();
        assert_eq!(again, 1_001);
    }

    #[tokio::test]
    async fn records_expire() {
        let store = MemoryRevocations::new();
        store
            .revoke_session("s1", Duration::from_millis(0))
            .await
            .unwrap();
        store
            .end_sessions("alice", 7, Duration::from_millis(0))
            .await
            .unwrap();
        let standing = store.standing(Some("s1"), "alice").await.unwrap();
        assert_eq!(standing, SessionStanding::default());
    }
}
