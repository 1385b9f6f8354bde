//! [`BearerKey`] and [`BearerKeys`]: the keys that sign and verify bearer tokens, read from PEM
//! or JWK at start-up. Several may be given for rotation: the first signs, every one verifies,
//! and each is found only by its `kid` (the JWK's own `kid`, else its RFC 7638 thumbprint).
//!
//! Each key carries exactly one algorithm, so a token is checked only under the algorithm of
//! the key its `kid` names: a public key can never be used as an HMAC secret, and `none` is
//! no key's algorithm. A symmetric (HS256) key is never published.

use std::fmt;

use base64_simd::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, ThumbprintHash};
use jsonwebtoken::{DecodingKey, EncodingKey};
use serde_json::{Map, Value};
use zeroize::Zeroizing;

use super::algorithm::BearerAlgorithm;
use super::der::{ed25519_pkcs8, p256_pkcs8};
use crate::error::AuthError;
use crate::json;

/// The environment variable holding the bearer keys: PEM blocks, one JWK, or a JWK set
/// (`{"keys":[…]}`), the signing key first.
pub const BEARER_KEYS_VARIABLE: &str = "AUTH_BEARER_KEYS";

/// The shortest HS256 secret accepted, in bytes (RFC 7518 §3.2: at least the hash's size).
pub const MIN_HMAC_SECRET_LEN: usize = 32;

/// The smallest RSA modulus accepted, in bits.
pub const MIN_RSA_BITS: usize = 2048;

/// Why a key was refused; a fixed text, never the key.
pub type KeyRefusal = &'static str;

/// One bearer key: its algorithm, its `kid`, what verifies with it and, for a private key or
/// a secret, what signs with it. `Debug` shows the algorithm and the `kid` only.
#[derive(Clone)]
pub struct BearerKey {
    algorithm: BearerAlgorithm,
    kid: String,
    signing: Option<EncodingKey>,
    verifying: DecodingKey,
    /// The public JWK, as published on `/jwks`; `None` for a secret.
    public_jwk: Option<Map<String, Value>>,
}

impl fmt::Debug for BearerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BearerKey")
            .field("algorithm", &self.algorithm)
            .field("kid", &self.kid)
            .field("signs", &self.signing.is_some())
            .finish_non_exhaustive()
    }
}

impl BearerKey {
    /// A key from one PEM block: a PKCS#8 Ed25519 or P-256 private key (signs and verifies),
    /// or an Ed25519, P-256 or RSA (at least 2048 bits) public key (verifies only). An RSA
    /// private key is refused: RS256 is never signed with here.
    pub fn from_pem(pem: &str) -> Result<Self, KeyRefusal> {
        let bytes = pem.trim().as_bytes();
        if pem.contains("PRIVATE KEY") {
            if let Ok(key) = EncodingKey::from_ed_pem(bytes) {
                return Self::from_private(key, BearerAlgorithm::EdDsa, None);
            }
            if let Ok(key) = EncodingKey::from_ec_pem(bytes) {
                return Self::from_private(key, BearerAlgorithm::Es256, None);
            }
            if EncodingKey::from_rsa_pem(bytes).is_ok() {
                return Err("an RSA private key: RS256 only verifies here; give its public key");
            }
            return Err("a PEM private key that is neither Ed25519 nor P-256 PKCS#8");
        }
        if let Ok(key) = DecodingKey::from_ed_pem(bytes) {
            return Self::from_public(&key, BearerAlgorithm::EdDsa, None);
        }
        if let Ok(key) = DecodingKey::from_ec_pem(bytes) {
            return Self::from_public(&key, BearerAlgorithm::Es256, None);
        }
        if let Ok(key) = DecodingKey::from_rsa_pem(bytes) {
            return Self::from_public(&key, BearerAlgorithm::Rs256, None);
        }
        Err("not a PEM key this library reads (PKCS#8 Ed25519 or P-256, or a public key)")
    }

