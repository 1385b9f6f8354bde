//! Key derivation as Auth.js does it, RFC 7638 key ids, and the per-salt key cache.
//!
//! Every cookie that holds a JWE has its own key: HKDF-SHA-256 over the secret's UTF-8 bytes,
//! salted with the cookie's name. Derivation costs a few microseconds, so each (secret, salt)
//! pair is derived once and kept in a [`KeySet`]; a request only looks keys up.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, RwLock};

use base64_simd::URL_SAFE_NO_PAD;
use hkdf::Hkdf;
use sha2::{Digest as _, Sha256, Sha512};
use zeroize::Zeroizing;

use crate::cbc_hs512::CbcHs512Cipher;
use crate::secret::{Secret, Secrets};

/// Length of an A256CBC-HS512 key: 32 bytes of MAC key, then 32 bytes of AES key.
pub(crate) const CBC_HS512_KEY_LEN: usize = 64;
/// Length of an A256GCM key, the first 32 bytes of the same HKDF output.
pub(crate) const GCM_KEY_LEN: usize = 32;

/// Derives the 64-byte content-encryption key Auth.js uses for `salt` (a cookie name).
///
/// HKDF-SHA-256, input key material the secret's UTF-8 bytes (not base64-decoded), salt the
/// cookie name, info `Auth.js Generated Encryption Key (<salt>)`. The A256GCM key is the 32-byte
/// prefix of this output, since HKDF output is a prefix-stable stream.
pub(crate) fn derive_encryption_key(
    secret: &Secret,
    salt: &str,
) -> Zeroizing<[u8; CBC_HS512_KEY_LEN]> {
    let info = format!("Auth.js Generated Encryption Key ({salt})");
    let mut key = Zeroizing::new([0u8; CBC_HS512_KEY_LEN]);
    #[allow(
        clippy::expect_used,
        reason = "HKDF-SHA-256 expands up to 255 * 32 bytes; 64 is always within range"
    )]
    hkdf_sha256(
        secret.expose().as_bytes(),
        salt.as_bytes(),
        info.as_bytes(),
        key.as_mut_slice(),
    )
    .expect("64 bytes is within HKDF-SHA-256's output limit");
    key
}

/// HKDF-SHA-256 (RFC 5869) of `ikm` with `salt` and `info`, filling `okm`; `None` when `okm`
/// is longer than HKDF-SHA-256 can expand (255 * 32 bytes).
fn hkdf_sha256(ikm: &[u8], salt: &[u8], info: &[u8], okm: &mut [u8]) -> Option<()> {
    Hkdf::<Sha256>::new(Some(salt), ikm).expand(info, okm).ok()
}

/// [`hkdf_sha256`] into `len` fresh bytes, for the standard vectors (RFC 5869, Wycheproof):
/// behind the internal `_test-internals` feature. Not public API.
#[cfg(feature = "_test-internals")]
#[doc(hidden)]
pub fn __hkdf_sha256_for_tests(
    ikm: &[u8],
    salt: &[u8],
    info: &[u8],
    len: usize,
) -> Option<Vec<u8>> {
    let mut okm = vec![0u8; len];
    hkdf_sha256(ikm, salt, info, &mut okm).map(|()| okm)
}

/// The RFC 7638 thumbprint of the symmetric JWK `{"k":…,"kty":"oct"}`, base64url, as Auth.js
/// puts it in the `kid` header: SHA-512 for a 64-byte key, SHA-256 for a 32-byte key.
pub(crate) fn key_id(key: &[u8]) -> String {
    // The canonical JWK has its members in lexicographic order and no white space.
    let jwk = format!(
        r#"{{"k":"{}","kty":"oct"}}"#,
        URL_SAFE_NO_PAD.encode_to_string(key)
    );
    let digest: Vec<u8> = if key.len() == CBC_HS512_KEY_LEN {
        Sha512::digest(jwk.as_bytes()).to_vec()
    } else {
        Sha256::digest(jwk.as_bytes()).to_vec()
    };
    URL_SAFE_NO_PAD.encode_to_string(digest)
}

