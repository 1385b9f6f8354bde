//! Token-level cases of the security checklist (`shared/docs/security-checklist.md`): every
//! attack on the session token, its cookies and the CSRF cookie that can be played against the
//! runtime's primitives before an HTTP layer exists.
//!
//! One test per checklist ID, named after the behaviour, with the ID in its doc comment. Where
//! the checklist says NULL (the request reads as signed out), the test asserts that decoding
//! returns an error, and the specific `AuthError` where it is meaningful; every refusal is also
//! checked to read as "signed out" and to name no secret, key or token.
//!
//! Hostile tokens come from `support::jose`, an A256CBC-HS512 (and A256GCM) encryptor that
//! shares no code with the library: their tags verify, so a refusal proves the header,
//! structure, length or claims check under test, not merely the MAC. Time is a `FixedClock`;
//! nothing sleeps or measures durations.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::support::jose::{self, b64};
use auth_runtime::CsrfToken;
use auth_runtime::DerivedKey;
use auth_runtime::{AuthError, Claims, FixedClock, KeySet, Secret, Secrets, TokenCodec};
use auth_runtime::{
    CHUNK_SIZE, CookieLifetime, CookieNames, MAX_CHUNKS, MAX_COOKIE_HEADER_LEN, SessionCookie,
    SessionCookieNames, SetCookie, clear_session_cookies, decode_cookie_value, parse_cookie_header,
    session_set_cookies, split_into_chunks,
};
use auth_runtime::{CLOCK_TOLERANCE, MAX_TOKEN_LEN};
use auth_runtime::{encrypt_with_iv, read_protected_header};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE};
use poem::http::header::{COOKIE, HeaderMap, HeaderValue};
use serde_json::{Value, json};

/// S1, the newest secret: it encodes.
const S1: &str = "tokens-s1-newest-7c3e9a1f5b8d2c6e0a4f9b3d";
/// S2, an older secret still listed for decoding.
const S2: &str = "tokens-s2-older-2a8f4c0e6b1d9f3a7c5e1b8d";
/// SX, a foreign secret: another deployment's, never configured here.
const SX: &str = "foreign-sx-app-5e1b9d3f7a2c8e4b0d6f2a9c";
/// The session salt over plain http.
const SALT: &str = CookieNames::HTTP.session;
/// The instant every codec's clock is stopped at: 2026-01-01T00:00:00Z.
const NOW: i64 = 1_767_225_600;
const HOUR: Duration = Duration::from_secs(3600);
/// A `jti` for hand-made claims.
const JTI: &str = "0b8f5a52-2f43-4c4e-9a57-1f0e6d3c2b1a";

// --- helpers -------------------------------------------------------------------------------

/// A codec for `secrets` (newest first) and `salt`, with its clock at [`NOW`].
fn codec_for(secrets: &[&str], salt: &str) -> TokenCodec {
    let secrets = Secrets::new(secrets.iter().copied()).expect("strong secrets");
    TokenCodec::new(Arc::new(KeySet::derive(&secrets, salt))).with_clock(FixedClock(NOW))
}

/// The session codec under test: S1 encodes, S1 and S2 decode.
fn codec() -> TokenCodec {
    codec_for(&[S1, S2], SALT)
}

fn derived(secret: &str, salt: &str) -> DerivedKey {
    DerivedKey::derive(&Secret::new(secret).expect("strong secret"), salt)
}

/// The raw 64-byte A256CBC-HS512 key of `secret` for `salt`.
fn key(secret: &str, salt: &str) -> [u8; 64] {
    jose::key_bytes(&derived(secret, salt))
}

fn kid(secret: &str, salt: &str) -> String {
    derived(secret, salt).kid().to_owned()
}

/// The header `TokenCodec` writes for S1's session key.
fn s1_header() -> String {
    jose::standard_header(&kid(S1, SALT))
}

/// The claims of a valid session, as JSON text with the registered claims set by hand.
fn claims_json() -> String {
    format!(
        r#"{{"sub":"user-1","role":"user","iat":{NOW},"exp":{},"jti":"{JTI}"}}"#,
        NOW + 3600
    )
}

/// A token under S1's session key with any header JSON and plaintext, its tag valid.
fn forge(header_json: &str, plaintext: &[u8]) -> String {
    jose::encrypt(&key(S1, SALT), header_json, plaintext)
}

/// A token under S1's session key with the normal header and `plaintext` as claims.
fn forge_claims(plaintext: &str) -> String {
    forge(&s1_header(), plaintext.as_bytes())
}

fn claims(value: Value) -> Claims {
    match value {
        Value::Object(map) => map,
        other => panic!("claims must be an object, not {other}"),
    }
}

fn user_claims(sub: &str) -> Claims {
    claims(json!({ "sub": sub, "role": "user" }))
}

/// A session token made by the library itself under S1.
fn genuine_token() -> String {
    codec().encode(user_claims("user-1"), HOUR).expect("encode")
}

/// A genuine token whose claims carry a `blob` of `len` characters, to fill cookie chunks.
fn token_with_blob(len: usize) -> String {
    let mut claims = user_claims("user-1");
    claims.insert("blob".into(), Value::String("z".repeat(len)));
    codec().encode(claims, HOUR).expect("encode")
}

/// A token type shaped as the one `#[auth_config]` generates, for the typed decode.
#[derive(Debug, serde::Deserialize)]
#[allow(dead_code, reason = "read only to prove the decode")]
struct TypedToken {
    sub: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    iat: i64,
    #[serde(default)]
    exp: i64,
    #[serde(default)]
    jti: String,
    #[serde(flatten)]
    other_claims: serde_json::Map<String, Value>,
}

/// Asserts that `codec` refuses `token` as a bad token (signed out) with an error that names
/// no secret, key or token, and returns the error. The typed decode the session middleware
/// uses (`decode_as`, into a map and into a generated-like token type) must refuse it too,
/// with the same kind of error (and the same error when it is about time or the header).
#[track_caller]
fn refused(codec: &TokenCodec, token: &str) -> AuthError {
    let error = codec.decode(token).expect_err("the token must be refused");
    for typed in [
        codec.decode_as::<Claims>(token).map(|_| ()),
        codec.decode_as::<TypedToken>(token).map(|_| ()),
    ] {
        let typed = typed.expect_err("the typed decode must refuse it too");
        assert_eq!(
            std::mem::discriminant(&typed),
            std::mem::discriminant(&error),
            "{typed:?} against {error:?}"
        );
        if !matches!(error, AuthError::InvalidClaims(_)) {
            assert_eq!(typed, error);
        }
        let shown = format!("{typed} {typed:?}");
        for secret in [S1, S2, SX] {
            assert!(!shown.contains(secret), "a secret leaked into {shown}");
        }
    }
    assert!(error.is_bad_token(), "{error:?} must read as signed out");
    let shown = format!("{error} {error:?}");
    for secret in [S1, S2, SX] {
        assert!(!shown.contains(secret), "a secret leaked into {shown}");
    }
    let key_hex = derived(S1, SALT).__key_hex_for_tests();
    assert!(!shown.contains(&key_hex[..32]), "a key leaked into {shown}");
    if token.len() >= 16 {
        assert!(!shown.contains(token), "the token leaked into the error");
    }
    error
}

/// The five parts of a compact JWE.
fn parts(token: &str) -> [&str; 5] {
    let parts: Vec<&str> = token.split('.').collect();
    parts.try_into().expect("five parts")
}

/// A compact `dir` JWE from an encoded header and raw IV, ciphertext and tag.
fn assemble(header: &str, iv: &[u8], ciphertext: &[u8], tag: &[u8]) -> String {
    format!("{header}..{}.{}.{}", b64(iv), b64(ciphertext), b64(tag))
}

fn flip_bit(bytes: &[u8], at: usize, bit: u8) -> Vec<u8> {
    let mut bytes = bytes.to_vec();
    bytes[at] ^= 1 << bit;
    bytes
}

/// `part` with its last base64url character changed in a bit the decoded bytes do not use:
/// another spelling of the same bytes, which a strict decoder refuses.
fn with_unused_bit_flipped(part: &str) -> String {
    const ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let last = part.chars().last().expect("a non-empty part");
    let index = ALPHABET.find(last).expect("a base64url character");
    let other = char::from(ALPHABET.as_bytes()[index ^ 1]);
    format!("{}{other}", &part[..part.len() - 1])
}

/// What a request with this `Cookie` header reads as: its session, or the error that signs it
/// out; and the session cookie names it carried.
fn read_session(
    cookie_header: &str,
    codec: &TokenCodec,
) -> (Result<Claims, AuthError>, SessionCookieNames) {
    let cookie = SessionCookie::read(
        parse_cookie_header(cookie_header.as_bytes()),
        codec.keys().salt(),
    );
    let session = cookie.token.and_then(|token| {
        let token = token.expect("the request carried a session cookie");
        codec.decode(&token)
    });
    (session, cookie.names)
}

/// `Cookie` header pairs `name.i=chunk` for the given chunk indices of `token`.
fn chunk_pairs(name: &str, token: &str, indices: &[usize]) -> Vec<String> {
    let chunks: Vec<&str> = split_into_chunks(token).collect();
    indices
        .iter()
        .map(|&index| format!("{name}.{index}={}", chunks[index]))
        .collect()
}

