//! Signing a bearer token with the first key.

use jsonwebtoken::Header;
use serde_json::{Map, Value};

use super::keys::BearerKeys;
use crate::error::AuthError;

/// Signs `claims` as they are (the caller sets `iss`, `aud`, `iat`, `exp`, `jti`) with the
/// first key, naming it by `kid`: a compact JWS with the header `{"typ":"JWT","alg":…,
/// "kid":…}`. [`AuthError::BearerSigningKey`] when the first key only verifies.
pub fn sign_claims(keys: &BearerKeys, claims: &Map<String, Value>) -> Result<String, AuthError> {
    let key = keys.first();
    let signing = key.signing_key().ok_or(AuthError::BearerSigningKey {
        reason: "the first bearer key is a public key: put a private key or secret first",
    })?;
    let mut header = Header::new(key.algorithm().jwt());
    header.kid = Some(key.kid().to_owned());
    jsonwebtoken::encode(&header, claims, signing).map_err(|_| AuthError::BearerSigningKey {
        reason: "the first bearer key did not sign",
    })
}