/// One secret's key for one salt, with its key ids and the protected header that names it.
pub struct DerivedKey {
    key: Zeroizing<[u8; CBC_HS512_KEY_LEN]>,
    kid: String,
    gcm_kid: String,
    /// `{"alg":"dir","enc":"A256CBC-HS512","kid":…}`, base64url: the first part of every
    /// token this key encodes, computed once.
    encoded_header: String,
    /// The A256CBC-HS512 key set up for use (HMAC pads and this key's own header absorbed, AES
    /// key schedules).
    cbc: CbcHs512Cipher,
}

impl DerivedKey {
    /// Derives the key of `secret` for `salt`.
    pub fn derive(secret: &Secret, salt: &str) -> Self {
        let key = derive_encryption_key(secret, salt);
        let kid = key_id(key.as_slice());
        let gcm_kid = key_id(&key[..GCM_KEY_LEN]);
        let header = format!(r#"{{"alg":"dir","enc":"A256CBC-HS512","kid":"{kid}"}}"#);
        let encoded_header = URL_SAFE_NO_PAD.encode_to_string(header);
        Self {
            cbc: CbcHs512Cipher::new(&key, &encoded_header),
            encoded_header,
            key,
            kid,
            gcm_kid,
        }
    }

    /// The A256CBC-HS512 key, set up once.
    pub(crate) fn cbc_hs512(&self) -> &CbcHs512Cipher {
        &self.cbc
    }

    /// The 32-byte A256GCM key.
    pub(crate) fn gcm_key(&self) -> &[u8] {
        &self.key[..GCM_KEY_LEN]
    }

    /// The `kid` of the A256CBC-HS512 key.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The `kid` Auth.js would give the A256GCM key.
    pub fn gcm_kid(&self) -> &str {
        &self.gcm_kid
    }

    pub(crate) fn encoded_header(&self) -> &str {
        &self.encoded_header
    }

    /// The key bytes, hex-encoded, for known-answer tests only: behind the internal
    /// `_test-internals` feature, never in an application's build.
    #[cfg(any(test, feature = "_test-internals"))]
    #[doc(hidden)]
    pub fn __key_hex_for_tests(&self) -> String {
        self.key.iter().map(|byte| format!("{byte:02x}")).collect()
    }
}

impl fmt::Debug for DerivedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DerivedKey")
            .field("key", &"[redacted]")
            .field("kid", &self.kid)
            .finish()
    }
}

/// The keys of every configured secret for one salt, newest first: the first encodes, and
/// decoding picks the key whose `kid` matches.
#[derive(Debug)]
pub struct KeySet {
    salt: String,
    keys: Vec<DerivedKey>,
}

impl KeySet {
    /// Derives every secret's key for `salt`.
    pub fn derive(secrets: &Secrets, salt: &str) -> Self {
        Self {
            salt: salt.to_owned(),
            keys: secrets
                .iter()
                .map(|secret| DerivedKey::derive(secret, salt))
                .collect(),
        }
    }

    /// The salt (cookie name) these keys belong to.
    pub fn salt(&self) -> &str {
        &self.salt
    }

    /// The key that encodes: the newest secret's.
    pub fn encoding_key(&self) -> &DerivedKey {
        // `Secrets` is never empty, so neither is `keys`.
        &self.keys[0]
    }

    /// All keys, newest first.
    pub fn keys(&self) -> &[DerivedKey] {
        &self.keys
    }

    /// The key whose own protected header is exactly `encoded` (base64url, as in a token):
    /// the fast path of decoding, which then needs no header parsing. Headers are public, so
    /// the comparison need not be constant-time.
    pub(crate) fn key_for_encoded_header(&self, encoded: &str) -> Option<&DerivedKey> {
        self.keys
            .iter()
            .find(|key| key.encoded_header.as_bytes() == encoded.as_bytes())
    }