    /// A key from one JWK (JSON text): `OKP` Ed25519 or `EC` P-256 (with `d`: signs too),
    /// `RSA` public (verifies only), or `oct` (HS256, a secret of at least 32 bytes, never
    /// published). An `alg` member must agree with the key; a `kid` member names the key,
    /// else its RFC 7638 thumbprint does.
    pub fn from_jwk(jwk: &str) -> Result<Self, KeyRefusal> {
        let object = json::parse_object(jwk.as_bytes()).map_err(|_| "not a JSON object")?;
        Self::from_jwk_object(&object)
    }

    fn from_jwk_object(object: &Map<String, Value>) -> Result<Self, KeyRefusal> {
        let text = |name: &str| object.get(name).and_then(Value::as_str);
        let bytes = |name: &str| -> Result<Zeroizing<Vec<u8>>, KeyRefusal> {
            let value = text(name).ok_or("a JWK member is missing or not a string")?;
            URL_SAFE_NO_PAD
                .decode_to_vec(value)
                .map(Zeroizing::new)
                .map_err(|_| "a JWK member is not base64url")
        };
        let kid = match object.get("kid") {
            None => None,
            Some(Value::String(kid)) if !kid.is_empty() => Some(kid.clone()),
            Some(_) => return Err("a JWK `kid` must be a non-empty string"),
        };
        let key = match (text("kty"), text("crv")) {
            (Some("OKP"), Some("Ed25519")) => match object.get("d") {
                Some(_) => {
                    let der = ed25519_pkcs8(&bytes("d")?).ok_or("an Ed25519 `d` of 32 bytes")?;
                    let key = Self::from_private(
                        EncodingKey::from_ed_der(&der),
                        BearerAlgorithm::EdDsa,
                        kid,
                    )?;
                    same_public_member(&key, object, "x")?;
                    key
                }
                None => Self::from_public(
                    &DecodingKey::from_ed_components(text("x").ok_or("an Ed25519 JWK needs `x`")?)
                        .map_err(|_| "an Ed25519 `x` that is not base64url")?,
                    BearerAlgorithm::EdDsa,
                    kid,
                )?,
            },
            (Some("EC"), Some("P-256")) => match object.get("d") {
                Some(_) => {
                    let der = p256_pkcs8(&bytes("d")?, &bytes("x")?, &bytes("y")?)
                        .ok_or("a P-256 key's `d`, `x` and `y` are 32 bytes each")?;
                    Self::from_private(EncodingKey::from_ec_der(&der), BearerAlgorithm::Es256, kid)?
                }
                None => Self::from_public(
                    &DecodingKey::from_ec_components(
                        text("x").ok_or("a P-256 JWK needs `x`")?,
                        text("y").ok_or("a P-256 JWK needs `y`")?,
                    )
                    .map_err(|_| "a P-256 `x` or `y` that is not base64url")?,
                    BearerAlgorithm::Es256,
                    kid,
                )?,
            },
            (Some("OKP" | "EC"), _) => return Err("an OKP key must be Ed25519, an EC key P-256"),
            (Some("RSA"), _) => {
                if ["d", "p", "q"]
                    .iter()
                    .any(|member| object.contains_key(*member))
                {
                    return Err(
                        "an RSA private key: RS256 only verifies here; give its public key",
                    );
                }
                Self::from_public(
                    &DecodingKey::from_rsa_components(
                        text("n").ok_or("an RSA JWK needs `n`")?,
                        text("e").ok_or("an RSA JWK needs `e`")?,
                    )
                    .map_err(|_| "an RSA `n` or `e` that is not base64url")?,
                    BearerAlgorithm::Rs256,
                    kid,
                )?
            }
            (Some("oct"), _) => {
                let mut key = Self::hs256(&bytes("k")?)?;
                if let Some(kid) = kid {
                    key.kid = kid;
                }
                key
            }
            _ => return Err("a JWK whose `kty` is not OKP, EC, RSA or oct"),
        };
        match object.get("alg") {
            None => Ok(key),
            Some(Value::String(alg)) if alg == key.algorithm.name() => Ok(key),
            Some(_) => Err("a JWK whose `alg` is not its key's algorithm"),
        }
    }

