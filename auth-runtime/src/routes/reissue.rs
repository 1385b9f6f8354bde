//! [`Auth::reissue`]: a server-side update of the session from an app's own handler (a user
//! changing their name through the app's profile endpoint), and the [`ReissuedSession`] whose
//! cookies that handler's response carries.
//!
//! The server is trusted: the change may touch any claim, `update = check` or not, which a
//! client's `update()` (`POST /session`) never may. Otherwise it is an update like a client's:
//! derived claims recomputed, the `jwt` callback run with [`JwtTrigger::ServerUpdate`], the
//! new token recorded against the update race (a read carrying the old cookie is answered
//! with the new token), and `AuthEvent::SessionUpdated` delivered.

use std::fmt;

use poem::{IntoResponse, Request, Response};

use super::issue::write_token;
use super::race::{newer_token, record_update};
use super::respond::append_cookies;
use crate::auth::Auth;
use crate::cookies::{SetCookie, clear_session_cookies};
use crate::loaded_session::LoadedSession;
use crate::rejection::AuthRejection;
use crate::revocation::Standing;
use crate::schema::{AuthEvent, AuthSchema, JwtTrigger, TokenAction, TokenClaims as _};

impl<C: AuthSchema> Auth<C> {
    /// Changes the signed-in user's token from a handler, and re-issues it: `change` edits the
    /// claims (any of them: the server is trusted), derived claims are recomputed, the `jwt`
    /// callback runs with [`JwtTrigger::ServerUpdate`], and the new token is recorded against
    /// the update race as a client's update is. Attach the answer to the handler's response
    /// ([`ReissuedSession::attach`]) so that the browser gets the new cookie.
    ///
    /// Only code on the server calls this; nothing a client sends reaches `change` but what
    /// the handler itself decided to pass on, so check what a request asks for as any handler
    /// does. Signed out: [`AuthRejection::Unauthorized`]. A `jwt` callback answering
    /// [`TokenAction::SignOut`] ends the session (the answer's cookies expire it).
    ///
    /// ```
    /// # use auth_runtime::prelude::*;
    /// # use poem::{Request, Response, handler, web::{Data, Json}};
    /// # struct User;
    /// # impl AuthUser for User { fn subject(&self) -> String { "user-1".into() } }
    /// # #[auth_config(user = User)]
    /// # struct AppAuth { nickname: Option<String> }
    /// /// `POST /api/profile` `{"nickname": …}`: the app's own endpoint.
    /// #[handler]
    /// async fn profile(
    ///     req: &Request,
    ///     auth: Data<&Auth<AppAuth>>,
    ///     Json(nickname): Json<String>,
    /// ) -> poem::Result<Response> {
    ///     let reissued = auth
    ///         .reissue(req, |token| token.nickname = Some(nickname))
    ///         .await?;
    ///     Ok(reissued.attach("saved"))
    /// }
    /// # fn main() {}
    /// ```
    pub async fn reissue(
        &self,
        req: &Request,
        change: impl FnOnce(&mut C::Token) + Send,
    ) -> Result<ReissuedSession<C>, AuthRejection> {
        let loaded = LoadedSession::of_request(req, self);
        let previous = loaded.cookie_names();
        let (Some(current), Some(issued_at)) = (loaded.token(), loaded.issued_at()) else {
            return Err(AuthRejection::Unauthorized);
        };
        match self.standing(current).await {
            Standing::Stands => {}
            Standing::Revoked => return Err(AuthRejection::Unauthorized),
            Standing::Unknown => return Err(AuthRejection::Unavailable),
        }
        // Built on the latest update, as two client updates sent with one old cookie are.
        let mut token = newer_token(self, current.subject(), issued_at)
            .await
            .unwrap_or_else(|| current.clone());
        change(&mut token);
        C::derive_claims(&mut token);
        let ended = |names| {
            let names_now = self.names();
            ReissuedSession {
                token: None,
                cookies: clear_session_cookies(names_now.session, names_now.secure, names),
            }
        };
        match C::jwt(&mut token, JwtTrigger::ServerUpdate, self.state()).await {
            Ok(TokenAction::Keep) => {}
            Ok(TokenAction::SignOut) => return Ok(ended(previous)),
            Err(error) => {
                tracing::warn!(%error, "the jwt callback failed on a server update; signing out");
                return Ok(ended(previous));
            }
        }
        let written = write_token(self, &token, previous).map_err(|error| {
            tracing::error!(%error, "the session token could not be written; old cookie kept");
            AuthRejection::NotReissued
        })?;
        record_update(self, &token).await;
        let request = &self.request_context(req);
        C::on_event(
            AuthEvent::SessionUpdated {
                token: &token,
                request,
            },
            self.state(),
        )
        .await;
        Ok(ReissuedSession {
            token: Some(token),
            cookies: written.cookies,
        })
    }
}

/// What [`Auth::reissue`] made: the new token and the `Set-Cookie`s carrying it, for the
/// handler's response.
pub struct ReissuedSession<C: AuthSchema> {
    /// `None` when the `jwt` callback ended the session instead.
    token: Option<C::Token>,
    cookies: Vec<SetCookie>,
}

impl<C: AuthSchema> ReissuedSession<C> {
    /// The token as re-issued; `None` when the `jwt` callback ended the session.
    pub fn token(&self) -> Option<&C::Token> {
        self.token.as_ref()
    }

    /// `output` as a response carrying the session cookies.
    pub fn attach(self, output: impl IntoResponse) -> Response {
        let mut response = output.into_response();
        self.apply(&mut response);
        response
    }

    /// Adds the session cookies to `response`.
    pub fn apply(&self, response: &mut Response) {
        append_cookies(response, &self.cookies);
    }
}

/// Prints whether a token was issued, never the token or its cookies.
impl<C: AuthSchema> fmt::Debug for ReissuedSession<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReissuedSession")
            .field("signed_in", &self.token.is_some())
            .field("cookies", &self.cookies.len())
            .finish()
    }
}
