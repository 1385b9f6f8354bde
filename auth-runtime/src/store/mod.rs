//! Shared state: what several instances of one app must agree on, behind four narrow traits.
//!
//! Sessions are stateless (an encrypted cookie), so any number of instances share them by
//! sharing `AUTH_SECRET`. Four things are state: the sign-in rate limit
//! ([`SignInLimiter`](crate::SignInLimiter), in `rate_limit.rs`), the update-race record
//! ([`UpdateLog`]), the single flight of provider refreshes ([`RefreshLeases`]) and
//! revocation ([`Revocations`]). Each is a small trait of async calls that may fail with a
//! [`StoreError`]; a [`SharedStore`] hands out all four from one backend.
//!
//! Without a shared store every record lives in this process (the default: nothing to
//! start). With one (`AUTH_REDIS_URL`, or [`AuthBuilder::shared_store`]), every instance reads
//! and writes the same records; the in-process records stay in front of it where they save a
//! round trip without changing an answer.
//!
//! What goes into a store is never a secret in the clear: tokens and refresh outcomes are
//! sealed (encrypted with a key derived from `AUTH_SECRET`) by the runtime before a store
//! sees them, and keys name users by their `sub` and sessions by their random `sid`.
//!
//! [`AuthBuilder::shared_store`]: crate::AuthBuilder::shared_store

mod error;
mod leases;
#[cfg(feature = "redis")]
mod redis;
mod revocations;
mod shared;
mod updates;

pub use error::{STORE_TIMEOUT, StoreError, StoreFuture};
pub use leases::RefreshLeases;
#[cfg(feature = "redis")]
pub use redis::RedisStore;
pub use revocations::{MemoryRevocations, Revocations, SessionStanding};
pub use shared::{REDIS_PREFIX_VARIABLE, REDIS_URL_VARIABLE, SharedStore};
pub use updates::{RecordedUpdate, UpdateLog};
