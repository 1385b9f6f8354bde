//! `GET /session` (read and re-issue) and `POST /session` (the client's `update(data)`).
//!
//! Every answer is uncached (`Cache-Control: private, no-cache, no-store`). Signed out, a
//! token that does not open, or a session the `session` callback ended: `200 null` and every
//! session cookie the request carried (chunks included) expired. Signed in: the `jwt` callback runs, the token is re-encoded with a fresh
//! `exp` (sliding expiry) and re-set, and the session JSON is the answer. With an
//! [`AuthSchema::UPDATE_AGE`], no `jwt` callback and a token younger than that age under the
//! newest secret, the answer comes from the token as it is, and no cookie is set. A provider
//! access token close to its expiry is refreshed first (`refresh`), and the token re-issued.
//!
//! An update is accepted only with the CSRF token, only with whitelisted fields (the generated
//! update type refuses others: `400 null`), and only when every claim check allows it
//! (`403 null`); a refused update leaves the cookie untouched.

use poem::http::{Method, StatusCode};
use poem::{Request, Response};
use serde_json::{Map, Value};

use super::issue::write_token;
use super::race::{newer_token, record_update};
use super::refresh::refreshed_token;
use super::request::{self, CSRF_FIELD};
use super::respond;
use crate::auth::Auth;
use crate::cookies::{SessionCookieNames, SetCookie, clear_session_cookies};
use crate::expires::iso8601;
use crate::loaded_session::LoadedSession;
use crate::revocation::Standing;
use crate::schema::{AuthEvent, AuthSchema, JwtTrigger, TokenAction, TokenClaims, UpdateError};
use crate::session_callback::shaped_session;
use crate::token::{Registered, parse_claims};

/// `GET` reads the session, `POST` updates it.
pub(super) async fn handle<C: AuthSchema>(auth: Auth<C>, mut req: Request) -> Response {
    match *req.method() {
        Method::GET => refresh(&auth, &req).await,
        // Boxed: the update's future (body, checks, callbacks, re-issue) is several times the
        // size of a read's, and every read's future would be as large and copied as often.
        Method::POST => Box::pin(update(&auth, &mut req)).await,
        _ => respond::bad_request(),
    }
}

async fn refresh<C: AuthSchema>(auth: &Auth<C>, req: &Request) -> Response {
    let loaded = LoadedSession::of_request(req, auth);
    let previous = loaded.cookie_names();
    let (Some(token), Some(registered)) = (loaded.token(), loaded.registered()) else {
        return signed_out(auth, previous);
    };
    // Whether the session stands, and whether a recent update supersedes its token (SU-08):
    // asked at once, so that with a shared store a read waits for it once, not twice.
    let (standing, newer) = tokio::join!(
        check_standing(auth, token, previous),
        newer_token(auth, token.subject(), registered.issued_at),
    );
    if let Err(refused) = standing {
        return refused;
    }
    let now = auth.codec().now();
    // The provider's access token refreshed when it is due (boxed: a large future most reads
    // never build).
    let refreshed = if auth.refreshes() {
        Box::pin(refreshed_token(auth, newer.as_ref().unwrap_or(token))).await
    } else {
        None
    };
    if newer.is_none()
        && refreshed.is_none()
        && !C::JWT_CALLBACK
        && !due_for_reissue::<C>(registered, now)
    {
        // Nothing would change but `iat`, `exp` and `jti`: answered from the token as it is,
        // with no `Set-Cookie`.
        return answer(auth, req, token, registered.expires_at, &[], previous)
            .await
            .unwrap_or_else(|e| e);
    }
    let mut token = refreshed.or(newer).unwrap_or_else(|| token.clone());
    match C::jwt(&mut token, JwtTrigger::Refresh, auth.state()).await {
        Ok(TokenAction::Keep) => reissue(auth, req, &token, previous)
            .await
            .unwrap_or_else(|e| e),
        Ok(TokenAction::SignOut) => signed_out(auth, previous),
        Err(error) => {
            tracing::warn!(%error, "the jwt callback failed on refresh; signing out");
            signed_out(auth, previous)
        }
    }
}

