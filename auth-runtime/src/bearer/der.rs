//! PKCS#8 documents for private keys given as JWKs, which `jsonwebtoken` (on aws-lc-rs) reads
//! only as DER. Both layouts are fixed-length, so they are written from templates rather than
//! by an ASN.1 encoder.

use zeroize::Zeroizing;

/// PKCS#8 v1 of an Ed25519 key (RFC 8410 §7): everything before the 32-byte seed.
const ED25519_PREFIX: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];

/// PKCS#8 of a P-256 key (RFC 5208 around RFC 5915's `ECPrivateKey`), up to the 32-byte
/// private scalar.
const P256_PREFIX: [u8; 36] = [
    0x30, 0x81, 0x87, 0x02, 0x01, 0x00, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02,
    0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x04, 0x6d, 0x30, 0x6b, 0x02,
    0x01, 0x01, 0x04, 0x20,
];

/// Between the P-256 private scalar and the uncompressed public point's coordinates: the
/// `[1]` public key, a BIT STRING holding `04 || x || y`.
const P256_PUBLIC_PREFIX: [u8; 5] = [0xa1, 0x44, 0x03, 0x42, 0x00];

/// The PKCS#8 DER of the Ed25519 key whose seed (`d`) is `seed`; `None` unless 32 bytes.
pub(super) fn ed25519_pkcs8(seed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if seed.len() != 32 {
        return None;
    }
    let mut der = Zeroizing::new(Vec::with_capacity(48));
    der.extend_from_slice(&ED25519_PREFIX);
    der.extend_from_slice(seed);
    Some(der)
}

/// The PKCS#8 DER of the P-256 key `d` with public point (`x`, `y`); `None` unless each is
/// 32 bytes. Whether they belong together is checked by the key's parser.
pub(super) fn p256_pkcs8(d: &[u8], x: &[u8], y: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if d.len() != 32 || x.len() != 32 || y.len() != 32 {
        return None;
    }
    let mut der = Zeroizing::new(Vec::with_capacity(138));
    der.extend_from_slice(&P256_PREFIX);
    der.extend_from_slice(d);
    der.extend_from_slice(&P256_PUBLIC_PREFIX);
    der.push(0x04);
    der.extend_from_slice(x);
    der.extend_from_slice(y);
    Some(der)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_templates_have_the_lengths_their_headers_declare() {
        let ed = ed25519_pkcs8(&[7; 32]).unwrap();
        assert_eq!(ed.len(), 2 + usize::from(ed[1]));
        let ec = p256_pkcs8(&[1; 32], &[2; 32], &[3; 32]).unwrap();
        assert_eq!(ec.len(), 3 + usize::from(ec[2]));
        assert!(ed25519_pkcs8(&[7; 31]).is_none());
        assert!(p256_pkcs8(&[1; 32], &[2; 31], &[3; 32]).is_none());
    }
}
