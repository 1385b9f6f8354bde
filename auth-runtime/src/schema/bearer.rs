//! [`BearerSettings`]: what `tokens(bearer(...))` declares, and its start-up check.

use std::time::Duration;

use auth_rules::{check_bearer_audience, check_bearer_ttl};

use crate::bearer::BearerAlgorithm;
use crate::error::AuthError;

/// Which credentials the [`Session`](crate::Session) extractor and the guards accept
/// (`tokens(bearer(accept = "…"))`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BearerAccept {
    /// The session cookie only: this service issues bearer tokens for others.
    Cookie,
    /// `Authorization: Bearer` only: an API that never reads the cookie.
    Bearer,
    /// Either (the default): a request with a `Bearer` header is judged by it alone, one
    /// without by its cookie.
    Both,
}

impl BearerAccept {
    /// Whether an `Authorization: Bearer` header is read.
    pub const fn bearer(self) -> bool {
        matches!(self, Self::Bearer | Self::Both)
    }

    /// Whether the session cookie is read.
    pub const fn cookie(self) -> bool {
        matches!(self, Self::Cookie | Self::Both)
    }
}

/// The bearer tokens a schema declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BearerSettings {
    /// The algorithm the first key signs with (`alg = "EdDSA"`).
    pub algorithm: BearerAlgorithm,
    /// How long an issued token lives (`ttl = "15m"`), at most until the session ends.
    pub ttl: Duration,
    /// The `aud` of every token issued and required of every token accepted.
    pub audience: &'static str,
    /// Which credentials requests may prove a session with.
    pub accept: BearerAccept,
}

/// Checks the declared settings by the rules the macro applies (`auth-rules`).
pub(crate) fn check_bearer_settings(settings: &BearerSettings) -> Result<(), AuthError> {
    check_bearer_ttl(settings.ttl).map_err(|reason| AuthError::InvalidBearerSetting {
        setting: "ttl",
        reason,
    })?;
    check_bearer_audience(settings.audience).map_err(|reason| AuthError::InvalidBearerSetting {
        setting: "audience",
        reason,
    })?;
    if !settings.algorithm.signs() {
        return Err(AuthError::BearerSigningKey {
            reason: "RS256 only verifies here: sign with EdDSA, ES256 or HS256",
        });
    }
    Ok(())
}
