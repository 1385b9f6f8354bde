//! Published known answers, run through this crate's own primitives (reached through the
//! internal `_test-internals` feature): the A256CBC-HS512 cipher of `cbc_hs512`, the A256GCM
//! decode of `jwe`, the HKDF-SHA-256 of `keys`, and the RFC 7638 key ids.
//!
//! - RFC 7518 App. B.3 (AES_256_CBC_HMAC_SHA_512), also mutated into negatives;
//! - RFC 7516 App. A.1 and RFC 7520 §5.2 (their A256GCM content layer, under the CEK they give;
//!   their RSA-OAEP key management is not something we implement), also mutated;
//! - RFC 7520 §5.6 (`dir` + A128GCM, a 128-bit key): refused from its header, as TF-03 asks;
//! - RFC 7638 §3.1 (an RSA key) for the thumbprint rule, then that rule against our `oct` kids;
//! - Wycheproof (`tests/vectors/wycheproof/`, Apache-2.0, see its README): every
//!   A256CBC-HS512 test, every AES-GCM test with a 256-bit key, every HKDF-SHA-256 test; and,
//!   through the signature layer bearer tokens use (`jsonwebtoken` on aws-lc-rs), every test
//!   of the primitives behind the JWS algorithms we verify: Ed25519 (EdDSA), ECDSA P-256
//!   SHA-256 in IEEE P1363 form (ES256's signature encoding), HMAC-SHA-256 with full-length
//!   tags (HS256) and RSA PKCS #1 v1.5 SHA-256 at 2048 bits (RS256).

use auth_runtime::{
    __a256cbc_hs512_open_for_tests as cbc_open, __a256cbc_hs512_seal_for_tests as cbc_seal,
    __a256gcm_open_for_tests as gcm_open, __hkdf_sha256_for_tests as hkdf_sha256,
};
use auth_runtime::{AuthError, DerivedKey, KeySet, Secret, Secrets, TokenCodec};
use serde_json::Value;
use sha2::{Digest as _, Sha256, Sha512};

use crate::support::jose::{b64, key_bytes, unb64};

fn unhex(hex: &str) -> Vec<u8> {
    assert!(hex.len().is_multiple_of(2), "an even number of hex digits");
    (0..hex.len())
        .step_by(2)
        .map(|at| u8::from_str_radix(&hex[at..at + 2], 16).expect("hex digits"))
        .collect()
}

/// Every byte of `bytes` changed in turn (its lowest bit flipped).
fn each_bit_flipped(bytes: &[u8]) -> impl Iterator<Item = Vec<u8>> + '_ {
    (0..bytes.len()).map(|at| {
        let mut changed = bytes.to_vec();
        changed[at] ^= 1;
        changed
    })
}

// --- RFC 7518 App. B.3: AES_256_CBC_HMAC_SHA_512 --------------------------------------------

const B3_K: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\
                    202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f";
const B3_P: &str = "A cipher system must not be required to be secret, and it must be able \
                    to fall into the hands of the enemy without inconvenience";
const B3_IV: &str = "1af38c2dc2b96ffdd86694092341bc04";
const B3_A: &str = "The second principle of Auguste Kerckhoffs";
const B3_E: &str = "4affaaadb78c31c5da4b1b590d10ffbd3dd8d5d302423526912da037ecbcc7bd\
                    822c301dd67c373bccb584ad3e9279c2e6d12a1374b77f077553df829410446b\
                    36ebd97066296ae6427ea75c2e0846a11a09ccf5370dc80bfecbad28c73f09b3\
                    a3b75e662a2594410ae496b2e2e6609e31e6e02cc837f053d21f37ff4f51950b\
                    be2638d09dd7a4930930806d0703b1f6";
const B3_T: &str = "4dd3b4c088a7f45c216839645b2012bf2e6269a8c56a816dbc1b267761955bc5";

fn b3_key() -> [u8; 64] {
    unhex(B3_K).try_into().expect("64 bytes")
}

