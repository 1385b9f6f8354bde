//! Live interop with the real `@auth/core` under Node: tokens made here open there and the
//! other way round, for the http and https salts, across secret rotation, and for a session
//! large enough to need three cookie chunks.
#![allow(clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod support;

use std::sync::Arc;
use std::time::Duration;

use auth_runtime::{Claims, KeySet, Secrets, TokenCodec};
use auth_runtime::{CookieNames, SessionCookie, split_into_chunks};
use serde_json::{Value, json};
use support::node::authjs;

const NEW_SECRET: &str = "interop-secret-new-5b0c1f9e2d8a4c7b6e3f";
const OLD_SECRET: &str = "interop-secret-old-9d2e7a1c4b8f3e6d0a5c";
const SALTS: [&str; 2] = [CookieNames::HTTP.session, CookieNames::HTTPS.session];
const HOUR: Duration = Duration::from_secs(3600);

fn codec(secrets: &[&str], salt: &str) -> TokenCodec {
    let secrets = Secrets::new(secrets.iter().copied()).expect("strong secrets");
    TokenCodec::new(Arc::new(KeySet::derive(&secrets, salt)))
}

fn sample_claims() -> Claims {
    let claims = json!({
        "sub": "user-7",
        "name": "Ünïcødé ✓ 名前",
        "email": "grace@example.com",
        "id": "user-7",
        "role": "admin",
        "permissions": ["read", "write", "delete"],
        "tenantId": "t-42",
        "nested": {"a": [1, 2, {"b": null}], "c": true},
    });
    match claims {
        Value::Object(claims) => claims,
        _ => unreachable!("an object literal"),
    }
}

/// A claims set whose token needs exactly three cookie chunks.
fn three_chunk_claims() -> Claims {
    let mut claims = sample_claims();
    let permissions: Vec<Value> = (0..200)
        .map(|i| Value::String(format!("resource:{i:04}:read-write-x")))
        .collect();
    claims.insert("permissions".into(), Value::Array(permissions));
    claims
}

fn claims_of(result: &Value) -> Claims {
    match &result["claims"] {
        Value::Object(claims) => claims.clone(),
        _ => panic!("Auth.js refused the token: {result}"),
    }
}

fn token_of(result: &Value) -> &str {
    result["token"].as_str().expect("a token")
}

#[test]
fn tokens_made_here_open_in_authjs_for_both_salts() {
    let mut tokens = Vec::new();
    let mut ops = Vec::new();
    for salt in SALTS {
        let token = codec(&[NEW_SECRET], salt)
            .encode(sample_claims(), HOUR)
            .expect("encode");
        ops.push(json!({"op": "decode", "secret": NEW_SECRET, "salt": salt, "token": token}));
        // Under the other salt the same token must not open.
        let other = SALTS.iter().find(|s| **s != salt).expect("two salts");
        ops.push(json!({"op": "decode", "secret": NEW_SECRET, "salt": other, "token": token}));
        tokens.push(token);
    }
    let results = authjs(&ops);
    for (index, token) in tokens.iter().enumerate() {
        let decoded = claims_of(&results[2 * index]);
        let ours = codec(&[NEW_SECRET], SALTS[index])
            .decode(token)
            .expect("we read our own token");
        assert_eq!(decoded, ours, "Auth.js reads what we wrote");
        for (name, value) in sample_claims() {
            assert_eq!(decoded[&name], value, "{name}");
        }
        assert!(
            results[2 * index + 1]["error"].is_string(),
            "a token under one salt must not open under the other"
        );
    }
}

#[test]
fn tokens_made_by_authjs_open_here_for_both_salts() {
    let ops: Vec<Value> = SALTS
        .iter()
        .map(|salt| {
            json!({"op": "encode", "secret": NEW_SECRET, "salt": salt, "maxAge": 3600,
                   "claims": sample_claims()})
        })
        .collect();
    let results = authjs(&ops);
    for (salt, result) in SALTS.iter().zip(&results) {
        let claims = codec(&[NEW_SECRET], salt)
            .decode(token_of(result))
            .expect("Auth.js token opens");
        for (name, value) in sample_claims() {
            assert_eq!(claims[&name], value, "{name}");
        }
        let other = SALTS.iter().find(|s| *s != salt).expect("two salts");
        assert!(
            codec(&[NEW_SECRET], other)
                .decode(token_of(result))
                .is_err()
        );
    }
}