async fn update<C: AuthSchema>(auth: &Auth<C>, req: &mut Request) -> Response {
    let Ok(body) = request::read_body(req).await else {
        return respond::payload_too_large();
    };
    let req: &Request = req;
    // Strict: a duplicate member (`"tenantId"` twice) or deep nesting is refused, not
    // last-wins.
    let Ok(mut body) = parse_claims(&body) else {
        return respond::null(StatusCode::BAD_REQUEST, &[]);
    };
    let submitted = match body.get(CSRF_FIELD) {
        Some(Value::String(token)) => Some(token.as_str()),
        _ => None,
    };
    if !request::csrf_verified(auth, req, submitted) {
        tracing::debug!("session update without a valid CSRF token");
        return respond::null(StatusCode::BAD_REQUEST, &[]);
    }

    let loaded = LoadedSession::of_request(req, auth);
    let previous = loaded.cookie_names();
    let Some(current) = loaded.token() else {
        return signed_out(auth, previous);
    };
    // Two updates sent with the same old cookie build on each other, not on the old token;
    // the store asked once for both.
    let (standing, newer) = tokio::join!(
        check_standing(auth, current, previous),
        newer_token(auth, current.subject(), loaded.issued_at().unwrap_or(0)),
    );
    if let Err(refused) = standing {
        return refused;
    }
    let data = match body.remove("data") {
        None | Some(Value::Null) => Value::Object(Map::new()),
        Some(data) => data,
    };
    // `apply_update` takes the update by value and the `jwt` callback wants it after, so the
    // (small, already size-capped) data is read twice rather than requiring `Clone`.
    let (Ok(to_apply), Ok(update)) = (
        serde_json::from_value::<C::Update>(data.clone()),
        serde_json::from_value::<C::Update>(data),
    ) else {
        tracing::info!("session update refused: a field outside the whitelist or mistyped");
        return respond::null(StatusCode::BAD_REQUEST, &[]);
    };

    let current = newer.unwrap_or_else(|| current.clone());
    let mut token = current.clone();
    if let Err(error) = C::apply_update(&mut token, to_apply, auth.state()).await {
        let claim = match &error {
            UpdateError::Refused { claim } => *claim,
            UpdateError::Check { claim, error } => {
                tracing::warn!(claim, %error, "an update check failed");
                *claim
            }
        };
        tracing::info!(claim, "session update refused");
        C::on_event(
            AuthEvent::UpdateRefused {
                token: &current,
                claim,
                request: &auth.request_context(req),
            },
            auth.state(),
        )
        .await;
        return respond::null(StatusCode::FORBIDDEN, &[]);
    }

    match C::jwt(
        &mut token,
        JwtTrigger::Update { update: &update },
        auth.state(),
    )
    .await
    {
        Ok(TokenAction::Keep) => {}
        Ok(TokenAction::SignOut) => return signed_out(auth, previous),
        Err(error) => {
            tracing::warn!(%error, "the jwt callback failed on update; signing out");
            return signed_out(auth, previous);
        }
    }
    match reissue(auth, req, &token, previous).await {
        Ok(response) => {
            record_update(auth, &token).await;
            let request = &auth.request_context(req);
            C::on_event(
                AuthEvent::SessionUpdated {
                    token: &token,
                    request,
                },
                auth.state(),
            )
            .await;
            response
        }
        Err(response) => response,
    }
}

/// Whether a read re-issues a token with these registered claims: always with no
/// [`AuthSchema::UPDATE_AGE`], else once it is that old, and at once when it is under an older
/// secret or in another encryption than the one a re-issue writes.
fn due_for_reissue<C: AuthSchema>(registered: Registered, now: i64) -> bool {
    let update_age = i64::try_from(C::UPDATE_AGE.as_secs()).unwrap_or(i64::MAX);
    update_age == 0
        || !registered.as_written_now
        || registered.issued_at > now
        || now - registered.issued_at >= update_age
}

/// The session JSON for `token` with its cookie re-set; `Err` holds the answer when the
/// session callback fails (signed out) or the token cannot be written (500, old cookie kept).
async fn reissue<C: AuthSchema>(
    auth: &Auth<C>,
    req: &Request,
    token: &C::Token,
    previous: SessionCookieNames,
) -> Result<Response, Response> {
    let written = write_token(auth, token, previous).map_err(|error| {
        tracing::error!(%error, "the session token could not be written; old cookie kept");
        respond::null(StatusCode::INTERNAL_SERVER_ERROR, &[])
    })?;
    answer(
        auth,
        req,
        token,
        written.expires_at,
        &written.cookies,
        previous,
    )
    .await
}

/// The session JSON for `token`, which expires at `expires_at`, with `cookies` set; `Err`
/// holds the answer when the session callback fails or ends the session (signed out, every
/// session cookie the request carried expired).
async fn answer<C: AuthSchema>(
    auth: &Auth<C>,
    req: &Request,
    token: &C::Token,
    expires_at: i64,
    cookies: &[SetCookie],
    previous: SessionCookieNames,
) -> Result<Response, Response> {
    let expires = iso8601(expires_at);
    // Without a `session` callback, written straight from the token; else built, shaped by
    // the callback, then serialised. Either way no `Value` in between: this is the hot path.
    let body = match C::session_json(token, &expires) {
        Some(body) => body,
        None => {
            let Some(session) = shaped_session(auth, req, token, expires).await else {
                return Err(signed_out(auth, previous));
            };
            serde_json::to_string(&session).map_err(|error| {
                tracing::error!(%error, "the session could not be serialised; signing out");
                signed_out(auth, previous)
            })?
        }
    };
    Ok(respond::json_text_no_store(StatusCode::OK, body, cookies))
}

/// `Err` with the answer when the session of `token` no longer stands: revoked (signed out,
/// its cookies expired), or unknown because the revocation store does not answer and the
/// policy is closed (`503 null`, the cookie kept, so the session comes back with the store).
async fn check_standing<C: AuthSchema>(
    auth: &Auth<C>,
    token: &C::Token,
    previous: SessionCookieNames,
) -> Result<(), Response> {
    match auth.standing(token).await {
        Standing::Stands => Ok(()),
        Standing::Revoked => {
            tracing::debug!("a revoked session was presented; signed out");
            Err(signed_out(auth, previous))
        }
        Standing::Unknown => Err(respond::null(StatusCode::SERVICE_UNAVAILABLE, &[])),
    }
}

/// `200 null`, every carried session cookie expired.
fn signed_out<C: AuthSchema>(auth: &Auth<C>, previous: SessionCookieNames) -> Response {
    let names = auth.names();
    respond::null(
        StatusCode::OK,
        &clear_session_cookies(names.session, names.secure, previous),
    )
}