#[test]
fn rfc7518_b3_a256cbc_hs512_seals_and_opens_the_published_answer() {
    let iv: [u8; 16] = unhex(B3_IV).try_into().expect("16 bytes");
    let (ciphertext, tag) = cbc_seal(&b3_key(), B3_A.as_bytes(), &iv, B3_P.as_bytes());
    assert_eq!(ciphertext, unhex(B3_E));
    assert_eq!(tag, unhex(B3_T));
    let opened = cbc_open(&b3_key(), B3_A.as_bytes(), &iv, &ciphertext, &tag);
    assert_eq!(opened.as_deref(), Ok(B3_P.as_bytes()));
}

/// TF-04
///
/// The B.3 answer with any one byte of the key, AAD, IV, ciphertext or tag changed, or the
/// tag cut, does not open.
#[test]
fn rfc7518_b3_mutated_in_any_byte_is_refused() {
    let (key, aad, iv, e, t) = (
        b3_key(),
        B3_A.as_bytes(),
        unhex(B3_IV),
        unhex(B3_E),
        unhex(B3_T),
    );
    let mut refused = 0;
    for changed in each_bit_flipped(&key) {
        let changed: [u8; 64] = changed.try_into().expect("64 bytes");
        assert!(cbc_open(&changed, aad, &iv, &e, &t).is_err());
        refused += 1;
    }
    for changed in each_bit_flipped(aad) {
        assert!(cbc_open(&key, &changed, &iv, &e, &t).is_err());
        refused += 1;
    }
    for changed in each_bit_flipped(&iv) {
        assert_eq!(
            cbc_open(&key, aad, &changed, &e, &t),
            Err(AuthError::TagMismatch)
        );
        refused += 1;
    }
    for changed in each_bit_flipped(&e) {
        assert_eq!(
            cbc_open(&key, aad, &iv, &changed, &t),
            Err(AuthError::TagMismatch)
        );
        refused += 1;
    }
    for changed in each_bit_flipped(&t) {
        assert_eq!(
            cbc_open(&key, aad, &iv, &e, &changed),
            Err(AuthError::TagMismatch)
        );
        refused += 1;
    }
    for cut in [0, 16, 31] {
        assert!(cbc_open(&key, aad, &iv, &e, &t[..cut]).is_err());
        refused += 1;
    }
    assert_eq!(refused, 64 + aad.len() + 16 + e.len() + 32 + 3);
}

// --- RFC 7516 App. A.1 and RFC 7520 §5.2: the A256GCM content layer -------------------------

/// RFC 7516 App. A.1: RSA-OAEP + A256GCM. The CEK, IV, AAD, ciphertext and tag it gives.
const A1_CEK: [u8; 32] = [
    177, 161, 244, 128, 84, 143, 225, 115, 63, 180, 3, 255, 107, 154, 212, 246, 138, 7, 110, 91,
    112, 46, 34, 105, 47, 130, 203, 46, 122, 234, 64, 252,
];
const A1_HEADER: &str = "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ";
const A1_IV: &str = "48V1_ALb6US04U3b";
const A1_CIPHERTEXT: &str =
    "5eym8TW_c8SuK0ltJ3rpYIzOeDQz7TALvtu6UG9oMo4vpzs9tX_EFShS8iB7j6jiSdiwkIr3ajwQzaBtQD_A";
const A1_TAG: &str = "XFBoMYUZodetZdvTiFvSkQ";
const A1_PLAINTEXT: &str = "The true sign of intelligence is not knowledge but imagination.";

/// RFC 7520 §5.2: RSA-OAEP + A256GCM; the CEK of Figure 85 and the parts of Figure 92.
const R5_2_CEK: &str = "mYMfsggkTAm0TbvtlFh2hyoXnbEzJQjMxmgLN3d8xXA";
const R5_2_HEADER: &str = "eyJhbGciOiJSU0EtT0FFUCIsImtpZCI6InNhbXdpc2UuZ2FtZ2VlQGhvYmJpdG\
                           9uLmV4YW1wbGUiLCJlbmMiOiJBMjU2R0NNIn0";
