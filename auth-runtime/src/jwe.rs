//! Compact JWE with `alg: dir`, as Auth.js writes session tokens.
//!
//! Written here on the RustCrypto primitives because no maintained crate implements JWE
//! `dir` + A256CBC-HS512 (RFC 7516, RFC 7518 §5.2) without also pulling in every other JOSE
//! algorithm, and the header rules we need are stricter than a general JOSE library's: only
//! `alg: dir`, only A256CBC-HS512 (and A256GCM when decoding, as Auth.js accepts), no `zip`, no
//! `crit`, no other member. The header is checked before any key is looked up, so a hostile
//! header costs nothing.

use aes::Aes256;
use aes_gcm::aead::{Aead as _, KeyInit as _, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockModeDecrypt as _, BlockModeEncrypt as _, KeyIvInit as _};
use hmac::{Hmac, Mac as _};
use serde_json::Value;
use sha2::Sha512;
use zeroize::Zeroizing;

use crate::error::AuthError;
use crate::json;
use crate::keys::{DerivedKey, KeySet};

/// The AES-CBC initialisation vector length.
pub const CBC_IV_LEN: usize = 16;
/// The A256CBC-HS512 tag length: the first half of an HMAC-SHA-512.
pub const CBC_TAG_LEN: usize = 32;
const GCM_IV_LEN: usize = 12;
const GCM_TAG_LEN: usize = 16;
/// Longest protected header accepted, in base64url characters. Ours is 136.
const MAX_HEADER_LEN: usize = 512;

/// The content encryption named by a token's `enc` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentEncryption {
    /// AES-256-CBC with HMAC-SHA-512, what Auth.js v5 writes.
    A256CbcHs512,
    /// AES-256-GCM, which Auth.js also accepts when decoding.
    A256Gcm,
}

impl ContentEncryption {
    /// The `enc` header value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::A256CbcHs512 => "A256CBC-HS512",
            Self::A256Gcm => "A256GCM",
        }
    }
}

/// A token's protected header, once it passed the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtectedHeader {
    /// The content encryption.
    pub enc: ContentEncryption,
    /// The key id, if the token has one.
    pub kid: Option<String>,
}

/// The five parts of a compact JWE, split but not yet decoded.
struct CompactParts<'a> {
    header: &'a str,
    iv: &'a str,
    ciphertext: &'a str,
    tag: &'a str,
}

fn split_compact(token: &str, max_len: usize) -> Result<CompactParts<'_>, AuthError> {
    if token.len() > max_len {
        return Err(AuthError::MalformedToken(
            "longer than the longest accepted token",
        ));
    }
    if !token
        .bytes()
        .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.'))
    {
        return Err(AuthError::MalformedToken(
            "characters outside base64url and `.`",
        ));
    }
    let mut parts = token.split('.');
    let (Some(header), Some(key), Some(iv), Some(ciphertext), Some(tag), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Err(AuthError::MalformedToken("not five dot-separated parts"));
    };
    if header.is_empty() || iv.is_empty() || ciphertext.is_empty() || tag.is_empty() {
        return Err(AuthError::MalformedToken("empty part"));
    }
    if !key.is_empty() {
        return Err(AuthError::MalformedToken(
            "the encrypted-key part must be empty with alg dir",
        ));
    }
    Ok(CompactParts {
        header,
        iv,
        ciphertext,
        tag,
    })
}

fn decode_part(part: &str, what: &'static str) -> Result<Vec<u8>, AuthError> {
    URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| AuthError::MalformedToken(what))
}

/// Reads and checks a token's protected header without any key: for `auth-token inspect`
/// and as the first step of decoding.
pub fn read_protected_header(token: &str) -> Result<ProtectedHeader, AuthError> {
    let header = token.split('.').next().unwrap_or_default();
    parse_header(header)
}

