//! The answer of `GET <base>/jwks`: the public keys as a JWK set, written once.

use super::keys::BearerKeys;

/// How long a client may keep the key set: an hour, so that a rotated-in key is fetched
/// within the hour (keep an old key listed that long after it stops signing).
pub const JWKS_MAX_AGE_SECONDS: u64 = 3600;

/// The key set's JSON text: every public key, never a secret or a private member.
pub fn jwks_json(keys: &BearerKeys) -> String {
    keys.jwks().to_string()
}
