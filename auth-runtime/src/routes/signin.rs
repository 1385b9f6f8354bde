//! `GET /signin`: the built-in sign-in page, or a redirect to the custom one
//! ([`Pages::sign_in`](crate::schema::Pages::sign_in)). `POST /signin/<provider>`: the start
//! of a provider's sign-in (CSRF required): for an OAuth provider, a redirect to it
//! with the check cookies set (`oauth`); `GET /signin/<provider>` is not an action.

use poem::http::{Method, StatusCode};
use poem::{Request, Response};

use super::oauth;
use super::request::{self, CALLBACK_URL_FIELD};
use super::respond::{self, Page};
use crate::auth::Auth;
use crate::pages::{self, ErrorCode, SignInPage};
use crate::schema::{AuthSchema, ProviderKind};

/// The query parameter naming the error to show.
const ERROR_PARAM: &str = "error";

/// The sign-in page. A `callbackUrl` in the query passes the redirect check before it is put
/// in the forms; an `error` is shown only as a fixed message. The CSRF token comes from a
/// valid CSRF cookie, else a fresh one whose cookie is set here.
pub(super) async fn handle<C: AuthSchema>(auth: Auth<C>, req: Request) -> Response {
    respond::get_page(&req, || sign_in_page(&auth, &req))
}

fn sign_in_page<C: AuthSchema>(auth: &Auth<C>, req: &Request) -> Response {
    let callback_url =
        request::query_param(req, CALLBACK_URL_FIELD).map(|url| auth.redirect_policy().check(&url));
    let error = request::query_param(req, ERROR_PARAM);
    if Page::SignIn.custom::<C>().is_some() {
        // The custom page gets the checked callback URL and only a known error code.
        let mut params = Vec::new();
        if let Some(url) = &callback_url {
            params.push((CALLBACK_URL_FIELD, url.as_str()));
        }
        if let Some(code) = error.as_deref().and_then(ErrorCode::from_query) {
            params.push((ERROR_PARAM, code.as_str()));
        }
        let location = respond::page_url(auth, Page::SignIn, &params);
        return respond::redirect(req, &location, &[]);
    }
    let (token, cookie) = request::csrf_token_or_new(auth, req);
    let base_url = auth.url_of("");
    let present: Vec<_> = auth.providers().copied().collect();
    let html = pages::render_sign_in(&SignInPage {
        base_url: &base_url,
        providers: &present,
        csrf_token: token.as_str(),
        callback_url: callback_url.as_deref(),
        error: error.as_deref(),
    });
    respond::html(auth, StatusCode::OK, html, cookie.as_slice())
}

/// `/signin/<provider>`. Only a POST with the CSRF token starts a sign-in, as in Auth.js: a
/// GET, or a provider that does not exist, is a `Configuration` error, and nothing is set.
/// A credentials provider signs in by posting its form to `/callback/<id>`, so starting one
/// leads to the sign-in page, keeping the checked `callbackUrl`.
pub(super) async fn handle_provider<C: AuthSchema>(auth: Auth<C>, mut req: Request) -> Response {
    if req.method() == Method::GET {
        return respond::error_redirect(&auth, &req, ErrorCode::Configuration);
    }
    if req.method() != Method::POST {
        return respond::bad_request();
    }
    let fields = match request::csrf_checked_form(&auth, &mut req).await {
        Ok(fields) => fields,
        Err(refused) => return refused,
    };
    let id = req.raw_path_param("provider").unwrap_or_default();
    let provider = auth.provider(id);
    match provider.map(|provider| provider.kind) {
        Some(ProviderKind::Oidc | ProviderKind::OAuth) => {
            // Checked now; the `redirect` callback runs at the callback, with the new token.
            let requested = request::requested_callback_url(&auth, &req, Some(&fields));
            let callback_url = auth.redirect_policy().check(&requested);
            oauth::start(&auth, &req, id, callback_url)
        }
        Some(ProviderKind::Credentials) => {
            let callback_url = fields
                .get(CALLBACK_URL_FIELD)
                .map(|url| auth.redirect_policy().check(url));
            let params: Vec<(&str, &str)> = callback_url
                .as_deref()
                .map(|url| (CALLBACK_URL_FIELD, url))
                .into_iter()
                .collect();
            let location = respond::page_url(&auth, Page::SignIn, &params);
            respond::redirect(&req, &location, &[])
        }
        None => respond::error_redirect(&auth, &req, ErrorCode::Configuration),
    }
}