fn parse_header(encoded: &str) -> Result<ProtectedHeader, AuthError> {
    if encoded.len() > MAX_HEADER_LEN {
        return Err(AuthError::UnsupportedHeader(
            "protected header too long".into(),
        ));
    }
    let bytes = decode_part(encoded, "protected header is not base64url")?;
    let members = json::parse_object(&bytes)
        .map_err(|why| AuthError::UnsupportedHeader(format!("not a JSON object: {why}")))?;
    let mut alg = None;
    let mut enc = None;
    let mut kid = None;
    for (name, value) in &members {
        match (name.as_str(), value) {
            ("alg", Value::String(value)) => alg = Some(value.as_str()),
            ("enc", Value::String(value)) => enc = Some(value.as_str()),
            ("kid", Value::String(value)) => kid = Some(value.clone()),
            ("alg" | "enc" | "kid", _) => {
                return Err(AuthError::UnsupportedHeader(format!(
                    "`{name}` must be a string"
                )));
            }
            ("zip", _) => {
                return Err(AuthError::UnsupportedHeader(
                    "compressed tokens (`zip`) are refused".into(),
                ));
            }
            ("crit", _) => {
                return Err(AuthError::UnsupportedHeader(
                    "critical extensions (`crit`) are refused".into(),
                ));
            }
            _ => {
                return Err(AuthError::UnsupportedHeader(format!(
                    "member `{}` is not allowed",
                    name.escape_debug()
                )));
            }
        }
    }
    match alg {
        Some("dir") => {}
        Some(other) => {
            return Err(AuthError::UnsupportedHeader(format!(
                "alg `{}` is refused; only `dir` is accepted",
                other.escape_debug()
            )));
        }
        None => return Err(AuthError::UnsupportedHeader("`alg` is missing".into())),
    }
    let enc = match enc {
        Some("A256CBC-HS512") => ContentEncryption::A256CbcHs512,
        Some("A256GCM") => ContentEncryption::A256Gcm,
        Some(other) => {
            return Err(AuthError::UnsupportedHeader(format!(
                "enc `{}` is refused; only A256CBC-HS512 and A256GCM are accepted",
                other.escape_debug()
            )));
        }
        None => return Err(AuthError::UnsupportedHeader("`enc` is missing".into())),
    };
    Ok(ProtectedHeader { enc, kid })
}

/// Encrypts `plaintext` under `key` with A256CBC-HS512 and the given IV, as a compact JWE.
///
/// The IV must be fresh random bytes for every token; [`encrypt`] supplies them.
#[allow(
    clippy::expect_used,
    reason = "the key halves and the IV have the fixed lengths AES-256-CBC takes"
)]
pub fn encrypt_with_iv(plaintext: &[u8], key: &DerivedKey, iv: &[u8; CBC_IV_LEN]) -> String {
    let (mac_key, enc_key) = key.cbc_hs512_key().split_at(32);
    let ciphertext = cbc::Encryptor::<Aes256>::new_from_slices(enc_key, iv)
        .expect("32-byte key and 16-byte IV")
        .encrypt_padded_vec::<Pkcs7>(plaintext);
    let header = key.encoded_header();
    let tag = cbc_hs512_mac(mac_key, header.as_bytes(), iv, &ciphertext)
        .finalize()
        .into_bytes();

    let mut token = String::with_capacity(
        header.len() + 2 + 22 + 1 + ciphertext.len().div_ceil(3) * 4 + 1 + 43,
    );
    token.push_str(header);
    token.push_str("..");
    URL_SAFE_NO_PAD.encode_string(iv, &mut token);
    token.push('.');
    URL_SAFE_NO_PAD.encode_string(&ciphertext, &mut token);
    token.push('.');
    URL_SAFE_NO_PAD.encode_string(&tag[..CBC_TAG_LEN], &mut token);
    token
}

/// Encrypts `plaintext` under `key` with A256CBC-HS512 and a random IV.
pub fn encrypt(plaintext: &[u8], key: &DerivedKey) -> String {
    let iv: [u8; CBC_IV_LEN] = rand::random();
    encrypt_with_iv(plaintext, key, &iv)
}

/// HMAC-SHA-512 over `AAD || IV || ciphertext || AL` (RFC 7518 §5.2.2.1), not yet finalised.
#[allow(clippy::expect_used, reason = "HMAC accepts keys of any length")]
fn cbc_hs512_mac(mac_key: &[u8], aad: &[u8], iv: &[u8], ciphertext: &[u8]) -> Hmac<Sha512> {
    let mut mac = Hmac::<Sha512>::new_from_slice(mac_key).expect("HMAC takes any key length");
    mac.update(aad);
    mac.update(iv);
    mac.update(ciphertext);
    let aad_bits = (aad.len() as u64).wrapping_mul(8);
    mac.update(&aad_bits.to_be_bytes());
    mac
}