const R5_2_IV: &str = "-nBoKLH0YkLZPSI9";
const R5_2_CIPHERTEXT: &str = "o4k2cnGN8rSSw3IDo1YuySkqeS_t2m1GXklSgqBdpACm6UJuJowOHC5ytjqYgR\
    L-I-soPlwqMUf4UgRWWeaOGNw6vGW-xyM01lTYxrXfVzIIaRdhYtEMRBvBWbEw\
    P7ua1DRfvaOjgZv6Ifa3brcAM64d8p5lhhNcizPersuhw5f-pGYzseva-TUaL8\
    iWnctc-sSwy7SQmRkfhDjwbz0fz6kFovEgj64X1I5s7E6GLp5fnbYGLa1QUiML\
    7Cc2GxgvI7zqWo0YIEc7aCflLG1-8BboVWFdZKLK9vNoycrYHumwzKluLWEbSV\
    maPpOslY2n525DxDfWaVFUfKQxMF56vn4B9QMpWAbnypNimbM8zVOw";
const R5_2_TAG: &str = "UCGiqJxhBI3IFVdPalHHvA";
/// RFC 7520 Figure 72 (the `\xe2\x80\x93` it notes is U+2013, EN DASH).
const R5_PLAINTEXT: &str = "You can trust us to stick with you through thick and thin\u{2013}to \
    the bitter end. And you can trust us to keep any secret of yours\u{2013}closer than you keep \
    it yourself. But you cannot trust us to let you face trouble alone, and go off without a \
    word. We are your friends, Frodo.";

#[test]
fn rfc7516_a1_and_rfc7520_5_2_a256gcm_content_opens_to_the_published_plaintext() {
    let opened = gcm_open(
        &A1_CEK,
        A1_HEADER.as_bytes(),
        &unb64(A1_IV),
        &unb64(A1_CIPHERTEXT),
        &unb64(A1_TAG),
    );
    assert_eq!(opened.as_deref(), Ok(A1_PLAINTEXT.as_bytes()));
    let opened = gcm_open(
        &unb64(R5_2_CEK),
        R5_2_HEADER.as_bytes(),
        &unb64(R5_2_IV),
        &unb64(R5_2_CIPHERTEXT),
        &unb64(R5_2_TAG),
    );
    assert_eq!(opened.as_deref(), Ok(R5_PLAINTEXT.as_bytes()));
}

/// RFC 7516 A.1 with any byte of the CEK, AAD, IV, ciphertext or tag changed does not open.
#[test]
fn rfc7516_a1_mutated_in_any_byte_is_refused() {
    let (aad, iv, ciphertext, tag) = (
        A1_HEADER.as_bytes(),
        unb64(A1_IV),
        unb64(A1_CIPHERTEXT),
        unb64(A1_TAG),
    );
    let mut refused = 0;
    for key in each_bit_flipped(&A1_CEK) {
        assert_eq!(
            gcm_open(&key, aad, &iv, &ciphertext, &tag),
            Err(AuthError::TagMismatch)
        );
        refused += 1;
    }
    for changed in each_bit_flipped(aad) {
        assert!(gcm_open(&A1_CEK, &changed, &iv, &ciphertext, &tag).is_err());
        refused += 1;
    }
    for changed in each_bit_flipped(&iv) {
        assert!(gcm_open(&A1_CEK, aad, &changed, &ciphertext, &tag).is_err());
        refused += 1;
    }
    for changed in each_bit_flipped(&ciphertext) {
        assert!(gcm_open(&A1_CEK, aad, &iv, &changed, &tag).is_err());
        refused += 1;
    }
    for changed in each_bit_flipped(&tag) {
        assert!(gcm_open(&A1_CEK, aad, &iv, &ciphertext, &changed).is_err());
        refused += 1;
    }
    assert_eq!(refused, 32 + aad.len() + 12 + ciphertext.len() + 16);
}

