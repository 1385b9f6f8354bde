//! Durations as users write them (`"30d"`, `"12h"`, `"90m"`) and the session lifetimes.

use std::time::Duration;

use crate::Refusal;

/// Auth.js's default session lifetime: 30 days.
pub const DEFAULT_MAX_AGE: Duration = Duration::from_secs(30 * 24 * 3600);
/// The shortest session: one minute.
pub const SHORTEST_MAX_AGE: Duration = Duration::from_secs(60);
/// The longest session: browsers cap cookie lifetimes at 400 days.
pub const LONGEST_MAX_AGE: Duration = Duration::from_secs(400 * 24 * 3600);

/// `"30d"`, `"12h"`, `"90m"`, `"1h 30m"`: humantime's grammar.
pub fn parse_duration(text: &str) -> Result<Duration, Refusal> {
    humantime::parse_duration(text).map_err(|_| Refusal::DurationSyntax)
}

/// A session lasts from [`SHORTEST_MAX_AGE`] to [`LONGEST_MAX_AGE`].
pub fn check_max_age(max_age: Duration) -> Result<(), Refusal> {
    if (SHORTEST_MAX_AGE..=LONGEST_MAX_AGE).contains(&max_age) {
        Ok(())
    } else {
        Err(Refusal::MaxAgeRange)
    }
}

/// An `update_age` is shorter than the `max_age`.
pub fn check_update_age(update_age: Duration, max_age: Duration) -> Result<(), Refusal> {
    if update_age < max_age {
        Ok(())
    } else {
        Err(Refusal::UpdateAgeNotShorter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30d"), Ok(DEFAULT_MAX_AGE));
        assert_eq!(parse_duration("90m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("thirty days"), Err(Refusal::DurationSyntax));
        assert_eq!(parse_duration(""), Err(Refusal::DurationSyntax));
        assert_eq!(
            check_max_age(Duration::from_secs(59)),
            Err(Refusal::MaxAgeRange)
        );
        assert_eq!(check_max_age(SHORTEST_MAX_AGE), Ok(()));
        assert_eq!(check_max_age(LONGEST_MAX_AGE), Ok(()));
        assert_eq!(
            check_max_age(LONGEST_MAX_AGE + Duration::from_secs(1)),
            Err(Refusal::MaxAgeRange)
        );
        let day = Duration::from_secs(86_400);
        assert_eq!(check_update_age(day, DEFAULT_MAX_AGE), Ok(()));
        assert_eq!(
            check_update_age(day, day),
            Err(Refusal::UpdateAgeNotShorter)
        );
    }
}