/// The names a signed-out response expires for the cookies a request carried, checking that
/// each line is a deletion with the session cookie's Path.
fn expired_names(names: SessionCookieNames, name: &'static str) -> Vec<String> {
    clear_session_cookies(name, false, names)
        .iter()
        .map(|cookie| {
            assert_eq!(cookie.lifetime(), CookieLifetime::Expired);
            assert_eq!(
                cookie.to_string(),
                format!(
                    "{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax",
                    cookie.name()
                )
            );
            cookie.name().to_owned()
        })
        .collect()
}

/// A browser cookie jar, reduced to what these tests need: one value per name.
type Jar = BTreeMap<String, String>;

/// Applies `Set-Cookie` lines to `jar`, as a browser would.
fn apply(jar: &mut Jar, set_cookies: &[SetCookie]) {
    for cookie in set_cookies {
        if cookie.lifetime() == CookieLifetime::Expired {
            jar.remove(cookie.name());
        } else {
            jar.insert(cookie.name().to_owned(), cookie.value().to_owned());
        }
    }
}

fn jar_header(jar: &Jar) -> String {
    jar.iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// When written session cookies expire: an hour after [`NOW`].
fn expires() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(u64::try_from(NOW).expect("after 1970")) + HOUR
}

/// A jar holding `token` as the session, written by the library.
fn jar_with(token: &str) -> Jar {
    let mut jar = Jar::new();
    let written = session_set_cookies(SALT, token, expires(), false, SessionCookieNames::default())
        .expect("fits in the chunk cap");
    apply(&mut jar, &written);
    jar
}

// --- the independent encryptor -------------------------------------------------------------

/// The forging encryptor is right: with the normal header its token opens, and it is the
/// token the library itself writes for the same key, IV and plaintext.
#[test]
fn forged_tokens_with_the_normal_header_decode() {
    let token = forge_claims(&claims_json());
    let claims = codec().decode(&token).expect("a well-made token opens");
    assert_eq!(claims["sub"], "user-1");
    assert_eq!(claims["exp"], NOW + 3600);

    // Byte for byte what the library writes for the same key, IV and plaintext.
    let ours = encrypt_with_iv(
        claims_json().as_bytes(),
        &derived(S1, SALT),
        &jose::FIXED_IV,
    );
    assert_eq!(token, ours);
}

/// The forging A256GCM is right on a published known answer (and TF-03 shows its tokens open).
#[test]
fn independent_gcm_matches_the_nist_known_answer() {
    // NIST GCM specification, test case 14: AES-256, zero key, zero IV, one zero block.
    let (ciphertext, tag) = jose::gcm_seal(&[0; 32], &[0; 12], &[], &[0; 16]);
    let hex = |bytes: &[u8]| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
    assert_eq!(hex(&ciphertext), "cea7403d4d606b6e074ec5d3baf39d18");
    assert_eq!(hex(&tag), "d0d1c8a799996bf0265b98b5d48ab919");
}

// --- TF: token forgery and crypto ----------------------------------------------------------