/// RFC 7520 §5.6, `dir` with A128GCM (Figure 136): a content encryption we do not accept, so
/// the token is refused from its header, before any key, whatever secret is configured.
#[test]
fn rfc7520_5_6_dir_a128gcm_token_is_refused_from_its_header() {
    const R5_6_TOKEN: &str = "eyJhbGciOiJkaXIiLCJraWQiOiI3N2M3ZTJiOC02ZTEzLTQ1Y2YtODY3Mi02MTdiNW\
        I0NTI0M2EiLCJlbmMiOiJBMTI4R0NNIn0..refa467QzzKx6QAB.JW_i_f52hww_ELQPGaYyeAB6HYGcR559l9TY\
        nSovc23XJoBcW29rHP8yZOZG7YhLpT1bjFuvZPjQS-m0IFtVcXkZXdH_lr_FrdYt9HRUYkshtrMmIUAyGmUnd9zMD\
        B2n0cRDIHAzFVeJUDxkUwVAE7_YGRPdcqMyiBoCO-FBdE-Nceb4h3-FtBP-c_BIwCPTjb9o0SbdcdREEMJMyZBH8y\
        SWMVi1gPD9yxi-aQpGbSv_F9N4IZAxscj5g-NJsUPbjk29-s7LJAGb15wEBtXphVCgyy53CoIKLHHeJHXex45Uz9a\
        KZSRSInZI-wjsY0yu3cT4_aQ3i1o-tiE-F8Ios61EKgyIQ4CWao8PFMj8TTnp.vbb32Xvllea2OtmHAdccRQ";
    let secrets = Secrets::new(["standard-vectors-secret-0123456789abcdef"]).expect("strong");
    let codec = TokenCodec::new(KeySet::derive(&secrets, "authjs.session-token").into());
    let refused = codec
        .decode(R5_6_TOKEN)
        .expect_err("A128GCM is not accepted");
    assert!(
        matches!(&refused, AuthError::UnsupportedHeader(why) if why.contains("A128GCM")),
        "{refused:?}"
    );
}

// --- RFC 7638: JWK thumbprints ---------------------------------------------------------------

