//! Signed bearer tokens (compact JWS) on `jsonwebtoken`: the keys that sign and verify them
//! (`keys`), the published key set (`jwks`), signing (`sign`), verification (`verify`), and
//! reading the `Authorization` header (`header`). Nothing here knows a schema: the claims
//! arrive as a JSON map and leave as the caller's type.

mod algorithm;
mod der;
mod header;
mod jwks;
mod keys;
mod sign;
mod verify;

pub use algorithm::BearerAlgorithm;
pub(crate) use header::{Authorization, authorization};
pub use jwks::{JWKS_MAX_AGE_SECONDS, jwks_json};
pub use keys::{
    BEARER_KEYS_VARIABLE, BearerKey, BearerKeys, KeyRefusal, MIN_HMAC_SECRET_LEN, MIN_RSA_BITS,
};
pub use sign::sign_claims;
pub use verify::{BearerVerifier, MAX_BEARER_TOKEN_LEN};