/// Decrypts a compact JWE with the key its header names, returning the plaintext.
///
/// Refuses, in this order and before any cryptographic work where possible: tokens longer than
/// `max_len`; anything but five base64url parts with an empty key part; headers other than
/// `alg: dir` with a known `enc` and optional `kid`; a `kid` no configured secret has; IVs and
/// tags of the wrong length; a tag that does not verify (compared in constant time).
pub fn decrypt(
    token: &str,
    keys: &KeySet,
    max_len: usize,
) -> Result<Zeroizing<Vec<u8>>, AuthError> {
    let parts = split_compact(token, max_len)?;
    let header = parse_header(parts.header)?;
    let gcm = header.enc == ContentEncryption::A256Gcm;
    let key = keys
        .decoding_key(header.kid.as_deref(), gcm)
        .ok_or(AuthError::UnknownKey)?;
    let iv = decode_part(parts.iv, "iv is not base64url")?;
    let ciphertext = decode_part(parts.ciphertext, "ciphertext is not base64url")?;
    let tag = decode_part(parts.tag, "tag is not base64url")?;
    let aad = parts.header.as_bytes();
    match header.enc {
        ContentEncryption::A256CbcHs512 => {
            decrypt_cbc_hs512(key.cbc_hs512_key(), aad, &iv, &ciphertext, &tag)
        }
        ContentEncryption::A256Gcm => decrypt_gcm(key.gcm_key(), aad, &iv, &ciphertext, &tag),
    }
}

fn decrypt_cbc_hs512(
    key: &[u8; 64],
    aad: &[u8],
    iv: &[u8],
    ciphertext: &[u8],
    tag: &[u8],
) -> Result<Zeroizing<Vec<u8>>, AuthError> {
    if iv.len() != CBC_IV_LEN {
        return Err(AuthError::MalformedToken("iv must be 16 bytes"));
    }
    if tag.len() != CBC_TAG_LEN {
        return Err(AuthError::MalformedToken("tag must be 32 bytes"));
    }
    if ciphertext.is_empty() || !ciphertext.len().is_multiple_of(16) {
        return Err(AuthError::MalformedToken(
            "ciphertext is not a whole number of blocks",
        ));
    }
    let (mac_key, enc_key) = key.split_at(32);
    // `verify_truncated_left` compares the first 32 bytes of the HMAC in constant time; the
    // tag length was checked above, so a short tag cannot pass as a prefix.
    cbc_hs512_mac(mac_key, aad, iv, ciphertext)
        .verify_truncated_left(tag)
        .map_err(|_| AuthError::TagMismatch)?;
    let plaintext = cbc::Decryptor::<Aes256>::new_from_slices(enc_key, iv)
        .map_err(|_| AuthError::DecryptionFailed)?
        .decrypt_padded_vec::<Pkcs7>(ciphertext)
        .map_err(|_| AuthError::DecryptionFailed)?;
    Ok(Zeroizing::new(plaintext))
}

fn decrypt_gcm(
    key: &[u8],
    aad: &[u8],
    iv: &[u8],
    ciphertext: &[u8],
    tag: &[u8],
) -> Result<Zeroizing<Vec<u8>>, AuthError> {
    if iv.len() != GCM_IV_LEN {
        return Err(AuthError::MalformedToken("iv must be 12 bytes"));
    }
    if tag.len() != GCM_TAG_LEN {
        return Err(AuthError::MalformedToken("tag must be 16 bytes"));
    }
    let cipher = Aes256Gcm::new_from_slice(key).map_err(|_| AuthError::DecryptionFailed)?;
    let nonce =
        Nonce::try_from(iv).map_err(|_| AuthError::MalformedToken("iv must be 12 bytes"))?;
    let mut message = Vec::with_capacity(ciphertext.len() + tag.len());
    message.extend_from_slice(ciphertext);
    message.extend_from_slice(tag);
    cipher
        .decrypt(&nonce, Payload { msg: &message, aad })
        .map(Zeroizing::new)
        .map_err(|_| AuthError::TagMismatch)
}
