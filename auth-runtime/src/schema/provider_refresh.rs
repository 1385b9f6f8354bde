//! The provider's tokens a session keeps for refreshing them ([`ProviderRefresh`], the
//! reserved `providerRefresh` claim) and the typed error a session carries when that failed
//! ([`SessionError`]).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::provider::{Account, ProviderToken};

/// The reserved claim holding a session's [`ProviderRefresh`].
pub const PROVIDER_REFRESH_CLAIM: &str = "providerRefresh";

/// What the runtime keeps, in the encrypted token only, to refresh a provider's access token
/// before it expires: written at sign-in with a provider declared with `refresh`, whatever
/// claims the configuration declares. Never in the session JSON; its `Debug` prints no token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderRefresh {
    /// The provider id the tokens come from.
    pub provider: String,
    /// The current access token.
    pub access_token: ProviderToken,
    /// The refresh token; `None` once a refresh failed (it is never tried again).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<ProviderToken>,
    /// When the access token expires, in seconds since the Unix epoch.
    pub expires_at: i64,
    /// Set when the last refresh failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<SessionError>,
}

impl ProviderRefresh {
    /// The refresh state of a sign-in's `account`: `None` unless it has an access token, a
    /// refresh token and an expiry (without them there is nothing to refresh).
    pub fn from_account(account: &Account) -> Option<Self> {
        Some(Self {
            provider: account.provider.clone(),
            access_token: account.access_token.clone()?,
            refresh_token: Some(account.refresh_token.clone()?),
            expires_at: account.expires_at?,
            error: None,
        })
    }

    /// Whether the access token is due for a refresh at `now` (it expires within `skew`
    /// seconds) and can be refreshed (a refresh token is kept).
    pub fn is_due(&self, now: i64, skew: i64) -> bool {
        self.refresh_token.is_some() && self.expires_at.saturating_sub(skew) <= now
    }
}

/// Prints the provider, the expiry and the error; never a token.
impl fmt::Debug for ProviderRefresh {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProviderRefresh")
            .field("provider", &self.provider)
            .field("expires_at", &self.expires_at)
            .field("has_refresh_token", &self.refresh_token.is_some())
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

/// The typed error at the top level of the session JSON (`session.error`), as the Auth.js
/// refresh pattern names it: the client may call `signIn` again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[non_exhaustive]
pub enum SessionError {
    /// The provider refused to refresh the access token (`invalid_grant`, a revoked grant) or
    /// could not be reached; the refresh token was dropped and is not tried again.
    RefreshAccessTokenError,
}
