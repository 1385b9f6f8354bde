//! Bearer tokens: how long they live and whom they are for.

use std::time::Duration;

use crate::Refusal;

/// A bearer token's lifetime when none is given: 15 minutes.
pub const DEFAULT_BEARER_TTL: Duration = Duration::from_secs(15 * 60);
/// The shortest bearer token: one minute (clocks are allowed 15 s of skew).
pub const SHORTEST_BEARER_TTL: Duration = Duration::from_secs(60);
/// The longest bearer token: one day. A bearer token cannot be revoked before it expires.
pub const LONGEST_BEARER_TTL: Duration = Duration::from_secs(24 * 3600);

/// A bearer token lives from [`SHORTEST_BEARER_TTL`] to [`LONGEST_BEARER_TTL`].
pub fn check_bearer_ttl(ttl: Duration) -> Result<(), Refusal> {
    if (SHORTEST_BEARER_TTL..=LONGEST_BEARER_TTL).contains(&ttl) {
        Ok(())
    } else {
        Err(Refusal::BearerTtlRange)
    }
}

/// An audience is a non-empty string without white space or control characters.
pub fn check_bearer_audience(audience: &str) -> Result<(), Refusal> {
    if !audience.is_empty()
        && !audience
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
    {
        Ok(())
    } else {
        Err(Refusal::BearerAudience)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_lifetimes_and_audiences() {
        assert_eq!(check_bearer_ttl(DEFAULT_BEARER_TTL), Ok(()));
        assert_eq!(check_bearer_ttl(SHORTEST_BEARER_TTL), Ok(()));
        assert_eq!(check_bearer_ttl(LONGEST_BEARER_TTL), Ok(()));
        assert_eq!(
            check_bearer_ttl(Duration::from_secs(59)),
            Err(Refusal::BearerTtlRange)
        );
        assert_eq!(
            check_bearer_ttl(LONGEST_BEARER_TTL + Duration::from_secs(1)),
            Err(Refusal::BearerTtlRange)
        );
        assert_eq!(check_bearer_audience("https://api.example"), Ok(()));
        assert_eq!(check_bearer_audience("orders"), Ok(()));
        assert_eq!(check_bearer_audience(""), Err(Refusal::BearerAudience));
        assert_eq!(check_bearer_audience("a b"), Err(Refusal::BearerAudience));
        assert_eq!(check_bearer_audience("a\nb"), Err(Refusal::BearerAudience));
    }
}
