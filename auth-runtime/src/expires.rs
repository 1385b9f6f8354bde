//! The session's `expires`: an instant as ISO 8601 with milliseconds, as Auth.js writes it.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// An instant in seconds since the Unix epoch as ISO 8601 with milliseconds and `Z`
/// (`2026-01-01T00:00:00.000Z`), the form of the session's `expires`.
pub(crate) fn iso8601(unix_seconds: i64) -> String {
    let seconds = u64::try_from(unix_seconds).unwrap_or(0);
    let instant = UNIX_EPOCH
        .checked_add(Duration::from_secs(seconds))
        .unwrap_or(SystemTime::UNIX_EPOCH);
    humantime::format_rfc3339_millis(instant).to_string()
}
