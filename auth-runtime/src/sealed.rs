//! [`Sealer`]: what the runtime puts into a shared store, encrypted.
//!
//! A store holds updated tokens and refresh outcomes, which carry claims and provider
//! tokens. Before a store sees one it is sealed as a JWE (the session token's format) under
//! a key derived from the secrets with its own salt, so a store's contents, its backups and
//! whoever reads its traffic learn nothing, and a value is accepted back only from an
//! instance holding the same secret. A sealed value carries its own expiry.

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::AuthError;
use crate::token::TokenCodec;

/// The key-derivation salt of sealed values: no cookie has this name, so no session token
/// opens as a sealed value, nor the other way round.
pub(crate) const SEALED_SALT: &str = "authjs.shared-state";

/// Seals and opens values for a shared store.
#[derive(Clone, Debug)]
pub(crate) struct Sealer {
    codec: TokenCodec,
}

/// The sealed form: the value under one member, beside the registered claims the codec adds.
#[derive(Serialize, Deserialize)]
struct Envelope<T> {
    v: T,
}

impl Sealer {
    /// A sealer on `codec` (its keys derived with [`SEALED_SALT`]).
    pub(crate) fn new(codec: TokenCodec) -> Self {
        Self { codec }
    }

    /// `value` sealed for `ttl`.
    pub(crate) fn seal<T: Serialize>(&self, value: &T, ttl: Duration) -> Result<String, AuthError> {
        let claims = match serde_json::to_value(Envelope { v: value }) {
            Ok(serde_json::Value::Object(claims)) => claims,
            Ok(_) => return Err(AuthError::Serialization("not an object".into())),
            Err(error) => return Err(AuthError::Serialization(error.to_string())),
        };
        self.codec.encode(claims, ttl)
    }

    /// The value sealed in `sealed`; `None` (logged) when it does not open: altered, expired,
    /// under another secret, or of another type.
    pub(crate) fn open<T: DeserializeOwned>(&self, sealed: &str) -> Option<T> {
        match self.codec.decode_as::<Envelope<T>>(sealed) {
            Ok((envelope, _)) => Some(envelope.v),
            Err(error) => {
                tracing::warn!(%error, "a value from the shared store did not open; ignored");
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::Keyring;
    use crate::secret::Secrets;

    fn sealer(secret: &str) -> Sealer {
        let keyring = Keyring::new(Secrets::new([secret]).unwrap());
        Sealer::new(TokenCodec::new(keyring.keys_for(SEALED_SALT)))
    }

    #[test]
    fn a_sealed_value_opens_only_under_its_secret() {
        let a = sealer("a-long-random-secret-of-at-least-32-bytes");
        let sealed = a.seal(&vec!["x", "y"], Duration::from_secs(60)).unwrap();
        assert!(!sealed.contains('x') || !sealed.contains("\"x\""));
        assert_eq!(
            a.open::<Vec<String>>(&sealed),
            Some(vec!["x".into(), "y".into()])
        );
        let b = sealer("another-long-random-secret-of-32-bytes!!");
        assert_eq!(b.open::<Vec<String>>(&sealed), None);
        assert_eq!(a.open::<Vec<String>>("not.a.token"), None);
    }
}
