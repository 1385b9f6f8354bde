//! Reading what the auth routes need from a request: the body (size-capped), form fields,
//! single cookies, the CSRF check, the callback URL.

use poem::http::header;
use poem::{Request, Response};
use serde_json::Value;

use super::respond;
use crate::auth::Auth;
use crate::cookies::{CookieLifetime, SetCookie, decode_cookie_value, request_cookies};
use crate::csrf::CsrfToken;
use crate::pages::ErrorCode;
use crate::schema::{AuthSchema, FormFields};
use crate::token::parse_claims;

/// The largest request body read, in bytes; larger ones get a 413 before any parsing.
pub(super) const MAX_BODY_LEN: usize = 64 * 1024;

/// The body field and query parameter naming where to go after sign-in or sign-out.
pub(super) const CALLBACK_URL_FIELD: &str = "callbackUrl";

/// The body field holding the submitted CSRF token.
pub(super) const CSRF_FIELD: &str = "csrfToken";

/// A body too large to read.
#[derive(Debug)]
pub(super) struct TooLarge;

/// Reads the body, refusing it (before reading, when `Content-Length` says so) over
/// [`MAX_BODY_LEN`]. An unreadable body reads as empty.
pub(super) async fn read_body(req: &mut Request) -> Result<Vec<u8>, TooLarge> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok());
    if declared.is_some_and(|length| length > MAX_BODY_LEN as u64) {
        return Err(TooLarge);
    }
    match req.take_body().into_bytes_limit(MAX_BODY_LEN).await {
        Ok(bytes) => Ok(bytes.to_vec()),
        Err(poem::error::ReadBodyError::PayloadTooLarge) => Err(TooLarge),
        Err(error) => {
            tracing::debug!(%error, "request body unreadable");
            Ok(Vec::new())
        }
    }
}

/// The media type of the request, lower-case, without parameters.
fn media_type(req: &Request) -> String {
    req.content_type()
        .and_then(|value| value.split(';').next())
        .map(|value| value.trim().to_ascii_lowercase())
        .unwrap_or_default()
}

/// The fields of a form (`application/x-www-form-urlencoded`) or JSON object body. JSON is
/// read strictly (duplicate members refused) and only its string members become fields; a
/// form naming a field twice is refused. `None` for anything else.
pub(super) fn form_fields(req: &Request, body: &[u8]) -> Option<FormFields> {
    match media_type(req).as_str() {
        "application/x-www-form-urlencoded" => FormFields::distinct(
            form_urlencoded::parse(body)
                .map(|(name, value)| (name.into_owned(), value.into_owned())),
        ),
        "application/json" => {
            let object = parse_claims(body).ok()?;
            Some(FormFields::new(object.into_iter().filter_map(
                |(name, value)| match value {
                    Value::String(value) => Some((name, value)),
                    _ => None,
                },
            )))
        }
        _ => None,
    }
}

/// The form of a POST that carries a valid CSRF token (`csrfToken` equal to the CSRF
/// cookie's): its fields, or the answer when it does not (413 for a body over the limit, else
/// a redirect with `MissingCSRF`). The opening of every route that acts on a form.
pub(super) async fn csrf_checked_form<C: AuthSchema>(
    auth: &Auth<C>,
    req: &mut Request,
) -> Result<FormFields, Response> {
    match verified_form(auth, req).await {
        Ok(Some(fields)) => Ok(fields),
        Ok(None) => Err(respond::error_redirect(auth, req, ErrorCode::MissingCsrf)),
        Err(TooLarge) => Err(respond::payload_too_large()),
    }
}

/// The fields of a POST's form or JSON body when it carries a valid CSRF token, `None` when
/// it does not (logged); [`TooLarge`] for a body over the limit. For the routes that answer
/// a refusal in JSON; [`csrf_checked_form`] for those that redirect.
pub(super) async fn verified_form<C: AuthSchema>(
    auth: &Auth<C>,
    req: &mut Request,
) -> Result<Option<FormFields>, TooLarge> {
    let body = read_body(req).await?;
    let fields = form_fields(req, &body);
    let submitted = fields.as_ref().and_then(|fields| fields.get(CSRF_FIELD));
    let verified = csrf_verified(auth, req, submitted);
    if !verified {
        tracing::debug!(
            route = req.uri().path(),
            "a form without a valid CSRF token"
        );
    }
    Ok(fields.filter(|_| verified))
}

