//! The [`Session`] extractor: the signed-in user's session in a handler.
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
//! /// 401 when signed out.
//! #[handler]
//! async fn me(session: Session<AppAuth>) -> Json<AppAuthSession> {
//!     Json(session.into_session())
//! }
//!
//! /// `None` when signed out.
//! #[handler]
//! async fn home(session: Option<Session<AppAuth>>) -> String {
//!     match session {
//!         Some(session) => format!("signed in as {:?}", session.user.role),
//!         None => "signed out".into(),
//!     }
//! }
//! # fn main() {}
//! ```
//!
//! The session is the one [`auth.middleware()`](crate::Auth::middleware) loaded. A route the
//! middleware does not wrap still works when the app was given the `Auth<C>` as data
//! (`.data(auth)`): the cookie is then decoded on the spot. With neither, extraction fails
//! with a 500 naming `auth.middleware()`, a programming error rather than a client one (and
//! `Option<Session<C>>` then reads as `None`, failing closed; the error is logged).
//!
//! With `tokens(bearer(...))`, a request may prove its session with `Authorization: Bearer`
//! instead, as `accept` says: the token's claims are read into the same token type and
//! shaped by the same `session` callback, so a handler cannot tell the two apart. A
//! malformed or refused bearer token is signed out (401), never an error page.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use poem::{FromRequest, Request, RequestBody, Result};

use crate::auth::Auth;
use crate::bearer_session::{Judged, judge};
use crate::expires::iso8601;
use crate::loaded_session::LoadedSession;
use crate::rejection::AuthRejection;
use crate::revocation::Standing;
use crate::schema::AuthSchema;
use crate::session_callback::shaped_session;

/// The signed-in user's session, shaped by the schema's `session` callback.
///
/// Dereferences to [`AuthSchema::Session`]; [`Session::token`] gives the full token for
/// server-side code. Signed out, or a session the `session` callback ended
/// ([`SessionAction::SignOut`](crate::SessionAction::SignOut)): a `401` with
/// `{"error":"unauthorized"}`.
pub struct Session<C: AuthSchema> {
    session: C::Session,
    /// Shared with the request's `LoadedSession`: extracting does not copy the token.
    token: Arc<C::Token>,
}

impl<C: AuthSchema> Session<C> {
    /// The session token's claims, including those the session does not expose.
    pub fn token(&self) -> &C::Token {
        &self.token
    }

    /// The session as the client sees it.
    pub fn session(&self) -> &C::Session {
        &self.session
    }

    /// The session as the client sees it, taken out rather than copied: what a handler
    /// returning the session as JSON wants.
    pub fn into_session(self) -> C::Session {
        self.session
    }

    /// Takes the session and the token apart. The token is shared with the request's loaded
    /// session, so this copies it; prefer [`token`](Self::token) or
    /// [`into_session`](Self::into_session) when one of the two is enough.
    pub fn into_parts(self) -> (C::Session, C::Token) {
        (self.session, Arc::unwrap_or_clone(self.token))
    }
}

impl<C: AuthSchema> Deref for Session<C> {
    type Target = C::Session;

    fn deref(&self) -> &C::Session {
        &self.session
    }
}

/// Prints the token through its own (redacting) `Debug`, not the session.
impl<C: AuthSchema> fmt::Debug for Session<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("token", &self.token)
            .finish_non_exhaustive()
    }
}

impl<'a, C: AuthSchema> FromRequest<'a> for Session<C> {
    async fn from_request(req: &'a Request, _body: &mut RequestBody) -> Result<Self> {
        let auth = Auth::<C>::of_request(req)?;
        // Compiled out without `tokens(bearer(...))`: the cookie path below is the whole
        // extractor then.
        if C::BEARER.is_some()
            && let Judged::Bearer(verified) = judge(req, auth)
        {
            let Some((token, expires_at)) = verified else {
                return Err(AuthRejection::Unauthorized.into());
            };
            return Self::shaped(req, auth, token, expires_at).await;
        }
        let loaded = LoadedSession::of_request(req, auth);
        let (Some(token), Some(expires_at)) = (loaded.shared_token(), loaded.expires_at()) else {
            return Err(AuthRejection::Unauthorized.into());
        };
        Self::shaped(req, auth, token, expires_at).await
    }
}

impl<C: AuthSchema> Session<C> {
    /// The session of a verified token, shaped by the `session` callback (which may end it).
    async fn shaped(
        req: &Request,
        auth: &Auth<C>,
        token: Arc<C::Token>,
        expires_at: i64,
    ) -> Result<Self> {
        match auth.standing(&token).await {
            Standing::Stands => {}
            Standing::Revoked => return Err(AuthRejection::Unauthorized.into()),
            Standing::Unknown => return Err(AuthRejection::Unavailable.into()),
        }
        match shaped_session(auth, req, &token, iso8601(expires_at)).await {
            Some(session) => Ok(Self { session, token }),
            None => Err(AuthRejection::Unauthorized.into()),
        }
    }
}
