//! Session tokens: claims in, JWE out, with the registered claims (`iat`, `exp`, `jti`) set on
//! every encode and checked on every decode against an injectable clock.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use zeroize::Zeroizing;

use crate::clock::{Clock, SystemClock};
use crate::cookies::{CHUNK_SIZE, MAX_CHUNKS};
use crate::error::AuthError;
use crate::json::{self, RegisteredShapes, Shape};
use crate::jwe;
use crate::keys::KeySet;

/// A token's claims, as a JSON object.
pub type Claims = Map<String, Value>;

/// How far `exp`, `nbf` and `iat` may be off, as in Auth.js.
pub const CLOCK_TOLERANCE: Duration = Duration::from_secs(15);

/// Auth.js's default session lifetime: 30 days.
pub const DEFAULT_MAX_AGE: Duration = Duration::from_secs(30 * 24 * 60 * 60);

/// The longest token accepted for decoding: as much as [`MAX_CHUNKS`] cookie chunks hold.
pub const MAX_TOKEN_LEN: usize = CHUNK_SIZE * MAX_CHUNKS;

/// Largest integer a JavaScript peer reads exactly (2^53 - 1).
const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// Encodes and decodes session tokens under one salt's keys.
#[derive(Clone)]
pub struct TokenCodec {
    keys: Arc<KeySet>,
    clock: Arc<dyn Clock>,
    max_token_len: usize,
}

impl fmt::Debug for TokenCodec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCodec")
            .field("salt", &self.keys.salt())
            .field("keys", &self.keys.keys().len())
            .field("max_token_len", &self.max_token_len)
            .finish_non_exhaustive()
    }
}

impl TokenCodec {
    /// A codec for these keys, on the system clock, accepting tokens up to [`MAX_TOKEN_LEN`].
    pub fn new(keys: Arc<KeySet>) -> Self {
        Self {
            keys,
            clock: Arc::new(SystemClock),
            max_token_len: MAX_TOKEN_LEN,
        }
    }

    /// Replaces the clock.
    #[must_use]
    pub fn with_clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Replaces the longest token accepted for decoding.
    #[must_use]
    pub fn with_max_token_len(mut self, max_token_len: usize) -> Self {
        self.max_token_len = max_token_len;
        self
    }

    /// The keys this codec uses.
    pub fn keys(&self) -> &KeySet {
        &self.keys
    }

    /// Now, by this codec's clock.
    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// Encrypts `claims` after setting `iat` to now, `exp` to now + `max_age` and `jti` to a
    /// fresh random UUID, replacing any values they had, as Auth.js does on every encode.
    pub fn encode(&self, claims: Claims, max_age: Duration) -> Result<String, AuthError> {
        let (registered, jti) = self.registered_now(max_age);
        self.encode_registered(claims, registered, jti)
    }

    /// Encrypts `claims` with these registered claims set, replacing any values they had.
    pub(crate) fn encode_registered(
        &self,
        mut claims: Claims,
        registered: Registered,
        jti: String,
    ) -> Result<String, AuthError> {
        claims.insert("iat".into(), registered.issued_at.into());
        claims.insert("exp".into(), registered.expires_at.into());
        claims.insert("jti".into(), jti.into());
        let plaintext = Zeroizing::new(
            serde_json::to_vec(&claims)
                .map_err(|error| AuthError::Serialization(error.to_string()))?,
        );
        Ok(jwe::encrypt(&plaintext, self.keys.encoding_key()))
    }

    /// The registered claims an encode made now stamps, with the same values
    /// [`TokenCodec::encode`] sets: `iat` now, `exp` now + `max_age`, and (returned beside
    /// them) a fresh random UUID for `jti`.
    pub fn registered_now(&self, max_age: Duration) -> (Registered, String) {
        let now = self.now();
        let max_age = i64::try_from(max_age.as_secs()).unwrap_or(MAX_SAFE_INTEGER);
        let registered = Registered {
            issued_at: now,
            expires_at: now.saturating_add(max_age),
            as_written_now: true,
        };
        (registered, random_uuid())
    }

    /// Encrypts a token whose registered claims are already stamped (see
    /// [`TokenClaims::set_registered`]): it is serialised straight to bytes, with no JSON map
    /// in between. The token must serialise to one JSON object with distinct member names.
    ///
    /// [`TokenClaims::set_registered`]: crate::TokenClaims::set_registered
    pub fn encode_stamped<T: Serialize + ?Sized>(&self, token: &T) -> Result<String, AuthError> {
        let plaintext = Zeroizing::new(
            serde_json::to_vec(token)
                .map_err(|error| AuthError::Serialization(error.to_string()))?,
        );
        if plaintext.first() != Some(&b'{') {
            return Err(AuthError::Serialization(
                "the token type must serialise to a JSON object".into(),
            ));
        }
        Ok(jwe::encrypt(&plaintext, self.keys.encoding_key()))
    }

    /// Decrypts `token`, checks its claims exactly as [`TokenCodec::decode`] does, and reads
    /// them into `T`, without building a JSON map: one pass over the plaintext reads `T` while
    /// refusing duplicate member names at any depth (inside members `T` ignores too) and
    /// noting the registered claims, whose types and times are then checked. Nesting is
    /// bounded and UTF-8 checked once. Returns the token's `iat` (0 when absent), `exp`, and
    /// whether the token is encrypted as a re-issue would write it now.
    ///
    /// Claims that do not fit `T` are an [`AuthError::InvalidClaims`] that gives only the
    /// position, never a claim's value.
    pub fn decode_as<T: DeserializeOwned>(
        &self,
        token: &str,
    ) -> Result<(T, Registered), AuthError> {
        let opened = jwe::open(token, &self.keys, self.max_token_len)?;
        let (claims, registered) = read_claims(&opened.plaintext, self.now())?;
        Ok((
            claims,
            Registered {
                as_written_now: opened.as_written_now,
                ..registered
            },
        ))
    }

