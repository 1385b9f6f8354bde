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

/// The runtime half of the agreement with the macro on bearer settings: the shared corpus's
/// `ttl` and `audience` are refused here exactly when the macro refuses them.
#[cfg(test)]
mod tests {
    use auth_rules::agreement::BEARER_SETTINGS;
    use auth_rules::parse_duration;

    use super::*;

    #[test]
    fn bearer_settings_agree_with_the_macro() {
        for (ttl, audience, expected) in BEARER_SETTINGS {
            let settings = BearerSettings {
                algorithm: BearerAlgorithm::EdDsa,
                ttl: parse_duration(ttl).expect("the corpus's durations parse"),
                audience,
                accept: BearerAccept::Both,
            };
            assert_eq!(
                check_bearer_settings(&settings).is_ok(),
                *expected,
                "{ttl:?} {audience:?}"
            );
        }
        let rs256 = BearerSettings {
            algorithm: BearerAlgorithm::Rs256,
            ttl: parse_duration("15m").expect("a duration"),
            audience: "api",
            accept: BearerAccept::Both,
        };
        assert!(matches!(
            check_bearer_settings(&rs256),
            Err(AuthError::BearerSigningKey { .. })
        ));
    }
}
