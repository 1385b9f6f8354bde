//! `GET /jwks`: the public keys of bearer tokens (`tokens(bearer(...))`), as a JWK set, for
//! the services that verify them. A symmetric (HS256) key is never in it.

use poem::http::header::{self, HeaderValue};
use poem::http::{Method, StatusCode};
use poem::{Request, Response};

use super::respond;
use crate::auth::Auth;
use crate::bearer::{JWKS_MAX_AGE_SECONDS, jwks_json};
use crate::schema::AuthSchema;

/// `{"keys":[…]}` with `Cache-Control: public, max-age=3600`.
pub(super) async fn handle<C: AuthSchema>(auth: Auth<C>, req: Request) -> Response {
    if req.method() != Method::GET {
        return respond::bad_request();
    }
    let Some(verifier) = auth.bearer() else {
        return respond::bad_request();
    };
    let mut response = Response::builder()
        .status(StatusCode::OK)
        .header(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )
        .body(jwks_json(verifier.keys()));
    if let Ok(value) = HeaderValue::try_from(format!("public, max-age={JWKS_MAX_AGE_SECONDS}")) {
        response.headers_mut().insert(header::CACHE_CONTROL, value);
    }
    response
}