#[test]
fn rotated_secrets_interoperate_both_ways() {
    let salt = CookieNames::HTTP.session;
    let both = [NEW_SECRET, OLD_SECRET];
    // Made with the old secret alone, before the rotation.
    let ours_old = codec(&[OLD_SECRET], salt)
        .encode(sample_claims(), HOUR)
        .expect("encode");
    // Made after the rotation: the new secret encodes.
    let ours_new = codec(&both, salt)
        .encode(sample_claims(), HOUR)
        .expect("encode");
    let results = authjs(&[
        json!({"op": "decode", "secret": both, "salt": salt, "token": ours_old}),
        json!({"op": "decode", "secret": both, "salt": salt, "token": ours_new}),
        json!({"op": "decode", "secret": [NEW_SECRET], "salt": salt, "token": ours_new}),
        json!({"op": "decode", "secret": [NEW_SECRET], "salt": salt, "token": ours_old}),
        json!({"op": "encode", "secret": OLD_SECRET, "salt": salt, "maxAge": 3600,
               "claims": sample_claims()}),
        json!({"op": "encode", "secret": both, "salt": salt, "maxAge": 3600,
               "claims": sample_claims()}),
    ]);
    assert_eq!(claims_of(&results[0])["sub"], "user-7");
    assert_eq!(claims_of(&results[1])["sub"], "user-7");
    assert_eq!(claims_of(&results[2])["sub"], "user-7");
    assert!(
        results[3]["error"].is_string(),
        "a removed secret no longer opens"
    );

    let rotated = codec(&both, salt);
    for result in &results[4..] {
        let claims = rotated.decode(token_of(result)).expect("opens by kid");
        assert_eq!(claims["role"], "admin");
    }
    assert!(
        codec(&[NEW_SECRET], salt)
            .decode(token_of(&results[4]))
            .is_err()
    );
}

/// CL-06: claims over 4 KB (200 permissions, about 6 KB) cross in chunks of at most 3,936
/// characters, byte for byte, both ways.
#[test]
fn three_chunk_sessions_cross_both_ways() {
    let salt = CookieNames::HTTP.session;
    let ours = codec(&[NEW_SECRET], salt)
        .encode(three_chunk_claims(), HOUR)
        .expect("encode");
    let our_chunks: Vec<&str> = split_into_chunks(&ours).collect();
    assert_eq!(
        our_chunks.len(),
        3,
        "the claims were sized for three chunks"
    );
    assert!(our_chunks.iter().all(|chunk| chunk.len() <= 3_936));
    assert_eq!(our_chunks.concat(), ours, "nothing cut");
    let chunk_cookies: serde_json::Map<String, Value> = our_chunks
        .iter()
        .enumerate()
        .map(|(index, chunk)| (format!("{salt}.{index}"), Value::from(*chunk)))
        .collect();

    let results = authjs(&[
        json!({"op": "chunk", "salt": salt, "token": ours}),
        json!({"op": "join", "salt": salt, "cookies": chunk_cookies}),
        json!({"op": "encode", "secret": NEW_SECRET, "salt": salt, "maxAge": 3600,
               "claims": three_chunk_claims()}),
    ]);

    // Auth.js cuts our token where we do.
    let theirs: Vec<(&str, &str)> = results[0]["cookies"]
        .as_array()
        .expect("cookies")
        .iter()
        .map(|c| {
            (
                c["name"].as_str().expect("name"),
                c["value"].as_str().expect("value"),
            )
        })
        .collect();
    let expected: Vec<(String, &str)> = our_chunks
        .iter()
        .enumerate()
        .map(|(index, chunk)| (format!("{salt}.{index}"), *chunk))
        .collect();
    assert_eq!(
        theirs,
        expected
            .iter()
            .map(|(name, value)| (name.as_str(), *value))
            .collect::<Vec<_>>()
    );
    // Auth.js reassembles our chunks into our token, and decodes it.
    assert_eq!(token_of(&results[1]), ours);
    let decoded = authjs(&[json!({"op": "decode", "secret": NEW_SECRET, "salt": salt,
                                   "token": token_of(&results[1])})]);
    assert_eq!(
        claims_of(&decoded[0])["permissions"],
        three_chunk_claims()["permissions"]
    );

    // Their three-chunk token, chunked their way, reassembles and decodes here.
    let their_token = token_of(&results[2]);
    let their_chunks = authjs(&[json!({"op": "chunk", "salt": salt, "token": their_token})]);
    let pairs: Vec<(String, String)> = their_chunks[0]["cookies"]
        .as_array()
        .expect("cookies")
        .iter()
        .rev()
        .map(|c| {
            (
                c["name"].as_str().expect("name").to_owned(),
                c["value"].as_str().expect("value").to_owned(),
            )
        })
        .collect();
    assert_eq!(pairs.len(), 3);
    let cookie = SessionCookie::read(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())), salt);
    let token = cookie.token.expect("well formed").expect("present");
    let claims = codec(&[NEW_SECRET], salt).decode(&token).expect("opens");
    assert_eq!(claims["permissions"], three_chunk_claims()["permissions"]);
}
