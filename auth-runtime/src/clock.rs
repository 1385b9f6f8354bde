//! The time source for `iat`, `exp` and their checks, injectable so that expiry is tested
//! without sleeping.

use std::time::{SystemTime, UNIX_EPOCH};

/// The time source for `iat`, `exp` and their checks, in whole seconds since the Unix epoch.
///
/// Inject a fixed clock in tests so that expiry is tested without sleeping.
pub trait Clock: Send + Sync + 'static {
    /// Now, in seconds since the Unix epoch.
    fn now(&self) -> i64;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| {
                i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
            })
    }
}

/// A clock stopped at one instant.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub i64);

impl Clock for FixedClock {
    fn now(&self) -> i64 {
        self.0
    }
}
