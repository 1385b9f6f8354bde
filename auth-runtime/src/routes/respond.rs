//! Building the responses of the auth routes: JSON, the literal `null`, HTML pages with their
//! security headers, redirects (or their JSON form for `X-Auth-Return-Redirect: 1`), each with
//! its `Set-Cookie` headers; and where each page and each error code sends the user.

use bytes::Bytes;
use poem::http::header::{self, HeaderValue};
use poem::http::{Method, StatusCode};
use poem::{Request, Response};
use serde_json::Value;

use crate::auth::Auth;
use crate::cookies::SetCookie;
use crate::oauth::OAuthProvider;
use crate::origin::Origin;
use crate::pages::{ErrorCode, content_security_policy};
use crate::schema::AuthSchema;

/// What the `/session` answers carry: the session must never be cached.
const NO_STORE: &str = "private, no-cache, no-store";

/// The header with which the next-auth client asks for `{"url": …}` instead of a 302.
const RETURN_REDIRECT: &str = "x-auth-return-redirect";

/// A JSON answer.
pub(super) fn json(status: StatusCode, body: &Value, cookies: &[SetCookie]) -> Response {
    json_text(status, body.to_string(), cookies)
}

/// A JSON answer whose body is already serialised.
fn json_text(status: StatusCode, body: String, cookies: &[SetCookie]) -> Response {
    let mut response = Response::builder()
        .status(status)
        .header(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )
        .body(body);
    append_cookies(&mut response, cookies);
    response
}

/// A JSON answer that must not be cached (`/session`, `/csrf`).
pub(super) fn json_no_store(status: StatusCode, body: &Value, cookies: &[SetCookie]) -> Response {
    json_text_no_store(status, body.to_string(), cookies)
}

/// [`json_no_store`] with the body already serialised (the session, straight from its type).
pub(super) fn json_text_no_store(
    status: StatusCode,
    body: String,
    cookies: &[SetCookie],
) -> Response {
    let mut response = json_text(status, body, cookies);
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
    redirect_with_json_status(req, location, cookies, StatusCode::OK)
}

/// As [`redirect`], with `json_status` as the status of the JSON form (the next-auth client
/// reads both `url` and the status).
fn redirect_with_json_status(
    req: &Request,
    location: &str,
    cookies: &[SetCookie],
    json_status: StatusCode,
) -> Response {
    let wants_json = req
        .headers()
        .get(RETURN_REDIRECT)
        .is_some_and(|value| value.as_bytes() == b"1");
    if wants_json {
        return json(
            json_status,
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

/// One of the pages users are sent to: built in under the base path, or replaced by a custom
/// page ([`AuthSchema::PAGES`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Page {
    /// `<base>/signin`.
    SignIn,
    /// `<base>/signout`.
    SignOut,
    /// `<base>/error`.
    Error,
}

impl Page {
    /// The custom page's path on this site, when the schema sets one.
    pub(super) fn custom<C: AuthSchema>(self) -> Option<&'static str> {
        match self {
            Self::SignIn => C::PAGES.sign_in,
            Self::SignOut => C::PAGES.sign_out,
            Self::Error => C::PAGES.error,
        }
    }

    fn built_in_path(self) -> &'static str {
        match self {
            Self::SignIn => "/signin",
            Self::SignOut => "/signout",
            Self::Error => "/error",
        }
    }
}

/// The absolute URL of `page`, the custom one when set, with the query `params`
/// (percent-encoded, appended to a query the custom page's path may already have).
pub(super) fn page_url<C: AuthSchema>(
    auth: &Auth<C>,
    page: Page,
    params: &[(&str, &str)],
) -> String {
    let mut url = match page.custom::<C>() {
        Some(path) => format!("{}{path}", auth.origin().as_str()),
        None => auth.url_of(page.built_in_path()),
    };
    if !params.is_empty() {
        url.push(if url.contains('?') { '&' } else { '?' });
        let start = url.len();
        let mut query = form_urlencoded::Serializer::for_suffix(url, start);
        query.extend_pairs(params);
        url = query.finish();
    }
    url
}

/// Where an error sends the user: a sign-in error to the sign-in page
/// (`?error=CredentialsSignin&code=credentials`, `?error=MissingCSRF`, …), any other to the
/// error page (`?error=AccessDenied`, …); the custom pages when set.
pub(super) fn error_url<C: AuthSchema>(auth: &Auth<C>, code: ErrorCode) -> String {
    if !code.is_sign_in_error() {
        return page_url(auth, Page::Error, &[("error", code.as_str())]);
    }
    if code == ErrorCode::CredentialsSignin {
        return page_url(
            auth,
            Page::SignIn,
            &[("error", code.as_str()), ("code", "credentials")],
        );
    }
    page_url(auth, Page::SignIn, &[("error", code.as_str())])
}

/// The redirect for an error ([`error_url`]). In its JSON form the status is 429 for
/// `RateLimited`, else 200.
pub(super) fn error_redirect<C: AuthSchema>(
    auth: &Auth<C>,
    req: &Request,
    code: ErrorCode,
) -> Response {
    let json_status = if code == ErrorCode::RateLimited {
        StatusCode::TOO_MANY_REQUESTS
    } else {
        StatusCode::OK
    };
    redirect_with_json_status(req, &error_url(auth, code), &[], json_status)
}

/// An HTML page with the headers every page carries: never cached, never framed, no referrer,
/// no sniffing, and a policy letting nothing load but the page's own style.
pub(super) fn html<C: AuthSchema>(
    auth: &Auth<C>,
    status: StatusCode,
    body: String,
    cookies: &[SetCookie],
) -> Response {
    let mut response = Response::builder()
        .status(status)
        .header(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )
        .body(body);
    let headers = response.headers_mut();
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    let providers: Vec<Origin> = auth
        .providers()
        .filter_map(|provider| auth.oauth_provider(provider.id))
        .filter_map(OAuthProvider::authorization_origin)
        .collect();
    let policy = content_security_policy(auth.redirect_policy(), &providers);
    match HeaderValue::from_str(&policy) {
        Ok(policy) => {
            headers.insert(header::CONTENT_SECURITY_POLICY, policy);
        }
        Err(_) => {
            tracing::error!("the content security policy is not a valid header value");
            return json(
                StatusCode::INTERNAL_SERVER_ERROR,
                &Value::String("Server error.".into()),
                &[],
            );
        }
    }
    set_private_headers(&mut response);
    append_cookies(&mut response, cookies);
    response
}

/// A page route's answer (`GET /signin`, `GET /error`): Auth.js's 400 for any other method,
/// else `page`'s answer with the [private headers](set_private_headers).
pub(super) fn get_page(req: &Request, page: impl FnOnce() -> Response) -> Response {
    if req.method() != Method::GET {
        return bad_request();
    }
    private(page())
}

/// `response` with the [private headers](set_private_headers).
pub(super) fn private(mut response: Response) -> Response {
    set_private_headers(&mut response);
    response
}

/// Headers for every answer of the page and callback routes: no referrer leaves with the
/// next request (LG-05), and nothing is cached.
pub(super) fn set_private_headers(response: &mut Response) {
    let headers = response.headers_mut();
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
}

/// Appends `Set-Cookie` headers to `response`.
pub(super) fn append_cookies(response: &mut Response, cookies: &[SetCookie]) {
    for cookie in cookies {
        // Handed over as `Bytes`, so that the value is checked but not copied again.
        match HeaderValue::from_maybe_shared(Bytes::from(cookie.header_value())) {
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
