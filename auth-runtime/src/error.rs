//! The one error type of the runtime.
//!
//! Variants say what went wrong precisely enough for logs and for the `auth-token` tool, but
//! never carry a secret, a key or the token itself. HTTP responses must not expose which step
//! failed: the route layer turns every token error into "signed out".

use thiserror::Error;

/// Everything that can go wrong in the runtime.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthError {
    // --- configuration: found at start-up ---
    /// No secret was configured.
    #[error("no secret configured: set {variable}")]
    MissingSecret {
        /// The environment variable (or setting) that should hold it.
        variable: &'static str,
    },
    /// A configured secret is too weak to use.
    #[error("secret #{index} is unusable: {reason}")]
    WeakSecret {
        /// Position in the rotation list, 0 for the newest.
        index: usize,
        /// What is wrong with it; never the secret itself.
        reason: &'static str,
    },
    /// Some other setting is invalid.
    #[error("invalid configuration: {0}")]
    Configuration(String),

    // --- token decoding: the request is treated as signed out ---
    /// The token is not a five-part compact JWE of base64url parts, or is too long.
    #[error("malformed token: {0}")]
    MalformedToken(&'static str),
    /// The protected header is not one we accept (`alg` other than `dir`, unknown `enc`,
    /// `zip`, `crit`, unknown or duplicate members).
    #[error("unsupported protected header: {0}")]
    UnsupportedHeader(String),
    /// No configured secret matches the token's `kid`.
    #[error("wrong key: no configured secret matches the token's kid")]
    UnknownKey,
    /// The authentication tag does not verify: tampered, or made with another key.
    #[error("tag mismatch: the token was altered or made with another key")]
    TagMismatch,
    /// The tag verified but the ciphertext does not decrypt (bad padding).
    #[error("decryption failed")]
    DecryptionFailed,
    /// The plaintext is not a JSON object of acceptable claims.
    #[error("invalid claims: {0}")]
    InvalidClaims(String),
    /// The token expired.
    #[error("expired at {exp} (unix seconds)")]
    Expired {
        /// The token's `exp` claim.
        exp: i64,
    },
    /// The token is not valid yet (`nbf` or `iat` in the future beyond the tolerance).
    #[error("not valid before {not_before} (unix seconds)")]
    NotYetValid {
        /// The instant from which it would be accepted.
        not_before: i64,
    },

    // --- cookies ---
    /// The session cookie chunks do not form one token (missing, duplicate or stray chunks).
    #[error("malformed session cookie: {0}")]
    MalformedCookie(&'static str),
    /// A token is too large to store in the allowed number of cookie chunks.
    #[error("token of {len} characters needs more than {max_chunks} cookie chunks")]
    TokenTooLarge {
        /// Length of the token in characters.
        len: usize,
        /// The configured chunk cap.
        max_chunks: usize,
    },

    /// Claims could not be serialised.
    #[error("claims could not be serialised: {0}")]
    Serialization(String),
}

impl AuthError {
    /// Whether this error comes from an unusable token or cookie (the request is then signed
    /// out), rather than from configuration.
    pub fn is_bad_token(&self) -> bool {
        matches!(
            self,
            Self::MalformedToken(_)
                | Self::UnsupportedHeader(_)
                | Self::UnknownKey
                | Self::TagMismatch
                | Self::DecryptionFailed
                | Self::InvalidClaims(_)
                | Self::Expired { .. }
                | Self::NotYetValid { .. }
                | Self::MalformedCookie(_)
        )
    }
}