/// RFC 7638 §3: the base64url digest of the required members, sorted by name, as JSON with no
/// white space (every member here is a string of base64url or ASCII letters: nothing to escape).
fn thumbprint(members: &[(&str, &str)], digest: fn(&[u8]) -> Vec<u8>) -> String {
    let mut members = members.to_vec();
    members.sort_unstable();
    let body: Vec<String> = members
        .iter()
        .map(|(name, value)| format!(r#""{name}":"{value}""#))
        .collect();
    b64(digest(format!("{{{}}}", body.join(",")).as_bytes()))
}

fn sha256(bytes: &[u8]) -> Vec<u8> {
    Sha256::digest(bytes).to_vec()
}

fn sha512(bytes: &[u8]) -> Vec<u8> {
    Sha512::digest(bytes).to_vec()
}

/// RFC 7638 §3.1 is an RSA key, which our key ids never hash; what applies is the rule: it
/// checks the thumbprint function above, and that function, with the `oct` members
/// (`k`, `kty`; §3.2), gives every kid our keys carry (SHA-512 over a 64-byte A256CBC-HS512 key,
/// SHA-256 over the 32-byte A256GCM key, as Auth.js names them).
#[test]
fn rfc7638_thumbprint_rule_gives_the_published_rsa_answer_and_our_oct_kids() {
    const N: &str = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFx\
        uhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5\
        v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrd\
        kt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
    assert_eq!(
        thumbprint(&[("kty", "RSA"), ("n", N), ("e", "AQAB")], sha256),
        "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
    );
    for (secret, salt) in [
        (
            "standard-vectors-secret-0123456789abcdef",
            "authjs.session-token",
        ),
        (
            "another-standard-vectors-secret-98765432",
            "__Secure-authjs.session-token",
        ),
    ] {
        let key = DerivedKey::derive(&Secret::new(secret).expect("strong"), salt);
        let bytes = key_bytes(&key);
        let k = b64(bytes);
        assert_eq!(key.kid(), thumbprint(&[("kty", "oct"), ("k", &k)], sha512));
        let k = b64(&bytes[..32]);
        assert_eq!(
            key.gcm_kid(),
            thumbprint(&[("kty", "oct"), ("k", &k)], sha256)
        );
    }
}

// --- Wycheproof -------------------------------------------------------------------------------

fn wycheproof(file: &str) -> Value {
    let path = format!(
        "{}/tests/vectors/wycheproof/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// Each test of each group of `file`, with its group; checks `numberOfTests`.
fn tests_of(file: &Value) -> Vec<(&Value, &Value)> {
    let groups = file["testGroups"].as_array().expect("test groups");
    let tests: Vec<_> = groups
        .iter()
        .flat_map(|group| {
            let tests = group["tests"].as_array().expect("tests");
            tests.iter().map(move |test| (group, test))
        })
        .collect();
    assert_eq!(Some(tests.len() as u64), file["numberOfTests"].as_u64());
    tests
}

fn hex_field(test: &Value, name: &str) -> Vec<u8> {
    unhex(test[name].as_str().unwrap_or_else(|| panic!("`{name}`")))
}

fn is_valid(test: &Value) -> bool {
    match test["result"].as_str() {
        Some("valid") => true,
        Some("invalid") => false,
        other => panic!("tcId {}: result {other:?}", test["tcId"]),
    }
}

/// TF-04
///
/// Every A256CBC-HS512 test: a valid one seals to its ciphertext and tag and opens again; an
/// invalid one (a modified tag, …) does not open.
#[test]
fn wycheproof_a256cbc_hs512_vectors_pass() {
    let file = wycheproof("a256cbc_hs512_test.json");
    let (mut valid, mut invalid) = (0, 0);
    for (_, test) in tests_of(&file) {
        let id = &test["tcId"];
        let key: [u8; 64] = hex_field(test, "key").try_into().expect("64-byte keys");
        let (iv, aad, msg) = (
            hex_field(test, "iv"),
            hex_field(test, "aad"),
            hex_field(test, "msg"),
        );
        let (ct, tag) = (hex_field(test, "ct"), hex_field(test, "tag"));
        let opened = cbc_open(&key, &aad, &iv, &ct, &tag);
        if is_valid(test) {
            let iv: [u8; 16] = iv.as_slice().try_into().expect("16-byte IVs");
            assert_eq!(cbc_seal(&key, &aad, &iv, &msg), (ct, tag), "tcId {id}");
            assert_eq!(opened, Ok(msg), "tcId {id}");
            valid += 1;
        } else {
            assert!(opened.is_err(), "tcId {id} opened");
            invalid += 1;
        }
    }
    assert_eq!((valid, invalid), (67, 27));
}

/// Every AES-GCM test with a 256-bit key: with a 96-bit IV and 128-bit tag (what A256GCM
/// uses), a valid test opens to its message and an invalid one does not; any other IV length
/// is refused, even where AES-GCM itself defines the answer.
#[test]
fn wycheproof_aes_256_gcm_vectors_pass() {
    let file = wycheproof("aes_gcm_256_test.json");
    let (mut opened_valid, mut refused_invalid, mut refused_other_iv) = (0, 0, 0);
    for (group, test) in tests_of(&file) {
        let id = &test["tcId"];
        assert_eq!(group["keySize"], 256);
        let (key, iv, aad) = (
            hex_field(test, "key"),
            hex_field(test, "iv"),
            hex_field(test, "aad"),
        );
        let (ct, tag) = (hex_field(test, "ct"), hex_field(test, "tag"));
        let opened = gcm_open(&key, &aad, &iv, &ct, &tag);
        if group["ivSize"] == 96 && group["tagSize"] == 128 {
            if is_valid(test) {
                assert_eq!(opened, Ok(hex_field(test, "msg")), "tcId {id}");
                opened_valid += 1;
            } else {
                assert_eq!(opened, Err(AuthError::TagMismatch), "tcId {id}");
                refused_invalid += 1;
            }
        } else {
            assert_eq!(
                opened,
                Err(AuthError::MalformedToken("iv must be 12 bytes")),
                "tcId {id}"
            );
            refused_other_iv += 1;
        }
    }
    assert_eq!(
        (opened_valid, refused_invalid, refused_other_iv),
        (39, 27, 39)
    );
}

/// Every HKDF-SHA-256 test through the HKDF that derives our keys: a valid one gives its
/// output; an invalid one (an output longer than 255 * 32 bytes) is refused.
#[test]
fn wycheproof_hkdf_sha256_vectors_pass() {
    let file = wycheproof("hkdf_sha256_test.json");
    let (mut valid, mut invalid) = (0, 0);
    for (_, test) in tests_of(&file) {
        let id = &test["tcId"];
        let size = test["size"].as_u64().expect("size");
        let okm = hkdf_sha256(
            &hex_field(test, "ikm"),
            &hex_field(test, "salt"),
            &hex_field(test, "info"),
            usize::try_from(size).expect("a usize"),
        );
        if is_valid(test) {
            assert_eq!(okm, Some(hex_field(test, "okm")), "tcId {id}");
            valid += 1;
        } else {
            assert_eq!(okm, None, "tcId {id}");
            invalid += 1;
        }
    }
    assert_eq!((valid, invalid), (83, 3));
}

// --- RFC 7515 App. A.2, A.3 and RFC 8037 App. A.4: JWS signatures ------------------------------

/// The signature layer bearer tokens are verified with (`jsonwebtoken` on aws-lc-rs, the
/// backend this crate enables) against the published JWS examples: RFC 7515 A.2 (RS256, the
/// algorithm we verify for keys others publish), A.3 (ES256) and RFC 8037 A.4 (EdDSA). Each
/// verifies under its published public key; a changed byte of the signing input or of the
/// signature, or another algorithm named for the same key, does not. (The examples' headers
/// carry no `kid`, so our bearer reader refuses them before any signature check; that is
/// `tests/bearer_tokens.rs`'s part.)
#[test]
fn rfc7515_and_rfc8037_jws_signatures_verify_and_mutations_do_not() {
    use jsonwebtoken::crypto::verify;
    use jsonwebtoken::{Algorithm, DecodingKey};

    const RFC7515_PAYLOAD: &str = "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
    const RSA_N: &str = "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ";
    const RS256_SIGNATURE: &str = "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";
    const EC_X: &str = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
    const EC_Y: &str = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";
    const ES256_SIGNATURE: &str =
        "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
    const ED_X: &str = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
    const EDDSA_INPUT: &str = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc";
    const EDDSA_SIGNATURE: &str =
        "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

    let rs256_input = format!("eyJhbGciOiJSUzI1NiJ9.{RFC7515_PAYLOAD}");
    let es256_input = format!("eyJhbGciOiJFUzI1NiJ9.{RFC7515_PAYLOAD}");
    let cases = [
        (
            "RFC 7515 A.2 (RS256)",
            Algorithm::RS256,
            DecodingKey::from_rsa_components(RSA_N, "AQAB").expect("the RSA key"),
            rs256_input.as_str(),
            RS256_SIGNATURE,
            Algorithm::RS512,
        ),
        (
            "RFC 7515 A.3 (ES256)",
            Algorithm::ES256,
            DecodingKey::from_ec_components(EC_X, EC_Y).expect("the P-256 key"),
            es256_input.as_str(),
            ES256_SIGNATURE,
            Algorithm::ES384,
        ),
        (
            "RFC 8037 A.4 (EdDSA)",
            Algorithm::EdDSA,
            DecodingKey::from_ed_components(ED_X).expect("the Ed25519 key"),
            EDDSA_INPUT,
            EDDSA_SIGNATURE,
            Algorithm::ES256,
        ),
    ];
    for (name, alg, key, input, signature, other_alg) in cases {
        assert_eq!(
            verify(signature, input.as_bytes(), &key, alg).ok(),
            Some(true),
            "{name} verifies"
        );
        let mut changed_input = input.as_bytes().to_vec();
        changed_input[10] ^= 1;
        assert_ne!(
            verify(signature, &changed_input, &key, alg).ok(),
            Some(true),
            "{name}: a changed signing input"
        );
        let bytes = unb64(signature);
        for at in [0, bytes.len() / 2, bytes.len() - 1] {
            let mut changed = bytes.clone();
            changed[at] ^= 1;
            assert_ne!(
                verify(&b64(&changed), input.as_bytes(), &key, alg).ok(),
                Some(true),
                "{name}: signature byte {at} changed"
            );
        }
        assert_ne!(
            verify(signature, input.as_bytes(), &key, other_alg).ok(),
            Some(true),
            "{name}: the same key under {other_alg:?}"
        );
    }
}

// --- Wycheproof, the JWS algorithms' primitives ----------------------------------------------

/// How a Wycheproof signature test is to come out: `Some(true)` valid, `Some(false)` invalid,
/// `None` acceptable (either answer is allowed: a legacy encoding some libraries take).
fn expected(test: &Value) -> Option<bool> {
    match test["result"].as_str() {
        Some("valid") => Some(true),
        Some("invalid") => Some(false),
        Some("acceptable") => None,
        other => panic!("tcId {}: result {other:?}", test["tcId"]),
    }
}

/// Runs every test of `file` through `jsonwebtoken::crypto::verify` under `alg`, the key of
/// each test made by `key_of` (from its group, or the test itself); the message is the signing input, the signature the test's
/// `sig` (or `tag`) in base64url, as a JWS carries it. Returns how many tests ran, and how many
/// were acceptable (either answer allowed).
fn run_signature_vectors(
    file: &str,
    alg: jsonwebtoken::Algorithm,
    signature_field: &str,
    key_of: impl Fn(&Value, &Value) -> Option<jsonwebtoken::DecodingKey>,
    test_applies: impl Fn(&Value, &Value) -> bool,
) -> (usize, usize) {
    let name = file;
    let file = wycheproof(file);
    let (mut ran, mut acceptable) = (0, 0);
    for (group, test) in tests_of(&file) {
        if !test_applies(group, test) {
            continue;
        }
        ran += 1;
        let id = &test["tcId"];
        let message = hex_field(test, "msg");
        let signature = b64(hex_field(test, signature_field));
        let verified = match key_of(group, test) {
            Some(key) => jsonwebtoken::crypto::verify(&signature, &message, &key, alg).ok(),
            // A key the library refuses to build verifies nothing.
            None => Some(false),
        };
        match expected(test) {
            Some(true) => assert_eq!(verified, Some(true), "{name} tcId {id}: a valid signature"),
            Some(false) => assert_ne!(
                verified,
                Some(true),
                "{name} tcId {id}: {}",
                test["comment"]
            ),
            None => acceptable += 1,
        }
    }
    (ran, acceptable)
}

/// A P-256 coordinate as a JWK carries it, exactly 32 bytes: Wycheproof writes `wx` and `wy`
/// as integers (a leading zero byte when the top bit is set, shorter when small).
fn coordinate(integer: &[u8]) -> Vec<u8> {
    let digits: Vec<u8> = integer
        .iter()
        .copied()
        .skip_while(|byte| *byte == 0)
        .collect();
    assert!(digits.len() <= 32, "a coordinate wider than P-256's field");
    let mut padded = vec![0; 32 - digits.len()];
    padded.extend(digits);
    padded
}

/// The signature layer of bearer tokens, against Wycheproof: every valid
/// signature verifies and no invalid one does (EdDSA's malleable and non-canonical
/// signatures, ECDSA's out-of-range `r`/`s`, truncated or modified HMAC tags, RSA's padding
/// and encoding tricks).
#[test]
fn wycheproof_jws_signature_primitives_pass() {
    use jsonwebtoken::{Algorithm, DecodingKey};

    let eddsa = run_signature_vectors(
        "ed25519_test.json",
        Algorithm::EdDSA,
        "sig",
        |group, _| {
            let x = group["publicKeyJwk"]["x"].as_str().expect("x");
            DecodingKey::from_ed_components(x).ok()
        },
        |_, _| true,
    );
    let es256 = run_signature_vectors(
        "ecdsa_secp256r1_sha256_p1363_test.json",
        Algorithm::ES256,
        "sig",
        |group, _| {
            let x = b64(coordinate(&hex_field(&group["publicKey"], "wx")));
            let y = b64(coordinate(&hex_field(&group["publicKey"], "wy")));
            DecodingKey::from_ec_components(&x, &y).ok()
        },
        |_, _| true,
    );
    // HS256's tag is the whole HMAC-SHA-256: the groups of truncated tags do not apply.
    let hs256 = run_signature_vectors(
        "hmac_sha256_test.json",
        Algorithm::HS256,
        "tag",
        |_, test| DecodingKey::from_secret(&hex_field(test, "key")).ok(),
        |group, _| group["tagSize"].as_u64() == Some(256),
    );
    let rs256 = run_signature_vectors(
        "rsa_signature_2048_sha256_test.json",
        Algorithm::RS256,
        "sig",
        |group, _| {
            let jwk = &group["keyJwk"];
            DecodingKey::from_rsa_components(
                jwk["n"].as_str().expect("n"),
                jwk["e"].as_str().expect("e"),
            )
            .ok()
        },
        |_, _| true,
    );
    assert_eq!(eddsa, (151, 0));
    assert_eq!(es256, (262, 0));
    assert_eq!(rs256, (259, 1));
    assert_eq!(hs256, (87, 0), "the full-length tags only");
}
