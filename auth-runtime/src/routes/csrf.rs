//! `GET /csrf`: the CSRF token, with a fresh cookie when the request has no valid one.

use poem::http::{Method, StatusCode};
use poem::{Request, Response};
use serde_json::json;

use super::{request, respond};
use crate::auth::Auth;
use crate::schema::AuthSchema;

/// `{"csrfToken":"<64 hex>"}`. A CSRF cookie whose hash verifies is kept; a missing, tampered
/// or foreign one is replaced by a new `token|hash` cookie (browser-session lifetime).
pub(super) async fn handle<C: AuthSchema>(auth: Auth<C>, req: Request) -> Response {
    if req.method() != Method::GET {
        return respond::bad_request();
    }
    let (token, cookie) = request::csrf_token_or_new(&auth, &req);
    respond::json_no_store(
        StatusCode::OK,
        &json!({ "csrfToken": token.as_str() }),
        cookie.as_slice(),
    )
}
