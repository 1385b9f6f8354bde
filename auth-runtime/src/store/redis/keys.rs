//! The keys the Redis store writes: their names (the store's prefix, the kind of record, its
//! id) and their lifetimes. Every key begins with the prefix, so that several apps share one
//! Redis and one app's records are found (or flushed) by the prefix alone; every key is
//! written with a time to live, so that none outlives its use.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::oauth::FlightKey;

/// The prefix of every key when none is configured.
pub(super) const DEFAULT_PREFIX: &str = "authjs:";

/// Builds the keys of one store's records.
#[derive(Clone)]
pub(super) struct Keys {
    prefix: Arc<str>,
}

impl Keys {
    /// Keys under `prefix`.
    pub(super) fn new(prefix: &str) -> Self {
        Self {
            prefix: Arc::from(prefix),
        }
    }

    /// The prefix every key begins with.
    pub(super) fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The sorted set of a rate-limit key's failure times: `{prefix}rl:{key}`.
    pub(super) fn rate_limit(&self, key: &str) -> String {
        self.key("rl:", key)
    }

    /// The latest update of a user: `{prefix}upd:{subject}`.
    pub(super) fn update(&self, subject: &str) -> String {
        self.key("upd:", subject)
    }

    /// The lease on a refresh token: `{prefix}lease:{hex of the flight key}`.
    pub(super) fn lease(&self, key: &FlightKey) -> String {
        self.key("lease:", &hex(key.as_bytes()))
    }

    /// The published outcome of a refresh: `{prefix}flight:{hex of the flight key}`.
    pub(super) fn flight(&self, key: &FlightKey) -> String {
        self.key("flight:", &hex(key.as_bytes()))
    }

    /// A revoked session: `{prefix}rev:{sid}`.
    pub(super) fn revoked(&self, sid: &str) -> String {
        self.key("rev:", sid)
    }

    /// A user's session generation: `{prefix}gen:{subject}`.
    pub(super) fn generation(&self, subject: &str) -> String {
        self.key("gen:", subject)
    }

    fn key(&self, kind: &str, id: &str) -> String {
        let mut key = String::with_capacity(self.prefix.len() + kind.len() + id.len());
        key.push_str(&self.prefix);
        key.push_str(kind);
        key.push_str(id);
        key
    }
}

impl fmt::Debug for Keys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.prefix, f)
    }
}

/// The longest time to live written, 100 years: Redis refuses an expiry time past its clock's
/// range, and no record is kept that long.
const MAX_TTL_MS: u64 = 100 * 365 * 86_400 * 1000;

/// `ttl` in whole milliseconds for `PX`/`PEXPIRE`, rounded up, at least 1 (Redis refuses 0):
/// a record written with a zero `ttl` lives one millisecond.
pub(super) fn ttl_ms(ttl: Duration) -> u64 {
    let ms = ttl.as_nanos().div_ceil(1_000_000);
    u64::try_from(ms).unwrap_or(u64::MAX).clamp(1, MAX_TTL_MS)
}

/// Lower-case hexadecimal.
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_begins_with_the_prefix_then_its_kind() {
        let keys = Keys::new("app1:");
        assert_eq!(
            keys.rate_limit("id:login:alice@x"),
            "app1:rl:id:login:alice@x"
        );
        assert_eq!(keys.update("alice"), "app1:upd:alice");
        assert_eq!(keys.revoked("s-1"), "app1:rev:s-1");
        assert_eq!(keys.generation("alice"), "app1:gen:alice");
        assert_eq!(Keys::new(DEFAULT_PREFIX).update("u"), "authjs:upd:u");
    }

    #[test]
    fn flight_keys_are_named_by_the_hex_of_their_bytes() {
        let keys = Keys::new("p:");
        let flight = FlightKey::new("oidc", "refresh-token");
        let hex = hex(flight.as_bytes());
        assert_eq!(hex.len(), 64);
        assert!(
            hex.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
        assert_eq!(keys.lease(&flight), format!("p:lease:{hex}"));
        assert_eq!(keys.flight(&flight), format!("p:flight:{hex}"));
        assert!(!keys.lease(&flight).contains("refresh-token"));
    }

    #[test]
    fn times_to_live_round_up_to_whole_milliseconds_never_zero() {
        assert_eq!(ttl_ms(Duration::ZERO), 1);
        assert_eq!(ttl_ms(Duration::from_micros(1)), 1);
        assert_eq!(ttl_ms(Duration::from_micros(1_500)), 2);
        assert_eq!(ttl_ms(Duration::from_secs(900)), 900_000);
        assert_eq!(ttl_ms(Duration::MAX), MAX_TTL_MS);
    }

    #[test]
    fn hex_spells_each_byte_in_two_digits() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
        assert_eq!(hex(&[]), "");
    }
}
