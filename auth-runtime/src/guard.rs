//! [`Guard`]: a middleware admitting only signed-in users whose token passes a check.
//!
//! The macro generates the usual guards (`AppAuth::require_role(Role::Admin)`,
//! `AppAuth::require(Permission::Write)`) on top of [`Guard::new`]; any endpoint takes one:
//!
//! ```
//! # use auth_runtime::prelude::*;
//! # use auth_runtime::{Auth, Secrets};
//! # use poem::{EndpointExt, Route, get, handler, web::Json};
//! # #[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
//! # enum Role { Admin, Viewer }
//! # struct User { role: Role }
//! # impl AuthUser for User { fn subject(&self) -> String { "user-1".into() } }
//! # #[auth_config(user = User)]
//! # struct AppAuth { #[claim(from_user)] role: Role }
//! # #[handler] async fn admin() -> &'static str { "admin area" }
//! # fn app(auth: &Auth<AppAuth>) -> impl poem::Endpoint {
//! Route::new()
//!     .at("/admin", get(admin).with(AppAuth::require_role(Role::Admin)))
//!     .with(auth.middleware()) // outermost: loads the session the guard reads
//! # }
//! # fn main() {}
//! ```

use std::fmt;
use std::sync::Arc;

use poem::{Endpoint, IntoResponse, Middleware, Request, Response, Result};

use crate::auth::Auth;
use crate::bearer_session::{Judged, judge};
use crate::expires::iso8601;
use crate::loaded_session::LoadedSession;
use crate::rejection::AuthRejection;
use crate::revocation::Standing;
use crate::schema::AuthSchema;
use crate::session_callback::shaped_session;

type Check<C> = dyn Fn(&<C as AuthSchema>::Token) -> bool + Send + Sync + 'static;

/// Lets a request through only when it is signed in (else `401 {"error":"unauthorized"}`) and
/// `check` accepts its token (else `403 {"error":"forbidden"}`). A session the `session`
/// callback ends is signed out (`401`). A bearer token (`tokens(bearer(...))`) is judged
/// exactly as a session cookie.
pub struct Guard<C: AuthSchema> {
    name: &'static str,
    check: Arc<Check<C>>,
}

impl<C: AuthSchema> Guard<C> {
    /// A guard called `name` (in logs) admitting tokens that `check` accepts.
    pub fn new(
        name: &'static str,
        check: impl Fn(&C::Token) -> bool + Send + Sync + 'static,
    ) -> Self {
        Self {
            name,
            check: Arc::new(check),
        }
    }

    /// The guard's name, e.g. `role = admin`.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Whether `req` may pass. With a `session` callback, it runs too: a session it ends
    /// (a deactivated user) is signed out here as everywhere, whatever the token's claims.
    async fn admit(&self, req: &Request) -> Result<(), AuthRejection> {
        let auth = Auth::<C>::of_request(req)?;
        // Compiled out without `tokens(bearer(...))`.
        if C::BEARER.is_some()
            && let Judged::Bearer(verified) = judge(req, auth)
        {
            let Some((token, expires_at)) = verified else {
                return Err(AuthRejection::Unauthorized);
            };
            return self.admit_token(req, auth, &token, expires_at).await;
        }
        let loaded = LoadedSession::of_request(req, auth);
        let (Some(token), Some(expires_at)) = (loaded.token(), loaded.expires_at()) else {
            return Err(AuthRejection::Unauthorized);
        };
        self.admit_token(req, auth, token, expires_at).await
    }

    /// Whether a signed-in `token` may pass: the check, then the `session` callback.
    async fn admit_token(
        &self,
        req: &Request,
        auth: &Auth<C>,
        token: &C::Token,
        expires_at: i64,
    ) -> Result<(), AuthRejection> {
        match auth.standing(token).await {
            Standing::Stands => {}
            Standing::Revoked => return Err(AuthRejection::Unauthorized),
            Standing::Unknown => return Err(AuthRejection::Unavailable),
        }
        if !(self.check)(token) {
            tracing::debug!(guard = self.name, "guard refused a signed-in request");
            return Err(AuthRejection::Forbidden);
        }
        if C::SESSION_CALLBACK
            && shaped_session(auth, req, token, iso8601(expires_at))
                .await
                .is_none()
        {
            return Err(AuthRejection::Unauthorized);
        }
        Ok(())
    }
}

impl<C: AuthSchema> Clone for Guard<C> {
    fn clone(&self) -> Self {
        Self {
            name: self.name,
            check: Arc::clone(&self.check),
        }
    }
}

impl<C: AuthSchema> fmt::Debug for Guard<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Guard").field("name", &self.name).finish()
    }
}

impl<C: AuthSchema, E: Endpoint> Middleware<E> for Guard<C> {
    type Output = GuardEndpoint<C, E>;

    fn transform(&self, inner: E) -> Self::Output {
        GuardEndpoint {
            guard: self.clone(),
            inner,
        }
    }
}

/// The endpoint a [`Guard`] wraps around another.
pub struct GuardEndpoint<C: AuthSchema, E> {
    guard: Guard<C>,
    inner: E,
}

impl<C: AuthSchema, E> fmt::Debug for GuardEndpoint<C, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GuardEndpoint")
            .field("guard", &self.guard)
            .finish_non_exhaustive()
    }
}

impl<C: AuthSchema, E: Endpoint> Endpoint for GuardEndpoint<C, E> {
    type Output = Response;

    async fn call(&self, req: Request) -> Result<Response> {
        self.guard.admit(&req).await?;
        self.inner.call(req).await.map(IntoResponse::into_response)
    }
}
