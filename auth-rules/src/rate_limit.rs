//! The rate-limit grammar: `"5 per 15m"`.

use std::time::Duration;

use crate::Refusal;
use crate::duration::parse_duration;

/// A parsed `"<attempts> per <window>"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitSpec {
    /// Failures allowed within the window; at least one.
    pub attempts: u32,
    /// The sliding window; not empty.
    pub window: Duration,
}

/// `"<attempts> per <duration>"`, e.g. `"5 per 15m"` or `"100 per 1h"`: at least one attempt
/// in a window of at least one second.
pub fn parse_rate_limit(text: &str) -> Result<RateLimitSpec, Refusal> {
    let (attempts, window) = text.split_once(" per ").ok_or(Refusal::RateLimitSyntax)?;
    let attempts: u32 = attempts
        .trim()
        .parse()
        .map_err(|_| Refusal::RateLimitSyntax)?;
    let window = parse_duration(window.trim()).map_err(|_| Refusal::RateLimitSyntax)?;
    check_rate_limit(attempts, window)?;
    Ok(RateLimitSpec { attempts, window })
}

/// At least one attempt in a window of at least one second (windows are counted in whole
/// seconds).
pub(crate) fn check_rate_limit(attempts: u32, window: Duration) -> Result<(), Refusal> {
    if attempts == 0 || window.as_secs() == 0 {
        return Err(Refusal::RateLimitZero);
    }
    Ok(())
}

impl RateLimitSpec {
    /// Checks a limit built by hand (a schema written without the macro).
    pub fn check(&self) -> Result<(), Refusal> {
        check_rate_limit(self.attempts, self.window)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limits() {
        let spec = parse_rate_limit("5 per 15m").expect("valid");
        assert_eq!((spec.attempts, spec.window.as_secs()), (5, 900));
        assert_eq!(
            parse_rate_limit(" 100  per 1h ").map(|s| s.attempts),
            Ok(100)
        );
        assert_eq!(parse_rate_limit("5/15m"), Err(Refusal::RateLimitSyntax));
        assert_eq!(
            parse_rate_limit("five per 15m"),
            Err(Refusal::RateLimitSyntax)
        );
        assert_eq!(
            parse_rate_limit("5 per fortnight"),
            Err(Refusal::RateLimitSyntax)
        );
        assert_eq!(parse_rate_limit("0 per 15m"), Err(Refusal::RateLimitZero));
        assert_eq!(parse_rate_limit("5 per 0s"), Err(Refusal::RateLimitZero));
        assert_eq!(parse_rate_limit("5 per 500ms"), Err(Refusal::RateLimitZero));
    }
}
