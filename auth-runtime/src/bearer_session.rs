//! [`BearerSession`]: the bearer token a request carried (`Authorization: Bearer`), verified
//! on first use; and [`judge`], which decides whether the extractor and the guards read a
//! request's bearer token or its session cookie.
//!
//! Only app routes read it: the auth routes (`/session`, `/token`, …) read the session
//! cookie alone, so a bearer token can never become a session cookie or a new bearer token.
//! With no `tokens(bearer(...))` declared, nothing here runs: [`judge`] is not called and
//! the middleware stores no `BearerSession`.

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use poem::Request;

use crate::auth::Auth;
use crate::bearer::{Authorization, authorization};
use crate::schema::AuthSchema;

/// The bearer credential of a request, as its header gave it.
#[derive(Clone)]
enum Presented {
    /// No `Authorization: Bearer` header.
    Absent,
    /// A token in the header, not yet verified.
    Token(String),
    /// A `Bearer` header that does not read: signed out.
    Malformed,
}

/// A verified bearer token: its claims read into the schema's token type, and its `exp`.
pub(crate) type Verified<C> = (Arc<<C as AuthSchema>::Token>, i64);

/// The bearer token of one request, verified when first asked for.
pub(crate) struct BearerSession<C: AuthSchema> {
    presented: Presented,
    verified: OnceLock<Option<Verified<C>>>,
}

impl<C: AuthSchema> Clone for BearerSession<C> {
    fn clone(&self) -> Self {
        Self {
            presented: self.presented.clone(),
            verified: self.verified.clone(),
        }
    }
}

impl<C: AuthSchema> BearerSession<C> {
    /// Reads the request's `Authorization` header; verifies nothing yet.
    pub(crate) fn load(req: &Request) -> Self {
        let presented = match authorization(req.headers()) {
            Authorization::Absent => Presented::Absent,
            Authorization::Bearer(token) => Presented::Token(token.to_owned()),
            Authorization::Malformed => {
                tracing::debug!("a malformed Authorization: Bearer header; signed out");
                Presented::Malformed
            }
        };
        Self {
            presented,
            verified: OnceLock::new(),
        }
    }

    /// The one the middleware stored, else read now.
    fn of_request(req: &Request) -> Cow<'_, Self> {
        match req.extensions().get::<Self>() {
            Some(session) => Cow::Borrowed(session),
            None => Cow::Owned(Self::load(req)),
        }
    }

    /// `None` when no bearer token was presented; `Some(None)` when one was and is refused
    /// (or the header was malformed); else the verified token.
    fn verified(&self, auth: &Auth<C>) -> Option<Option<Verified<C>>> {
        match &self.presented {
            Presented::Absent => None,
            Presented::Malformed => Some(None),
            Presented::Token(raw) => {
                Some(self.verified.get_or_init(|| verify::<C>(auth, raw)).clone())
            }
        }
    }
}

/// Verifies `raw` into the schema's token type; `None` (logged at debug level, without the
/// token) when refused.
fn verify<C: AuthSchema>(auth: &Auth<C>, raw: &str) -> Option<Verified<C>> {
    let verifier = auth.bearer()?;
    match verifier.verify_as::<C::Token>(raw) {
        Ok((token, registered)) => Some((Arc::new(token), registered.expires_at)),
        Err(error) => {
            tracing::debug!(%error, "bearer token refused; signed out");
            None
        }
    }
}

/// What the extractor and the guards judge a request by.
pub(crate) enum Judged<C: AuthSchema> {
    /// Its session cookie, as without bearer tokens.
    Cookie,
    /// Its bearer token: verified, or `None` (signed out; the cookie is not tried).
    Bearer(Option<Verified<C>>),
}

/// Decides by the declared `accept`: a request with an `Authorization: Bearer` header is
/// judged by it alone when bearer tokens are accepted; one without, by its cookie when
/// cookies are (else it is signed out).
pub(crate) fn judge<C: AuthSchema>(req: &Request, auth: &Auth<C>) -> Judged<C> {
    let Some(settings) = C::BEARER else {
        return Judged::Cookie;
    };
    if !settings.accept.bearer() || auth.bearer().is_none() {
        return Judged::Cookie;
    }
    match BearerSession::<C>::of_request(req).verified(auth) {
        Some(verified) => Judged::Bearer(verified),
        None if settings.accept.cookie() => Judged::Cookie,
        None => Judged::Bearer(None),
    }
}
