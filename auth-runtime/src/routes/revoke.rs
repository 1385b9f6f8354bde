//! Revocation's operations: [`Auth::revoke_session`], [`Auth::sign_out_everywhere`], and
//! `POST /signout/others`, where a signed-in user ends every other session of theirs.
//!
//! `POST /signout/others` takes the CSRF token (`csrfToken`, as a form or JSON body, as
//! `POST /signout` does) and the session cookie; it moves the user's session generation past
//! every session issued so far, re-issues the caller's own session under the new generation
//! (same session id), and answers `200 {"signedOut":"others"}` with the new cookie. Signed
//! out: `401 {"error":"unauthorized"}`; the store not answering: `503
//! {"error":"unavailable"}`, nothing changed. Without revocation on, the route does not
//! exist (400, as any unknown auth route).

use std::time::Duration;

use poem::http::{Method, StatusCode};
use poem::{Request, Response};
use serde_json::json;

use super::issue::write_token;
use super::request;
use super::respond;
use crate::auth::Auth;
use crate::error::AuthError;
use crate::loaded_session::LoadedSession;
use crate::revocation::Standing;
use crate::schema::{AuthEvent, AuthSchema, TokenClaims as _};

impl<C: AuthSchema> Auth<C> {
    /// Revokes the session `sid` (a token's `sid` claim, e.g. from
    /// [`Session::token`](crate::Session::token)): every instance refuses it within the
    /// revocation cache's staleness bound, and the revocation is remembered for the session's
    /// longest life ([`AuthSchema::MAX_AGE`]). Needs revocation on
    /// ([`AuthBuilder::revocation`](crate::AuthBuilder::revocation)).
    pub async fn revoke_session(&self, sid: &str) -> Result<(), AuthError> {
        let check = self.revocation().ok_or(AuthError::RevocationOff)?;
        check.store().revoke_session(sid, C::MAX_AGE).await?;
        check.forget_session(sid);
        Ok(())
    }

    /// Ends every session of the user `subject` (their `sub`) issued until now, on every
    /// instance within the staleness bound; sessions signed in afterwards stand. Needs
    /// revocation on. Returns the user's new session generation.
    pub async fn sign_out_everywhere(&self, subject: &str) -> Result<u64, AuthError> {
        let check = self.revocation().ok_or(AuthError::RevocationOff)?;
        let now_ms = u64::try_from(self.codec().now())
            .unwrap_or(0)
            .saturating_mul(1000);
        // Past every generation a session signed in this millisecond (or, on the injectable
        // clock, this second) was given.
        let at_least = now_ms.saturating_add(1000);
        let generation = check
            .store()
            .end_sessions(subject, at_least, C::MAX_AGE + Duration::from_secs(60))
            .await?;
        check.forget(subject);
        Ok(generation)
    }
}

/// Revokes `sid` at sign-out (revocation on), logging a failure: the cookie is expired
/// anyway.
pub(super) async fn revoke_sid<C: AuthSchema>(auth: &Auth<C>, sid: &str) {
    if auth.revocation().is_none() {
        return;
    }
    if let Err(error) = auth.revoke_session(sid).await {
        tracing::warn!(%error, "the signed-out session could not be revoked");
    }
}

/// `POST /signout/others`.
pub(super) async fn handle<C: AuthSchema>(auth: Auth<C>, mut req: Request) -> Response {
    if req.method() != Method::POST || auth.revocation().is_none() {
        return respond::bad_request();
    }
    match request::verified_form(&auth, &mut req).await {
        Ok(Some(_)) => {}
        Ok(None) => {
            return answer(
                StatusCode::BAD_REQUEST,
                json!({ "error": "MissingCSRF" }),
                &[],
            );
        }
        Err(request::TooLarge) => return respond::payload_too_large(),
    }
    let loaded = LoadedSession::of_request(&req, &auth);
    let Some(current) = loaded.token() else {
        return answer(
            StatusCode::UNAUTHORIZED,
            json!({ "error": "unauthorized" }),
            &[],
        );
    };
    match auth.standing(current).await {
        Standing::Stands => {}
        Standing::Revoked => {
            return answer(
                StatusCode::UNAUTHORIZED,
                json!({ "error": "unauthorized" }),
                &[],
            );
        }
        Standing::Unknown => {
            return answer(
                StatusCode::SERVICE_UNAVAILABLE,
                json!({ "error": "unavailable" }),
                &[],
            );
        }
    }
    let generation = match auth.sign_out_everywhere(current.subject()).await {
        Ok(generation) => generation,
        Err(error) => {
            tracing::warn!(%error, "the other sessions could not be signed out");
            return answer(
                StatusCode::SERVICE_UNAVAILABLE,
                json!({ "error": "unavailable" }),
                &[],
            );
        }
    };
    let mut token = current.clone();
    let sid = token
        .session_id()
        .map_or_else(crate::token::random_uuid, str::to_owned);
    token.set_session(sid, generation);
    let written = match write_token(&auth, &token, loaded.cookie_names()) {
        Ok(written) => written,
        Err(error) => {
            tracing::error!(%error, "the session could not be re-issued after signing out the others");
            return answer(
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({ "error": "Configuration" }),
                &[],
            );
        }
    };
    C::on_event(
        AuthEvent::SessionUpdated {
            token: &token,
            request: &auth.request_context(&req),
        },
        auth.state(),
    )
    .await;
    answer(
        StatusCode::OK,
        json!({ "signedOut": "others" }),
        &written.cookies,
    )
}

fn answer(
    status: StatusCode,
    body: serde_json::Value,
    cookies: &[crate::cookies::SetCookie],
) -> Response {
    respond::json_no_store(status, &body, cookies)
}