    /// A new random Ed25519 key: a throwaway for a demo or one test run, whose tokens no
    /// longer verify after a restart. Keys that must last come from `AUTH_BEARER_KEYS`.
    pub fn generate_ed25519() -> Result<Self, KeyRefusal> {
        let seed = Zeroizing::new(rand::random::<[u8; 32]>());
        let der = ed25519_pkcs8(&*seed).ok_or("an Ed25519 seed of 32 bytes")?;
        Self::from_private(EncodingKey::from_ed_der(&der), BearerAlgorithm::EdDsa, None)
    }

    /// An HS256 key: a shared secret of at least [`MIN_HMAC_SECRET_LEN`] bytes, not one
    /// repeated byte. It signs and verifies and is never published; its `kid` is the RFC 7638
    /// thumbprint of `{"k":…,"kty":"oct"}`.
    pub fn hs256(secret: &[u8]) -> Result<Self, KeyRefusal> {
        if secret.len() < MIN_HMAC_SECRET_LEN {
            return Err("an HS256 secret shorter than 32 bytes");
        }
        if secret.iter().all(|byte| *byte == secret[0]) {
            return Err("an HS256 secret of one repeated byte");
        }
        let signing = EncodingKey::from_secret(secret).map_err(|_| "an empty HS256 secret")?;
        let verifying = DecodingKey::from_secret(secret).map_err(|_| "an empty HS256 secret")?;
        let jwk = Jwk::from_encoding_key(&signing, BearerAlgorithm::Hs256.jwt())
            .map_err(|_| "an HS256 secret that does not form a JWK")?;
        let kid = jwk
            .thumbprint(ThumbprintHash::SHA256)
            .map_err(|_| "an HS256 secret without a thumbprint")?;
        Ok(Self {
            algorithm: BearerAlgorithm::Hs256,
            kid,
            signing: Some(signing),
            verifying,
            public_jwk: None,
        })
    }

    /// A private key: its public JWK derived, its `kid` the thumbprint unless given, and one
    /// signature made and verified, so that a key whose halves disagree is refused here.
    fn from_private(
        signing: EncodingKey,
        algorithm: BearerAlgorithm,
        kid: Option<String>,
    ) -> Result<Self, KeyRefusal> {
        let jwk = Jwk::from_encoding_key(&signing, algorithm.jwt())
            .map_err(|_| "a private key whose public key cannot be derived")?;
        check_curve(&jwk, algorithm)?;
        let verifying = DecodingKey::from_jwk(&jwk).map_err(|_| "an unusable public key")?;
        let probe = b"auth-runtime bearer key probe";
        let signature = jsonwebtoken::crypto::sign(probe, &signing, algorithm.jwt())
            .map_err(|_| "a private key that does not sign")?;
        if !jsonwebtoken::crypto::verify(&signature, probe, &verifying, algorithm.jwt())
            .unwrap_or(false)
        {
            return Err("a private key whose public half does not verify its signatures");
        }
        let mut key = Self::from_public(&verifying, algorithm, kid)?;
        key.signing = Some(signing);
        Ok(key)
    }