    /// The key for a token's header: the one whose `kid` matches, or, for a token without a
    /// `kid`, the newest only. Never "try them all".
    pub(crate) fn decoding_key(&self, kid: Option<&str>, gcm: bool) -> Option<&DerivedKey> {
        match kid {
            None => self.keys.first(),
            Some(kid) => self.keys.iter().find(|key| {
                let own = if gcm { key.gcm_kid() } else { key.kid() };
                own == kid
            }),
        }
    }
}

/// A rotation list with its derived keys, cached per salt.
///
/// The session salt is usually fetched once at start-up and held as an `Arc<KeySet>`; other
/// salts (state, PKCE, nonce) are derived on first use and then served from the cache.
#[derive(Debug, Clone)]
pub struct Keyring {
    secrets: Secrets,
    by_salt: Arc<RwLock<HashMap<String, Arc<KeySet>>>>,
}

impl Keyring {
    /// A keyring for these secrets, with an empty cache.
    pub fn new(secrets: Secrets) -> Self {
        Self {
            secrets,
            by_salt: Arc::default(),
        }
    }

    /// The secrets this keyring derives from.
    pub fn secrets(&self) -> &Secrets {
        &self.secrets
    }

    /// The keys for `salt`, derived on first use.
    pub fn keys_for(&self, salt: &str) -> Arc<KeySet> {
        if let Ok(cache) = self.by_salt.read()
            && let Some(keys) = cache.get(salt)
        {
            return Arc::clone(keys);
        }
        let keys = Arc::new(KeySet::derive(&self.secrets, salt));
        // A poisoned lock only means another thread panicked mid-insert; the map itself is
        // still sound, so keep using it.
        let mut cache = self
            .by_salt
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Arc::clone(cache.entry(salt.to_owned()).or_insert(keys))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "test-secret-0123456789abcdef0123456789abcdef";

    #[test]
    fn key_and_kid_match_the_wire_document() {
        let secret = Secret::new(SECRET).unwrap();
        let key = DerivedKey::derive(&secret, "authjs.session-token");
        assert_eq!(
            key.__key_hex_for_tests(),
            "adeb8f2f94d0972e809e94b4c67445eb50dd61c053446cc33ef1c255a2b1bd59\
             40439b6a439c1f27310c605eaa3d00a81f98365e50bb5a4df03ecce855b38eb7"
        );
        assert_eq!(
            key.kid(),
            "9E7QXx4DCQ1ODqnrsoJeKyBiTUQhXJZzsEevLBH8Ch2o_Dej27OxcC5EbbMLOFh0bG_9QnoIET15bVhi-d6szA"
        );
    }

    #[test]
    fn keyring_derives_each_salt_once() {
        let keyring = Keyring::new(Secrets::new([SECRET]).unwrap());
        let first = keyring.keys_for("authjs.state");
        let second = keyring.keys_for("authjs.state");
        assert!(Arc::ptr_eq(&first, &second));
        assert!(!Arc::ptr_eq(&first, &keyring.keys_for("authjs.nonce")));
    }

    #[test]
    fn kidless_tokens_only_try_the_newest_key() {
        let secrets = Secrets::new([SECRET, "older-secret-0123456789abcdef0123456789"]).unwrap();
        let keys = KeySet::derive(&secrets, "authjs.session-token");
        let newest = keys.decoding_key(None, false).map(DerivedKey::kid);
        assert_eq!(newest, Some(keys.keys()[0].kid()));
        let older_kid = keys.keys()[1].kid().to_owned();
        assert_eq!(
            keys.decoding_key(Some(&older_kid), false)
                .map(DerivedKey::kid),
            Some(older_kid.as_str())
        );
        assert!(keys.decoding_key(Some("unknown"), false).is_none());
    }
}
