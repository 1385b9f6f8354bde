//! A256CBC-HS512 (RFC 7518 §5.2): AES-256-CBC with PKCS#7 padding, authenticated by the first
//! half of an HMAC-SHA-512, keyed once per derived key.

use aes::{Aes256Dec, Aes256Enc};
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockModeDecrypt as _, BlockModeEncrypt as _, InnerIvInit as _};
use hmac::{Hmac, KeyInit as _, Mac as _};
use sha2::Sha512;

/// The AES-CBC initialisation vector length.
pub(crate) const IV_LEN: usize = 16;

/// An A256CBC-HS512 key set up once for every token it opens or seals: the HMAC-SHA-512 with
/// its key pads already absorbed (two SHA-512 blocks saved per token), the same again with the
/// key's own protected header absorbed too (the AAD of every token the key writes, and of
/// Auth.js's: one more block saved), and both AES-256 key schedules. Each use clones a state;
/// every copy zeroizes itself when dropped.
pub(crate) struct CbcHs512Cipher {
    mac: Hmac<Sha512>,
    /// The key's own protected header, base64url, as it stands first in its tokens.
    own_header: Box<[u8]>,
    /// `mac` after `own_header`.
    mac_after_own_header: Hmac<Sha512>,
    enc: Aes256Enc,
    dec: Aes256Dec,
}

impl CbcHs512Cipher {
    /// Keys the cipher: MAC key = bytes 0..32, AES key = bytes 32..64 (RFC 7518 §5.2.2.1).
    #[allow(
        clippy::expect_used,
        reason = "HMAC takes any key length and the AES half is always 32 bytes"
    )]
    pub(crate) fn new(key: &[u8; 64], own_header: &str) -> Self {
        let (mac_key, enc_key) = key.split_at(32);
        let mac = Hmac::<Sha512>::new_from_slice(mac_key).expect("HMAC takes any key length");
        let mut mac_after_own_header = mac.clone();
        mac_after_own_header.update(own_header.as_bytes());
        Self {
            mac,
            own_header: own_header.as_bytes().into(),
            mac_after_own_header,
            enc: Aes256Enc::new_from_slice(enc_key).expect("a 32-byte AES-256 key"),
            dec: Aes256Dec::new_from_slice(enc_key).expect("a 32-byte AES-256 key"),
        }
    }

    /// HMAC-SHA-512 over `AAD || IV || ciphertext || AL` (RFC 7518 §5.2.2.1), not finalised.
    pub(crate) fn mac(&self, aad: &[u8], iv: &[u8], ciphertext: &[u8]) -> Hmac<Sha512> {
        let mut mac = if aad == &*self.own_header {
            self.mac_after_own_header.clone()
        } else {
            let mut mac = self.mac.clone();
            mac.update(aad);
            mac
        };
        mac.update(iv);
        mac.update(ciphertext);
        let aad_bits = (aad.len() as u64).wrapping_mul(8);
        mac.update(&aad_bits.to_be_bytes());
        mac
    }

    /// Encrypts the first `len` bytes of `buffer` in place with `iv`, padding them (PKCS#7)
    /// into the rest: `buffer` holds at least `(len / 16 + 1) * 16` bytes. Returns the
    /// ciphertext.
    #[allow(
        clippy::expect_used,
        reason = "the callers size the buffer for the padded plaintext, so padding cannot fail"
    )]
    pub(crate) fn encrypt_in_place<'b>(
        &self,
        iv: &[u8; IV_LEN],
        buffer: &'b mut [u8],
        len: usize,
    ) -> &'b [u8] {
        cbc::Encryptor::inner_iv_init(self.enc.clone(), &(*iv).into())
            .encrypt_padded::<Pkcs7>(buffer, len)
            .expect("the buffer holds the padded plaintext")
    }

    /// Decrypts `buffer` (whole blocks) in place with `iv` and removes the padding: the
    /// plaintext, or `None` when the padding is wrong.
    pub(crate) fn decrypt_in_place<'b>(
        &self,
        iv: &[u8; IV_LEN],
        buffer: &'b mut [u8],
    ) -> Option<&'b [u8]> {
        cbc::Decryptor::inner_iv_init(self.dec.clone(), &(*iv).into())
            .decrypt_padded::<Pkcs7>(buffer)
            .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The state kept past the key's own header gives the MAC a fresh state gives.
    #[test]
    fn the_mac_past_the_own_header_is_the_mac() {
        let own_header = "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2Q0JDLUhTNTEyIn0";
        let cipher = CbcHs512Cipher::new(&[5u8; 64], own_header);
        let header = own_header.as_bytes();
        let (iv, ciphertext) = ([7u8; 16], [9u8; 48]);
        let kept = cipher.mac(header, &iv, &ciphertext).finalize().into_bytes();
        let mut fresh = cipher.mac.clone();
        for part in [
            header,
            &iv[..],
            &ciphertext[..],
            &(header.len() as u64 * 8).to_be_bytes(),
        ] {
            fresh.update(part);
        }
        assert_eq!(kept, fresh.finalize().into_bytes());
    }
}
