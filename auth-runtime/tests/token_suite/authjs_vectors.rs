//! Known-answer tests against vectors made by the real `@auth/core` 0.41.3.
//!
//! `auth-runtime/tests/vectors/authjs.json` is a copy of the shared vector file (its `about` says how it was
//! made). Tokens carry real `iat`/`exp`, so they are checked with a clock stopped at `made_at`.

use std::sync::Arc;

use auth_runtime::CsrfToken;
use auth_runtime::DerivedKey;
use auth_runtime::{AuthError, Claims, FixedClock, KeySet, Secret, Secrets, TokenCodec};
use auth_runtime::{SessionCookie, decode_cookie_value, split_into_chunks};
use serde::Deserialize;

#[derive(Deserialize)]
struct Vectors {
    made_at: i64,
    keys: Vec<KeyVector>,
    tokens: Vec<TokenVector>,
    rotation: RotationVector,
    chunked: ChunkedVector,
    invalid: Vec<InvalidVector>,
    csrf: Vec<CsrfVector>,
}

#[derive(Deserialize)]
struct KeyVector {
    secret: String,
    salt: String,
    key_hex: String,
    kid: String,
}

#[derive(Deserialize)]
struct TokenVector {
    secret: String,
    salt: String,
    token: String,
    claims: Claims,
}

#[derive(Deserialize)]
struct RotationVector {
    secrets: Vec<String>,
    salt: String,
    token: String,
    claims: Claims,
}

#[derive(Deserialize)]
struct ChunkedVector {
    secret: String,
    salt: String,
    token: String,
    chunks: Vec<Chunk>,
    claims: Claims,
}

#[derive(Deserialize)]
struct Chunk {
    name: String,
    value: String,
}

#[derive(Deserialize)]
struct InvalidVector {
    why: String,
    token: String,
    secret: String,
    salt: String,
}

#[derive(Deserialize)]
struct CsrfVector {
    secret: String,
    token: String,
    hash: String,
    cookie_value: String,
    cookie_header_value: String,
}

fn vectors() -> Vectors {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/authjs.json");
    let text = std::fs::read_to_string(path).expect("the committed vector file");
    serde_json::from_str(&text).expect("vectors parse")
}

fn codec(secrets: &[&str], salt: &str, now: i64) -> TokenCodec {
    let secrets = Secrets::new(secrets.iter().copied()).expect("vector secrets are strong");
    TokenCodec::new(Arc::new(KeySet::derive(&secrets, salt))).with_clock(FixedClock(now))
}

#[test]
fn derived_keys_and_kids_match_authjs_for_every_salt() {
    let vectors = vectors();
    assert_eq!(vectors.keys.len(), 5);
    for vector in &vectors.keys {
        let secret = Secret::new(vector.secret.as_str()).expect("strong secret");
        let key = DerivedKey::derive(&secret, &vector.salt);
        assert_eq!(key.__key_hex_for_tests(), vector.key_hex, "{}", vector.salt);
        assert_eq!(key.kid(), vector.kid, "{}", vector.salt);
    }
}

#[test]
fn every_authjs_token_decodes_to_its_claims() {
    let vectors = vectors();
    assert_eq!(vectors.tokens.len(), 5);
    for vector in &vectors.tokens {
        let codec = codec(&[&vector.secret], &vector.salt, vectors.made_at);
        let claims = codec.decode(&vector.token).expect("valid vector token");
        assert_eq!(claims, vector.claims);
    }
}

#[test]
fn rotated_token_opens_with_the_older_secret_by_kid() {
    let vectors = vectors();
    let rotation = &vectors.rotation;
    let secrets: Vec<&str> = rotation.secrets.iter().map(String::as_str).collect();
    let claims = codec(&secrets, &rotation.salt, vectors.made_at)
        .decode(&rotation.token)
        .expect("opens with the listed older secret");
    assert_eq!(claims, rotation.claims);

    // Without the older secret in the list, the kid matches nothing.
    let newest_only = codec(&secrets[..1], &rotation.salt, vectors.made_at);
    assert_eq!(
        newest_only.decode(&rotation.token),
        Err(AuthError::UnknownKey)
    );
}

