//! The session middleware: reads the session cookie once per request and leaves the result in
//! the request's extensions for extractors, guards and the auth routes.
//! The session keys were derived when [`Auth`] was built, so a request costs one cookie parse
//! and, when a cookie is present and something asks for the session, one decryption
//! ([`LoadedSession`]).
//!
//! With a provider declared with `refresh`, a request to the app's own routes carrying a
//! session cookie is decoded at once: when its provider's access token is due, it is
//! refreshed before the handler runs (the handler sees the new one) and the answer carries
//! the re-issued session cookie. Without such a provider, or without a cookie, nothing more
//! happens than before.

use std::fmt;

use poem::{Endpoint, IntoResponse, Middleware, Request, Response, Result};

use crate::auth::Auth;
use crate::bearer_session::BearerSession;
use crate::loaded_session::LoadedSession;
use crate::routes::refresh_request_session;
use crate::schema::AuthSchema;

impl<C: AuthSchema> Auth<C> {
    /// The middleware that reads the session cookie once per request. Apply it to the whole
    /// app (outermost), so extractors and guards see the session.
    pub fn middleware(&self) -> AuthMiddleware<C> {
        AuthMiddleware::new(self.clone())
    }
}

/// The middleware returned by [`Auth::middleware`].
pub struct AuthMiddleware<C: AuthSchema> {
    auth: Auth<C>,
}

impl<C: AuthSchema> AuthMiddleware<C> {
    fn new(auth: Auth<C>) -> Self {
        Self { auth }
    }
}

impl<C: AuthSchema> Clone for AuthMiddleware<C> {
    fn clone(&self) -> Self {
        Self::new(self.auth.clone())
    }
}

impl<C: AuthSchema> fmt::Debug for AuthMiddleware<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthMiddleware")
            .field("auth", &self.auth)
            .finish()
    }
}

impl<C: AuthSchema, E: Endpoint> Middleware<E> for AuthMiddleware<C> {
    type Output = AuthMiddlewareEndpoint<C, E>;

    fn transform(&self, inner: E) -> Self::Output {
        AuthMiddlewareEndpoint {
            auth: self.auth.clone(),
            inner,
        }
    }
}

/// The endpoint [`AuthMiddleware`] wraps around another.
pub struct AuthMiddlewareEndpoint<C: AuthSchema, E> {
    auth: Auth<C>,
    inner: E,
}

impl<C: AuthSchema, E> fmt::Debug for AuthMiddlewareEndpoint<C, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthMiddlewareEndpoint")
            .finish_non_exhaustive()
    }
}

impl<C: AuthSchema, E: Endpoint> Endpoint for AuthMiddlewareEndpoint<C, E> {
    /// A [`Response`]: a refresh of the provider's access token adds `Set-Cookie` to whatever
    /// the inner endpoint answers.
    type Output = Response;

    async fn call(&self, mut req: Request) -> Result<Self::Output> {
        let mut refreshed_cookies = None;
        // Applied twice (app-wide and on a nested route): the first reading stands.
        if req.extensions().get::<LoadedSession<C>>().is_none() {
            // One extension: the session carries the `Auth` the handlers need.
            let mut loaded = LoadedSession::load(&self.auth, &req);
            if self.auth.refreshes() && loaded.has_cookie() && !is_auth_route::<C>(&req) {
                // Boxed: the refresh's future is large, and requests without it should not
                // carry its size.
                if let Some((refreshed, cookies)) =
                    Box::pin(refresh_request_session(&self.auth, &loaded)).await
                {
                    loaded = refreshed;
                    refreshed_cookies = Some(cookies);
                }
            }
            req.extensions_mut().insert(loaded);
            // Only with `tokens(bearer(...))` accepting bearer tokens: the header is read now,
            // the token verified when the extractor or a guard first asks.
            if C::BEARER.is_some_and(|settings| settings.accept.bearer())
                && self.auth.bearer().is_some()
                && !is_auth_route::<C>(&req)
            {
                let bearer = BearerSession::<C>::load(&req);
                req.extensions_mut().insert(bearer);
            }
        }
        let answer = self.inner.call(req).await;
        let Some(cookies) = refreshed_cookies else {
            return answer.map(IntoResponse::into_response);
        };
        // The refreshed cookie goes out even on an error answer: the provider may have rotated
        // the refresh token, and the old cookie's would be refused.
        let mut response = match answer {
            Ok(output) => output.into_response(),
            Err(error) => error.into_response(),
        };
        for cookie in &cookies {
            match poem::http::HeaderValue::try_from(cookie.header_value()) {
                Ok(value) => {
                    response
                        .headers_mut()
                        .append(poem::http::header::SET_COOKIE, value);
                }
                Err(_) => tracing::error!(
                    cookie = cookie.name(),
                    "a Set-Cookie header is not a valid header value; not sent"
                ),
            }
        }
        Ok(response)
    }
}

/// Whether `req` goes to the auth routes, which refresh in `GET /session` themselves.
fn is_auth_route<C: AuthSchema>(req: &Request) -> bool {
    req.uri()
        .path()
        .strip_prefix(C::BASE_PATH)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}
