//! [`BearerAlgorithm`]: the JWS algorithms a bearer key may carry. Each key has exactly one,
//! and a token is checked only under the algorithm of the key its `kid` names.

use std::fmt;

use jsonwebtoken::Algorithm;

/// A JWS algorithm for bearer tokens. `none` and the other algorithms `jsonwebtoken` knows
/// are not representable: a header naming them matches no key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BearerAlgorithm {
    /// Ed25519 signatures (RFC 8037); signs and verifies.
    EdDsa,
    /// ECDSA on P-256 with SHA-256; signs and verifies.
    Es256,
    /// RSASSA-PKCS1-v1_5 with SHA-256: verifies tokens signed by keys others publish, never
    /// signs here.
    Rs256,
    /// HMAC-SHA-256 with a secret of at least 32 bytes: signs and verifies, and is never
    /// published.
    Hs256,
}

impl BearerAlgorithm {
    /// The JOSE name, as in a token's `alg` header: `EdDSA`, `ES256`, `RS256`, `HS256`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::EdDsa => "EdDSA",
            Self::Es256 => "ES256",
            Self::Rs256 => "RS256",
            Self::Hs256 => "HS256",
        }
    }

    /// The algorithm named `name` (exactly, case-sensitive as JOSE names are).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "EdDSA" => Some(Self::EdDsa),
            "ES256" => Some(Self::Es256),
            "RS256" => Some(Self::Rs256),
            "HS256" => Some(Self::Hs256),
            _ => None,
        }
    }

    /// Whether tokens are signed with it here (RS256 only verifies).
    pub const fn signs(self) -> bool {
        !matches!(self, Self::Rs256)
    }

    /// Whether its key is a shared secret, which is never published.
    pub const fn is_symmetric(self) -> bool {
        matches!(self, Self::Hs256)
    }

    pub(crate) const fn jwt(self) -> Algorithm {
        match self {
            Self::EdDsa => Algorithm::EdDSA,
            Self::Es256 => Algorithm::ES256,
            Self::Rs256 => Algorithm::RS256,
            Self::Hs256 => Algorithm::HS256,
        }
    }
}

impl fmt::Display for BearerAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
