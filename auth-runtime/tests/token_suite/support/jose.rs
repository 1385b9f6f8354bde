//! An independent compact-JWE encryptor for forging test tokens.
//!
//! Written on the RustCrypto primitives directly, sharing no code with `auth_runtime::jwe`, so
//! that a hostile token it makes carries an authentication tag that verifies: when such a token
//! is refused, the refusal comes from the header, length or claims check under test, not from
//! the MAC. It takes any protected header JSON and any plaintext bytes.
//!
//! A256CBC-HS512 (RFC 7518 §5.2.5): the 64-byte key is the MAC key (bytes 0..32) then the
//! AES-256-CBC key (bytes 32..64); the tag is the first 32 bytes of
//! HMAC-SHA-512(mac key, AAD ‖ IV ‖ ciphertext ‖ AAD length in bits, u64 big endian), where the
//! AAD is the ASCII base64url protected header. A256GCM (RFC 7518 §5.3) is here too, for the
//! one other `enc` Auth.js accepts, built from the AES block function and a plain GHASH.

use aes::Aes256;
use aes::cipher::block_padding::Pkcs7;
use aes::cipher::{BlockCipherEncrypt as _, BlockModeEncrypt as _, KeyInit as _, KeyIvInit as _};
use auth_runtime::DerivedKey;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac as _};
use sha2::Sha512;

/// Length of an A256CBC-HS512 key.
pub(crate) const CBC_HS512_KEY_LEN: usize = 64;

/// The IV [`encrypt`] uses: fixed, so that forged tokens are reproducible. Reusing an IV is
/// harmless for tokens that never leave a test.
pub(crate) const FIXED_IV: [u8; 16] = *b"forged-token-iv!";

/// The IV [`encrypt_gcm`] uses.
pub(crate) const FIXED_GCM_IV: [u8; 12] = *b"forged-gcm12";

