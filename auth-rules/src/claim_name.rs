//! JSON names a declared claim may not take.

use crate::Refusal;

/// JSON names the token already has: the registered claims, Auth.js's standard claims, the
/// field that keeps undeclared claims, the provider tokens the runtime keeps for refreshing
/// them, and the session id and generation revocation reads.
pub const RESERVED_CLAIM_NAMES: &[&str] = &[
    "sub",
    "iat",
    "exp",
    "jti",
    "nbf",
    "iss",
    "aud",
    "name",
    "email",
    "picture",
    "image",
    "otherClaims",
    "providerRefresh",
    "sid",
    "sgen",
];

/// A declared claim's JSON name is none of [`RESERVED_CLAIM_NAMES`].
pub fn check_claim_name(json_name: &str) -> Result<(), Refusal> {
    if RESERVED_CLAIM_NAMES.contains(&json_name) {
        Err(Refusal::ReservedClaimName)
    } else {
        Ok(())
    }
}
