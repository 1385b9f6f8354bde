//! The `session` callback's verdict on a signed-in token, for every reader of a session (the
//! `Session` extractor, the guards, `GET /session`, `POST /token`): the session it shaped, or
//! signed out, when it ended the session (a deactivated user; `AuthEvent::SessionEnded` is
//! recorded) or failed.

use poem::Request;

use crate::auth::Auth;
use crate::schema::{AuthEvent, AuthSchema};

/// The session `token` shapes through the `session` callback (`expires` the ISO 8601 instant
/// it ends), or `None` when the callback ended the session or failed: signed out.
pub(crate) async fn shaped_session<C: AuthSchema>(
    auth: &Auth<C>,
    req: &Request,
    token: &C::Token,
    expires: String,
) -> Option<C::Session> {
    match C::session(token, expires, auth.state()).await {
        Ok(Some(session)) => Some(session),
        Ok(None) => {
            tracing::info!("the session callback ended the session; signed out");
            let request = &auth.request_context(req);
            C::on_event(AuthEvent::SessionEnded { token, request }, auth.state()).await;
            None
        }
        Err(error) => {
            tracing::warn!(%error, "the session callback failed; signed out");
            None
        }
    }
}