    /// A public key: verifies only.
    fn from_public(
        verifying: &DecodingKey,
        algorithm: BearerAlgorithm,
        kid: Option<String>,
    ) -> Result<Self, KeyRefusal> {
        let jwk = Jwk::from_decoding_key(verifying, Some(algorithm.jwt()))
            .map_err(|_| "an unusable public key")?;
        check_curve(&jwk, algorithm)?;
        if let AlgorithmParameters::RSA(rsa) = &jwk.algorithm {
            let modulus = URL_SAFE_NO_PAD
                .decode_to_vec(&rsa.n)
                .map_err(|_| "an RSA modulus that is not base64url")?;
            let leading_zeros = modulus.iter().take_while(|byte| **byte == 0).count();
            if (modulus.len() - leading_zeros) * 8 < MIN_RSA_BITS {
                return Err("an RSA key under 2048 bits");
            }
        }
        let kid = match kid {
            Some(kid) => kid,
            None => jwk
                .thumbprint(ThumbprintHash::SHA256)
                .map_err(|_| "a public key without a thumbprint")?,
        };
        let verifying = DecodingKey::from_jwk(&jwk).map_err(|_| "an unusable public key")?;
        let mut public_jwk = match serde_json::to_value(&jwk) {
            Ok(Value::Object(object)) => object,
            _ => return Err("a public key that does not serialise as a JWK"),
        };
        public_jwk.insert("kid".into(), Value::String(kid.clone()));
        public_jwk.insert("use".into(), Value::String("sig".into()));
        public_jwk.insert("alg".into(), Value::String(algorithm.name().into()));
        Ok(Self {
            algorithm,
            kid,
            signing: None,
            verifying,
            public_jwk: Some(public_jwk),
        })
    }

    /// The key's one algorithm.
    pub fn algorithm(&self) -> BearerAlgorithm {
        self.algorithm
    }

    /// The key's id: what a token's `kid` header must equal exactly.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// Whether it signs (a private key or a secret), not only verifies.
    pub fn can_sign(&self) -> bool {
        self.signing.is_some()
    }

    /// The public JWK published on `/jwks` (with `kid`, `alg` and `use`); `None` for a
    /// secret, which is never published.
    pub fn public_jwk(&self) -> Option<&Map<String, Value>> {
        self.public_jwk.as_ref()
    }

    pub(super) fn signing_key(&self) -> Option<&EncodingKey> {
        self.signing.as_ref()
    }

    pub(super) fn verifying_key(&self) -> &DecodingKey {
        &self.verifying
    }
}

/// An EC key must be on P-256 (ES256), an OKP key Ed25519.
fn check_curve(jwk: &Jwk, algorithm: BearerAlgorithm) -> Result<(), KeyRefusal> {
    let curve = match &jwk.algorithm {
        AlgorithmParameters::EllipticCurve(ec) => Some(&ec.curve),
        AlgorithmParameters::OctetKeyPair(okp) => Some(&okp.curve),
        _ => None,
    };
    match (algorithm, curve) {
        (BearerAlgorithm::Es256, Some(EllipticCurve::P256))
        | (BearerAlgorithm::EdDsa, Some(EllipticCurve::Ed25519))
        | (BearerAlgorithm::Rs256 | BearerAlgorithm::Hs256, None) => Ok(()),
        _ => Err("an EC key must be on P-256 and an OKP key Ed25519"),
    }
}

/// A private JWK's given public member (`x`) must be the one its private key derives.
fn same_public_member(
    key: &BearerKey,
    object: &Map<String, Value>,
    member: &str,
) -> Result<(), KeyRefusal> {
    let derived = key.public_jwk.as_ref().and_then(|jwk| jwk.get(member));
    match object.get(member) {
        None => Ok(()),
        Some(given) if Some(given) == derived => Ok(()),
        Some(_) => Err("a private JWK whose public member is not its private key's"),
    }
}

/// The bearer keys: the first signs, all verify. Each `kid` is distinct. `Debug` shows each
/// key's algorithm and `kid` only.
#[derive(Debug, Clone)]
pub struct BearerKeys {
    keys: Vec<BearerKey>,
}

impl BearerKeys {
    /// The keys, the signing key first; `source` names where they came from in errors.
    pub fn new(keys: impl IntoIterator<Item = BearerKey>) -> Result<Self, AuthError> {
        Self::with_source(keys.into_iter().collect(), "AuthBuilder::bearer_keys")
    }

