//! Helpers shared by the integration tests: the Node peers they run against, a loopback
//! server with a cookie-keeping client, the differential suite's comparison of two servers'
//! answers, and a throwaway `redis-server`.
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
// One file for both packages' tests: auth-runtime's `tests/redis_store.rs` uses it too.
#[path = "../../auth-runtime/tests/support/redis_server.rs"]
pub(crate) mod redis_server;
pub(crate) mod session;
