//! Property tests of the token core: any claims survive a round trip, and any single changed
//! character of a token, or of any of its cookie chunks, is refused.

use std::sync::{Arc, LazyLock};
use std::time::Duration;

use auth_runtime::{Claims, KeySet, Secrets, TokenCodec};
use auth_runtime::{CookieNames, SessionCookie, split_into_chunks};
use proptest::prelude::*;
use serde_json::{Map, Value};

const SALT: &str = CookieNames::HTTP.session;

static CODEC: LazyLock<TokenCodec> = LazyLock::new(|| {
    let secrets = Secrets::new([
        "property-secret-0c4e8a2f6b1d9e3c7a5f",
        "property-secret-older-7e1a9c3f5b2d8e4a",
    ])
    .expect("strong secrets");
    TokenCodec::new(Arc::new(KeySet::derive(&secrets, SALT)))
});

/// Registered claims are set by `encode`, so arbitrary claims leave them out.
const REGISTERED: [&str; 4] = ["iat", "exp", "jti", "nbf"];

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        // Dyadic fractions print and parse back exactly.
        (-1_000_000i32..1_000_000).prop_map(|n| Value::from(f64::from(n) / 8.0)),
        any::<String>().prop_map(Value::String),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    json_leaf().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(any::<String>(), inner, 0..6)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

fn claims() -> impl Strategy<Value = Claims> {
    prop::collection::btree_map("[a-zA-Z_][a-zA-Z0-9_]{0,12}|\\PC{0,8}", json_value(), 0..10)
        .prop_map(|map| {
            map.into_iter()
                .filter(|(name, _)| !REGISTERED.contains(&name.as_str()))
                .collect::<Map<String, Value>>()
        })
}

/// `text` with the character at `index` (modulo its length) replaced by a different printable
/// ASCII character chosen by `pick`.
fn with_one_character_changed(text: &str, index: usize, pick: u8) -> String {
    let index = index % text.len();
    let original = text.as_bytes()[index];
    let mut replacement = b' ' + pick % 95;
    if replacement == original {
        replacement = if original == b'~' { b' ' } else { original + 1 };
    }
    let mut bytes = text.as_bytes().to_vec();
    bytes[index] = replacement;
    String::from_utf8(bytes).expect("ascii in, ascii out")
}

proptest! {
    #[test]
    fn any_claims_round_trip(claims in claims()) {
        let token = CODEC.encode(claims.clone(), Duration::from_secs(3600)).expect("encode");
        let mut decoded = CODEC.decode(&token).expect("decode");
        for name in ["iat", "exp", "jti"] {
            prop_assert!(decoded.remove(name).is_some(), "{name} is set on encode");
        }
        prop_assert_eq!(decoded, claims);
    }

    #[test]
    fn any_changed_character_is_refused(
        claims in claims(),
        index in any::<usize>(),
        pick in any::<u8>(),
    ) {
        let token = CODEC.encode(claims, Duration::from_secs(3600)).expect("encode");
        let forged = with_one_character_changed(&token, index, pick);
        prop_assert!(CODEC.decode(&forged).is_err());
    }

    #[test]
    fn any_changed_character_in_any_chunk_is_refused(
        chunk in 0usize..3,
        index in any::<usize>(),
        pick in any::<u8>(),
    ) {
        let mut claims = Claims::new();
        claims.insert("blob".into(), Value::String("z".repeat(6_500)));
        let token = CODEC.encode(claims, Duration::from_secs(3600)).expect("encode");
        let mut chunks: Vec<String> = split_into_chunks(&token).map(str::to_owned).collect();
        prop_assert_eq!(chunks.len(), 3);
        chunks[chunk] = with_one_character_changed(&chunks[chunk], index, pick);
        let names: Vec<String> = (0..3).map(|i| format!("{SALT}.{i}")).collect();
        let pairs = names.iter().map(String::as_str).zip(chunks.iter().map(String::as_str));
        let cookie = SessionCookie::read(pairs, SALT);
        let refused = match cookie.token {
            Ok(Some(joined)) => CODEC.decode(&joined).is_err(),
            Ok(None) | Err(_) => true,
        };
        prop_assert!(refused);
    }
}