    fn with_source(keys: Vec<BearerKey>, source: &'static str) -> Result<Self, AuthError> {
        if keys.is_empty() {
            return Err(AuthError::MissingBearerKeys { variable: source });
        }
        for (index, key) in keys.iter().enumerate() {
            if keys[..index].iter().any(|other| other.kid == key.kid) {
                return Err(AuthError::InvalidBearerKey {
                    variable: source,
                    index,
                    reason: "two keys have the same kid",
                });
            }
        }
        Ok(Self { keys })
    }

    /// Keys written as text, as `AUTH_BEARER_KEYS` holds them: one or more PEM blocks, one
    /// JWK, or a JWK set (`{"keys":[…]}`), the signing key first. `source` names the
    /// variable in errors.
    pub fn parse(text: &str, source: &'static str) -> Result<Self, AuthError> {
        let refused = |index: usize| {
            move |reason: KeyRefusal| AuthError::InvalidBearerKey {
                variable: source,
                index,
                reason,
            }
        };
        let text = text.trim();
        let keys = if text.starts_with('{') {
            let object = json::parse_object(text.as_bytes())
                .map_err(|_| refused(0)("not a JSON object (a JWK or a JWK set)"))?;
            match object.get("keys") {
                Some(Value::Array(set)) => set
                    .iter()
                    .enumerate()
                    .map(|(index, jwk)| match jwk {
                        Value::Object(jwk) => {
                            BearerKey::from_jwk_object(jwk).map_err(refused(index))
                        }
                        _ => Err(refused(index)("a JWK set member that is not an object")),
                    })
                    .collect::<Result<Vec<_>, _>>()?,
                Some(_) => return Err(refused(0)("a JWK set whose `keys` is not an array")),
                None => vec![BearerKey::from_jwk_object(&object).map_err(refused(0))?],
            }
        } else if text.starts_with("-----BEGIN ") {
            pem_blocks(text)
                .enumerate()
                .map(|(index, block)| BearerKey::from_pem(block).map_err(refused(index)))
                .collect::<Result<Vec<_>, _>>()?
        } else {
            return Err(refused(0)("neither PEM blocks nor a JWK or JWK set"));
        };
        Self::with_source(keys, source)
    }

    /// The keys of `AUTH_BEARER_KEYS`; `None` when it is unset.
    pub fn from_env() -> Result<Option<Self>, AuthError> {
        match std::env::var(BEARER_KEYS_VARIABLE) {
            Ok(text) => Self::parse(&text, BEARER_KEYS_VARIABLE).map(Some),
            Err(std::env::VarError::NotPresent) => Ok(None),
            Err(std::env::VarError::NotUnicode(_)) => Err(AuthError::NotUnicode {
                variable: BEARER_KEYS_VARIABLE,
            }),
        }
    }

    /// The first key, the one that signs (when it can).
    pub fn first(&self) -> &BearerKey {
        // `with_source` refuses an empty list.
        &self.keys[0]
    }

    /// The key whose `kid` is exactly `kid`.
    pub fn find(&self, kid: &str) -> Option<&BearerKey> {
        self.keys.iter().find(|key| key.kid == kid)
    }

    /// Every key, the signing key first.
    pub fn iter(&self) -> impl Iterator<Item = &BearerKey> {
        self.keys.iter()
    }

    /// The public key set, `{"keys":[…]}`: every key but secrets, none with a private member.
    pub fn jwks(&self) -> Value {
        let keys = self
            .keys
            .iter()
            .filter_map(|key| key.public_jwk.clone().map(Value::Object))
            .collect();
        let mut set = Map::new();
        set.insert("keys".into(), Value::Array(keys));
        Value::Object(set)
    }
}

