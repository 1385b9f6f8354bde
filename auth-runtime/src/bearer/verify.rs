//! [`BearerVerifier`]: a bearer token in, the caller's claims type out, or why not.
//!
//! The order of the checks, each before any later work:
//!
//! 1. the shape: at most [`MAX_BEARER_TOKEN_LEN`] characters of base64url in exactly three
//!    non-empty parts (a stripped signature, a JWE session token, a JSON serialisation are
//!    refused here);
//! 2. the header, read strictly (duplicate members refused): `alg`, `kid` and `typ` only, so
//!    `jku`, `x5u`, `jwk`, `x5c`, `crit` and the rest never reach a key lookup; `kid` is
//!    required and names one configured key exactly (never a path, a URL or a query); `alg`
//!    must be that key's one algorithm;
//! 3. `jsonwebtoken::decode` with a `Validation` pinned to that key's algorithm: the
//!    signature, `iss` (this issuer), `aud` (this audience), `sub` required, and `exp` and
//!    `nbf` against the system clock with 15 s of leeway (`nbf` too, which `jsonwebtoken`
//!    leaves off by default);
//! 4. the claims read again by the strict reader into the caller's type: duplicate members at
//!    any depth refused, `exp` required, `exp`, `nbf` and `iat` integers (a fraction or a
//!    string is refused, where `jsonwebtoken` rounds a fraction) checked against the
//!    configured clock with the same 15 s.

use std::fmt;
use std::sync::Arc;

use base64_simd::URL_SAFE_NO_PAD;
use jsonwebtoken::Validation;
use jsonwebtoken::errors::ErrorKind;
use serde::de::{DeserializeOwned, IgnoredAny};
use serde_json::Value;

use super::keys::{BearerKey, BearerKeys};
use crate::base64url::is_base64url_or_dot;
use crate::clock::{Clock, SystemClock};
use crate::error::AuthError;
use crate::json;
use crate::token::{CLOCK_TOLERANCE, Claims, Registered, read_claims};

/// The longest bearer token read, in characters; longer ones are refused before any decoding.
pub const MAX_BEARER_TOKEN_LEN: usize = 8 * 1024;

/// The header members a bearer token may carry.
const HEADER_MEMBERS: &[&str] = &["alg", "kid", "typ"];

/// Verifies bearer tokens for one issuer and audience under the configured keys.
#[derive(Clone)]
pub struct BearerVerifier {
    keys: Arc<BearerKeys>,
    /// One `Validation` per key, in the keys' order, each pinned to that key's algorithm.
    validations: Arc<[Validation]>,
    issuer: String,
    audience: String,
    clock: Arc<dyn Clock>,
}

/// Keys by algorithm and `kid` only.
impl fmt::Debug for BearerVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BearerVerifier")
            .field("keys", &self.keys)
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .finish_non_exhaustive()
    }
}

impl BearerVerifier {
    /// A verifier of tokens issued by `issuer` for `audience`, on the system clock.
    pub fn new(keys: BearerKeys, issuer: &str, audience: &str) -> Self {
        let validations = keys
            .iter()
            .map(|key| validation_for(key, issuer, audience))
            .collect();
        Self {
            keys: Arc::new(keys),
            validations,
            issuer: issuer.to_owned(),
            audience: audience.to_owned(),
            clock: Arc::new(SystemClock),
        }
    }

    /// Replaces the clock the strict time checks read.
    #[must_use]
    pub fn with_clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    pub(crate) fn with_shared_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The keys.
    pub fn keys(&self) -> &BearerKeys {
        &self.keys
    }

    /// The `iss` every token must carry.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The `aud` every token must carry.
    pub fn audience(&self) -> &str {
        &self.audience
    }

    /// Now, by the verifier's clock.
    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// Verifies `token` and reads its claims into `T`; returns its `iat` (0 when absent) and
    /// `exp` beside them. Errors name the check that failed, never a claim's value.
    pub fn verify_as<T: DeserializeOwned>(
        &self,
        token: &str,
    ) -> Result<(T, Registered), AuthError> {
        let payload = self.verified_payload(token)?;
        read_claims(&payload, self.clock.now())
    }

