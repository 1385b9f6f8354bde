//! The update race (Auth.js pain point 1, checklist SU-08): a `GET /session` sent with the
//! cookie from before an update, answered after it, must not write the old claims back.
//!
//! A browser keeps whichever `Set-Cookie` arrives last. When a read that started before an
//! update ends after it, Auth.js re-issues the pre-update token and the update is lost. Here,
//! every accepted update leaves its token behind for a short while, per user; a session read
//! carrying a token issued before that update is answered from, and re-issued with, the
//! updated token instead. The record lives in this process's memory: a deployment of several
//! processes without sticky sessions narrows the race but does not close it.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};

/// How long an update's token is remembered. Requests in flight finish well within it.
pub(crate) const UPDATE_MEMORY_SECONDS: i64 = 60;

/// Most users remembered at once; past it the oldest records are dropped.
const MAX_USERS: usize = 10_000;

/// The tokens recent updates issued, per user (`sub`).
pub(crate) struct UpdatedTokens<T> {
    by_subject: Mutex<HashMap<String, Updated<T>>>,
    /// When the latest update was recorded (`i64::MIN`: never). Reads check it first, so
    /// that while no update is recent, no read takes the lock that updates share.
    latest: AtomicI64,
}

struct Updated<T> {
    /// When the update was applied, seconds since the Unix epoch.
    at: i64,
    token: T,
}

impl<T: Clone> UpdatedTokens<T> {
    pub(crate) fn new() -> Self {
        Self {
            by_subject: Mutex::new(HashMap::new()),
            latest: AtomicI64::new(i64::MIN),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Updated<T>>> {
        self.by_subject
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Remembers `token` as the one an update gave `subject` at `now`.
    pub(crate) fn record(&self, subject: &str, token: T, now: i64) {
        let mut records = self.lock();
        if records.len() >= MAX_USERS && !records.contains_key(subject) {
            records.retain(|_, updated| now - updated.at <= UPDATE_MEMORY_SECONDS);
            if records.len() >= MAX_USERS {
                let oldest = records
                    .iter()
                    .min_by_key(|(_, updated)| updated.at)
                    .map(|(subject, _)| subject.clone());
                if let Some(oldest) = oldest {
                    records.remove(&oldest);
                }
            }
        }
        records.insert(subject.to_owned(), Updated { at: now, token });
        // Before the update is answered, so that any read handled after that answer sees it.
        self.latest.fetch_max(now, Ordering::SeqCst);
    }

    /// The token a recent update gave `subject`, if the token presented (issued at
    /// `issued_at`) predates that update. Same-second tokens count as current: the clock has
    /// one-second steps.
    pub(crate) fn newer_than(&self, subject: &str, issued_at: i64, now: i64) -> Option<T> {
        let latest = self.latest.load(Ordering::SeqCst);
        // Never (`i64::MIN`) saturates to far beyond the memory.
        if now.saturating_sub(latest) > UPDATE_MEMORY_SECONDS {
            return None;
        }
        let records = self.lock();
        let updated = records.get(subject)?;
        let recent = now - updated.at <= UPDATE_MEMORY_SECONDS;
        (recent && issued_at < updated.at).then(|| updated.token.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_from_before_an_update_is_superseded_for_a_while() {
        let updates = UpdatedTokens::new();
        updates.record("u1", "after", 100);
        assert_eq!(updates.newer_than("u1", 90, 101), Some("after"));
        assert_eq!(
            updates.newer_than("u1", 100, 101),
            None,
            "the update's own token"
        );
        assert_eq!(updates.newer_than("u2", 90, 101), None, "another user");
        assert_eq!(
            updates.newer_than("u1", 90, 100 + UPDATE_MEMORY_SECONDS + 1),
            None
        );
    }

    #[test]
    fn the_record_stays_bounded() {
        let updates = UpdatedTokens::new();
        for user in 0..(MAX_USERS + 100) {
            updates.record(&format!("u{user}"), (), 100);
        }
        assert!(updates.lock().len() <= MAX_USERS);
    }
}