#[test]
fn chunked_token_reassembles_and_decodes() {
    let vectors = vectors();
    let chunked = &vectors.chunked;
    assert!(chunked.chunks.len() >= 2);

    let ours: Vec<&str> = split_into_chunks(&chunked.token).collect();
    let theirs: Vec<&str> = chunked.chunks.iter().map(|c| c.value.as_str()).collect();
    assert_eq!(ours, theirs, "we split where Auth.js splits");

    // Sent in reverse order, as a browser may.
    let pairs = chunked
        .chunks
        .iter()
        .rev()
        .map(|chunk| (chunk.name.as_str(), chunk.value.as_str()));
    let cookie = SessionCookie::read(pairs, &chunked.salt);
    let token = cookie.token.expect("well-formed chunks").expect("present");
    assert_eq!(token, chunked.token);
    let claims = codec(&[&chunked.secret], &chunked.salt, vectors.made_at)
        .decode(&token)
        .expect("valid token");
    assert_eq!(claims, chunked.claims);
}

#[test]
fn every_invalid_token_is_refused_with_the_right_error() {
    let vectors = vectors();
    assert_eq!(vectors.invalid.len(), 8);
    for vector in &vectors.invalid {
        let codec = codec(&[&vector.secret], &vector.salt, vectors.made_at);
        let error = codec.decode(&vector.token).expect_err(&vector.why);
        let expected_kind = match vector.why.as_str() {
            "ciphertext changed" | "tag changed" | "iv changed" => {
                matches!(error, AuthError::TagMismatch)
            }
            "made with another secret" | "made under the https salt" => {
                matches!(error, AuthError::UnknownKey)
            }
            "four parts" | "not base64url" => matches!(error, AuthError::MalformedToken(_)),
            "expired 60 s before it was made" => {
                matches!(error, AuthError::Expired { exp } if exp == vectors.made_at - 60)
            }
            other => panic!("a vector this test does not know: {other}"),
        };
        assert!(expected_kind, "{}: got {error:?}", vector.why);
    }
}

#[test]
fn authjs_csrf_cookies_verify_and_tampered_ones_do_not() {
    let vectors = vectors();
    assert_eq!(vectors.csrf.len(), 3);
    for vector in &vectors.csrf {
        let secrets = Secrets::new([vector.secret.as_str()]).expect("strong secret");
        assert_eq!(
            vector.cookie_value,
            format!("{}|{}", vector.token, vector.hash)
        );
        let decoded = decode_cookie_value(&vector.cookie_header_value).expect("utf-8");
        assert_eq!(decoded, vector.cookie_value);
        let token = CsrfToken::from_cookie_value(&decoded, &secrets).expect("verifies");
        assert_eq!(token.as_str(), vector.token);
        assert!(token.matches_submitted(&vector.token));

        let flip = |text: &str, at: usize| {
            let mut bytes = text.as_bytes().to_vec();
            bytes[at] = if bytes[at] == b'0' { b'1' } else { b'0' };
            String::from_utf8(bytes).expect("ascii")
        };
        let tampered = [
            format!("{}|{}", flip(&vector.token, 0), vector.hash),
            format!("{}|{}", vector.token, flip(&vector.hash, 63)),
            format!("{}|{}", vector.hash, vector.token),
            vector.token.clone(),
            format!("{}|{}", vector.token.to_uppercase(), vector.hash),
        ];
        for value in &tampered {
            assert!(
                CsrfToken::from_cookie_value(value, &secrets).is_none(),
                "{value}"
            );
        }
        let other = Secrets::new(["another-secret-entirely-0000000000"]).expect("strong");
        assert!(CsrfToken::from_cookie_value(&vector.cookie_value, &other).is_none());
    }
}
