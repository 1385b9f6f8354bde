//! [`RedisUpdates`]: the update log on Redis, one key per user, `{prefix}upd:{subject}`,
//! holding `{at}:{sealed}` (the update's time, then the sealed token) with the log's time to
//! live. A later update replaces it (`SET PX`); reading it is one `GET`.

use std::time::Duration;

use super::connection::RedisConnection;
use super::keys::ttl_ms;
use crate::store::{RecordedUpdate, StoreError, StoreFuture, UpdateLog};

/// Accepted updates recorded on Redis.
pub(super) struct RedisUpdates {
    connection: RedisConnection,
}

impl RedisUpdates {
    pub(super) fn new(connection: RedisConnection) -> Self {
        Self { connection }
    }
}

impl UpdateLog for RedisUpdates {
    fn record<'a>(
        &'a self,
        subject: &'a str,
        update: RecordedUpdate,
        ttl: Duration,
    ) -> StoreFuture<'a, ()> {
        let mut set = redis::cmd("SET");
        set.arg(self.connection.keys().update(subject))
            .arg(format!("{}:{}", update.at, update.sealed))
            .arg("PX")
            .arg(ttl_ms(ttl));
        Box::pin(async move {
            let _: String = self.connection.query(&set).await?;
            Ok(())
        })
    }

    fn latest<'a>(&'a self, subject: &'a str) -> StoreFuture<'a, Option<RecordedUpdate>> {
        let mut get = redis::cmd("GET");
        get.arg(self.connection.keys().update(subject));
        Box::pin(async move {
            let value: Option<String> = self.connection.query(&get).await?;
            value.as_deref().map(read_update).transpose()
        })
    }
}

/// Reads `{at}:{sealed}`.
fn read_update(value: &str) -> Result<RecordedUpdate, StoreError> {
    let corrupt = StoreError::Corrupt("an update record is not `{at}:{sealed}`");
    let (at, sealed) = value.split_once(':').ok_or(corrupt.clone())?;
    let at = at.parse::<i64>().map_err(|_| corrupt.clone())?;
    if sealed.is_empty() {
        return Err(corrupt);
    }
    Ok(RecordedUpdate {
        at,
        sealed: sealed.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_record_is_its_time_then_the_sealed_token() {
        let update = read_update("1767225600:eyJhbGciOiJkaXIi..x.y.z").unwrap();
        assert_eq!(update.at, 1_767_225_600);
        assert_eq!(update.sealed, "eyJhbGciOiJkaXIi..x.y.z");
        assert_eq!(read_update("-5:a:b").unwrap().sealed, "a:b");
        for bad in ["", "1767225600", "soon:token", ":token", "17:", "1.5:token"] {
            assert!(
                matches!(read_update(bad), Err(StoreError::Corrupt(_))),
                "{bad}"
            );
        }
    }
}
