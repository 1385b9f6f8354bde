//! Helpers shared by the integration tests: the Node peers they run against.
#![allow(
    dead_code,
    reason = "each test binary uses a different part of this module"
)]

pub(crate) mod node;
