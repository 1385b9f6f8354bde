//! What the user's callbacks answer (`sign_in`, `jwt`, `session`, update checks) and the
//! error any callback may return.

use std::error::Error as StdError;
use std::fmt;

/// The answer of a `sign_in` callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignIn {
    /// Sign the user in.
    Allow,
    /// Refuse: the user lands on the error page with `AccessDenied`.
    Deny,
    /// Refuse and send the user to this URL (checked like every redirect).
    Redirect(String),
}

/// What a `jwt` callback decides about the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenAction {
    /// Keep (and re-issue) the token.
    Keep,
    /// Sign the user out: every session cookie is cleared.
    SignOut,
}

/// What a `session` callback decides about the session it shaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionAction {
    /// Answer the session.
    Keep,
    /// End it (a deactivated user, say): `GET /session` answers `null` and expires every
    /// session cookie, the `Session` extractor and guards treat the request as signed out,
    /// and the events handler receives `AuthEvent::SessionEnded`.
    SignOut,
}

/// An error from a user callback. Logged without secrets; the client only ever sees an
/// error code. Any `std::error::Error` converts into it with `?`.
pub struct CallbackError(Box<dyn StdError + Send + Sync + 'static>);

impl CallbackError {
    /// An error with a message.
    pub fn msg(message: impl fmt::Display) -> Self {
        Self(message.to_string().into())
    }
}

impl<E: StdError + Send + Sync + 'static> From<E> for CallbackError {
    fn from(error: E) -> Self {
        Self(Box::new(error))
    }
}

impl fmt::Debug for CallbackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for CallbackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// An update refused by [`AuthSchema::apply_update`](super::AuthSchema::apply_update).
#[derive(Debug)]
pub enum UpdateError {
    /// The claim's check refused the proposed value (`403`).
    Refused {
        /// The claim's JSON name.
        claim: &'static str,
    },
    /// A check failed with an error (logged; `403`).
    Check {
        /// The claim's JSON name.
        claim: &'static str,
        /// What went wrong.
        error: CallbackError,
    },
}

impl fmt::Display for UpdateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Refused { claim } => write!(f, "the update of `{claim}` was refused"),
            Self::Check { claim, error } => {
                write!(f, "the check of `{claim}` failed: {error}")
            }
        }
    }
}

impl StdError for UpdateError {}
