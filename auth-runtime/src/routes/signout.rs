//! `GET /signout`: the confirmation page (or a redirect to the custom one); it changes nothing
//! (CS-06). `POST /signout`: with the CSRF token, expire every session cookie and redirect to
//! the (checked) callback URL; with revocation on, the session's id is revoked too, so a copy
//! of the cookie kept elsewhere stops working.

use poem::http::{Method, StatusCode};
use poem::{Request, Response};

use super::request::{self, CALLBACK_URL_FIELD};
use super::respond::{self, Page};
use super::revoke::revoke_sid;
use crate::auth::Auth;
use crate::cookies::clear_session_cookies;
use crate::loaded_session::LoadedSession;
use crate::pages::{self, SignOutPage};
use crate::schema::{AuthEvent, AuthSchema, TokenClaims as _};

/// The sign-out route.
pub(super) async fn handle<C: AuthSchema>(auth: Auth<C>, mut req: Request) -> Response {
    match *req.method() {
        Method::GET => respond::private(confirmation_page(&auth, &req)),
        Method::POST => respond::private(sign_out(&auth, &mut req).await),
        _ => respond::bad_request(),
    }
}

/// A page asking to confirm with a POST form carrying the CSRF token and the checked
/// `callbackUrl` of the query. The CSRF cookie is set when the request has no valid one.
fn confirmation_page<C: AuthSchema>(auth: &Auth<C>, req: &Request) -> Response {
    let callback_url =
        request::query_param(req, CALLBACK_URL_FIELD).map(|url| auth.redirect_policy().check(&url));
    if Page::SignOut.custom::<C>().is_some() {
        let params: Vec<(&str, &str)> = callback_url
            .as_deref()
            .map(|url| (CALLBACK_URL_FIELD, url))
            .into_iter()
            .collect();
        let location = respond::page_url(auth, Page::SignOut, &params);
        return respond::redirect(req, &location, &[]);
    }
    let (token, cookie) = request::csrf_token_or_new(auth, req);
    let base_url = auth.url_of("");
    let html = pages::render_sign_out(&SignOutPage {
        base_url: &base_url,
        csrf_token: token.as_str(),
        callback_url: callback_url.as_deref(),
    });
    respond::html(auth, StatusCode::OK, html, cookie.as_slice())
}

async fn sign_out<C: AuthSchema>(auth: &Auth<C>, req: &mut Request) -> Response {
    let fields = match request::csrf_checked_form(auth, req).await {
        Ok(fields) => fields,
        Err(refused) => return refused,
    };
    let req: &Request = req;
    let loaded = LoadedSession::of_request(req, auth);
    let names = auth.names();
    let cookies = clear_session_cookies(names.session, names.secure, loaded.cookie_names());
    // With revocation on, the token itself stops working too, wherever a copy of it is.
    if let Some(sid) = loaded.token().and_then(|token| token.session_id()) {
        revoke_sid(auth, sid).await;
    }
    C::on_event(
        AuthEvent::SignedOut {
            token: loaded.token(),
            request: &auth.request_context(req),
        },
        auth.state(),
    )
    .await;
    let location = request::callback_url(auth, req, Some(&fields), None).await;
    respond::redirect(req, &location, &cookies)
}
