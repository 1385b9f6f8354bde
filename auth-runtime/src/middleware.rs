//! The session middleware: reads the session cookie once per request and leaves the result in
//! the request's extensions for extractors, guards and the auth routes.
//! The session keys were derived when [`Auth`] was built, so a request costs one cookie parse
//! and, when a cookie is present and something asks for the session, one decryption
//! ([`LoadedSession`]).

use std::fmt;

use poem::{Endpoint, Middleware, Request, Result};

use crate::auth::Auth;
use crate::loaded_session::LoadedSession;
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
    type Output = E::Output;

    async fn call(&self, mut req: Request) -> Result<Self::Output> {
        // Applied twice (app-wide and on a nested route): the first reading stands.
        if req.extensions().get::<LoadedSession<C>>().is_none() {
            // One extension: the session carries the `Auth` the handlers need.
            let loaded = LoadedSession::load(&self.auth, &req);
            req.extensions_mut().insert(loaded);
        }
        self.inner.call(req).await
    }
}
