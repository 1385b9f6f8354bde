//! The update race (checklist SU-08) across instances: which token a read or update builds
//! on, and recording an accepted update.
//!
//! Without a shared store, the in-process record (`superseded.rs`) is the whole story. With
//! one, the shared [`UpdateLog`](crate::UpdateLog) is the record every instance reads and
//! writes, the updated token sealed; when it does not answer, the read goes on with the
//! token it carries (the race is then open, as it is in Auth.js, and logged).

use std::time::Duration;

use crate::auth::Auth;
use crate::schema::{AuthSchema, TokenClaims};
use crate::store::RecordedUpdate;
use crate::superseded::UPDATE_MEMORY_SECONDS;

/// The token a recent update gave `subject`, when the token presented (issued at
/// `issued_at`) predates it.
pub(super) async fn newer_token<C: AuthSchema>(
    auth: &Auth<C>,
    subject: &str,
    issued_at: i64,
) -> Option<C::Token> {
    let now = auth.codec().now();
    let Some(log) = auth.update_log() else {
        return auth.updated_tokens().newer_than(subject, issued_at, now);
    };
    match log.latest(subject).await {
        Ok(Some(RecordedUpdate { at, sealed }))
            if issued_at < at && now - at <= UPDATE_MEMORY_SECONDS =>
        {
            auth.sealer().open(&sealed)
        }
        Ok(_) => None,
        Err(error) => {
            tracing::warn!(%error, "the shared update record does not answer; the token is read as it is");
            None
        }
    }
}

/// Records `token` as the latest update of its user.
pub(super) async fn record_update<C: AuthSchema>(auth: &Auth<C>, token: &C::Token) {
    let now = auth.codec().now();
    let Some(log) = auth.update_log() else {
        auth.updated_tokens()
            .record(token.subject(), token.clone(), now);
        return;
    };
    let memory = Duration::from_secs(UPDATE_MEMORY_SECONDS.unsigned_abs());
    let sealed = match auth.sealer().seal(token, memory) {
        Ok(sealed) => sealed,
        Err(error) => {
            tracing::error!(%error, "an updated token could not be sealed for the shared record");
            return;
        }
    };
    let update = RecordedUpdate { at: now, sealed };
    if let Err(error) = log.record(token.subject(), update, memory).await {
        tracing::warn!(%error, "an update could not be recorded in the shared store");
    }
}
