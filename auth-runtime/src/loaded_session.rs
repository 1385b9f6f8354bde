//! [`LoadedSession`]: the session a request carried, read once (by the middleware, or by the
//! first reader on an app without it) and decoded on first use.
//!
//! A cookie that does not decode (tampered, expired, made with another secret, claims that do
//! not fit the token type, chunks that do not form one token) means signed out; it is never an
//! error response. The token is decrypted on first use, so a route that never looks at the
//! session (a health check, static files) does not pay for it even when the browser sends the
//! cookie.

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, OnceLock};

use poem::Request;

use crate::auth::Auth;
use crate::cookies::{SessionCookie, SessionCookieNames};
use crate::rejection::AuthRejection;
use crate::schema::AuthSchema;
use crate::token::Registered;

/// The session a request carried, as the middleware found it.
pub struct LoadedSession<C: AuthSchema> {
    /// The reassembled token, until the first use decodes it.
    raw: Option<String>,
    /// The keys to open it, and the configuration for every handler of the request.
    auth: Auth<C>,
    /// The decoded session: set on first use (or at once when there was no token).
    signed_in: OnceLock<Option<SignedInToken<C>>>,
    names: SessionCookieNames,
}

struct SignedInToken<C: AuthSchema> {
    /// Shared with every `Session` extracted from the request, rather than cloned into each.
    token: Arc<C::Token>,
    /// The token's `iat` and `exp`, and whether it is encrypted as a re-issue would.
    registered: Registered,
}

impl<C: AuthSchema> Clone for SignedInToken<C> {
    fn clone(&self) -> Self {
        Self {
            token: self.token.clone(),
            registered: self.registered,
        }
    }
}

impl<C: AuthSchema> Clone for LoadedSession<C> {
    fn clone(&self) -> Self {
        Self {
            raw: self.raw.clone(),
            auth: self.auth.clone(),
            signed_in: self.signed_in.clone(),
            names: self.names,
        }
    }
}

/// Prints whether the request carried a session token, never the token.
impl<C: AuthSchema> fmt::Debug for LoadedSession<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoadedSession")
            .field("signed_in", &self.token().is_some())
            .field("names", &self.names)
            .finish()
    }
}

impl<C: AuthSchema> LoadedSession<C> {
    /// Reads the session cookie of `req` (every `Cookie` header, chunks reassembled); the token
    /// is decrypted when first asked for. Never fails: anything unusable is signed out.
    pub fn load(auth: &Auth<C>, req: &Request) -> Self {
        let cookie = SessionCookie::from_headers(req.headers(), auth.names().session);
        let signed_in = OnceLock::new();
        let raw = match cookie.token {
            Ok(Some(raw)) => Some(raw),
            Ok(None) => None,
            Err(error) => {
                tracing::debug!(%error, "session cookie refused; signed out");
                None
            }
        };
        if raw.is_none() {
            let _ = signed_in.set(None);
        }
        Self {
            raw,
            auth: auth.clone(),
            signed_in,
            names: cookie.names,
        }
    }

    /// The session of `req`: the one the middleware stored, else (on an app without the
    /// middleware) read now with `auth`. The one way the routes, the [`Session`] extractor and
    /// [`Guard`]s read a request's session.
    ///
    /// [`Session`]: crate::Session
    /// [`Guard`]: crate::Guard
    pub fn of_request<'a>(req: &'a Request, auth: &Auth<C>) -> Cow<'a, Self> {
        match req.extensions().get::<Self>() {
            Some(loaded) => Cow::Borrowed(loaded),
            None => Cow::Owned(Self::load(auth, req)),
        }
    }

    /// Whether the request carried a session cookie (decoded or not yet).
    pub(crate) fn has_cookie(&self) -> bool {
        self.raw.is_some()
    }

    /// The same request's session holding `token` instead, just written with `registered`
    /// (its provider tokens refreshed by the middleware).
    pub(crate) fn with_token(&self, token: C::Token, registered: Registered) -> Self {
        let signed_in = OnceLock::new();
        let _ = signed_in.set(Some(SignedInToken {
            token: Arc::new(token),
            registered,
        }));
        Self {
            raw: None,
            auth: self.auth.clone(),
            signed_in,
            names: self.names,
        }
    }

    /// The configuration the session was loaded with.
    pub fn auth(&self) -> &Auth<C> {
        &self.auth
    }

    /// The decoded session, decoding the token on first use.
    fn signed_in(&self) -> Option<&SignedInToken<C>> {
        self.signed_in
            .get_or_init(|| decode_token(&self.auth, self.raw.as_ref()?))
            .as_ref()
    }

    /// The signed-in user's token, `None` when signed out.
    pub fn token(&self) -> Option<&C::Token> {
        self.signed_in().map(|signed_in| &*signed_in.token)
    }

    /// The token, shared rather than cloned (what a `Session` extractor keeps).
    pub(crate) fn shared_token(&self) -> Option<Arc<C::Token>> {
        self.signed_in()
            .map(|signed_in| Arc::clone(&signed_in.token))
    }

    /// When the token was issued (`iat`), in seconds since the Unix epoch; `None` when signed
    /// out.
    pub fn issued_at(&self) -> Option<i64> {
        self.signed_in()
            .map(|signed_in| signed_in.registered.issued_at)
    }

    /// When the token expires, in seconds since the Unix epoch; `None` when signed out.
    pub fn expires_at(&self) -> Option<i64> {
        self.signed_in()
            .map(|signed_in| signed_in.registered.expires_at)
    }

    /// The token's registered times, and whether it is encrypted as a re-issue now would;
    /// `None` when signed out.
    pub fn registered(&self) -> Option<Registered> {
        self.signed_in().map(|signed_in| signed_in.registered)
    }

    /// Which session cookie names the request carried (to expire them).
    pub fn cookie_names(&self) -> SessionCookieNames {
        self.names
    }
}

/// Decodes a session token into the schema's token type; `None` (logged at debug level,
/// without the token) when it does not open or does not fit.
fn decode_token<C: AuthSchema>(auth: &Auth<C>, raw: &str) -> Option<SignedInToken<C>> {
    match auth.codec().decode_as::<C::Token>(raw) {
        Ok((token, registered)) => Some(SignedInToken {
            token: Arc::new(token),
            registered,
        }),
        Err(error) => {
            // Claims that do not fit the token type give only their position, never a value.
            tracing::debug!(%error, "session token refused; signed out");
            None
        }
    }
}

impl<C: AuthSchema> Auth<C> {
    /// The configuration of an extractor's or guard's request, which, unlike a route, is not
    /// built with one: the one the middleware's session carries, else the `Auth<C>` given to
    /// the app as data (`.data(auth)`). Without either, a programming error.
    pub(crate) fn of_request(req: &Request) -> Result<&Self, AuthRejection> {
        if let Some(loaded) = req.extensions().get::<LoadedSession<C>>() {
            return Ok(&loaded.auth);
        }
        req.extensions().get::<Self>().ok_or_else(|| {
            tracing::error!(
                "the session was requested on a route not wrapped by `auth.middleware()`"
            );
            AuthRejection::MiddlewareMissing
        })
    }
}
