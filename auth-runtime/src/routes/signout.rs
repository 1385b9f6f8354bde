//! `POST /signout`: with the CSRF token, expire every session cookie and redirect to the
//! (checked) callback URL. `GET /signout` will be the confirmation page; until then it is
//! answered like any unknown route.

use poem::http::Method;
use poem::{Request, Response};

use super::request::{self, CSRF_FIELD};
use super::respond;
use crate::auth::Auth;
use crate::cookies::clear_session_cookies;
use crate::schema::{AuthEvent, AuthSchema};

/// The sign-out route.
pub(super) async fn handle<C: AuthSchema>(auth: Auth<C>, mut req: Request) -> Response {
    if req.method() != Method::POST {
        return respond::bad_request();
    }
    let Ok(body) = request::read_body(&mut req).await else {
        return respond::payload_too_large();
    };
    let fields = request::form_fields(&req, &body);
    let submitted = fields.as_ref().and_then(|fields| fields.get(CSRF_FIELD));
    if !request::csrf_verified(&auth, &req, submitted) {
        tracing::debug!("sign-out without a valid CSRF token; session kept");
        return respond::redirect(&req, &auth.url_of("/signin?error=MissingCSRF"), &[]);
    }
    let loaded = request::loaded_session(&auth, &req);
    let names = auth.names();
    let cookies = clear_session_cookies(names.session, names.secure, loaded.cookie_names());
    C::on_event(
        AuthEvent::SignedOut {
            token: loaded.token(),
        },
        auth.state(),
    )
    .await;
    let location = request::callback_url(&auth, &req, fields.as_ref()).await;
    respond::redirect(&req, &location, &cookies)
}