/// base64url without padding, as every JWE part is encoded.
pub(crate) fn b64(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes one base64url part of a token.
pub(crate) fn unb64(part: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(part).expect("a base64url part")
}

/// The 64 raw key bytes of a derived key, from its hex form.
pub(crate) fn key_bytes(key: &DerivedKey) -> [u8; CBC_HS512_KEY_LEN] {
    let hex = key.__key_hex_for_tests();
    assert_eq!(hex.len(), 2 * CBC_HS512_KEY_LEN, "a 64-byte key in hex");
    let mut bytes = [0u8; CBC_HS512_KEY_LEN];
    for (byte, pair) in bytes.iter_mut().zip(hex.as_bytes().chunks(2)) {
        let pair = std::str::from_utf8(pair).expect("hex is ASCII");
        *byte = u8::from_str_radix(pair, 16).expect("hex digits");
    }
    bytes
}

/// The protected header `TokenCodec` writes, naming the key `kid`.
pub(crate) fn standard_header(kid: &str) -> String {
    format!(r#"{{"alg":"dir","enc":"A256CBC-HS512","kid":"{kid}"}}"#)
}

/// AES-256-CBC with PKCS#7 padding under the second half of `key`.
pub(crate) fn cbc_encrypt(
    key: &[u8; CBC_HS512_KEY_LEN],
    iv: &[u8; 16],
    plaintext: &[u8],
) -> Vec<u8> {
    cbc::Encryptor::<Aes256>::new_from_slices(&key[32..], iv)
        .expect("32-byte key and 16-byte IV")
        .encrypt_padded_vec::<Pkcs7>(plaintext)
}

/// The whole 64-byte HMAC-SHA-512 over `aad ‖ iv ‖ ciphertext ‖ AL` under the first half of
/// `key`; the A256CBC-HS512 tag is its first 32 bytes. Any IV length is accepted, so that
/// tokens with IVs of the wrong length can still carry a tag that verifies.
pub(crate) fn full_mac(
    key: &[u8; CBC_HS512_KEY_LEN],
    aad: &[u8],
    iv: &[u8],
    ciphertext: &[u8],
) -> [u8; 64] {
    let mut mac = Hmac::<Sha512>::new_from_slice(&key[..32]).expect("HMAC takes any key length");
    mac.update(aad);
    mac.update(iv);
    mac.update(ciphertext);
    let aad_bits = u64::try_from(aad.len()).expect("a small AAD") * 8;
    mac.update(&aad_bits.to_be_bytes());
    mac.finalize().into_bytes().into()
}

/// The A256CBC-HS512 tag: the first 32 bytes of [`full_mac`].
pub(crate) fn tag(
    key: &[u8; CBC_HS512_KEY_LEN],
    aad: &[u8],
    iv: &[u8],
    ciphertext: &[u8],
) -> [u8; 32] {
    let mac = full_mac(key, aad, iv, ciphertext);
    let mut tag = [0u8; 32];
    tag.copy_from_slice(&mac[..32]);
    tag
}

/// A compact JWE whose first part is `encoded_header` exactly as given (it is also the AAD,
/// so it may be non-canonical or not even base64url) and whose tag verifies under `key`.
pub(crate) fn encrypt_with_encoded_header(
    key: &[u8; CBC_HS512_KEY_LEN],
    encoded_header: &str,
    plaintext: &[u8],
    iv: &[u8; 16],
) -> String {
    let ciphertext = cbc_encrypt(key, iv, plaintext);
    let tag = tag(key, encoded_header.as_bytes(), iv, &ciphertext);
    format!(
        "{encoded_header}..{}.{}.{}",
        b64(iv),
        b64(&ciphertext),
        b64(tag)
    )
}

/// A compact A256CBC-HS512 JWE of `plaintext` under `key`, with any protected header JSON.
pub(crate) fn encrypt_with_iv(
    key: &[u8; CBC_HS512_KEY_LEN],
    header_json: &str,
    plaintext: &[u8],
    iv: &[u8; 16],
) -> String {
    encrypt_with_encoded_header(key, &b64(header_json), plaintext, iv)
}

/// As [`encrypt_with_iv`], with [`FIXED_IV`].
pub(crate) fn encrypt(
    key: &[u8; CBC_HS512_KEY_LEN],
    header_json: &str,
    plaintext: &[u8],
) -> String {
    encrypt_with_iv(key, header_json, plaintext, &FIXED_IV)
}

/// Multiplication in GF(2^128) as GCM defines it (NIST SP 800-38D, algorithm 1).
fn gf_mul(x: u128, y: u128) -> u128 {
    const R: u128 = 0xE1 << 120;
    let mut z = 0;
    let mut v = y;
    for bit in (0..128).rev() {
        if (x >> bit) & 1 == 1 {
            z ^= v;
        }
        v = if v & 1 == 1 { (v >> 1) ^ R } else { v >> 1 };
    }
    z
}

fn ghash(h: u128, aad: &[u8], ciphertext: &[u8]) -> u128 {
    let mut y = 0;
    for data in [aad, ciphertext] {
        for chunk in data.chunks(16) {
            let mut block = [0u8; 16];
            block[..chunk.len()].copy_from_slice(chunk);
            y = gf_mul(y ^ u128::from_be_bytes(block), h);
        }
    }
    let bits = |len: usize| u128::from(u64::try_from(len).expect("a small input") * 8);
    gf_mul(y ^ (bits(aad.len()) << 64 | bits(ciphertext.len())), h)
}

/// AES-256-GCM with a 96-bit IV: the ciphertext and the 16-byte tag.
pub(crate) fn gcm_seal(
    key: &[u8; 32],
    iv: &[u8; 12],
    aad: &[u8],
    plaintext: &[u8],
) -> (Vec<u8>, [u8; 16]) {
    let cipher = Aes256::new_from_slice(key).expect("a 32-byte key");
    let encrypt_block = |input: u128| -> u128 {
        let mut block = aes::Block::from(input.to_be_bytes());
        cipher.encrypt_block(&mut block);
        u128::from_be_bytes(block.into())
    };
    let h = encrypt_block(0);
    let mut j0 = [0u8; 16];
    j0[..12].copy_from_slice(iv);
    j0[15] = 1;
    let j0 = u128::from_be_bytes(j0);
    let inc32 = |counter: u128, by: u32| {
        let low = u32::try_from(counter & 0xffff_ffff)
            .expect("32 bits")
            .wrapping_add(by);
        (counter & !0xffff_ffff) | u128::from(low)
    };
    let mut ciphertext = Vec::with_capacity(plaintext.len());
    for (index, chunk) in plaintext.chunks(16).enumerate() {
        let by = u32::try_from(index + 1).expect("a short plaintext");
        let stream = encrypt_block(inc32(j0, by)).to_be_bytes();
        ciphertext.extend(chunk.iter().zip(stream).map(|(byte, key)| byte ^ key));
    }
    let tag = (encrypt_block(j0) ^ ghash(h, aad, &ciphertext)).to_be_bytes();
    (ciphertext, tag)
}

/// A compact A256GCM JWE of `plaintext` under `key` (the first 32 bytes of the 64-byte key,
/// as Auth.js takes them), with any protected header JSON.
pub(crate) fn encrypt_gcm(
    key: &[u8; CBC_HS512_KEY_LEN],
    header_json: &str,
    plaintext: &[u8],
) -> String {
    let mut gcm_key = [0u8; 32];
    gcm_key.copy_from_slice(&key[..32]);
    let header = b64(header_json);
    let (ciphertext, tag) = gcm_seal(&gcm_key, &FIXED_GCM_IV, header.as_bytes(), plaintext);
    format!(
        "{header}..{}.{}.{}",
        b64(FIXED_GCM_IV),
        b64(&ciphertext),
        b64(tag)
    )
}
