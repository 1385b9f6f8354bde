//! Compact JWE with `alg: dir`, as Auth.js writes session tokens.
//!
//! Written here on the RustCrypto primitives because no maintained crate implements JWE
//! `dir` + A256CBC-HS512 (RFC 7516, RFC 7518 §5.2) without also pulling in every other JOSE
//! algorithm, and the header rules we need are stricter than a general JOSE library's: only
//! `alg: dir`, only A256CBC-HS512 (and A256GCM when decoding, as Auth.js accepts), no `zip`, no
//! `crit`, no other member. The header is checked before any key is looked up, so a hostile
//! header costs nothing.

use aes_gcm::aead::{Aead as _, KeyInit as _, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64_simd::{AsOut as _, URL_SAFE_NO_PAD};
use hmac::Mac as _;
use serde_json::Value;
use zeroize::Zeroizing;

use crate::base64url::is_base64url_or_dot;
use crate::cbc_hs512::CbcHs512Cipher;
use crate::error::AuthError;
use crate::json;
use crate::keys::{DerivedKey, KeySet};

/// The AES-CBC initialisation vector length.
pub(crate) const CBC_IV_LEN: usize = crate::cbc_hs512::IV_LEN;
/// The A256CBC-HS512 tag length: the first half of an HMAC-SHA-512.
pub(crate) const CBC_TAG_LEN: usize = 32;
const GCM_IV_LEN: usize = 12;
const GCM_TAG_LEN: usize = 16;
/// Longest protected header accepted, in base64url characters. Ours is 136.
const MAX_HEADER_LEN: usize = 512;
/// Base64url (unpadded) lengths of the A256CBC-HS512 IV and tag.
const CBC_IV_B64_LEN: usize = 22;
const CBC_TAG_B64_LEN: usize = 43;

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
    if !is_base64url_or_dot(token.as_bytes()) {
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
        .decode_to_vec(part)
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

/// Encrypts `plaintext` under `key` with A256CBC-HS512 and the given IV, as a compact JWE:
/// for known-answer tests only, behind the internal `_test-internals` feature. The IV must be
/// fresh random bytes for every token; the codec's encryption supplies them.
#[cfg(feature = "_test-internals")]
pub fn encrypt_with_iv(plaintext: &[u8], key: &DerivedKey, iv: &[u8; CBC_IV_LEN]) -> String {
    seal(plaintext, key, iv)
}

/// Encrypts `plaintext` under `key` with A256CBC-HS512 and `iv`, as a compact JWE.
fn seal(plaintext: &[u8], key: &DerivedKey, iv: &[u8; CBC_IV_LEN]) -> String {
    let cipher = key.cbc_hs512();
    // Encrypted in place: PKCS#7 always adds 1..=16 bytes. The buffer holds the plaintext
    // until it is encrypted, so it is zeroized when dropped.
    let mut buffer = Zeroizing::new(vec![0u8; (plaintext.len() / 16 + 1) * 16]);
    buffer[..plaintext.len()].copy_from_slice(plaintext);
    let header = key.encoded_header();
    let (ciphertext, tag) =
        seal_in_place(cipher, header.as_bytes(), iv, &mut buffer, plaintext.len());

    let mut token = String::with_capacity(
        header.len() + 2 + 22 + 1 + ciphertext.len().div_ceil(3) * 4 + 1 + 43,
    );
    token.push_str(header);
    token.push_str("..");
    URL_SAFE_NO_PAD.encode_append(iv, &mut token);
    token.push('.');
    URL_SAFE_NO_PAD.encode_append(ciphertext, &mut token);
    token.push('.');
    URL_SAFE_NO_PAD.encode_append(&tag[..CBC_TAG_LEN], &mut token);
    token
}

/// A256CBC-HS512 of the first `len` bytes of `buffer` (sized for their padding) with `iv`,
/// authenticated with `aad`: the ciphertext, in `buffer`, and the whole HMAC-SHA-512, whose
/// first [`CBC_TAG_LEN`] bytes are the tag.
fn seal_in_place<'b>(
    cipher: &CbcHs512Cipher,
    aad: &[u8],
    iv: &[u8; CBC_IV_LEN],
    buffer: &'b mut [u8],
    len: usize,
) -> (&'b [u8], [u8; 64]) {
    let ciphertext = cipher.encrypt_in_place(iv, buffer, len);
    let tag = cipher.mac(aad, iv, ciphertext).finalize().into_bytes();
    (ciphertext, tag.into())
}

/// A256CBC-HS512 (RFC 7518 §5.2) with any 64-byte key and AAD, as the codec seals: the
/// ciphertext and the 32-byte tag. For the standard vectors (RFC 7518 App. B.3, Wycheproof),
/// behind the internal `_test-internals` feature. Not public API.
#[cfg(feature = "_test-internals")]
#[doc(hidden)]
pub fn __a256cbc_hs512_seal_for_tests(
    key: &[u8; 64],
    aad: &[u8],
    iv: &[u8; CBC_IV_LEN],
    plaintext: &[u8],
) -> (Vec<u8>, Vec<u8>) {
    let cipher = CbcHs512Cipher::new(key, "");
    let mut buffer = vec![0u8; (plaintext.len() / 16 + 1) * 16];
    buffer[..plaintext.len()].copy_from_slice(plaintext);
    let (ciphertext, tag) = seal_in_place(&cipher, aad, iv, &mut buffer, plaintext.len());
    (ciphertext.to_vec(), tag[..CBC_TAG_LEN].to_vec())
}

/// A256CBC-HS512 decryption with any 64-byte key and AAD, through the checks a token's parts
/// pass (IV and tag lengths, whole blocks, the tag in constant time, the padding). For the
/// standard vectors, behind the internal `_test-internals` feature. Not public API.
#[cfg(feature = "_test-internals")]
#[doc(hidden)]
pub fn __a256cbc_hs512_open_for_tests(
    key: &[u8; 64],
    aad: &[u8],
    iv: &[u8],
    ciphertext: &[u8],
    tag: &[u8],
) -> Result<Vec<u8>, AuthError> {
    let cipher = CbcHs512Cipher::new(key, "");
    let [iv, ciphertext, tag] =
        [iv, ciphertext, tag].map(|part| URL_SAFE_NO_PAD.encode_to_string(part));
    let parts = CompactParts {
        header: "",
        iv: &iv,
        ciphertext: &ciphertext,
        tag: &tag,
    };
    decrypt_cbc_hs512(&cipher, aad, &parts).map(|plaintext| plaintext.to_vec())
}

/// A256GCM decryption (RFC 7518 §5.3) as a token in A256GCM is opened: 32-byte key, 12-byte
/// IV, 16-byte tag, anything else refused. For the standard vectors, behind the internal
/// `_test-internals` feature. Not public API.
#[cfg(feature = "_test-internals")]
#[doc(hidden)]
pub fn __a256gcm_open_for_tests(
    key: &[u8],
    aad: &[u8],
    iv: &[u8],
    ciphertext: &[u8],
    tag: &[u8],
) -> Result<Vec<u8>, AuthError> {
    decrypt_gcm(key, aad, iv, ciphertext, tag).map(|plaintext| plaintext.to_vec())
}

/// Encrypts `plaintext` under `key` with A256CBC-HS512 and a random IV.
pub(crate) fn encrypt(plaintext: &[u8], key: &DerivedKey) -> String {
    let iv: [u8; CBC_IV_LEN] = rand::random();
    seal(plaintext, key, &iv)
}

/// Decrypts a compact JWE with the key its header names, returning the plaintext.
///
/// Refuses, in this order and before any cryptographic work where possible: tokens longer than
/// `max_len`; anything but five base64url parts with an empty key part; headers other than
/// `alg: dir` with a known `enc` and optional `kid`; a `kid` no configured secret has; IVs and
/// tags of the wrong length; a tag that does not verify (compared in constant time).
pub(crate) fn decrypt(
    token: &str,
    keys: &KeySet,
    max_len: usize,
) -> Result<Zeroizing<Vec<u8>>, AuthError> {
    open(token, keys, max_len).map(|opened| opened.plaintext)
}

/// A decrypted token.
pub(crate) struct Opened {
    /// The claims, as bytes.
    pub(crate) plaintext: Zeroizing<Vec<u8>>,
    /// Whether it is written as a re-issue would write it now: A256CBC-HS512 under the newest
    /// secret's key. A token under an older secret, or in A256GCM, is due for re-issue.
    pub(crate) as_written_now: bool,
}

impl Opened {
    /// `plaintext`, opened by `key` of `keys` with A256CBC-HS512.
    fn by(keys: &KeySet, key: &DerivedKey, plaintext: Zeroizing<Vec<u8>>) -> Self {
        Self {
            plaintext,
            as_written_now: std::ptr::eq(key, keys.encoding_key()),
        }
    }
}

/// [`decrypt`], telling also which key opened the token.
pub(crate) fn open(token: &str, keys: &KeySet, max_len: usize) -> Result<Opened, AuthError> {
    let opened = |key: &DerivedKey, plaintext| Opened::by(keys, key, plaintext);
    // The common case: a token laid out as our keys write them (Auth.js writes the same
    // bytes): one key's own header, an empty key part, then parts of the lengths
    // A256CBC-HS512 gives. Nothing to scan, split or parse; a token this path refuses as
    // malformed is read again below, so that the error is the one the checks give in order.
    if token.len() <= max_len
        && let Some((key, parts)) = our_layout(token, keys)
    {
        match decrypt_cbc_hs512(key.cbc_hs512(), parts.header.as_bytes(), &parts) {
            Err(AuthError::MalformedToken(_)) => {}
            decrypted => return decrypted.map(|plaintext| opened(key, plaintext)),
        }
    }
    open_split(token, keys, max_len)
}

/// [`open`] for any token: checked character by character, split at its dots, its header
/// matched or parsed.
fn open_split(token: &str, keys: &KeySet, max_len: usize) -> Result<Opened, AuthError> {
    let opened = |key: &DerivedKey, plaintext| Opened::by(keys, key, plaintext);
    let parts = split_compact(token, max_len)?;
    let aad = parts.header.as_bytes();
    // A header byte-for-byte equal to one our keys write, split the general way.
    if let Some(key) = keys.key_for_encoded_header(parts.header) {
        return decrypt_cbc_hs512(key.cbc_hs512(), aad, &parts)
            .map(|plaintext| opened(key, plaintext));
    }
    let header = parse_header(parts.header)?;
    let gcm = header.enc == ContentEncryption::A256Gcm;
    let key = keys
        .decoding_key(header.kid.as_deref(), gcm)
        .ok_or(AuthError::UnknownKey)?;
    match header.enc {
        ContentEncryption::A256CbcHs512 => {
            decrypt_cbc_hs512(key.cbc_hs512(), aad, &parts).map(|plaintext| opened(key, plaintext))
        }
        ContentEncryption::A256Gcm => {
            let iv = decode_part(parts.iv, "iv is not base64url")?;
            let ciphertext = decode_part(parts.ciphertext, "ciphertext is not base64url")?;
            let tag = decode_part(parts.tag, "tag is not base64url")?;
            let plaintext = decrypt_gcm(key.gcm_key(), aad, &iv, &ciphertext, &tag)?;
            Ok(Opened {
                plaintext,
                as_written_now: false,
            })
        }
    }
}

/// The parts of `token` when it is `<one of our headers>..<22 characters>.<ciphertext>.<43
/// characters>`, with the key that header names. Only the dots are looked at: the IV,
/// ciphertext and tag are checked as base64url when they are decoded, and a ciphertext that
/// holds a dot is not base64url. Whatever this accepts, [`split_compact`] splits the same way.
fn our_layout<'t, 'k>(
    token: &'t str,
    keys: &'k KeySet,
) -> Option<(&'k DerivedKey, CompactParts<'t>)> {
    let header_len = token.find('.')?;
    let (header, rest) = token.split_at(header_len);
    let key = keys.key_for_encoded_header(header)?;
    let rest = rest.strip_prefix("..")?;
    let (iv, rest) = (rest.get(..CBC_IV_B64_LEN)?, rest.get(CBC_IV_B64_LEN..)?);
    let rest = rest.strip_prefix('.')?;
    let tag_start = rest.len().checked_sub(CBC_TAG_B64_LEN)?;
    let (ciphertext, tag) = (rest.get(..tag_start)?, rest.get(tag_start..)?);
    let ciphertext = ciphertext.strip_suffix('.')?;
    if ciphertext.is_empty() || tag.contains('.') {
        return None;
    }
    Some((
        key,
        CompactParts {
            header,
            iv,
            ciphertext,
            tag,
        },
    ))
}

/// Decodes a base64url part that must be exactly `N` bytes into an array, without allocating
/// when its length is right: `Ok(None)` when it is base64url of another length.
fn decode_fixed<const N: usize>(
    part: &str,
    b64_len: usize,
    not_base64: &'static str,
) -> Result<Option<[u8; N]>, AuthError> {
    let mut out = [0u8; N];
    if part.len() == b64_len {
        return match URL_SAFE_NO_PAD.decoded_length(part.as_bytes()) {
            Ok(len) if len == N => {
                match URL_SAFE_NO_PAD.decode(part.as_bytes(), out[..].as_out()) {
                    Ok(_) => Ok(Some(out)),
                    Err(_) => Err(AuthError::MalformedToken(not_base64)),
                }
            }
            Ok(_) => decode_part(part, not_base64).map(|_| None),
            Err(_) => Err(AuthError::MalformedToken(not_base64)),
        };
    }
    decode_part(part, not_base64).map(|_| None)
}

fn decrypt_cbc_hs512(
    cipher: &CbcHs512Cipher,
    aad: &[u8],
    parts: &CompactParts<'_>,
) -> Result<Zeroizing<Vec<u8>>, AuthError> {
    // Every part is decoded before any length is checked, so errors come in the same order
    // as decoding them whole would give.
    let iv = decode_fixed::<CBC_IV_LEN>(parts.iv, CBC_IV_B64_LEN, "iv is not base64url")?;
    // Decrypted in place below, so zeroized from the start.
    let mut buffer = Zeroizing::new(decode_part(
        parts.ciphertext,
        "ciphertext is not base64url",
    )?);
    let tag = decode_fixed::<CBC_TAG_LEN>(parts.tag, CBC_TAG_B64_LEN, "tag is not base64url")?;
    let Some(iv) = iv else {
        return Err(AuthError::MalformedToken("iv must be 16 bytes"));
    };
    let Some(tag) = tag else {
        return Err(AuthError::MalformedToken("tag must be 32 bytes"));
    };
    if buffer.is_empty() || !buffer.len().is_multiple_of(16) {
        return Err(AuthError::MalformedToken(
            "ciphertext is not a whole number of blocks",
        ));
    }
    // `verify_truncated_left` compares the first 32 bytes of the HMAC in constant time; the
    // tag is exactly 32 bytes, so a short tag cannot pass as a prefix.
    cipher
        .mac(aad, &iv, &buffer)
        .verify_truncated_left(&tag)
        .map_err(|_| AuthError::TagMismatch)?;
    let len = cipher
        .decrypt_in_place(&iv, &mut buffer)
        .ok_or(AuthError::DecryptionFailed)?
        .len();
    buffer.truncate(len);
    Ok(buffer)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::KeySet;
    use crate::secret::Secrets;

    #[test]
    fn fast_and_parsed_header_paths_open_the_same_tokens() {
        let secrets = Secrets::new(["jwe-unit-secret-0123456789abcdef0123"]).unwrap();
        let keys = KeySet::derive(&secrets, "authjs.session-token");
        let key = keys.encoding_key();
        let token = encrypt(b"{\"sub\":\"1\"}", key);
        assert!(keys.key_for_encoded_header(key.encoded_header()).is_some());
        assert_eq!(
            decrypt(&token, &keys, 4096).unwrap().as_slice(),
            b"{\"sub\":\"1\"}"
        );
        // The same header with its members reordered is not ours byte for byte: parsed.
        let reordered = URL_SAFE_NO_PAD.encode_to_string(format!(
            r#"{{"kid":"{}","enc":"A256CBC-HS512","alg":"dir"}}"#,
            key.kid()
        ));
        assert!(keys.key_for_encoded_header(&reordered).is_none());
        let rest = token.split_once('.').unwrap().1;
        let iv: [u8; CBC_IV_LEN] = rand::random();
        let resealed = encrypt_reheadered(b"{\"sub\":\"1\"}", key, &reordered, &iv);
        assert_eq!(
            decrypt(&resealed, &keys, 4096).unwrap().as_slice(),
            b"{\"sub\":\"1\"}"
        );
        // A token whose tag was made over the other header does not open.
        let swapped = format!("{reordered}.{rest}");
        assert_eq!(decrypt(&swapped, &keys, 4096), Err(AuthError::TagMismatch));
    }

    /// The fixed-layout path answers every token exactly as the general one does: a changed,
    /// removed or added character anywhere (a dot included), and tokens cut or extended.
    #[test]
    fn the_layout_fast_path_answers_as_the_general_path() {
        let secrets = Secrets::new(["a-long-enough-secret-for-these-tests-0123"]).unwrap();
        let rotated = Secrets::new([
            "another-long-enough-secret-for-the-tests-9",
            "a-long-enough-secret-for-these-tests-0123",
        ])
        .unwrap();
        let keys = KeySet::derive(&secrets, "authjs.session-token");
        let both = KeySet::derive(&rotated, "authjs.session-token");
        let token = encrypt(br#"{"sub":"1","name":"n"}"#, keys.encoding_key());
        let mut variants = vec![token.clone(), format!("{token}."), format!(".{token}")];
        for (index, _) in token.char_indices() {
            for replacement in ['.', 'A', '_', '=', '+', ' '] {
                let mut changed = token.clone();
                changed.replace_range(index..=index, &replacement.to_string());
                variants.push(changed);
            }
            let mut removed = token.clone();
            removed.remove(index);
            variants.push(removed);
            let mut added = token.clone();
            added.insert(index, '.');
            variants.push(added);
            variants.push(token[..index].to_owned());
        }
        // Opened by the newest key only where it is the newest.
        assert!(open(&token, &keys, 4096).unwrap().as_written_now);
        assert!(!open(&token, &both, 4096).unwrap().as_written_now);
        for variant in &variants {
            for keys in [&keys, &both] {
                for max_len in [4096, token.len() - 1] {
                    let fast = open(variant, keys, max_len);
                    let general = open_split(variant, keys, max_len);
                    assert_eq!(
                        fast.map(|o| (o.plaintext, o.as_written_now)),
                        general.map(|o| (o.plaintext, o.as_written_now)),
                        "{variant}"
                    );
                }
            }
        }
    }

    /// Seals under `key` with an arbitrary protected header.
    fn encrypt_reheadered(
        plaintext: &[u8],
        key: &DerivedKey,
        header: &str,
        iv: &[u8; CBC_IV_LEN],
    ) -> String {
        let cipher = key.cbc_hs512();
        let mut buffer = vec![0u8; (plaintext.len() / 16 + 1) * 16];
        buffer[..plaintext.len()].copy_from_slice(plaintext);
        let ciphertext = cipher.encrypt_in_place(iv, &mut buffer, plaintext.len());
        let tag = cipher
            .mac(header.as_bytes(), iv, ciphertext)
            .finalize()
            .into_bytes();
        format!(
            "{header}..{}.{}.{}",
            URL_SAFE_NO_PAD.encode_to_string(iv),
            URL_SAFE_NO_PAD.encode_to_string(ciphertext),
            URL_SAFE_NO_PAD.encode_to_string(&tag[..CBC_TAG_LEN])
        )
    }
}