/// The value (percent-decoded) of the cookie `name`, when the request carries it exactly once.
/// Twice (a tossed cookie beside ours) counts as absent.
pub(super) fn single_cookie(req: &Request, name: &str) -> Option<String> {
    let mut found: Option<&str> = None;
    for (cookie_name, value) in request_cookies(req.headers()) {
        if cookie_name == name && found.replace(value).is_some() {
            return None;
        }
    }
    found.and_then(|value| decode_cookie_value(value).map(|value| value.into_owned()))
}

/// The token of the request's CSRF cookie, when it verifies under the secrets.
pub(super) fn csrf_cookie_token<C: AuthSchema>(auth: &Auth<C>, req: &Request) -> Option<CsrfToken> {
    let value = single_cookie(req, auth.names().csrf)?;
    CsrfToken::from_cookie_value(&value, auth.secrets())
}

/// The token of the request's valid CSRF cookie, or a fresh token with the `Set-Cookie` that
/// stores it (browser-session lifetime) when the cookie is missing, tampered or foreign.
pub(super) fn csrf_token_or_new<C: AuthSchema>(
    auth: &Auth<C>,
    req: &Request,
) -> (CsrfToken, Option<SetCookie>) {
    if let Some(token) = csrf_cookie_token(auth, req) {
        return (token, None);
    }
    let names = auth.names();
    let token = CsrfToken::generate();
    let cookie = SetCookie::new(
        names.csrf,
        &token.cookie_value(auth.secrets()),
        CookieLifetime::BrowserSession,
        names.secure,
    );
    (token, Some(cookie))
}

/// Whether `submitted` (the body's `csrfToken`) equals the token of a valid CSRF cookie,
/// compared in constant time.
pub(super) fn csrf_verified<C: AuthSchema>(
    auth: &Auth<C>,
    req: &Request,
    submitted: Option<&str>,
) -> bool {
    match (csrf_cookie_token(auth, req), submitted) {
        (Some(token), Some(submitted)) => token.matches_submitted(submitted),
        _ => false,
    }
}

/// The query parameter `name`, when given once.
pub(super) fn query_param(req: &Request, name: &str) -> Option<String> {
    let query = req.uri().query()?;
    let mut values = form_urlencoded::parse(query.as_bytes())
        .filter(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned());
    let first = values.next()?;
    values.next().is_none().then_some(first)
}

/// The URL the request asks to go to after sign-in or sign-out: the body's `callbackUrl`,
/// else the query's, else the callback-url cookie, else the home page. Unchecked.
pub(super) fn requested_callback_url<C: AuthSchema>(
    auth: &Auth<C>,
    req: &Request,
    fields: Option<&FormFields>,
) -> String {
    fields
        .and_then(|fields| fields.get(CALLBACK_URL_FIELD))
        .map(str::to_owned)
        .or_else(|| query_param(req, CALLBACK_URL_FIELD))
        .or_else(|| single_cookie(req, auth.names().callback_url))
        .unwrap_or_else(|| auth.origin().home())
}

/// Where to go after sign-in or sign-out: the request's callback URL
/// ([`requested_callback_url`]), chosen by [`redirect_after`].
pub(super) async fn callback_url<C: AuthSchema>(
    auth: &Auth<C>,
    req: &Request,
    fields: Option<&FormFields>,
    signed_in: Option<&C::Token>,
) -> String {
    let requested = requested_callback_url(auth, req, fields);
    redirect_after(auth, &requested, signed_in).await
}

/// `requested` passed through the schema's `redirect` callback, which sees the token of the
/// user who just signed in (`None` after a sign-out), then through the redirect check, so the
/// answer is always on the origin or an allowed origin whatever the callback says.
pub(super) async fn redirect_after<C: AuthSchema>(
    auth: &Auth<C>,
    requested: &str,
    signed_in: Option<&C::Token>,
) -> String {
    match C::redirect(requested, auth.origin().as_str(), signed_in, auth.state()).await {
        Ok(chosen) => auth.redirect_policy().check(&chosen),
        Err(error) => {
            tracing::warn!(%error, "the redirect callback failed; redirecting home");
            auth.origin().home()
        }
    }
}
