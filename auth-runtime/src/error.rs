//! The one error type of the runtime.
//!
//! Variants say what went wrong precisely enough for logs and for the `auth-token` tool, but
//! never carry a secret, a key or the token itself. HTTP responses must not expose which step
//! failed: the route layer turns every token error into "signed out".

use std::time::Duration;

use auth_rules::Refusal;
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
    /// A secret read from the environment is too weak to use.
    #[error("invalid configuration: {variable} is unusable: {reason}")]
    UnusableSecretVariable {
        /// The environment variable holding it.
        variable: &'static str,
        /// What is wrong with it; never the secret itself.
        reason: &'static str,
    },
    /// An environment variable is set but not valid UTF-8.
    #[error("invalid configuration: {variable} is not valid UTF-8")]
    NotUnicode {
        /// The environment variable.
        variable: &'static str,
    },
    /// A configured URL (the public URL, a redirect origin) is not one the runtime accepts.
    #[error("invalid configuration: `{url}` {reason}")]
    InvalidUrl {
        /// The URL as configured.
        url: String,
        /// What is wrong with it, as a clause (`must not have a query or fragment`).
        reason: &'static str,
    },
    /// The public URL is plain http on a host other than loopback.
    #[error(
        "invalid configuration: the public URL `{url}` is plain http on a host other than \
         loopback: session cookies would travel unencrypted; use https (or \
         allow_insecure_http() on a closed test network)"
    )]
    InsecurePublicUrl {
        /// The public URL.
        url: String,
    },
    /// The public URL has a path other than `/` or the base path.
    #[error(
        "invalid configuration: the public URL `{url}` may have no path other than the base \
         path `{base_path}`"
    )]
    PublicUrlPath {
        /// The public URL.
        url: String,
        /// The schema's base path.
        base_path: String,
    },
    /// The schema's base path breaks the base-path rule.
    #[error("invalid configuration: the base path `{path}`: {reason}")]
    InvalidBasePath {
        /// The base path.
        path: String,
        /// The rule it breaks.
        reason: Refusal,
    },
    /// A provider id breaks the provider-id rule.
    #[error("invalid configuration: the provider id `{id}`: {reason}")]
    InvalidProviderId {
        /// The provider id.
        id: String,
        /// The rule it breaks.
        reason: Refusal,
    },
    /// Two providers have the same id.
    #[error("invalid configuration: two providers have the id `{id}`")]
    DuplicateProviderId {
        /// The id given twice.
        id: String,
    },
    /// A custom page is not a path on this site outside the base path.
    #[error("invalid configuration: the custom {page} page `{path}`: {reason}")]
    InvalidPage {
        /// Which page: `sign_in`, `sign_out` or `error`.
        page: &'static str,
        /// The page's path as configured.
        path: String,
        /// The rule it breaks.
        reason: Refusal,
    },
    /// The session's `max_age` or `update_age` is out of range.
    #[error("invalid configuration: the session {setting} of {}s: {reason}", .value.as_secs())]
    InvalidSessionAge {
        /// Which setting: `max_age` or `update_age`.
        setting: &'static str,
        /// The configured value.
        value: Duration,
        /// The rule it breaks.
        reason: Refusal,
    },
    /// A rate limit does not parse or allows nothing.
    #[error("invalid configuration: the rate limit `{limit}`: {reason}")]
    InvalidRateLimit {
        /// The rate limit as written (`"5 per 15m"`), or as configured.
        limit: String,
        /// The rule it breaks.
        reason: Refusal,
    },
    /// A stored password hash is not a PHC string argon2 reads.
    #[error("invalid configuration: invalid password hash: {0}")]
    InvalidPasswordHash(String),
    /// Hashing a password failed or was cancelled.
    #[error("password hashing failed: {0}")]
    PasswordHashing(String),

    // --- bearer tokens: found at start-up ---
    /// The schema declares bearer tokens (`tokens(bearer(...))`) and no key was given.
    #[error(
        "invalid configuration: bearer tokens are declared but no key is configured: set \
         {variable} (PEM blocks or a JWK set, the signing key first)"
    )]
    MissingBearerKeys {
        /// The environment variable (or setting) that should hold them.
        variable: &'static str,
    },
    /// A bearer key is unusable.
    #[error("invalid configuration: {variable}: key #{index} is unusable: {reason}")]
    InvalidBearerKey {
        /// The environment variable (or setting) holding it.
        variable: &'static str,
        /// Its position, 0 for the first (the signing key).
        index: usize,
        /// What is wrong with it; never the key itself.
        reason: &'static str,
    },
    /// A `tokens(bearer(...))` setting breaks its rule.
    #[error("invalid configuration: the bearer token {setting}: {reason}")]
    InvalidBearerSetting {
        /// Which setting: `ttl` or `audience`.
        setting: &'static str,
        /// The rule it breaks.
        reason: Refusal,
    },
    /// The first bearer key cannot sign with the configured algorithm.
    #[error("invalid configuration: bearer tokens: {reason}")]
    BearerSigningKey {
        /// What is wrong.
        reason: &'static str,
    },

    // --- the shared store: found at start-up ---
    /// The Redis URL (`AUTH_REDIS_URL`) is not one this build can use.
    #[error("invalid configuration: the Redis URL (AUTH_REDIS_URL) {reason}")]
    InvalidRedisUrl {
        /// What is wrong with it, as a clause (`is not a redis:// URL`); never the URL, which
        /// may carry a password.
        reason: &'static str,
    },
    /// The shared store did not answer at start-up (`AUTH_REDIS_URL`).
    #[error("the shared store at {address} (AUTH_REDIS_URL) is unavailable at start-up: {reason}")]
    StoreUnavailable {
        /// Where it was looked for: `host:port`, or a socket's path; never a password.
        address: String,
        /// What kind of failure it was (`connection refused`, `authentication failed`).
        reason: String,
    },

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
    /// A signed token's signature does not verify under the key its `kid` names.
    #[error("invalid signature: the token was altered or signed with another key")]
    InvalidSignature,
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

    // --- OpenID Connect providers ---
    /// A provider's variable is missing: `AUTH_<ID>_ID`, `AUTH_<ID>_SECRET` or
    /// `AUTH_<ID>_ISSUER`.
    #[error("invalid configuration: the provider `{provider}` needs {variable}")]
    MissingProviderVariable {
        /// The provider id.
        provider: String,
        /// The missing variable.
        variable: String,
    },
    /// A provider variable is not valid UTF-8.
    #[error("invalid configuration: {variable} is not valid UTF-8")]
    NotUnicodeProviderVariable {
        /// The variable.
        variable: String,
    },
    /// A provider's discovery failed at start-up, or its issuer or endpoints are unusable.
    #[error("invalid configuration: the OAuth provider `{provider}`: {reason}")]
    OidcDiscovery {
        /// The provider id.
        provider: String,
        /// What was wrong.
        reason: &'static str,
    },
    /// An OAuth or OpenID Connect provider is configured, so the configuration must be built
    /// with [`AuthBuilder::build_async`](crate::AuthBuilder::build_async), which discovers it.
    #[error("the OAuth provider `{provider}` is configured: build with `build_async`")]
    DiscoveryNeeded {
        /// The provider id.
        provider: String,
    },

    // --- shared state and revocation ---
    /// `AUTH_REDIS_URL` is set, but this build has no Redis client (auth-runtime's `redis`
    /// feature), or the configuration was built with `build` rather than `build_async`,
    /// which connects.
    #[error("invalid configuration: {variable} is set, but {reason}")]
    SharedStoreNotAvailable {
        /// The variable.
        variable: &'static str,
        /// Why it cannot be used.
        reason: &'static str,
    },
    /// Revocation was turned on for a token type that keeps no session id
    /// ([`TokenClaims::SESSION_IDS`](crate::TokenClaims::SESSION_IDS)).
    #[error(
        "invalid configuration: revocation needs a token type that keeps a session id \
         (the one `#[auth_config]` generates does)"
    )]
    RevocationUnsupported,
    /// A revocation was asked for, but revocation is off ([`AuthBuilder::revocation`]).
    ///
    /// [`AuthBuilder::revocation`]: crate::AuthBuilder::revocation
    #[error("revocation is off: turn it on with `AuthBuilder::revocation`")]
    RevocationOff,
    /// The shared store did not answer a call that cannot go on without it.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),

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
                | Self::InvalidSignature
                | Self::DecryptionFailed
                | Self::InvalidClaims(_)
                | Self::Expired { .. }
                | Self::NotYetValid { .. }
                | Self::MalformedCookie(_)
        )
    }
}