/// TF-01
///
/// Key wrapping, key transport and key agreement algorithms, including PBES2 with a billion
/// iterations, are refused from the header alone: no key is looked up, nothing is unwrapped or
/// derived (a PBKDF2 of 10⁹ iterations would keep this test from finishing).
#[test]
fn key_management_algorithms_other_than_dir_are_refused_from_the_header_alone() {
    let codec = codec();
    let kid = kid(S1, SALT);
    let plaintext = claims_json();
    let algs = [
        "A128KW",
        "A256KW",
        "A256GCMKW",
        "RSA1_5",
        "RSA-OAEP",
        "RSA-OAEP-256",
        "ECDH-ES",
        "ECDH-ES+A256KW",
        "DIR",
        "dir ",
        " dir",
        "",
    ];
    let mut headers: Vec<String> = algs
        .iter()
        .map(|alg| format!(r#"{{"alg":"{alg}","enc":"A256CBC-HS512","kid":"{kid}"}}"#))
        .collect();
    for alg in ["PBES2-HS256+A128KW", "PBES2-HS512+A256KW"] {
        headers.push(format!(
            r#"{{"alg":"{alg}","enc":"A256CBC-HS512","p2c":1000000000,"p2s":"c2FsdHNhbHRzYWx0c2FsdA"}}"#
        ));
    }
    headers.push(r#"{"enc":"A256CBC-HS512"}"#.to_owned());
    headers.push(r#"{"alg":null,"enc":"A256CBC-HS512"}"#.to_owned());
    headers.push(r#"{"alg":["dir"],"enc":"A256CBC-HS512"}"#.to_owned());

    for header in &headers {
        let token = forge(header, plaintext.as_bytes());
        assert!(
            matches!(refused(&codec, &token), AuthError::UnsupportedHeader(_)),
            "{header}"
        );
        // The same verdict with no key at all.
        assert!(
            matches!(
                read_protected_header(&token),
                Err(AuthError::UnsupportedHeader(_))
            ),
            "{header}"
        );
    }

    // A real A256KW token carries a wrapped key; that alone makes it malformed for `dir`.
    let header = b64(format!(
        r#"{{"alg":"A256KW","enc":"A256CBC-HS512","kid":"{kid}"}}"#
    ));
    let [_, _, iv, ciphertext, tag] = parts(&genuine_token()).map(str::to_owned);
    let wrapped = b64([0x5a; 40]);
    let token = format!("{header}.{wrapped}.{iv}.{ciphertext}.{tag}");
    assert!(matches!(
        refused(&codec, &token),
        AuthError::MalformedToken(_)
    ));
}

/// TF-02, TF-21
#[test]
fn unsecured_tokens_are_refused() {
    let codec = codec();
    let kid = kid(S1, SALT);
    for header in [
        format!(r#"{{"alg":"none","enc":"A256CBC-HS512","kid":"{kid}"}}"#),
        r#"{"alg":"none","enc":"A256CBC-HS512"}"#.to_owned(),
        r#"{"alg":"none"}"#.to_owned(),
        r#"{"alg":"None","enc":"A256CBC-HS512"}"#.to_owned(),
    ] {
        let token = forge(&header, claims_json().as_bytes());
        assert!(
            matches!(refused(&codec, &token), AuthError::UnsupportedHeader(_)),
            "{header}"
        );
    }

    // An unsecured JWT (RFC 7519 §6), with and without its empty signature part, also as the
    // session cookie.
    let header = b64(r#"{"alg":"none","typ":"JWT"}"#);
    let payload = b64(claims_json());
    let empty_tag = format!("{header}..{}.{payload}.", b64([0u8; 16]));
    for token in [
        format!("{header}.{payload}."),
        format!("{header}.{payload}"),
        empty_tag,
    ] {
        assert!(
            matches!(refused(&codec, &token), AuthError::MalformedToken(_)),
            "{token}"
        );
        let (session, _) = read_session(&format!("{SALT}={token}"), &codec);
        assert!(
            matches!(session, Err(AuthError::MalformedToken(_))),
            "{token}"
        );
    }
}

/// TF-03
///
/// A256GCM is accepted, as Auth.js accepts it, under the key id Auth.js gives its 32-byte key.
#[test]
fn content_encryptions_other_than_a256cbc_hs512_and_a256gcm_are_refused() {
    let codec = codec();
    let key = key(S1, SALT);
    let kid = kid(S1, SALT);
    let plaintext = claims_json();
    for enc in [
        "A128CBC-HS256",
        "A192CBC-HS384",
        "A128GCM",
        "A192GCM",
        "A256GCMKW",
        "a256cbc-hs512",
        "A256CBC-HS512 ",
        "A256CBC_HS512",
        "XC20P",
        "",
    ] {
        let header = format!(r#"{{"alg":"dir","enc":"{enc}","kid":"{kid}"}}"#);
        let cbc = jose::encrypt(&key, &header, plaintext.as_bytes());
        let gcm = jose::encrypt_gcm(&key, &header, plaintext.as_bytes());
        for token in [cbc, gcm] {
            assert!(
                matches!(refused(&codec, &token), AuthError::UnsupportedHeader(_)),
                "{enc}"
            );
        }
    }
    for header in [
        format!(r#"{{"alg":"dir","kid":"{kid}"}}"#),
        format!(r#"{{"alg":"dir","enc":256,"kid":"{kid}"}}"#),
    ] {
        let token = jose::encrypt(&key, &header, plaintext.as_bytes());
        assert!(
            matches!(refused(&codec, &token), AuthError::UnsupportedHeader(_)),
            "{header}"
        );
    }

    // A256GCM: accepted with the GCM kid, or with none (the newest key).
    let gcm_kid = derived(S1, SALT).gcm_kid().to_owned();
    for header in [
        format!(r#"{{"alg":"dir","enc":"A256GCM","kid":"{gcm_kid}"}}"#),
        r#"{"alg":"dir","enc":"A256GCM"}"#.to_owned(),
    ] {
        let token = jose::encrypt_gcm(&key, &header, plaintext.as_bytes());
        let claims = codec.decode(&token).expect("A256GCM opens, as in Auth.js");
        assert_eq!(claims["sub"], "user-1", "{header}");
    }
    // The CBC key's kid does not name the GCM key.
    let header = format!(r#"{{"alg":"dir","enc":"A256GCM","kid":"{kid}"}}"#);
    let token = jose::encrypt_gcm(&key, &header, plaintext.as_bytes());
    assert_eq!(refused(&codec, &token), AuthError::UnknownKey);
}

/// TF-04
///
/// The tag is compared in constant time (`Mac::verify_truncated_left`); that is not measured
/// here, as these tests make no timing assertions.
#[test]
fn altered_ciphertext_iv_or_tag_and_wrong_lengths_are_refused() {
    let codec = codec();
    let token = genuine_token();
    let [header, _, iv, ciphertext, tag] = parts(&token);
    let (iv, ciphertext, tag) = (jose::unb64(iv), jose::unb64(ciphertext), jose::unb64(tag));
    let last = ciphertext.len() - 1;
    for forged in [
        assemble(header, &flip_bit(&iv, 0, 0), &ciphertext, &tag),
        assemble(header, &flip_bit(&iv, 15, 7), &ciphertext, &tag),
        assemble(header, &iv, &flip_bit(&ciphertext, 0, 0), &tag),
        assemble(header, &iv, &flip_bit(&ciphertext, last - 16, 3), &tag),
        assemble(header, &iv, &flip_bit(&ciphertext, last, 7), &tag),
        assemble(header, &iv, &ciphertext, &flip_bit(&tag, 0, 0)),
        assemble(header, &iv, &ciphertext, &flip_bit(&tag, 31, 7)),
    ] {
        assert_eq!(refused(&codec, &forged), AuthError::TagMismatch);
    }

    // IVs and tags of the wrong length, each with a MAC computed over exactly what is sent.
    let key = key(S1, SALT);
    let header = b64(s1_header());
    let ciphertext = jose::cbc_encrypt(&key, &jose::FIXED_IV, claims_json().as_bytes());
    for iv_len in [0, 12, 15, 17, 32] {
        let iv = vec![0x3c; iv_len];
        let tag = jose::tag(&key, header.as_bytes(), &iv, &ciphertext);
        let forged = assemble(&header, &iv, &ciphertext, &tag);
        assert!(
            matches!(refused(&codec, &forged), AuthError::MalformedToken(_)),
            "iv of {iv_len} bytes"
        );
    }
    let mac = jose::full_mac(&key, header.as_bytes(), &jose::FIXED_IV, &ciphertext);
    for tag_len in [16, 31, 33, 64] {
        let forged = assemble(&header, &jose::FIXED_IV, &ciphertext, &mac[..tag_len]);
        assert!(
            matches!(refused(&codec, &forged), AuthError::MalformedToken(_)),
            "tag of {tag_len} bytes"
        );
    }
    let exact = assemble(&header, &jose::FIXED_IV, &ciphertext, &mac[..32]);
    codec.decode(&exact).expect("the 32-byte prefix is the tag");

    // The same for A256GCM.
    let gcm_header = r#"{"alg":"dir","enc":"A256GCM"}"#;
    let gcm = jose::encrypt_gcm(&key, gcm_header, claims_json().as_bytes());
    codec.decode(&gcm).expect("the untouched GCM token opens");
    let [header, _, iv, ciphertext, tag] = parts(&gcm);
    let (iv, ciphertext, tag) = (jose::unb64(iv), jose::unb64(ciphertext), jose::unb64(tag));
    for forged in [
        assemble(header, &flip_bit(&iv, 11, 1), &ciphertext, &tag),
        assemble(header, &iv, &flip_bit(&ciphertext, 5, 4), &tag),
        assemble(header, &iv, &ciphertext, &flip_bit(&tag, 15, 0)),
    ] {
        assert_eq!(refused(&codec, &forged), AuthError::TagMismatch);
    }
    for forged in [
        assemble(header, &iv[..8], &ciphertext, &tag),
        assemble(header, &iv, &ciphertext, &tag[..12]),
    ] {
        assert!(matches!(
            refused(&codec, &forged),
            AuthError::MalformedToken(_)
        ));
    }
}

/// TF-05
#[test]
fn a_changed_or_re_encoded_protected_header_is_refused() {
    let codec = codec();
    let token = genuine_token();
    let [_, _, iv, ciphertext, tag] = parts(&token);
    let kid = kid(S1, SALT);
    let gcm_kid = derived(S1, SALT).gcm_kid().to_owned();
    let with_header = |header_json: &str| format!("{}..{iv}.{ciphertext}.{tag}", b64(header_json));

    // The same header, spelled differently: the tag covers the bytes sent.
    for header in [
        format!(r#"{{"alg": "dir", "enc": "A256CBC-HS512", "kid": "{kid}"}}"#),
        format!(r#"{{"enc":"A256CBC-HS512","alg":"dir","kid":"{kid}"}}"#),
        format!(r#"{{"kid":"{kid}","enc":"A256CBC-HS512","alg":"dir"}}"#),
        format!(r#" {{"alg":"dir","enc":"A256CBC-HS512","kid":"{kid}"}}"#),
        format!("{}\n", s1_header()),
        format!(r#"{{"alg":"\u0064ir","enc":"A256CBC-HS512","kid":"{kid}"}}"#),
        r#"{"alg":"dir","enc":"A256CBC-HS512"}"#.to_owned(),
    ] {
        assert_eq!(
            refused(&codec, &with_header(&header)),
            AuthError::TagMismatch
        );
    }

    // `enc` switched to A256GCM, with the kid kept or changed to the GCM one.
    for header in [
        format!(r#"{{"alg":"dir","enc":"A256GCM","kid":"{kid}"}}"#),
        format!(r#"{{"alg":"dir","enc":"A256GCM","kid":"{gcm_kid}"}}"#),
        r#"{"alg":"dir","enc":"A256GCM"}"#.to_owned(),
    ] {
        refused(&codec, &with_header(&header));
    }
}

/// TF-06
///
/// Each key id names exactly one key: a token is never retried under the other secrets.
#[test]
fn a_wrong_or_unknown_kid_is_refused_without_trying_other_keys() {
    let codec = codec();
    let key = key(S1, SALT);
    let plaintext = claims_json();
    let header = |kid: &str| format!(r#"{{"alg":"dir","enc":"A256CBC-HS512","kid":"{kid}"}}"#);
    codec
        .decode(&jose::encrypt(
            &key,
            &header(&kid(S1, SALT)),
            plaintext.as_bytes(),
        ))
        .expect("control: S1's key under S1's kid opens");

    // S2's kid on a token made with S1's key: S2's key is used, and only it.
    let s2_kid = kid(S2, SALT);
    let token = jose::encrypt(&key, &header(&s2_kid), plaintext.as_bytes());
    assert_eq!(refused(&codec, &token), AuthError::TagMismatch);
    let genuine = genuine_token();
    let [_, _, iv, ciphertext, tag] = parts(&genuine);
    let swapped = format!("{}..{iv}.{ciphertext}.{tag}", b64(header(&s2_kid)));
    assert_eq!(refused(&codec, &swapped), AuthError::TagMismatch);

    // Unknown kids, on tokens S1's key would open.
    let s1_kid = kid(S1, SALT);
    for unknown in [
        kid(SX, SALT),
        "Qm9ndXMta2lkLXJhbmRvbS0xN2Y0YzJhOWUzYjhkMQ".to_owned(),
        String::new(),
        format!("{s1_kid}x"),
        s1_kid[..s1_kid.len() - 1].to_owned(),
        s1_kid.to_ascii_uppercase(),
        "../../../dev/null".to_owned(),
        "' OR '1'='1".to_owned(),
    ] {
        let token = jose::encrypt(&key, &header(&unknown), plaintext.as_bytes());
        assert_eq!(refused(&codec, &token), AuthError::UnknownKey, "{unknown}");
    }

    // A 10 KB kid is refused before its header is even parsed.
    let token = jose::encrypt(&key, &header(&"k".repeat(10_240)), plaintext.as_bytes());
    assert!(matches!(
        refused(&codec, &token),
        AuthError::UnsupportedHeader(_)
    ));
}

/// TF-07
#[test]
fn rotation_opens_older_secrets_only_by_kid_and_reissues_under_the_newest() {
    let rotating = codec_for(&[S1, S2], SALT);
    let newest_only = codec_for(&[S1], SALT);
    let plaintext = claims_json();
    let kidless = r#"{"alg":"dir","enc":"A256CBC-HS512"}"#;

    // Without a kid only the newest key is tried.
    let by_s2 = jose::encrypt(&key(S2, SALT), kidless, plaintext.as_bytes());
    assert_eq!(refused(&rotating, &by_s2), AuthError::TagMismatch);
    let by_s1 = jose::encrypt(&key(S1, SALT), kidless, plaintext.as_bytes());
    rotating.decode(&by_s1).expect("a kid-less S1 token opens");

    // An S2 token with its kid opens, and is re-issued under S1.
    let old = codec_for(&[S2], SALT)
        .encode(user_claims("user-2"), HOUR)
        .expect("encode under S2");
    let claims = rotating.decode(&old).expect("S2 is still listed");
    assert_eq!(claims["sub"], "user-2");
    let reissued = rotating.encode(claims, HOUR).expect("re-issue");
    let header = read_protected_header(&reissued).expect("our own header");
    assert_eq!(header.kid.as_deref(), Some(kid(S1, SALT).as_str()));
    assert_eq!(
        newest_only.decode(&reissued).expect("S1 opens it")["sub"],
        "user-2"
    );

    // Once S2 is removed from the list, its tokens are refused.
    assert_eq!(refused(&newest_only, &old), AuthError::UnknownKey);
    assert_eq!(
        refused(&codec_for(&[S1, SX], SALT), &old),
        AuthError::UnknownKey
    );
}

/// TF-08
#[test]
fn a_token_for_one_session_cookie_name_is_refused_under_the_other() {
    let http = CookieNames::HTTP.session;
    let https = CookieNames::HTTPS.session;
    let kidless = r#"{"alg":"dir","enc":"A256CBC-HS512"}"#;
    for (made_for, sent_as) in [(http, https), (https, http)] {
        let maker = codec_for(&[S1], made_for);
        let reader = codec_for(&[S1], sent_as);
        let token = maker.encode(user_claims("user-1"), HOUR).expect("encode");
        maker
            .decode(&token)
            .expect("control: opens under its own name");
        assert_eq!(refused(&reader, &token), AuthError::UnknownKey);

        // Sent as the other cookie.
        let (session, _) = read_session(&format!("{sent_as}={token}"), &reader);
        assert_eq!(session, Err(AuthError::UnknownKey));

        // Without a kid the other salt's key is tried, and its tag fails.
        let kidless_token = jose::encrypt(&key(S1, made_for), kidless, claims_json().as_bytes());
        assert_eq!(refused(&reader, &kidless_token), AuthError::TagMismatch);
    }
}

/// TF-09
///
/// The OAuth check cookies and the callback-url cookie hold values encrypted under their own
/// cookie names; none of them opens as a session.
#[test]
fn check_and_callback_url_cookie_values_are_refused_as_the_session() {
    let kidless = r#"{"alg":"dir","enc":"A256CBC-HS512"}"#;
    for names in [&CookieNames::HTTP, &CookieNames::HTTPS] {
        let session = codec_for(&[S1, S2], names.session);
        for salt in [
            names.state,
            names.pkce_verifier,
            names.nonce,
            names.callback_url,
        ] {
            let other = codec_for(&[S1, S2], salt);
            let mut value = user_claims("user-1");
            value.insert("value".into(), "dGhlLWNoZWNrLXZhbHVl".into());
            let token = other.encode(value, HOUR).expect("encode");
            other
                .decode(&token)
                .expect("control: opens under its own salt");
            assert_eq!(refused(&session, &token), AuthError::UnknownKey, "{salt}");

            let (read, _) = read_session(&format!("{}={token}", names.session), &session);
            assert_eq!(read, Err(AuthError::UnknownKey), "{salt}");

            // Kid-less, with claims a session would accept: the salt still keeps it out.
            let kidless_token = jose::encrypt(&key(S1, salt), kidless, claims_json().as_bytes());
            assert_eq!(
                refused(&session, &kidless_token),
                AuthError::TagMismatch,
                "{salt}"
            );
        }
    }

    // A plain callback URL, as Auth.js stores it, is not even a token.
    let codec = codec();
    let (read, _) = read_session(
        &format!("{SALT}=https%3A%2F%2Fapp.example%2Fdashboard"),
        &codec,
    );
    assert!(matches!(read, Err(AuthError::MalformedToken(_))));
}

/// TF-10
///
/// Compression is refused from the header, so no inflate code can run, even when the
/// ciphertext holds a valid DEFLATE stream of valid claims.
#[test]
fn compressed_tokens_and_critical_extensions_are_refused() {
    let codec = codec();
    let kid = kid(S1, SALT);
    // A raw DEFLATE stream of one stored block holding the claims.
    let claims = claims_json();
    let len = u16::try_from(claims.len()).expect("short claims");
    let mut deflated = vec![0x01];
    deflated.extend(len.to_le_bytes());
    deflated.extend((!len).to_le_bytes());
    deflated.extend(claims.as_bytes());

    for extra in [
        r#""zip":"DEF""#,
        r#""zip":"def""#,
        r#""zip":"""#,
        r#""zip":null"#,
        r#""crit":["exp"]"#,
        r#""crit":["b64"],"b64":false"#,
        r#""crit":[]"#,
        r#""crit":"zip""#,
    ] {
        let header = format!(r#"{{"alg":"dir","enc":"A256CBC-HS512","kid":"{kid}",{extra}}}"#);
        let token = forge(&header, &deflated);
        assert!(
            matches!(refused(&codec, &token), AuthError::UnsupportedHeader(_)),
            "{extra}"
        );
        assert!(
            matches!(
                read_protected_header(&token),
                Err(AuthError::UnsupportedHeader(_))
            ),
            "{extra}"
        );
    }
}

/// TF-11
///
/// Header members that would point at other keys are refused before any key is chosen; the
/// runtime has no code that fetches a URL.
#[test]
fn key_reference_and_other_extra_header_members_are_refused() {
    let codec = codec();
    let kid = kid(S1, SALT);
    for extra in [
        r#""jku":"https://attacker.example/jwks.json""#,
        r#""jwk":{"kty":"oct","k":"YXR0YWNrZXIta2V5LW1hdGVyaWFsLTMyLWJ5dGVzISE"}"#,
        r#""x5u":"https://attacker.example/cert.pem""#,
        r#""x5c":["MIIBszCCAVmgAwIBAgIUaQ"]"#,
        r#""x5t":"dGh1bWJwcmludA""#,
        r#""x5t#S256":"dGh1bWJwcmludA""#,
        r#""epk":{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}"#,
        r#""cty":"JWT""#,
        r#""typ":"JWT""#,
        r#""apu":"QWxpY2U""#,
        r#""iv":"AAAAAAAAAAAAAAAA""#,
        r#""Kid":"other""#,
        r#""ALG":"none""#,
        r#""__proto__":{"alg":"none"}"#,
    ] {
        let header = format!(r#"{{"alg":"dir","enc":"A256CBC-HS512","kid":"{kid}",{extra}}}"#);
        let token = forge(&header, claims_json().as_bytes());
        assert!(
            matches!(refused(&codec, &token), AuthError::UnsupportedHeader(_)),
            "{extra}"
        );
    }
}

/// TF-12
#[test]
fn nested_tokens_as_plaintext_are_refused_not_decoded_again() {
    let codec = codec();
    let inner_jwe = genuine_token();
    let inner_jws = format!(
        "{}.{}.{}",
        b64(r#"{"alg":"HS256","typ":"JWT"}"#),
        b64(claims_json()),
        b64([0x42; 32])
    );
    for plaintext in [
        inner_jwe.clone(),
        inner_jws.clone(),
        format!("\"{inner_jwe}\""),
        format!("\"{inner_jws}\""),
    ] {
        let token = forge_claims(&plaintext);
        assert!(matches!(
            refused(&codec, &token),
            AuthError::InvalidClaims(_)
        ));
    }

    // A token inside a claim stays an opaque string.
    let plaintext = format!(
        r#"{{"sub":"user-1","exp":{},"token":"{inner_jwe}"}}"#,
        NOW + 60
    );
    let claims = codec
        .decode(&forge_claims(&plaintext))
        .expect("valid claims");
    assert_eq!(claims["token"], Value::String(inner_jwe));
}

/// TF-13
#[test]
fn a_token_over_the_chunk_cap_is_refused_before_decrypting() {
    let codec = codec();
    let plaintext = format!(
        r#"{{"sub":"user-1","exp":{},"blob":"{}"}}"#,
        NOW + 3600,
        "z".repeat(24_000)
    );
    let token = forge_claims(&plaintext);
    assert!(token.len() > MAX_TOKEN_LEN);
    assert_eq!(MAX_TOKEN_LEN, CHUNK_SIZE * MAX_CHUNKS);
    assert!(matches!(
        refused(&codec, &token),
        AuthError::MalformedToken(_)
    ));
    // Its tag and claims are valid: only the length refused it.
    let uncapped = codec.clone().with_max_token_len(usize::MAX);
    uncapped
        .decode(&token)
        .expect("valid apart from its length");

    let huge = "A".repeat(1 << 20);
    assert!(matches!(
        refused(&codec, &huge),
        AuthError::MalformedToken(_)
    ));
    let huge_header = format!("{}..AAAA.AAAA.AAAA", "e".repeat(MAX_TOKEN_LEN));
    assert!(matches!(
        refused(&codec, &huge_header),
        AuthError::MalformedToken(_)
    ));
}

/// TF-14
#[test]
fn characters_outside_base64url_and_broken_percent_encoding_are_refused() {
    let codec = codec();
    let token = genuine_token();
    let malformed = |token: &str| {
        assert!(
            matches!(refused(&codec, token), AuthError::MalformedToken(_)),
            "{token:?}"
        );
    };

    // Standard base64 alphabet and padding, with tags computed over exactly what is sent.
    let key = key(S1, SALT);
    let iv = [0xfb; 16];
    let ciphertext = jose::cbc_encrypt(&key, &iv, claims_json().as_bytes());
    let header = STANDARD_NO_PAD.encode(s1_header());
    let tag = jose::tag(&key, header.as_bytes(), &iv, &ciphertext);
    let standard = format!(
        "{header}..{}.{}.{}",
        STANDARD_NO_PAD.encode(iv),
        STANDARD_NO_PAD.encode(&ciphertext),
        STANDARD_NO_PAD.encode(tag)
    );
    assert!(standard.contains('+') && standard.contains('/'));
    malformed(&standard);
    let mut padded_json = s1_header();
    while !URL_SAFE.encode(&padded_json).ends_with('=') {
        padded_json.push(' ');
    }
    let padded_header = URL_SAFE.encode(&padded_json);
    malformed(&jose::encrypt_with_encoded_header(
        &key,
        &padded_header,
        claims_json().as_bytes(),
        &jose::FIXED_IV,
    ));
    let [header, _, iv_part, ciphertext_part, tag_part] = parts(&token);
    malformed(&format!(
        "{header}..{iv_part}==.{ciphertext_part}.{tag_part}"
    ));
    malformed(&format!("{token}="));
    if token.contains(['-', '_']) {
        malformed(&token.replace('-', "+").replace('_', "/"));
    }

    // Other spellings of the same IV or tag bytes (unused low bits set).
    malformed(&format!(
        "{header}..{}.{ciphertext_part}.{tag_part}",
        with_unused_bit_flipped(iv_part)
    ));
    malformed(&format!(
        "{header}..{iv_part}.{ciphertext_part}.{}",
        with_unused_bit_flipped(tag_part)
    ));

    // White space, control and non-ASCII characters anywhere.
    let first_dot = token.find('.').expect("a dot");
    for inserted in [" ", "\t", "\n", "\r", "\0", "é", "\u{200b}", "\u{ff0e}"] {
        for at in [0, first_dot + 1, token.len()] {
            let mut forged = token.clone();
            forged.insert_str(at, inserted);
            malformed(&forged);
        }
    }
    malformed(&token.replacen('.', "\u{ff0e}", 1));

    // Percent-encoding: sent raw it is not base64url; decoded, broken escapes either fail
    // UTF-8 or leave a `%` behind.
    malformed(&token.replace('.', "%2E"));
    for raw in [
        format!("{token}%"),
        format!("{token}%2"),
        format!("%zz{token}"),
        format!("{token}%E0%A4%A"),
        format!("%FF{token}"),
        format!("{token}%C0%AE"),
    ] {
        if let Some(decoded) = decode_cookie_value(&raw) {
            malformed(&decoded);
        }
    }
}

/// TF-15, TF-21
#[test]
fn wrong_part_counts_empty_parts_a_key_part_and_json_serialization_are_refused() {
    let codec = codec();
    let token = genuine_token();
    let [header, _, iv, ciphertext, tag] = parts(&token);
    let key = key(S1, SALT);
    let encoded_header = b64(s1_header());
    let sealed = jose::cbc_encrypt(&key, &jose::FIXED_IV, claims_json().as_bytes());
    let sealed_tag = jose::tag(&key, encoded_header.as_bytes(), &jose::FIXED_IV, &sealed);
    let with_key_part = |key_part: &str| {
        format!(
            "{encoded_header}.{key_part}.{}.{}.{}",
            b64(jose::FIXED_IV),
            b64(&sealed),
            b64(sealed_tag)
        )
    };
    let json = json!({
        "protected": header,
        "iv": iv,
        "ciphertext": ciphertext,
        "tag": tag,
    })
    .to_string();
    let general = json!({
        "protected": header,
        "recipients": [{}],
        "iv": iv,
        "ciphertext": ciphertext,
        "tag": tag,
    })
    .to_string();

    for forged in [
        String::new(),
        ".".to_owned(),
        "....".to_owned(),
        ".....".to_owned(),
        format!("{header}.{ciphertext}"),
        format!("{header}.{iv}.{ciphertext}.{tag}"),
        format!("{header}..{iv}.{ciphertext}"),
        format!("{token}."),
        format!("{token}.{tag}"),
        format!("{header}...{iv}.{ciphertext}.{tag}"),
        format!("..{iv}.{ciphertext}.{tag}"),
        format!("{header}...{ciphertext}.{tag}"),
        format!("{header}..{iv}..{tag}"),
        format!("{header}..{iv}.{ciphertext}."),
        with_key_part(&b64([0u8; 64])),
        with_key_part("A"),
        json,
        general,
    ] {
        assert!(
            matches!(refused(&codec, &forged), AuthError::MalformedToken(_)),
            "{forged:?}"
        );
    }
    codec
        .decode(&with_key_part(""))
        .expect("control: the same token with an empty key part opens");
}

/// TF-22
///
/// The tolerance is the constant 15 s of Auth.js; it cannot be configured, so there is no
/// leeway setting to refuse at start-up.
#[test]
fn expiry_allows_fifteen_seconds_of_clock_skew_and_no_more() {
    assert_eq!(CLOCK_TOLERANCE, Duration::from_secs(15));
    let token = codec().encode(user_claims("user-1"), HOUR).expect("encode");
    let exp = NOW + 3600;
    let at = |now: i64| codec().with_clock(FixedClock(now));

    assert_eq!(refused(&at(exp + 16), &token), AuthError::Expired { exp });
    assert_eq!(refused(&at(exp + 15), &token), AuthError::Expired { exp });
    at(exp + 14).decode(&token).expect("within the tolerance");

    // The same with hand-made claims read at NOW.
    let with_exp = |exp: i64| {
        forge_claims(&format!(
            r#"{{"sub":"user-1","iat":{},"exp":{exp},"jti":"{JTI}"}}"#,
            NOW - 3600
        ))
    };
    assert_eq!(
        refused(&codec(), &with_exp(NOW - 16)),
        AuthError::Expired { exp: NOW - 16 }
    );
    codec()
        .decode(&with_exp(NOW - 14))
        .expect("within the tolerance");
}

/// TF-23
#[test]
fn not_before_or_issued_at_in_the_future_is_refused() {
    let codec = codec();
    let token = |nbf: i64, iat: i64| {
        forge_claims(&format!(
            r#"{{"sub":"user-1","nbf":{nbf},"iat":{iat},"exp":{},"jti":"{JTI}"}}"#,
            NOW + 7200
        ))
    };
    assert_eq!(
        refused(&codec, &token(NOW + 60, NOW)),
        AuthError::NotYetValid {
            not_before: NOW + 60
        }
    );
    assert_eq!(
        refused(&codec, &token(NOW, NOW + 3600)),
        AuthError::NotYetValid {
            not_before: NOW + 3600
        }
    );
    codec
        .decode(&token(NOW + 14, NOW + 14))
        .expect("within the tolerance");
}

// --- CL: claims ----------------------------------------------------------------------------

/// CL-01
///
/// Mistyped times are errors, never read as absent: `nbf` and `iat` are optional, so a
/// far-future `nbf` spelled as a string would otherwise slip through.
#[test]
fn registered_times_of_the_wrong_type_are_refused_not_ignored() {
    let codec = codec();
    let valid_exp = (NOW + 3600).to_string();
    let now = NOW.to_string();
    let bad_values = [
        format!("\"{}\"", NOW + 3600),
        "\"9999999999\"".to_owned(),
        "null".to_owned(),
        "true".to_owned(),
        "false".to_owned(),
        format!("[{}]", NOW + 3600),
        format!("{{\"at\":{}}}", NOW + 3600),
        format!("{}.5", NOW + 3600),
        format!("{}.0", NOW + 3600),
        "1e300".to_owned(),
        "9007199254740992".to_owned(),
        "9007199254740993".to_owned(),
        "18446744073709551615".to_owned(),
        "-9007199254740993".to_owned(),
    ];
    for name in ["exp", "nbf", "iat"] {
        for bad in &bad_values {
            let mut times = BTreeMap::from([("exp", valid_exp.as_str()), ("iat", now.as_str())]);
            times.insert(name, bad.as_str());
            let members: String = times
                .iter()
                .map(|(name, value)| format!(r#","{name}":{value}"#))
                .collect();
            let plaintext = format!(r#"{{"sub":"user-1","jti":"{JTI}"{members}}}"#);
            let error = refused(&codec, &forge_claims(&plaintext));
            assert!(
                matches!(error, AuthError::InvalidClaims(_)),
                "{name} = {bad}: {error:?}"
            );
        }
    }
    let plaintext = format!(r#"{{"sub":"user-1","exp":{valid_exp},"jti":42}}"#);
    assert!(matches!(
        refused(&codec, &forge_claims(&plaintext)),
        AuthError::InvalidClaims(_)
    ));
}

/// CL-02
///
/// Required typed claims (`id`, `role`) come with the `#[auth_config]` schema; at the token
/// level the required claim is `exp`.
#[test]
fn a_token_without_exp_is_refused_not_given_a_default() {
    let codec = codec();
    for plaintext in [
        "{}".to_owned(),
        format!(r#"{{"sub":"user-1","role":"user","iat":{NOW},"jti":"{JTI}"}}"#),
        format!(r#"{{"sub":"user-1","EXP":{}}}"#, NOW + 3600),
        format!(r#"{{"sub":"user-1","nested":{{"exp":{}}}}}"#, NOW + 3600),
    ] {
        assert!(
            matches!(
                refused(&codec, &forge_claims(&plaintext)),
                AuthError::InvalidClaims(_)
            ),
            "{plaintext}"
        );
    }
}

/// CL-07
#[test]
fn unknown_claim_members_survive_decode_and_reissue_unchanged() {
    let codec = codec();
    let unknown = json!({
        "__proto__": { "role": "admin" },
        "constructor": { "prototype": { "isAdmin": true } },
        "Role": "admin",
        "nested": { "deep": [1, { "x": null }, "ü"] },
    });
    let mut claims = user_claims("user-1");
    claims.extend(self::claims(unknown.clone()));

    let token = codec.encode(claims, HOUR).expect("encode");
    let decoded = codec.decode(&token).expect("decode");
    let reissued = codec.encode(decoded, HOUR).expect("re-issue");
    let decoded = codec.decode(&reissued).expect("decode the re-issued token");
    for (name, value) in self::claims(unknown) {
        assert_eq!(decoded.get(&name), Some(&value), "{name}");
    }
    assert_eq!(decoded["role"], "user");

    // The same from a peer's token written by hand.
    let plaintext = format!(
        r#"{{"sub":"user-1","role":"user","exp":{},"__proto__":{{"role":"admin"}},"Role":"admin"}}"#,
        NOW + 60
    );
    let decoded = codec.decode(&forge_claims(&plaintext)).expect("decode");
    assert_eq!(decoded["__proto__"], json!({ "role": "admin" }));
    assert_eq!(decoded["Role"], "admin");
    assert_eq!(decoded["role"], "user");
}

/// CL-08
#[test]
fn duplicate_member_names_are_refused_in_claims_and_header() {
    let codec = codec();
    let exp = NOW + 3600;
    for plaintext in [
        format!(r#"{{"sub":"user-1","role":"user","role":"admin","exp":{exp}}}"#),
        format!(r#"{{"sub":"user-1","role":"user","r\u006fle":"admin","exp":{exp}}}"#),
        format!(r#"{{"sub":"user-1","exp":{},"exp":{exp}}}"#, NOW - 3600),
        format!(r#"{{"sub":"user-1","exp":{exp},"user":{{"role":"user","role":"admin"}}}}"#),
        format!(r#"{{"sub":"user-1","exp":{exp},"list":[{{"a":1,"a":2}}]}}"#),
    ] {
        assert!(
            matches!(
                refused(&codec, &forge_claims(&plaintext)),
                AuthError::InvalidClaims(_)
            ),
            "{plaintext}"
        );
    }

    let kid = kid(S1, SALT);
    for header in [
        format!(r#"{{"alg":"dir","alg":"none","enc":"A256CBC-HS512","kid":"{kid}"}}"#),
        format!(r#"{{"alg":"none","alg":"dir","enc":"A256CBC-HS512","kid":"{kid}"}}"#),
        format!(r#"{{"alg":"dir","enc":"A256CBC-HS512","kid":"{kid}","kid":"other"}}"#),
        format!(r#"{{"alg":"dir","enc":"A128GCM","enc":"A256CBC-HS512","kid":"{kid}"}}"#),
    ] {
        let token = forge(&header, claims_json().as_bytes());
        assert!(
            matches!(refused(&codec, &token), AuthError::UnsupportedHeader(_)),
            "{header}"
        );
    }
}

/// CL-09
#[test]
fn deeply_nested_claims_are_refused_without_overflowing_the_stack() {
    // No length cap, so that the parser, not the token length limit, meets the nesting.
    let codec = codec().with_max_token_len(usize::MAX);
    let exp = NOW + 3600;
    let depth = 10_000;
    let arrays = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let objects = format!("{}1{}", r#"{"a":"#.repeat(depth), "}".repeat(depth));
    let mixed = format!(
        "{}1{}",
        r#"[{"a":"#.repeat(depth / 2),
        "}]".repeat(depth / 2)
    );
    for nested in [arrays, objects, mixed] {
        let plaintext = format!(r#"{{"sub":"user-1","exp":{exp},"nested":{nested}}}"#);
        assert!(matches!(
            refused(&codec, &forge_claims(&plaintext)),
            AuthError::InvalidClaims(_)
        ));
    }
    // Unclosed nesting too.
    let plaintext = format!(
        r#"{{"sub":"user-1","exp":{exp},"nested":{}"#,
        "[".repeat(depth)
    );
    assert!(matches!(
        refused(&codec, &forge_claims(&plaintext)),
        AuthError::InvalidClaims(_)
    ));
}

/// CL-10
#[test]
fn invalid_utf8_and_lone_surrogates_are_refused() {
    let codec = codec();
    let exp = NOW + 3600;
    let header = s1_header();
    let claims_with = |name: &[u8], value: &[u8]| {
        let mut plaintext = b"{\"".to_vec();
        plaintext.extend(name);
        plaintext.extend(b"\":\"");
        plaintext.extend(value);
        plaintext.extend(format!("\",\"exp\":{exp}}}").as_bytes());
        plaintext
    };
    let cases: [(&[u8], &[u8]); 9] = [
        (b"sub", b"\xff"),
        (b"sub", b"\xc0\xaf"),
        (b"sub", b"\xed\xa0\x80"),
        (b"sub", b"\xe2\x82"),
        (b"sub", b"\\ud800"),
        (b"sub", b"\\udc00"),
        (b"sub", b"x\\ud800\\u0041"),
        (b"\\ud800", b"user-1"),
        (b"\xfe", b"user-1"),
    ];
    for (name, value) in cases {
        let token = forge(&header, &claims_with(name, value));
        assert!(
            matches!(refused(&codec, &token), AuthError::InvalidClaims(_)),
            "{}: {}",
            name.escape_ascii(),
            value.escape_ascii()
        );
    }
    let pair = forge(&header, &claims_with(b"sub", b"\\ud83d\\ude00"));
    assert_eq!(
        codec.decode(&pair).expect("a surrogate pair is fine")["sub"],
        "😀"
    );

    // The same in the protected header.
    let key = key(S1, SALT);
    let kid = kid(S1, SALT);
    for bad in [&b"\xff"[..], b"\\ud800"] {
        let mut header =
            format!(r#"{{"alg":"dir","enc":"A256CBC-HS512","kid":"{kid}","x":""#).into_bytes();
        header.extend(bad);
        header.extend(b"\"}");
        let token = jose::encrypt_with_encoded_header(
            &key,
            &b64(&header),
            claims_json().as_bytes(),
            &jose::FIXED_IV,
        );
        assert!(matches!(
            refused(&codec, &token),
            AuthError::UnsupportedHeader(_)
        ));
    }
}

/// CL-08, CL-09, CL-10 and the registered claims, for the typed decode of the session
/// middleware: every refusal above is also checked on `decode_as` (see [`refused`]); here,
/// what the map decode accepts, the typed decode accepts with the same claims and times.
#[test]
fn the_typed_decode_accepts_what_the_map_decode_accepts() {
    let codec = codec();
    let exp = NOW + 3600;
    for plaintext in [
        claims_json(),
        format!(r#"{{"sub":"\ud83d\ude00","exp":{exp}}}"#),
        format!(
            r#"{{"sub":"user-1","exp":{},"iat":{},"nbf":{}}}"#,
            NOW - 14,
            NOW + 14,
            NOW + 14
        ),
        format!(
            r#"{{"sub":"user-1","exp":{exp},"a":{{"b":1}},"c":{{"b":2}},"l":[{{"x":1}},{{"x":2}}]}}"#
        ),
        format!(
            r#"{{"sub":"user-1","exp":{exp},"role":"user","Role":"admin","__proto__":{{"role":"admin"}}}}"#
        ),
        format!(r#"{{"sub":"user-1","exp":{exp},"jti":"j","n":[1.5,-2,1e300,null,true,"ü"]}}"#),
    ] {
        let token = forge_claims(&plaintext);
        let claims = codec.decode(&token).expect("the map decode accepts it");
        let (map, registered) = codec
            .decode_as::<Claims>(&token)
            .expect("the typed decode accepts it");
        assert_eq!(map, claims, "{plaintext}");
        assert_eq!(Some(registered.expires_at), claims["exp"].as_i64());
        assert_eq!(
            registered.issued_at,
            claims.get("iat").and_then(Value::as_i64).unwrap_or(0)
        );
        let (typed, _) = codec
            .decode_as::<TypedToken>(&token)
            .expect("the typed decode accepts it");
        assert_eq!(Some(typed.sub.as_str()), claims["sub"].as_str());
    }

    // Genuine tokens, and what does not fit the type: refused by position, never by value.
    let token = codec.encode(user_claims("user-1"), HOUR).expect("encode");
    let (typed, registered) = codec.decode_as::<TypedToken>(&token).expect("decode");
    assert_eq!((typed.exp, typed.iat), (NOW + 3600, NOW));
    assert_eq!(
        (registered.expires_at, registered.issued_at),
        (NOW + 3600, NOW)
    );
    let token = forge_claims(&format!(
        r#"{{"sub":"secret-value-x","exp":{exp},"name":7}}"#
    ));
    codec.decode(&token).expect("the map has no types");
    let error = codec
        .decode_as::<TypedToken>(&token)
        .expect_err("`name` is not a string");
    assert!(matches!(error, AuthError::InvalidClaims(_)));
    assert!(!format!("{error} {error:?}").contains("secret-value-x"));
}

// --- CK: cookies ---------------------------------------------------------------------------

/// CK-03
#[test]
fn a_missing_chunk_signs_out_and_expires_every_chunk_sent() {
    let codec = codec();
    let token = token_with_blob(6_500);
    assert_eq!(split_into_chunks(&token).count(), 3);
    let all = chunk_pairs(SALT, &token, &[0, 1, 2]).join("; ");
    assert!(
        read_session(&all, &codec).0.is_ok(),
        "control: all three open"
    );

    for sent in [[1, 2], [0, 2], [0, 1]] {
        let header = chunk_pairs(SALT, &token, &sent).join("; ");
        let (session, names) = read_session(&header, &codec);
        assert!(session.is_err(), "chunks {sent:?}: {session:?}");
        if sent[0] != 0 || sent[1] != 1 {
            assert!(matches!(session, Err(AuthError::MalformedCookie(_))));
        }
        let expected: Vec<String> = sent.iter().map(|i| format!("{SALT}.{i}")).collect();
        assert_eq!(expired_names(names, SALT), expected);
    }
}

/// CK-04
///
/// A stale chunk from an older, longer token, or the plain name beside chunks, signs the
/// request out; the reader never drops a chunk to find a token that opens.
#[test]
fn a_stale_extra_chunk_or_a_plain_cookie_beside_chunks_signs_out() {
    let codec = codec();
    let old = token_with_blob(6_500);
    let new = token_with_blob(4_000);
    assert_eq!(split_into_chunks(&old).count(), 3);
    assert_eq!(split_into_chunks(&new).count(), 2);
    let new_pairs = chunk_pairs(SALT, &new, &[0, 1]);
    assert!(
        read_session(&new_pairs.join("; "), &codec).0.is_ok(),
        "control: the new chunks alone open"
    );

    let mut stale = new_pairs.clone();
    stale.extend(chunk_pairs(SALT, &old, &[2]));
    let (session, names) = read_session(&stale.join("; "), &codec);
    assert!(session.is_err(), "{session:?}");
    assert_eq!(
        expired_names(names, SALT),
        [0, 1, 2].map(|i| format!("{SALT}.{i}"))
    );

    let small = genuine_token();
    for header in [
        format!(
            "{SALT}={small}; {}",
            chunk_pairs(SALT, &new, &[0]).join("; ")
        ),
        format!("{SALT}={small}; {}", new_pairs.join("; ")),
        format!("{}; {SALT}={small}", new_pairs.join("; ")),
    ] {
        let (session, names) = read_session(&header, &codec);
        assert!(matches!(session, Err(AuthError::MalformedCookie(_))));
        let expired = expired_names(names, SALT);
        assert_eq!(expired[0], SALT);
        assert!(expired.len() >= 2);
    }
}

/// CK-05
///
/// Chunks are ordered by number, whatever order they arrive in. With at most 4 chunks no
/// index has two digits, so `.10` only ever arrives as a stray and is refused.
#[test]
fn chunks_are_joined_by_number_and_non_canonical_suffixes_are_refused() {
    let codec = codec();
    let token = token_with_blob(6_500);
    let pairs = chunk_pairs(SALT, &token, &[0, 1, 2]);
    for order in [
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 2],
        [1, 2, 0],
        [2, 0, 1],
        [2, 1, 0],
    ] {
        let header = order.map(|i| pairs[i].as_str()).join("; ");
        let (session, _) = read_session(&header, &codec);
        assert_eq!(
            session.expect("opens in any order")["blob"]
                .as_str()
                .map(str::len),
            Some(6_500)
        );
    }

    let biggest = token_with_blob(10_500);
    assert_eq!(split_into_chunks(&biggest).count(), MAX_CHUNKS);
    for order in [[3, 2, 1, 0], [1, 3, 0, 2]] {
        let header = chunk_pairs(SALT, &biggest, &order).join("; ");
        read_session(&header, &codec)
            .0
            .expect("the most chunks, in any order");
    }

    let tail = split_into_chunks(&token).nth(1).expect("a second chunk");
    let first = &pairs[0];
    let last = &pairs[2];
    for suffix in [
        "10", "01", "00", "+1", "-1", "x", " 1", "1.0", "0x1", "1e0", "１", "", "١",
    ] {
        let header = format!("{first}; {SALT}.{suffix}={tail}; {last}");
        let (session, _) = read_session(&header, &codec);
        assert!(
            matches!(session, Err(AuthError::MalformedCookie(_))),
            ".{suffix}: {session:?}"
        );
    }
    let with_ten = format!("{}; {SALT}.10={tail}", pairs.join("; "));
    assert!(matches!(
        read_session(&with_ten, &codec).0,
        Err(AuthError::MalformedCookie(_))
    ));
}

/// CK-06
#[test]
fn a_shrinking_token_expires_its_old_chunks() {
    let codec = codec();
    let big = token_with_blob(6_500);
    let medium = token_with_blob(4_000);
    let small = genuine_token();

    // 3 chunks → 1 cookie.
    let mut jar = jar_with(&big);
    assert_eq!(jar.len(), 3);
    let previous =
        SessionCookie::read(parse_cookie_header(jar_header(&jar).as_bytes()), SALT).names;
    let written = session_set_cookies(SALT, &small, expires(), false, previous).expect("fits");
    let lines: Vec<String> = written.iter().map(ToString::to_string).collect();
    assert_eq!(lines.len(), 4);
    assert!(lines[0].starts_with(&format!("{SALT}={small}; Path=/; Expires=")));
    for (index, line) in lines[1..].iter().enumerate() {
        assert_eq!(
            line,
            &format!("{SALT}.{index}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax")
        );
    }
    apply(&mut jar, &written);
    assert_eq!(jar.keys().collect::<Vec<_>>(), [SALT]);
    let (session, _) = read_session(&jar_header(&jar), &codec);
    assert!(session.expect("the new token opens").get("blob").is_none());

    // 3 chunks → 2, and 1 cookie → 3 chunks.
    for (from, to, left) in [(&big, &medium, 2), (&small, &big, 3)] {
        let mut jar = jar_with(from);
        let previous =
            SessionCookie::read(parse_cookie_header(jar_header(&jar).as_bytes()), SALT).names;
        let written = session_set_cookies(SALT, to, expires(), false, previous).expect("fits");
        apply(&mut jar, &written);
        assert_eq!(jar.len(), left);
        assert!(jar.keys().all(|name| name.starts_with(&format!("{SALT}."))));
        let (session, _) = read_session(&jar_header(&jar), &codec);
        session.expect("the new token opens");
    }

    // Over https the deletions carry Secure, like the cookies they delete.
    let name = CookieNames::HTTPS.session;
    let previous = SessionCookie::read(
        parse_cookie_header(format!("{name}.0=a; {name}.1=b").as_bytes()),
        name,
    )
    .names;
    let written = session_set_cookies(name, "short", expires(), true, previous).expect("fits");
    assert_eq!(
        written[1].to_string(),
        format!("{name}.0=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax")
    );
}

/// CK-07
#[test]
fn a_token_needing_more_than_the_most_chunks_is_not_written_and_the_old_cookie_stays() {
    let codec = codec();
    let old = genuine_token();
    let mut jar = jar_with(&old);
    let previous =
        SessionCookie::read(parse_cookie_header(jar_header(&jar).as_bytes()), SALT).names;

    let too_big = token_with_blob(30_000);
    assert!(too_big.len() > CHUNK_SIZE * MAX_CHUNKS);
    let result = session_set_cookies(SALT, &too_big, expires(), false, previous);
    assert_eq!(
        result,
        Err(AuthError::TokenTooLarge {
            len: too_big.len(),
            max_chunks: MAX_CHUNKS
        })
    );
    // Nothing was written, so the browser keeps the old session.
    let (session, _) = read_session(&jar_header(&jar), &codec);
    assert_eq!(
        session.expect("the old cookie still opens")["sub"],
        "user-1"
    );

    // At the boundary: exactly the most full chunks are written, one more character is refused.
    let full = "a".repeat(CHUNK_SIZE * MAX_CHUNKS);
    let written = session_set_cookies(SALT, &full, expires(), false, previous).expect("fits");
    assert_eq!(
        written.len(),
        MAX_CHUNKS + 1,
        "every chunk, and the plain name expired"
    );
    assert!(
        written[..MAX_CHUNKS]
            .iter()
            .all(|c| c.value().len() == CHUNK_SIZE)
    );
    apply(&mut jar, &written);
    let rejoined =
        SessionCookie::read(parse_cookie_header(jar_header(&jar).as_bytes()), SALT).token;
    assert_eq!(rejoined, Ok(Some(full.clone())));
    let over = format!("{full}a");
    assert!(matches!(
        session_set_cookies(SALT, &over, expires(), false, previous),
        Err(AuthError::TokenTooLarge { .. })
    ));
}

/// CK-08
#[test]
fn a_cookie_bomb_is_refused_before_decrypting_with_at_most_five_deletions() {
    let codec = codec();

    // One chunk too many, of a token whose tag and claims are valid: refused by count alone.
    let over = token_with_blob(13_000);
    assert_eq!(split_into_chunks(&over).count(), MAX_CHUNKS + 1);
    codec
        .clone()
        .with_max_token_len(usize::MAX)
        .decode(&over)
        .expect("valid apart from its size");
    let indices: Vec<usize> = (0..=MAX_CHUNKS).collect();
    let header = chunk_pairs(SALT, &over, &indices).join("; ");
    let cookie = SessionCookie::read(parse_cookie_header(header.as_bytes()), SALT);
    assert!(matches!(cookie.token, Err(AuthError::MalformedCookie(_))));
    assert_eq!(expired_names(cookie.names, SALT).len(), MAX_CHUNKS);

    // Three hundred chunks and the plain name.
    let header = (0..300)
        .map(|i| format!("{SALT}.{i}=eyJhbGciOiJkaXIi"))
        .chain(std::iter::once(format!("{SALT}={}", genuine_token())))
        .collect::<Vec<_>>()
        .join("; ");
    let (session, names) = read_session(&header, &codec);
    assert!(matches!(session, Err(AuthError::MalformedCookie(_))));
    let expired = expired_names(names, SALT);
    assert_eq!(expired.len(), MAX_CHUNKS + 1);
    assert!(expired.len() <= 9);
}

/// DS-02
///
/// `Cookie` headers over 16 KiB, all together, sign the request out before anything is
/// decrypted, whatever the session cookie in them holds; the names carried are kept, so that
/// the answer expires them. The largest session a write allows, under the longest cookie name,
/// still fits beside the site's other cookies.
#[test]
fn cookie_headers_over_16_kib_are_refused_before_decrypting() {
    let codec = codec();
    let session = format!("{SALT}={}", genuine_token());
    let headers = |values: &[String]| {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(
                COOKIE,
                HeaderValue::from_str(value).expect("a header value"),
            );
        }
        headers
    };
    let pref = |len: usize| format!("pref={}", "x".repeat(len));
    // One header (`session; pref=…`), or the same cookies in two headers.
    let in_one = |len: usize| headers(&[format!("{session}; {}", pref(len))]);
    let in_two = |len: usize| headers(&[session.clone(), pref(len)]);
    let one_at_limit = MAX_COOKIE_HEADER_LEN - session.len() - "; pref=".len();
    let two_at_limit = MAX_COOKIE_HEADER_LEN - session.len() - "pref=".len();
    for (at_limit, over) in [
        (in_one(one_at_limit), in_one(one_at_limit + 1)),
        (in_two(two_at_limit), in_two(two_at_limit + 1)),
    ] {
        let cookie = SessionCookie::from_headers(&at_limit, SALT);
        let token = cookie.token.expect("well-formed").expect("a session");
        assert_eq!(codec.decode(&token).expect("opens")["sub"], "user-1");

        let cookie = SessionCookie::from_headers(&over, SALT);
        assert!(
            matches!(cookie.token, Err(AuthError::MalformedCookie(why)) if why.contains("16 KiB"))
        );
        assert_eq!(expired_names(cookie.names, SALT), [SALT]);
    }

    // Without a session cookie, large headers are just signed out, with nothing to expire.
    let cookie = SessionCookie::from_headers(&headers(&[pref(MAX_COOKIE_HEADER_LEN)]), SALT);
    assert_eq!(cookie.token, Ok(None));
    assert!(cookie.names.is_empty());

    // The largest session, in `__Secure-` chunks, beside 256 bytes of the site's cookies.
    let name = CookieNames::HTTPS.session;
    let full = "a".repeat(CHUNK_SIZE * MAX_CHUNKS);
    let written = session_set_cookies(name, &full, expires(), true, SessionCookieNames::default())
        .expect("the most a write allows");
    let mut pairs: Vec<String> = written
        .iter()
        .map(|cookie| format!("{}={}", cookie.name(), cookie.value()))
        .collect();
    pairs.push(pref(256 - "pref=; ".len()));
    let cookie = SessionCookie::from_headers(&headers(&[pairs.join("; ")]), name);
    assert_eq!(cookie.token, Ok(Some(full)));
}

/// CK-09
///
/// Two cookies of the session name (one tossed in from a sibling subdomain or set on a
/// narrower Path) sign the request out whichever comes first, and the response clears it.
#[test]
fn a_tossed_second_session_cookie_signs_out_whichever_comes_first() {
    let codec = codec();
    let victim = codec.encode(user_claims("victim"), HOUR).expect("encode");
    let attacker = codec.encode(user_claims("attacker"), HOUR).expect("encode");
    for header in [
        format!("{SALT}={attacker}; {SALT}={victim}"),
        format!("{SALT}={victim}; {SALT}={attacker}"),
        format!("{SALT}={victim}; {SALT}={victim}"),
        format!("{SALT}={victim}; other=1; {SALT}=garbage"),
    ] {
        let (session, names) = read_session(&header, &codec);
        assert!(matches!(session, Err(AuthError::MalformedCookie(_))));
        assert_eq!(expired_names(names, SALT), [SALT]);
    }

    // Split over two Cookie headers.
    let first = format!("{SALT}={victim}");
    let second = format!("{SALT}={attacker}");
    let pairs = parse_cookie_header(first.as_bytes()).chain(parse_cookie_header(second.as_bytes()));
    assert!(matches!(
        SessionCookie::read(pairs, SALT).token,
        Err(AuthError::MalformedCookie(_))
    ));

    // A chunk sent twice.
    let big = token_with_blob(6_500);
    let mut pairs = chunk_pairs(SALT, &big, &[0, 1, 2]);
    pairs.extend(chunk_pairs(SALT, &token_with_blob(6_400), &[0]));
    let (session, names) = read_session(&pairs.join("; "), &codec);
    assert!(matches!(session, Err(AuthError::MalformedCookie(_))));
    assert_eq!(expired_names(names, SALT).len(), 3);

    // The https name, too.
    let name = CookieNames::HTTPS.session;
    let https = codec_for(&[S1], name);
    let token = https.encode(user_claims("victim"), HOUR).expect("encode");
    let (session, _) = read_session(&format!("{name}={token}; {name}={token}"), &https);
    assert!(matches!(session, Err(AuthError::MalformedCookie(_))));
}

// --- CS: CSRF ------------------------------------------------------------------------------

/// CS-02
///
/// The comparison is constant-time (`subtle::ConstantTimeEq`); that is not measured here.
#[test]
fn a_submitted_csrf_token_must_equal_the_cookie_token_exactly() {
    let secrets = Secrets::new([S1, S2]).expect("strong secrets");
    let token = CsrfToken::generate();
    let cookie_value = token.cookie_value(&secrets);
    let from_cookie = CsrfToken::from_cookie_value(&cookie_value, &secrets).expect("verifies");
    let genuine = token.as_str();
    assert!(from_cookie.matches_submitted(genuine), "control");

    let mut one_changed = genuine.as_bytes().to_vec();
    one_changed[63] = if one_changed[63] == b'0' { b'1' } else { b'0' };
    let one_changed = String::from_utf8(one_changed).expect("hex");
    for submitted in [
        String::new(),
        genuine[..63].to_owned(),
        genuine[1..].to_owned(),
        format!("{genuine}0"),
        genuine.to_uppercase(),
        format!(" {genuine}"),
        format!("{genuine}\n"),
        format!("{genuine}|"),
        cookie_value.clone(),
        cookie_value.replace('|', "%7C"),
        one_changed,
        CsrfToken::generate().as_str().to_owned(),
    ] {
        assert!(!from_cookie.matches_submitted(&submitted), "{submitted:?}");
    }
}

/// CS-03
///
/// A cookie that does not verify yields no token, so no submitted value can match it, even
/// its own token; the caller then issues a fresh cookie.
#[test]
fn a_csrf_cookie_with_a_bad_hash_or_a_foreign_secret_is_refused() {
    let secrets = Secrets::new([S1, S2]).expect("strong secrets");
    let foreign = Secrets::new([SX]).expect("strong secret");
    let token = CsrfToken::generate();
    let genuine = token.cookie_value(&secrets);
    let (token_part, hash) = genuine.split_once('|').expect("token|hash");
    let other = CsrfToken::generate().cookie_value(&secrets);
    let (_, other_hash) = other.split_once('|').expect("token|hash");

    for value in [
        token.cookie_value(&foreign),
        format!("{token_part}|{other_hash}"),
        format!("{token_part}|{}", hash.to_uppercase()),
        format!("{}|{hash}", token_part.to_uppercase()),
        format!("{token_part}|"),
        format!("|{hash}"),
        token_part.to_owned(),
        format!("{genuine}|{hash}"),
        format!("{hash}|{token_part}"),
        format!("{token_part}|{}", "0".repeat(64)),
    ] {
        let verified = CsrfToken::from_cookie_value(&value, &secrets);
        assert!(verified.is_none(), "{value}");
        let submitted = value.split('|').next().unwrap_or_default();
        assert!(!verified.is_some_and(|cookie| cookie.matches_submitted(submitted)));
    }

    // The replacement verifies.
    let fresh = CsrfToken::generate();
    assert_ne!(fresh.as_str(), token.as_str());
    let replaced = CsrfToken::from_cookie_value(&fresh.cookie_value(&secrets), &secrets);
    assert_eq!(
        replaced.as_ref().map(CsrfToken::as_str),
        Some(fresh.as_str())
    );
}
