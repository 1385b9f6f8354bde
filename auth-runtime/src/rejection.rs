//! Why an extractor or guard refused a request, as a poem [`ResponseError`].

use std::fmt;

use poem::Response;
use poem::error::ResponseError;
use poem::http::StatusCode;
use poem::http::header::{self, HeaderValue};

/// A refused request: the JSON body names the reason, never which check failed inside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthRejection {
    /// Signed out (no session, or an unusable one): `401 {"error":"unauthorized"}`.
    Unauthorized,
    /// Signed in but not allowed by a guard: `403 {"error":"forbidden"}`.
    Forbidden,
    /// A programming error: the session was asked for on a route that `auth.middleware()`
    /// does not wrap (and no `Auth` was given as data). `500`.
    MiddlewareMissing,
    /// A server-side update ([`Auth::reissue`](crate::Auth::reissue)) could not write the new
    /// token (logged); the old cookie is kept. `500`.
    NotReissued,
    /// Revocation is on with the closed failure policy and its store does not answer, so
    /// whether the session stands is unknown: `503 {"error":"unavailable"}`, the cookie kept.
    Unavailable,
}

impl AuthRejection {
    fn code(self) -> &'static str {
        match self {
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::MiddlewareMissing => "server_misconfigured",
            Self::NotReissued => "session_not_reissued",
            Self::Unavailable => "unavailable",
        }
    }
}

impl fmt::Display for AuthRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::MiddlewareMissing => {
                "the session was requested on a route not wrapped by `auth.middleware()`"
            }
            Self::NotReissued => "the session could not be re-issued",
            Self::Unavailable => "whether the session stands cannot be checked now",
        })
    }
}

impl std::error::Error for AuthRejection {}

impl ResponseError for AuthRejection {
    fn status(&self) -> StatusCode {
        match self {
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::MiddlewareMissing | Self::NotReissued => StatusCode::INTERNAL_SERVER_ERROR,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn as_response(&self) -> Response {
        Response::builder()
            .status(self.status())
            .header(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )
            .header(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-cache, no-store"),
            )
            .body(format!(r#"{{"error":"{}"}}"#, self.code()))
    }
}
