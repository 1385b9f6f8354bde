//! The CSRF cookie: any value never panics, and one that verifies is exactly the token and
//! hash this secret writes for it, so it can only come from us.
#![no_main]

use std::sync::LazyLock;

use auth_runtime::{CsrfToken, Secrets};
use libfuzzer_sys::fuzz_target;

static SECRETS: LazyLock<Secrets> = LazyLock::new(|| {
    Secrets::new(["fuzz-secret-0123456789abcdef0123456789"]).expect("a strong secret")
});

fuzz_target!(|data: &[u8]| {
    let Ok(value) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(token) = CsrfToken::from_cookie_value(value, &SECRETS) {
        assert_eq!(
            token.cookie_value(&SECRETS),
            value,
            "only our own cookie verifies"
        );
        assert!(token.matches_submitted(token.as_str()));
    }
    // Any submitted value against a real token: only the token itself matches.
    let real = CsrfToken::generate();
    assert_eq!(real.matches_submitted(value), value == real.as_str());
});