    /// Decrypts `token` and checks its claims: a JSON object without duplicate members, an
    /// integer `exp` not past (with [`CLOCK_TOLERANCE`]), and, when present, integer `nbf` and
    /// `iat` not in the future and a string `jti`.
    pub fn decode(&self, token: &str) -> Result<Claims, AuthError> {
        let plaintext = jwe::decrypt(token, &self.keys, self.max_token_len)?;
        let claims = parse_claims(&plaintext)?;
        check_registered_claims(&claims, self.now())?;
        Ok(claims)
    }
}

/// The claims of a decrypted (or verified) token read into `T`, and their registered times
/// checked against `now`. Shared by the session token and the bearer token.
pub(crate) fn read_claims<T: DeserializeOwned>(
    plaintext: &[u8],
    now: i64,
) -> Result<(T, Registered), AuthError> {
    // UTF-8 is checked once for the whole plaintext, so that neither pass checks it
    // string by string; escapes (lone surrogates) are still checked by both.
    let text = std::str::from_utf8(plaintext)
        .map_err(|_| AuthError::InvalidClaims("the claims are not UTF-8".into()))?;
    // One pass: the typed read refuses duplicates and notes the registered claims.
    if let Ok((claims, shapes)) = json::read_typed::<T>(text) {
        return Ok((claims, check_registered(shapes, now)?));
    }
    // Refused: read again, checks first, so that the error is the one the checks give
    // (a duplicate member, a fractional `exp`) before any about the type.
    let shapes = json::check_object(text).map_err(AuthError::InvalidClaims)?;
    let registered = check_registered(shapes, now)?;
    let claims = serde_json::from_str::<T>(text).map_err(|error| {
        // The serde message may quote a claim value: only its position is kept.
        AuthError::InvalidClaims(format!(
            "the claims do not fit the token type (line {}, column {})",
            error.line(),
            error.column()
        ))
    })?;
    Ok((claims, registered))
}

/// The registered times of a token: stamped by an encode, read by a decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Registered {
    /// `iat`, in seconds since the Unix epoch (0 when a decoded token has none).
    pub issued_at: i64,
    /// `exp`, in seconds since the Unix epoch.
    pub expires_at: i64,
    /// Whether the token is encrypted as an encode now would: A256CBC-HS512 under the newest
    /// secret. False for a token that needs re-issuing to move to the newest secret (key
    /// rotation) or to A256CBC-HS512 (a token Auth.js accepts in A256GCM).
    pub as_written_now: bool,
}

/// Parses claims strictly: one JSON object, no duplicate member names at any depth (where
/// a plain JSON reader would silently keep the last `"role"`), nesting bounded.
pub fn parse_claims(json: &[u8]) -> Result<Claims, AuthError> {
    json::parse_object(json).map_err(AuthError::InvalidClaims)
}

/// Checks `exp`, `nbf`, `iat` and `jti` against `now`, with the same semantics as `jose`
/// (which Auth.js uses), but stricter on types: times must be integers, never strings,
/// fractions or absent `exp`.
pub(crate) fn check_registered_claims(claims: &Claims, now: i64) -> Result<(), AuthError> {
    let shape = |name: &str| {
        claims.get(name).map(|value| match value {
            Value::String(_) => Shape::String,
            value => value.as_i64().map_or(Shape::Other, Shape::Integer),
        })
    };
    let shapes = RegisteredShapes {
        exp: shape("exp"),
        nbf: shape("nbf"),
        iat: shape("iat"),
        jti: shape("jti"),
    };
    check_registered(shapes, now).map(|_| ())
}

/// The checks of [`check_registered_claims`] on the shapes of the claims, in the same order
/// and with the same errors; the times when they pass.
fn check_registered(shapes: RegisteredShapes, now: i64) -> Result<Registered, AuthError> {
    let tolerance = CLOCK_TOLERANCE.as_secs() as i64;
    let exp = integer_claim(shapes.exp, "exp")?
        .ok_or_else(|| AuthError::InvalidClaims("`exp` is missing".into()))?;
    if exp <= now - tolerance {
        return Err(AuthError::Expired { exp });
    }
    if let Some(nbf) = integer_claim(shapes.nbf, "nbf")?
        && nbf > now + tolerance
    {
        return Err(AuthError::NotYetValid { not_before: nbf });
    }
    let iat = integer_claim(shapes.iat, "iat")?;
    if let Some(iat) = iat
        && iat > now + tolerance
    {
        return Err(AuthError::NotYetValid { not_before: iat });
    }
    match shapes.jti {
        None | Some(Shape::String) => Ok(Registered {
            issued_at: iat.unwrap_or(0),
            expires_at: exp,
            as_written_now: false,
        }),
        Some(_) => Err(AuthError::InvalidClaims("`jti` must be a string".into())),
    }
}

fn integer_claim(shape: Option<Shape>, name: &str) -> Result<Option<i64>, AuthError> {
    match shape {
        None => Ok(None),
        Some(Shape::Integer(seconds)) if seconds.abs() <= MAX_SAFE_INTEGER => Ok(Some(seconds)),
        Some(_) => Err(AuthError::InvalidClaims(format!(
            "`{name}` must be an integer number of seconds"
        ))),
    }
}

/// A random (version 4) UUID, the `jti` Auth.js sets.
pub(crate) fn random_uuid() -> String {
    let bytes: [u8; 16] = rand::random();
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .hyphenated()
        .to_string()
}