    /// Verifies `token` and returns its claims as a JSON map.
    pub fn verify(&self, token: &str) -> Result<Claims, AuthError> {
        self.verify_as::<Claims>(token).map(|(claims, _)| claims)
    }

    /// Steps 1 to 3: the payload's bytes once the token's shape, header, signature, issuer,
    /// audience and times pass.
    fn verified_payload(&self, token: &str) -> Result<Vec<u8>, AuthError> {
        if token.len() > MAX_BEARER_TOKEN_LEN {
            return Err(AuthError::MalformedToken(
                "longer than a bearer token may be",
            ));
        }
        if !is_base64url_or_dot(token.as_bytes()) {
            return Err(AuthError::MalformedToken("not base64url"));
        }
        let mut parts = token.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(AuthError::MalformedToken("not three parts (a compact JWS)"));
        };
        if header.is_empty() || payload.is_empty() || signature.is_empty() {
            return Err(AuthError::MalformedToken("an empty part"));
        }
        let index = self.key_for_header(header)?;
        let (Some(key), Some(validation)) =
            (self.keys.iter().nth(index), self.validations.get(index))
        else {
            return Err(AuthError::UnknownKey);
        };
        jsonwebtoken::decode::<IgnoredAny>(token, key.verifying_key(), validation)
            .map_err(|error| refusal(error.kind()))?;
        URL_SAFE_NO_PAD
            .decode_to_vec(payload)
            .map_err(|_| AuthError::MalformedToken("the payload is not base64url"))
    }

    /// Step 2: the index of the key the header names, when the header is one we accept.
    fn key_for_header(&self, encoded: &str) -> Result<usize, AuthError> {
        let bytes = URL_SAFE_NO_PAD
            .decode_to_vec(encoded)
            .map_err(|_| AuthError::MalformedToken("the header is not base64url"))?;
        let header = json::parse_object(&bytes)
            .map_err(|_| AuthError::UnsupportedHeader("not one JSON object".into()))?;
        if let Some(member) = header
            .keys()
            .find(|member| !HEADER_MEMBERS.contains(&member.as_str()))
        {
            // Member names are the token's own text: only the known dangerous ones are named.
            let named = ["jku", "jwk", "x5u", "x5c", "crit", "b64", "cty", "zip"]
                .into_iter()
                .find(|known| *known == member);
            return Err(AuthError::UnsupportedHeader(match named {
                Some(known) => format!("`{known}` is not accepted"),
                None => "an unknown member".into(),
            }));
        }
        let Some(Value::String(alg)) = header.get("alg") else {
            return Err(AuthError::UnsupportedHeader(
                "`alg` missing or not a string".into(),
            ));
        };
        match header.get("typ") {
            None => {}
            Some(Value::String(typ)) if typ.eq_ignore_ascii_case("JWT") => {}
            Some(_) => return Err(AuthError::UnsupportedHeader("`typ` is not JWT".into())),
        }
        let Some(Value::String(kid)) = header.get("kid") else {
            return Err(AuthError::UnknownKey);
        };
        let index = self
            .keys
            .iter()
            .position(|key| key.kid() == kid)
            .ok_or(AuthError::UnknownKey)?;
        let key_alg = self
            .keys
            .iter()
            .nth(index)
            .map(|key| key.algorithm().name());
        if key_alg != Some(alg.as_str()) {
            return Err(AuthError::UnsupportedHeader(
                "`alg` is not the algorithm of the key its `kid` names".into(),
            ));
        }
        Ok(index)
    }
}

