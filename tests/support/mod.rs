//! Helpers shared by the integration tests: the Node peers they run against, a loopback
//! server with a cookie-keeping client, and the differential suite's comparison of two
//! servers' answers.
#![allow(
    dead_code,
    reason = "each test binary uses a different part of this module"
)]

pub(crate) mod chromium;
pub(crate) mod clock;
pub(crate) mod demo;
pub(crate) mod differential;
pub(crate) mod github;
pub(crate) mod http;
pub(crate) mod logs;
pub(crate) mod node;
pub(crate) mod oauth_user;
pub(crate) mod oidc_op;
