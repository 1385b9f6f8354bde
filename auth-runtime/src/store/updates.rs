//! [`UpdateLog`]: the update-race record (checklist SU-08) shared between instances.
//!
//! Every accepted update leaves its token behind for a minute, per user, so that a session
//! read carrying a token from before the update is answered with the updated one, on
//! whichever instance it lands. The runtime keeps its own in-process record in front
//! (`superseded.rs`); the log is what other instances' updates are learnt from.

use std::fmt;
use std::time::Duration;

use super::error::StoreFuture;

/// One update as the log keeps it.
#[derive(Clone, PartialEq, Eq)]
pub struct RecordedUpdate {
    /// When the update was applied, in seconds since the Unix epoch.
    pub at: i64,
    /// The updated token, sealed by the runtime (a JWE under a key derived from the secret):
    /// the store never holds claims in the clear.
    pub sealed: String,
}

/// Not printed: the sealed token is a credential.
impl fmt::Debug for RecordedUpdate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordedUpdate")
            .field("at", &self.at)
            .finish_non_exhaustive()
    }
}

/// Where accepted updates are recorded for every instance to see.
pub trait UpdateLog: Send + Sync + 'static {
    /// Records `update` as the latest of `subject`, kept for `ttl`.
    fn record<'a>(
        &'a self,
        subject: &'a str,
        update: RecordedUpdate,
        ttl: Duration,
    ) -> StoreFuture<'a, ()>;

    /// The latest update of `subject` still kept, if any.
    fn latest<'a>(&'a self, subject: &'a str) -> StoreFuture<'a, Option<RecordedUpdate>>;
}
