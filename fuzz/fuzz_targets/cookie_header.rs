//! The `Cookie` header and the session's chunks: any bytes as one or two `Cookie` headers never
//! panic, and a session token is found only from cookies the header really carries (whole, or
//! chunks `.0`, `.1`, … joined in order), never longer than the header itself.
#![no_main]

use auth_runtime::{SessionCookie, decode_cookie_value, parse_cookie_header};
use libfuzzer_sys::fuzz_target;
use poem::http::{HeaderMap, HeaderValue, header};

const NAME: &str = "authjs.session-token";

fuzz_target!(|data: &[u8]| {
    for (name, value) in parse_cookie_header(data) {
        assert!(name.len() + value.len() <= data.len());
        let _ = decode_cookie_value(value);
    }
    // The same bytes as one header, and split in two headers at their middle.
    let middle = data.len() / 2;
    let mut one = HeaderMap::new();
    let mut two = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_bytes(data) {
        one.append(header::COOKIE, value);
    }
    for part in [&data[..middle], &data[middle..]] {
        if let Ok(value) = HeaderValue::from_bytes(part) {
            two.append(header::COOKIE, value);
        }
    }
    for headers in [one, two] {
        let carried: usize = headers
            .get_all(header::COOKIE)
            .iter()
            .map(|v| v.len())
            .sum();
        if let Ok(Some(token)) = SessionCookie::from_headers(&headers, NAME).token {
            assert!(token.len() <= carried, "a token longer than the headers");
        }
    }
});
