//! `GET /error?error=<code>`: the built-in error page, or a redirect to the custom one
//! ([`Pages::error`](crate::schema::Pages::error)).

use poem::http::StatusCode;
use poem::{Request, Response};

use super::request;
use super::respond::{self, Page};
use crate::auth::Auth;
use crate::pages::{self, ErrorCode};
use crate::schema::AuthSchema;

/// The error page: the status and a fixed message for a known code (500 `Configuration`, 403
/// `AccessDenied` and `Verification`, 429 `RateLimited`), a generic message and 200 for
/// anything else, which is never echoed (OA-12). A custom page receives only known codes; an
/// unknown one becomes `Configuration`.
pub(super) async fn handle<C: AuthSchema>(auth: Auth<C>, req: Request) -> Response {
    respond::get_page(&req, || error_page(&auth, &req))
}

fn error_page<C: AuthSchema>(auth: &Auth<C>, req: &Request) -> Response {
    let given = request::query_param(req, "error");
    let code = given.as_deref().and_then(ErrorCode::from_query);
    if Page::Error.custom::<C>().is_some() {
        let location = match (&given, code) {
            (None, _) => respond::page_url(auth, Page::Error, &[]),
            (Some(_), code) => {
                let code = code.unwrap_or(ErrorCode::Configuration);
                respond::page_url(auth, Page::Error, &[("error", code.as_str())])
            }
        };
        return respond::redirect(req, &location, &[]);
    }
    let status = code.map_or(StatusCode::OK, ErrorCode::status);
    let sign_in_url = respond::page_url(auth, Page::SignIn, &[]);
    respond::html(auth, status, pages::render_error(code, &sign_in_url), &[])
}
