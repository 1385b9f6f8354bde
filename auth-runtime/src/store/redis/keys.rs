//! The keys the Redis store writes: their names (the store's prefix, the kind of record, its
//! id) and their lifetimes. Every key begins with the prefix, so that several apps share one
//! Redis and one app's records are found (or flushed) by the prefix alone; every key is
//! written with a time to live, so that none outlives its use. Identifiers (rate-limit keys,
//! which hold the email tried; subjects; session ids) appear only as their SHA-256 in hex:
//! no personal data in key names, every key of one length whatever it names (`*`, spaces,
//! newlines or a kilobyte of text), and no two identifiers share a key (checklist ST-02).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use sha2::{Digest as _, Sha256};

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

    /// The sorted set of a rate-limit key's failure times: `{prefix}rl:{sha256 of key}`.
    pub(super) fn rate_limit(&self, key: &str) -> String {
        self.key("rl:", &hashed(key))
    }

    /// The latest update of a user: `{prefix}upd:{sha256 of subject}`.
    pub(super) fn update(&self, subject: &str) -> String {
        self.key("upd:", &hashed(subject))
    }

    /// The lease on a refresh token: `{prefix}lease:{hex of the flight key}`.
    pub(super) fn lease(&self, key: &FlightKey) -> String {
        self.key("lease:", &hex(key.as_bytes()))
    }

    /// The published outcome of a refresh: `{prefix}flight:{hex of the flight key}`.
    pub(super) fn flight(&self, key: &FlightKey) -> String {
        self.key("flight:", &hex(key.as_bytes()))
    }

    /// A revoked session: `{prefix}rev:{sha256 of sid}`.
    pub(super) fn revoked(&self, sid: &str) -> String {
        self.key("rev:", &hashed(sid))
    }

    /// A user's session generation: `{prefix}gen:{sha256 of subject}`.
    pub(super) fn generation(&self, subject: &str) -> String {
        self.key("gen:", &hashed(subject))
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

/// The SHA-256 of `id`, in lower-case hexadecimal.
fn hashed(id: &str) -> String {
    hex(&Sha256::digest(id.as_bytes()))
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
    fn every_key_begins_with_the_prefix_then_its_kind_then_a_hash() {
        let keys = Keys::new("app1:");
        // SHA-256("alice"), as `printf alice | sha256sum` prints it.
        let alice = "2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db186d6e90";
        assert_eq!(keys.update("alice"), format!("app1:upd:{alice}"));
        assert_eq!(keys.generation("alice"), format!("app1:gen:{alice}"));
        assert!(keys.rate_limit("id:login:alice@x").starts_with("app1:rl:"));
        assert!(keys.revoked("s-1").starts_with("app1:rev:"));
        assert!(
            Keys::new(DEFAULT_PREFIX)
                .update("u")
                .starts_with("authjs:upd:")
        );
    }

    /// ST-02: identifiers that would be awkward in a key name (glob characters, spaces,
    /// newlines, a kilobyte) become keys of one shape, none naming what it holds, and
    /// identifiers differing by one character get different keys.
    #[test]
    fn st_02_odd_identifiers_give_keys_of_one_shape_that_do_not_collide() {
        let keys = Keys::new("p:");
        let odd = [
            "*".to_owned(),
            "id:login:a*".to_owned(),
            "with space".to_owned(),
            "line\nbreak".to_owned(),
            "line\rbreak".to_owned(),
            "é".repeat(512),
            "alice@x".to_owned(),
            "alice@x ".to_owned(),
        ];
        let mut seen = std::collections::HashSet::new();
        for id in &odd {
            let key = keys.rate_limit(id);
            assert_eq!(key.len(), "p:rl:".len() + 64, "{key}");
            assert!(key["p:rl:".len()..].bytes().all(|b| b.is_ascii_hexdigit()));
            assert!(!key.contains('*') && !key.contains(' ') && !key.contains('@'));
            assert!(seen.insert(key), "two identifiers share a key");
        }
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
