//! CSRF double-submit tokens, as Auth.js makes them.
//!
//! The cookie holds `token|hash`, where `token` is 32 random bytes in lowercase hex and `hash`
//! is the lowercase hex SHA-256 of `token + secret`. With several secrets Auth.js hashes
//! `token + secrets.join(",")` (JavaScript's array-to-string), so we do too: a Next.js front
//! end and this service then accept each other's CSRF cookies. A POST is genuine when its
//! body's `csrfToken` equals the token of a cookie whose hash verifies.

use std::fmt;

use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq as _;
use zeroize::Zeroizing;

use crate::secret::Secrets;

/// Length of a CSRF token: 32 bytes in hex.
pub(crate) const CSRF_TOKEN_LEN: usize = 64;

/// A CSRF token. `Debug` does not print it.
///
/// No `PartialEq`: compare a submitted token with [`CsrfToken::matches_submitted`], in
/// constant time, never with `==`.
#[derive(Clone)]
pub struct CsrfToken(String);

impl CsrfToken {
    /// A fresh random token.
    pub fn generate() -> Self {
        let bytes: Zeroizing<[u8; 32]> = Zeroizing::new(rand::random());
        Self(hex(bytes.as_slice()))
    }

    /// The token, as sent to the client in `GET /csrf` and in forms.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The cookie value for this token: `token|hash` (percent-encoding happens when the
    /// cookie is rendered).
    pub fn cookie_value(&self, secrets: &Secrets) -> String {
        format!("{}|{}", self.0, csrf_hash(&self.0, secrets))
    }

    /// Reads a CSRF cookie value (percent-decoded) and returns its token when the hash
    /// verifies under `secrets`. A cookie that does not verify must be replaced.
    pub fn from_cookie_value(value: &str, secrets: &Secrets) -> Option<Self> {
        let (token, hash) = value.split_once('|')?;
        if token.len() != CSRF_TOKEN_LEN || hash.len() != CSRF_TOKEN_LEN {
            return None;
        }
        let expected = csrf_hash(token, secrets);
        bool::from(expected.as_bytes().ct_eq(hash.as_bytes())).then(|| Self(token.to_owned()))
    }

    /// Whether the token a client submitted equals this one, compared in constant time.
    pub fn matches_submitted(&self, submitted: &str) -> bool {
        // `ct_eq` on slices of different lengths is false without comparing contents; the
        // length of a CSRF token is public.
        bool::from(self.0.as_bytes().ct_eq(submitted.as_bytes()))
    }
}

impl fmt::Debug for CsrfToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CsrfToken([redacted])")
    }
}

/// Lowercase hex SHA-256 of `token` followed by the secrets joined with `,`.
fn csrf_hash(token: &str, secrets: &Secrets) -> String {
    let mut hasher = Sha256::new();
    hasher.update(token.as_bytes());
    for (index, secret) in secrets.iter().enumerate() {
        if index > 0 {
            hasher.update(b",");
        }
        hasher.update(secret.expose().as_bytes());
    }
    hex(&hasher.finalize())
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets() -> Secrets {
        Secrets::new(["k3J9vQ2mX7pL0sR4tY8wZ1aB5cD6eF0g"]).unwrap()
    }

    #[test]
    fn generated_cookie_verifies_and_tampering_does_not() {
        let secrets = secrets();
        let token = CsrfToken::generate();
        assert_eq!(token.as_str().len(), CSRF_TOKEN_LEN);
        let value = token.cookie_value(&secrets);
        assert_eq!(
            CsrfToken::from_cookie_value(&value, &secrets)
                .as_ref()
                .map(CsrfToken::as_str),
            Some(token.as_str())
        );
        let mut tampered = value.into_bytes();
        tampered[0] = if tampered[0] == b'a' { b'b' } else { b'a' };
        let tampered = String::from_utf8(tampered).unwrap_or_default();
        assert!(CsrfToken::from_cookie_value(&tampered, &secrets).is_none());
    }

    #[test]
    fn submitted_token_must_match_exactly() {
        let token = CsrfToken::generate();
        assert!(token.matches_submitted(token.as_str()));
        assert!(!token.matches_submitted(&token.as_str().to_uppercase()));
        assert!(!token.matches_submitted(&token.as_str()[1..]));
        assert!(!token.matches_submitted(""));
    }
}
