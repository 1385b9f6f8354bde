//! Building the responses of the auth routes: JSON, the literal `null`, redirects (or their
//! JSON form for `X-Auth-Return-Redirect: 1`), each with its `Set-Cookie` headers.

use poem::http::StatusCode;
use poem::http::header::{self, HeaderValue};
use poem::{Request, Response};
use serde_json::Value;

use crate::cookies::SetCookie;

/// What the `/session` answers carry: the session must never be cached.
const NO_STORE: &str = "private, no-cache, no-store";

/// The header with which the next-auth client asks for `{"url": …}` instead of a 302.
const RETURN_REDIRECT: &str = "x-auth-return-redirect";

/// A JSON answer.
pub(super) fn json(status: StatusCode, body: &Value, cookies: &[SetCookie]) -> Response {
    let mut response = Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.to_string());
    append_cookies(&mut response, cookies);
    response
}

/// A JSON answer that must not be cached (`/session`, `/csrf`).
pub(super) fn json_no_store(status: StatusCode, body: &Value, cookies: &[SetCookie]) -> Response {
    let mut response = json(status, body, cookies);
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(NO_STORE));
    response
}

/// `/session`'s answer for no session: `null`, uncached.
pub(super) fn null(status: StatusCode, cookies: &[SetCookie]) -> Response {
    json_no_store(status, &Value::Null, cookies)
}

/// A 302 to `location`, or, when the request carries `X-Auth-Return-Redirect: 1`, a 200 with
/// `{"url": location}`; the same cookies either way. `location` has passed the redirect check
/// or is one of our own URLs.
pub(super) fn redirect(req: &Request, location: &str, cookies: &[SetCookie]) -> Response {
    let wants_json = req
        .headers()
        .get(RETURN_REDIRECT)
        .is_some_and(|value| value.as_bytes() == b"1");
    if wants_json {
        return json(
            StatusCode::OK,
            &serde_json::json!({ "url": location }),
            cookies,
        );
    }
    let mut response = Response::builder().status(StatusCode::FOUND).finish();
    match HeaderValue::from_str(location) {
        Ok(value) => {
            response.headers_mut().insert(header::LOCATION, value);
        }
        Err(_) => {
            tracing::error!("a redirect location is not a valid header value");
            response.set_status(StatusCode::INTERNAL_SERVER_ERROR);
        }
    }
    append_cookies(&mut response, cookies);
    response
}

/// Auth.js's answer to anything it has no route for: 400 `"Bad request."`.
pub(super) fn bad_request() -> Response {
    json(
        StatusCode::BAD_REQUEST,
        &Value::String("Bad request.".into()),
        &[],
    )
}

/// A body over the size limit, refused before parsing.
pub(super) fn payload_too_large() -> Response {
    json(
        StatusCode::PAYLOAD_TOO_LARGE,
        &Value::String("Payload too large.".into()),
        &[],
    )
}

fn append_cookies(response: &mut Response, cookies: &[SetCookie]) {
    for cookie in cookies {
        match HeaderValue::from_str(&cookie.to_string()) {
            Ok(value) => {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
            Err(_) => tracing::error!(
                cookie = cookie.name(),
                "a Set-Cookie header is not a valid header value; not sent"
            ),
        }
    }
}
