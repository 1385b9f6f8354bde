//! Clocks the tests move instead of sleeping: one frozen at the start and stepped by hand,
//! one that runs with the system clock plus a shift.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use auth_runtime::{Clock, SystemClock};

/// A clock the test moves forward: the system time when made, moving only when told.
#[derive(Clone, Default)]
pub(crate) struct SteppingClock(Arc<AtomicI64>);

impl SteppingClock {
    /// The system time now, moving only when told.
    pub(crate) fn starting_now() -> Self {
        Self(Arc::new(AtomicI64::new(SystemClock.now())))
    }

    pub(crate) fn advance(&self, by: Duration) {
        self.0.fetch_add(seconds(by), Ordering::SeqCst);
    }
}

impl Clock for SteppingClock {
    fn now(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// The system clock moved forward by a shift the test adds to: time still passes, as it
/// does for a peer (an OpenID Provider) that runs on the real clock.
#[derive(Clone, Default)]
pub(crate) struct ShiftedClock(Arc<AtomicI64>);

impl ShiftedClock {
    pub(crate) fn advance(&self, by: Duration) {
        self.0.fetch_add(seconds(by), Ordering::SeqCst);
    }
}

impl Clock for ShiftedClock {
    fn now(&self) -> i64 {
        SystemClock.now() + self.0.load(Ordering::SeqCst)
    }
}

fn seconds(duration: Duration) -> i64 {
    i64::try_from(duration.as_secs()).expect("a short step")
}
