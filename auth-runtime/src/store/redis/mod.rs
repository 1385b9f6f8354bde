//! Shared state on Redis: [`RedisStore`] and the adapters it hands out, one file per kind of
//! record, each over the bounded calls of `connection.rs` and the key names of `keys.rs`.

mod connection;
mod keys;
mod leases;
mod limiter;
mod revocations;
mod store;
mod updates;

pub use store::RedisStore;
