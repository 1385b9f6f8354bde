//! [`RedisRevocations`]: revoked sessions and users' session generations on Redis, answering
//! as [`MemoryRevocations`](crate::MemoryRevocations) does.
//!
//! A revoked session is `{prefix}rev:{sha256 of sid}`; a user's generation is `{prefix}gen:{sha256 of subject}`,
//! moved by one script, atomic on the server, so that two instances ending the same user's
//! sessions at once both move it. Generations are milliseconds since the epoch, near 2^41:
//! the script never turns one into a Lua number (a double), but compares their decimal
//! strings and counts with `INCR`, so that every generation is kept exactly. A session's
//! standing is one `MGET` of both keys.

use std::sync::LazyLock;
use std::time::Duration;

use redis::Script;

use super::connection::{CORRUPT_CODE, RedisConnection};
use super::keys::ttl_ms;
use crate::store::{Revocations, SessionStanding, StoreError, StoreFuture};

/// KEYS[1] the user's generation; ARGV: `at_least` (decimal), the time to live in
/// milliseconds, the error code for a record that is not a generation. The new generation is
/// the larger of `at_least` and the current one (0 when there is none) plus one, answered as
/// Redis stored it (a string).
static END_SESSIONS: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
        local function is_generation(text)
            return text == '0' or string.match(text, '^[1-9]%d*$') ~= nil
        end
        -- Decimal strings without leading zeros: the longer is larger, else the first digit
        -- that differs decides (byte by byte: no locale, no doubles).
        local function is_larger(a, b)
            if #a ~= #b then
                return #a > #b
            end
            for i = 1, #a do
                local x, y = string.byte(a, i), string.byte(b, i)
                if x ~= y then
                    return x > y
                end
            end
            return false
        end
        local current = redis.call('GET', KEYS[1]) or '0'
        if not is_generation(current) then
            return redis.error_reply(ARGV[3] .. ' not a session generation')
        end
        if is_larger(ARGV[1], current) then
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        else
            redis.call('INCR', KEYS[1])
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
        end
        return redis.call('GET', KEYS[1])
        ",
    )
});

/// The largest generation Redis can count from.
const MAX_GENERATION: u64 = i64::MAX.unsigned_abs();

/// Revocations on Redis.
pub(super) struct RedisRevocations {
    connection: RedisConnection,
}

impl RedisRevocations {
    pub(super) fn new(connection: RedisConnection) -> Self {
        Self { connection }
    }
}

impl Revocations for RedisRevocations {
    fn revoke_session<'a>(&'a self, sid: &'a str, ttl: Duration) -> StoreFuture<'a, ()> {
        let mut set = redis::cmd("SET");
        set.arg(self.connection.keys().revoked(sid))
            .arg("1")
            .arg("PX")
            .arg(ttl_ms(ttl));
        Box::pin(async move {
            let _: String = self.connection.query(&set).await?;
            Ok(())
        })
    }

    fn end_sessions<'a>(
        &'a self,
        subject: &'a str,
        at_least: u64,
        ttl: Duration,
    ) -> StoreFuture<'a, u64> {
        // Redis counts (`INCR`) in signed 64 bits: no generation goes past `i64::MAX`
        // milliseconds, some 292 million years.
        let at_least = at_least.min(MAX_GENERATION);
        let mut invocation = END_SESSIONS.prepare_invoke();
        invocation
            .key(self.connection.keys().generation(subject))
            .arg(at_least.to_string())
            .arg(ttl_ms(ttl))
            .arg(CORRUPT_CODE);
        Box::pin(async move {
            let generation: String = self.connection.invoke(&invocation).await?;
            read_generation(&generation)
        })
    }

    fn standing<'a>(
        &'a self,
        sid: Option<&'a str>,
        subject: &'a str,
    ) -> StoreFuture<'a, SessionStanding> {
        let keys = self.connection.keys();
        let generation_key = keys.generation(subject);
        let read = match sid {
            Some(sid) => {
                let mut mget = redis::cmd("MGET");
                mget.arg(keys.revoked(sid)).arg(generation_key);
                mget
            }
            None => {
                let mut get = redis::cmd("GET");
                get.arg(generation_key);
                get
            }
        };
        Box::pin(async move {
            let (revoked, generation) = if sid.is_some() {
                let (revoked, generation): (Option<String>, Option<String>) =
                    self.connection.query(&read).await?;
                (revoked.is_some(), generation)
            } else {
                (false, self.connection.query(&read).await?)
            };
            let generation = generation.as_deref().map_or(Ok(0), read_generation)?;
            Ok(SessionStanding {
                revoked,
                generation,
            })
        })
    }
}

/// A generation as stored: decimal digits.
fn read_generation(text: &str) -> Result<u64, StoreError> {
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(StoreError::Corrupt("a session generation is not a number"));
    }
    text.parse()
        .map_err(|_| StoreError::Corrupt("a session generation is not a number"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generation_is_decimal_digits_only() {
        assert_eq!(read_generation("0").unwrap(), 0);
        assert_eq!(read_generation("1767225600123").unwrap(), 1_767_225_600_123);
        assert_eq!(read_generation("18446744073709551615").unwrap(), u64::MAX);
        for bad in ["", "-1", "+1", "1e12", "1.0", " 1", "18446744073709551616"] {
            assert!(read_generation(bad).is_err(), "{bad}");
        }
    }
}
