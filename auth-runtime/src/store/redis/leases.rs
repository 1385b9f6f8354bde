//! [`RedisLeases`]: the leases of provider refreshes on Redis. The lease on a refresh token is
//! `{prefix}lease:{hex}` taken with `SET NX PX`; its outcome is `{prefix}flight:{hex}`,
//! published together with the lease's release in one `MULTI`/`EXEC`, so that nobody sees the
//! lease gone and no outcome. `{hex}` is the hex of the [`FlightKey`], a hash.

use std::time::Duration;

use super::connection::RedisConnection;
use super::keys::ttl_ms;
use crate::oauth::FlightKey;
use crate::store::{RefreshLeases, StoreFuture};

/// Refresh leases and their outcomes on Redis.
pub(super) struct RedisLeases {
    connection: RedisConnection,
}

impl RedisLeases {
    pub(super) fn new(connection: RedisConnection) -> Self {
        Self { connection }
    }
}

impl RefreshLeases for RedisLeases {
    fn try_lead<'a>(&'a self, key: &'a FlightKey, ttl: Duration) -> StoreFuture<'a, bool> {
        let mut set = redis::cmd("SET");
        set.arg(self.connection.keys().lease(key))
            .arg("1")
            .arg("NX")
            .arg("PX")
            .arg(ttl_ms(ttl));
        Box::pin(async move {
            // `OK` when taken, nil when someone holds it.
            let taken: Option<String> = self.connection.query(&set).await?;
            Ok(taken.is_some())
        })
    }

    fn publish<'a>(
        &'a self,
        key: &'a FlightKey,
        sealed: String,
        ttl: Duration,
    ) -> StoreFuture<'a, ()> {
        let keys = self.connection.keys();
        let mut transaction = redis::pipe();
        transaction
            .atomic()
            .cmd("SET")
            .arg(keys.flight(key))
            .arg(sealed)
            .arg("PX")
            .arg(ttl_ms(ttl))
            .ignore()
            .cmd("DEL")
            .arg(keys.lease(key))
            .ignore();
        Box::pin(async move { self.connection.query_pipeline(&transaction).await })
    }

    fn outcome<'a>(&'a self, key: &'a FlightKey) -> StoreFuture<'a, Option<String>> {
        let mut get = redis::cmd("GET");
        get.arg(self.connection.keys().flight(key));
        Box::pin(async move { self.connection.query(&get).await })
    }

    fn is_leased<'a>(&'a self, key: &'a FlightKey) -> StoreFuture<'a, bool> {
        let mut exists = redis::cmd("EXISTS");
        exists.arg(self.connection.keys().lease(key));
        Box::pin(async move {
            let count: u64 = self.connection.query(&exists).await?;
            Ok(count > 0)
        })
    }
}
