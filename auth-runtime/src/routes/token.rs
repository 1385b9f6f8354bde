//! `POST /token`: a short-lived bearer token for the current session (`tokens(bearer(...))`).
//!
//! CSRF-checked as the other POST routes are (`csrfToken` in a form or JSON body, equal to
//! the CSRF cookie's), so that another site cannot make a signed-in browser mint a token.
//! The session comes from the session cookie alone, never from a bearer token: a bearer
//! token cannot extend itself. A `session` callback runs first and may refuse (a deactivated
//! user). The token carries the session's public claims, typed as the token type writes
//! them (never a private claim or a provider's token), and `sub`, `iss`, `aud`, `iat`, `exp`
//! (the declared `ttl`, never past the session's end) and a fresh `jti`.

use poem::http::{Method, StatusCode};
use poem::{Request, Response};
use serde_json::{Map, Value, json};

use super::request;
use super::respond;
use crate::auth::Auth;
use crate::bearer::{BearerVerifier, sign_claims};
use crate::expires::iso8601;
use crate::loaded_session::LoadedSession;
use crate::revocation::Standing;
use crate::schema::{AuthSchema, BearerSettings};
use crate::session_callback::shaped_session;
use crate::token::random_uuid;

/// The standard members a bearer token copies from the session token: with revocation on,
/// the session's id and generation too, so that a bearer token is refused with its session.
const STANDARD_CLAIMS: &[&str] = &["sub", "name", "email", "picture", "sid", "sgen"];

/// `200 {"access_token","token_type":"Bearer","expires_in"}` (RFC 6749 §5.1's names),
/// uncached; `400 {"error":"MissingCSRF"}` without a valid CSRF token; `401
/// {"error":"unauthorized"}` signed out.
pub(super) async fn handle<C: AuthSchema>(auth: Auth<C>, mut req: Request) -> Response {
    if req.method() != Method::POST {
        return respond::bad_request();
    }
    let (Some(settings), Some(verifier)) = (C::BEARER, auth.bearer()) else {
        return respond::bad_request();
    };
    match request::verified_form(&auth, &mut req).await {
        Ok(Some(_)) => {}
        Ok(None) => return error(StatusCode::BAD_REQUEST, "MissingCSRF"),
        Err(request::TooLarge) => return respond::payload_too_large(),
    }
    let loaded = LoadedSession::of_request(&req, &auth);
    let (Some(token), Some(expires_at)) = (loaded.token(), loaded.expires_at()) else {
        return error(StatusCode::UNAUTHORIZED, "unauthorized");
    };
    match auth.standing(token).await {
        Standing::Stands => {}
        Standing::Revoked => return error(StatusCode::UNAUTHORIZED, "unauthorized"),
        Standing::Unknown => return error(StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
    }
    if C::SESSION_CALLBACK
        && shaped_session(&auth, &req, token, iso8601(expires_at))
            .await
            .is_none()
    {
        return error(StatusCode::UNAUTHORIZED, "unauthorized");
    }
    let Some(claims) = bearer_claims::<C>(token, &settings, verifier, expires_at) else {
        tracing::error!("the session token does not serialise to a JSON object");
        return error(StatusCode::INTERNAL_SERVER_ERROR, "Configuration");
    };
    let expires_in = claims
        .get("exp")
        .and_then(Value::as_i64)
        .map_or(0, |exp| exp - verifier.now());
    match sign_claims(verifier.keys(), &claims) {
        Ok(signed) => respond::json_no_store(
            StatusCode::OK,
            &json!({
                "access_token": signed,
                "token_type": "Bearer",
                "expires_in": expires_in,
            }),
            &[],
        ),
        Err(error_text) => {
            tracing::error!(%error_text, "a bearer token could not be signed");
            error(StatusCode::INTERNAL_SERVER_ERROR, "Configuration")
        }
    }
}

/// The claims of a bearer token for the session `token`: the standard members and the
/// schema's bearer claims, as the token type serialises them, then the registered claims.
fn bearer_claims<C: AuthSchema>(
    token: &C::Token,
    settings: &BearerSettings,
    verifier: &BearerVerifier,
    session_expires_at: i64,
) -> Option<Map<String, Value>> {
    let Ok(Value::Object(mut all)) = serde_json::to_value(token) else {
        return None;
    };
    let mut claims = Map::new();
    for name in STANDARD_CLAIMS.iter().chain(C::BEARER_CLAIMS) {
        if let Some(value) = all.remove(*name) {
            claims.insert((*name).to_owned(), value);
        }
    }
    let now = verifier.now();
    let ttl = i64::try_from(settings.ttl.as_secs()).unwrap_or(i64::MAX);
    let exp = now.saturating_add(ttl).min(session_expires_at);
    claims.insert("iss".into(), Value::String(verifier.issuer().to_owned()));
    claims.insert("aud".into(), Value::String(verifier.audience().to_owned()));
    claims.insert("iat".into(), now.into());
    claims.insert("exp".into(), exp.into());
    claims.insert("jti".into(), Value::String(random_uuid()));
    Some(claims)
}

/// `{"error": code}`, uncached.
fn error(status: StatusCode, code: &str) -> Response {
    respond::json_no_store(status, &json!({ "error": code }), &[])
}