/// The `Validation` of tokens under `key`: its algorithm alone, this issuer and audience,
/// `exp`, `iss`, `aud` and `sub` required, `exp` and `nbf` checked with 15 s of leeway.
fn validation_for(key: &BearerKey, issuer: &str, audience: &str) -> Validation {
    let mut validation = Validation::new(key.algorithm().jwt());
    validation.leeway = CLOCK_TOLERANCE.as_secs();
    validation.validate_exp = true;
    validation.validate_nbf = true;
    validation.validate_aud = true;
    validation.set_issuer(&[issuer]);
    validation.set_audience(&[audience]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    validation
}

/// A `jsonwebtoken` refusal as ours; fixed texts, never the token's content.
fn refusal(kind: &ErrorKind) -> AuthError {
    match kind {
        ErrorKind::InvalidSignature => AuthError::InvalidSignature,
        ErrorKind::InvalidAlgorithm | ErrorKind::MissingAlgorithm => {
            AuthError::UnsupportedHeader("`alg` is not the key's".into())
        }
        ErrorKind::ExpiredSignature => AuthError::InvalidClaims("`exp` has passed".into()),
        ErrorKind::ImmatureSignature => AuthError::InvalidClaims("`nbf` is in the future".into()),
        ErrorKind::InvalidIssuer => AuthError::InvalidClaims("`iss` is not this issuer".into()),
        ErrorKind::InvalidAudience => AuthError::InvalidClaims("`aud` is not this audience".into()),
        ErrorKind::MissingRequiredClaim(claim) => {
            AuthError::InvalidClaims(format!("`{}` is missing", registered_name(claim)))
        }
        ErrorKind::InvalidClaimFormat(claim) => {
            AuthError::InvalidClaims(format!("`{}` has the wrong type", registered_name(claim)))
        }
        _ => AuthError::MalformedToken("not a signed token this service reads"),
    }
}

/// A registered claim's name as `jsonwebtoken` reports it, from a fixed list.
fn registered_name(claim: &str) -> &'static str {
    ["exp", "nbf", "iss", "aud", "sub"]
        .into_iter()
        .find(|name| *name == claim)
        .unwrap_or("a registered claim")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::bearer::{BearerKey, sign_claims};
    use crate::clock::FixedClock;

    const ED1: &str = include_str!("../../tests/vectors/bearer-keys/ed1.pem");
    const EC1: &str = include_str!("../../tests/vectors/bearer-keys/ec1.pem");

    fn verifier(keys: Vec<BearerKey>, now: i64) -> BearerVerifier {
        BearerVerifier::new(
            BearerKeys::new(keys).unwrap(),
            "https://app.example/api/auth",
            "api",
        )
        .with_clock(FixedClock(now))
    }

    fn claims(now: i64) -> Claims {
        let claims = json!({
            "sub": "user-1", "role": "admin",
            "iss": "https://app.example/api/auth", "aud": "api",
            "iat": now, "exp": now + 900, "jti": "j",
        });
        claims.as_object().unwrap().clone()
    }

    #[test]
    fn a_signed_token_verifies_under_any_configured_key_and_only_there() {
        let now = SystemClock.now();
        let ed = BearerKey::from_pem(ED1).unwrap();
        let ec = BearerKey::from_pem(EC1).unwrap();
        let by_ec = verifier(vec![ec.clone(), ed.clone()], now);
        let token = sign_claims(by_ec.keys(), &claims(now)).unwrap();
        // Rotation: the old signing key, now second, still verifies.
        let rotated = verifier(vec![ed.clone(), ec], now);
        assert_eq!(rotated.verify(&token).unwrap()["role"], "admin");
        let (_, registered) = by_ec.verify_as::<Claims>(&token).unwrap();
        assert_eq!(registered.expires_at, now + 900);
        // Removed: the key is unknown.
        assert_eq!(
            verifier(vec![ed], now).verify(&token),
            Err(AuthError::UnknownKey)
        );
    }

    /// TF-22, TF-23: `exp` with 15 s of leeway and `iat` ahead, on the configured clock.
    #[test]
    fn times_are_checked_on_the_configured_clock_with_fifteen_seconds_of_leeway() {
        let now = SystemClock.now();
        let ed = BearerKey::from_pem(ED1).unwrap();
        let token = sign_claims(verifier(vec![ed.clone()], now).keys(), &claims(now)).unwrap();
        assert!(
            verifier(vec![ed.clone()], now + 900 + 14)
                .verify(&token)
                .is_ok()
        );
        assert_eq!(
            verifier(vec![ed.clone()], now + 900 + 15).verify(&token),
            Err(AuthError::Expired { exp: now + 900 })
        );
        assert!(matches!(
            verifier(vec![ed], now - 3600).verify(&token),
            Err(AuthError::NotYetValid { .. })
        ));
    }
}
