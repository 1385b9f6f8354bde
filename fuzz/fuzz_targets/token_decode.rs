//! The session token's decode: any bytes as a token (and as the claims JSON the strict reader
//! takes) never panic, and a token that opens holds an integer `exp` still in the future.
//! The seed corpus holds real tokens under the secret below, made at the fixed clock's time,
//! so that mutations reach the header, the key lookup, the cipher, the tag and the claims.
#![no_main]

use std::sync::{Arc, LazyLock};

use auth_runtime::{FixedClock, KeySet, Secrets, TokenCodec, parse_claims};
use libfuzzer_sys::fuzz_target;

/// The corpus's tokens were made under this secret at this instant.
const SECRET: &str = "fuzz-secret-0123456789abcdef0123456789";
const NOW: i64 = 1_800_000_000;

static CODEC: LazyLock<TokenCodec> = LazyLock::new(|| {
    let secrets = Secrets::new([SECRET]).expect("a strong secret");
    TokenCodec::new(Arc::new(KeySet::derive(&secrets, "authjs.session-token")))
        .with_clock(FixedClock(NOW))
});

fuzz_target!(|data: &[u8]| {
    let _ = parse_claims(data);
    let Ok(token) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(claims) = CODEC.decode(token) {
        let exp = claims.get("exp").and_then(serde_json::Value::as_i64);
        assert!(
            exp.is_some_and(|exp| exp > NOW - 15),
            "an opened token has a live exp"
        );
    }
});