/// The PEM blocks of `text`, each from its `-----BEGIN` line to its `-----END …-----` line.
fn pem_blocks(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let start = rest.find("-----BEGIN ")?;
        let after = &rest[start..];
        let end_marker = after.find("-----END ")?;
        let close = after[end_marker + 9..].find("-----")? + end_marker + 9 + 5;
        let block = &after[..close];
        rest = &after[close..];
        Some(block)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ED1: &str = include_str!("../../tests/vectors/bearer-keys/ed1.pem");
    const ED1_PUBLIC: &str = include_str!("../../tests/vectors/bearer-keys/ed1.pub.pem");
    const ED2: &str = include_str!("../../tests/vectors/bearer-keys/ed2.pem");
    const EC1: &str = include_str!("../../tests/vectors/bearer-keys/ec1.pem");
    const EC384: &str = include_str!("../../tests/vectors/bearer-keys/ec384.pem");
    const RSA1: &str = include_str!("../../tests/vectors/bearer-keys/rsa1.pem");
    const RSA1_PUBLIC: &str = include_str!("../../tests/vectors/bearer-keys/rsa1.pub.pem");
    const RSA_SMALL: &str = include_str!("../../tests/vectors/bearer-keys/rsa-small.pub.pem");
    const JOSE: &str = include_str!("../../tests/vectors/bearer-keys/keys.json");

    fn jose(name: &str) -> Value {
        serde_json::from_str::<Value>(JOSE).unwrap()[name].clone()
    }

    /// The `kid` of each key, from PEM or from JWK, is the thumbprint `jose` computes.
    #[test]
    fn kids_are_the_rfc7638_thumbprints_jose_computes_from_pem_and_jwk_alike() {
        for (name, pem) in [("ed1", ED1), ("ed2", ED2), ("ec1", EC1)] {
            let from_pem = BearerKey::from_pem(pem).unwrap();
            let from_jwk = BearerKey::from_jwk(&jose(name)["private"].to_string()).unwrap();
            let public = BearerKey::from_jwk(&jose(name)["public"].to_string()).unwrap();
            assert_eq!(from_pem.kid(), jose(name)["kid"], "{name}");
            assert_eq!(from_jwk.kid(), from_pem.kid(), "{name}");
            assert_eq!(public.kid(), from_pem.kid(), "{name}");
            assert!(from_pem.can_sign() && from_jwk.can_sign() && !public.can_sign());
        }
        let rsa = BearerKey::from_pem(RSA1_PUBLIC).unwrap();
        assert_eq!(rsa.kid(), jose("rsa1")["kid"]);
        assert_eq!(rsa.algorithm(), BearerAlgorithm::Rs256);
        assert!(!rsa.can_sign());
        assert_eq!(
            BearerKey::from_pem(ED1_PUBLIC).unwrap().kid(),
            jose("ed1")["kid"]
        );
    }

    /// CF-06: RSA under 2048 bits and HMAC secrets under 32 bytes are start-up errors; an RSA
    /// private key, a P-384 key and a private JWK whose halves disagree are refused.
    #[test]
    fn weak_foreign_or_inconsistent_keys_are_refused() {
        assert_eq!(
            BearerKey::from_pem(RSA_SMALL).unwrap_err(),
            "an RSA key under 2048 bits"
        );
        assert!(
            BearerKey::from_pem(RSA1)
                .unwrap_err()
                .contains("RSA private key")
        );
        assert!(BearerKey::from_pem(EC384).is_err());
        assert_eq!(
            BearerKey::hs256(&[7; 31]).unwrap_err(),
            "an HS256 secret shorter than 32 bytes"
        );
        assert!(BearerKey::hs256(&[7; 64]).is_err());
        let mut mixed = jose("ed1")["private"].clone();
        mixed["x"] = jose("ed2")["public"]["x"].clone();
        assert!(BearerKey::from_jwk(&mixed.to_string()).is_err());
        let mut wrong_alg = jose("ed1")["private"].clone();
        wrong_alg["alg"] = "HS256".into();
        assert!(BearerKey::from_jwk(&wrong_alg.to_string()).is_err());
        let oct =
            serde_json::json!({"kty": "oct", "k": URL_SAFE_NO_PAD.encode_to_string([1u8; 16])});
        assert!(BearerKey::from_jwk(&oct.to_string()).is_err());
    }

    /// CF-06: the published set has no private member (`d`, `p`, `q`, `k`) and no secret.
    #[test]
    fn the_key_set_publishes_public_keys_only_and_never_a_secret() {
        let secret: Vec<u8> = (0u8..48).collect();
        let keys = BearerKeys::new([
            BearerKey::from_pem(ED1).unwrap(),
            BearerKey::from_pem(EC1).unwrap(),
            BearerKey::hs256(&secret).unwrap(),
            BearerKey::from_pem(RSA1_PUBLIC).unwrap(),
        ])
        .unwrap();
        let set = keys.jwks();
        let published = set["keys"].as_array().unwrap();
        assert_eq!(published.len(), 3);
        for jwk in published {
            for private in ["d", "p", "q", "dp", "dq", "qi", "k"] {
                assert!(jwk.get(private).is_none(), "{private} in {jwk}");
            }
            assert_eq!(jwk["use"], "sig");
            assert!(keys.find(jwk["kid"].as_str().unwrap()).is_some());
        }
        let algs: Vec<&str> = published
            .iter()
            .map(|jwk| jwk["alg"].as_str().unwrap())
            .collect();
        assert_eq!(algs, ["EdDSA", "ES256", "RS256"]);
    }

    #[test]
    fn text_holds_pem_blocks_a_jwk_or_a_jwk_set_and_kids_are_distinct() {
        let pems = format!("{ED1}\n{EC1}\n{RSA1_PUBLIC}");
        let keys = BearerKeys::parse(&pems, BEARER_KEYS_VARIABLE).unwrap();
        let kids: Vec<&str> = keys.iter().map(BearerKey::kid).collect();
        assert_eq!(kids.len(), 3);
        assert_eq!(keys.first().algorithm(), BearerAlgorithm::EdDsa);
        let set = serde_json::json!({"keys": [jose("ec1")["private"], jose("ed1")["public"]]});
        let keys = BearerKeys::parse(&set.to_string(), BEARER_KEYS_VARIABLE).unwrap();
        assert_eq!(keys.first().algorithm(), BearerAlgorithm::Es256);
        assert!(keys.first().can_sign());
        let one = BearerKeys::parse(&jose("ed2")["private"].to_string(), "X").unwrap();
        assert_eq!(one.iter().count(), 1);
        assert!(matches!(
            BearerKeys::parse(&format!("{ED1}\n{ED1}"), "X"),
            Err(AuthError::InvalidBearerKey { index: 1, .. })
        ));
        assert!(matches!(
            BearerKeys::parse("changeme", BEARER_KEYS_VARIABLE),
            Err(AuthError::InvalidBearerKey {
                variable: BEARER_KEYS_VARIABLE,
                index: 0,
                ..
            })
        ));
        assert!(matches!(
            BearerKeys::parse(&format!("{ED1}\n{RSA1}"), "X"),
            Err(AuthError::InvalidBearerKey { index: 1, .. })
        ));
    }

    #[test]
    fn generated_keys_sign_and_differ() {
        let (a, b) = (
            BearerKey::generate_ed25519().unwrap(),
            BearerKey::generate_ed25519().unwrap(),
        );
        assert!(a.can_sign() && b.can_sign());
        assert_ne!(a.kid(), b.kid());
    }

    /// LG-02: a key's `Debug` shows its algorithm and kid, never its material.
    #[test]
    fn debug_output_never_shows_key_material() {
        let key = BearerKey::from_jwk(&jose("ed1")["private"].to_string()).unwrap();
        let printed = format!("{key:?} {:?}", BearerKeys::new([key.clone()]).unwrap());
        let d = jose("ed1")["private"]["d"].as_str().unwrap().to_owned();
        assert!(!printed.contains(&d), "{printed}");
        assert!(printed.contains(key.kid()) && printed.contains("EdDsa"));
        let secret = BearerKey::hs256(b"a-bearer-secret-of-more-than-32-bytes!").unwrap();
        assert!(!format!("{secret:?}").contains("a-bearer-secret"));
    }
}
