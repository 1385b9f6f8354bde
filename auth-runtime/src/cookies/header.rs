//! The request's `Cookie` headers, read pair by pair.
//!
//! Parsed here rather than through a cookie jar because the session reader must see every
//! pair as sent: a jar keeps one value per name, which hides the duplicate names a
//! cookie-tossing attack relies on.

use std::borrow::Cow;

use percent_encoding::percent_decode_str;
use poem::http::{HeaderMap, header};

/// The `name=value` pairs of a `Cookie` header, in order, duplicates kept, values as sent
/// (not percent-decoded). Pairs without `=` are skipped, and so are pairs that are not UTF-8
/// (a foreign cookie's raw bytes): the other pairs are still read.
///
/// Takes the header's bytes rather than `HeaderValue::to_str`, which refuses a whole header
/// for one non-ASCII byte and would sign out a user whose browser also carries someone
/// else's UTF-8 cookie.
pub fn parse_cookie_header(header: &[u8]) -> impl Iterator<Item = (&str, &str)> {
    let mut rest = Some(header);
    std::iter::from_fn(move || {
        while let Some(current) = rest {
            // `memchr` rather than `split`: the session token makes this header long, and it
            // is scanned on every request.
            let (pair, tail) = match memchr::memchr(b';', current) {
                Some(at) => (&current[..at], Some(&current[at + 1..])),
                None => (current, None),
            };
            rest = tail;
            if let Some(parsed) = parse_cookie_pair(pair) {
                return Some(parsed);
            }
        }
        None
    })
}

/// Every `name=value` pair of the request's `Cookie` headers, as [`parse_cookie_header`]
/// reads them.
pub(crate) fn request_cookies(headers: &HeaderMap) -> impl Iterator<Item = (&str, &str)> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .flat_map(|value| parse_cookie_header(value.as_bytes()))
}

/// One `name=value` pair, both trimmed, the value's surrounding double quotes removed.
fn parse_cookie_pair(pair: &[u8]) -> Option<(&str, &str)> {
    let at = memchr::memchr(b'=', pair)?;
    let name = std::str::from_utf8(&pair[..at]).ok()?.trim();
    let value = std::str::from_utf8(&pair[at + 1..]).ok()?.trim();
    let value = value
        .strip_prefix('"')
        .and_then(|inner| inner.strip_suffix('"'))
        .unwrap_or(value);
    Some((name, value))
}

/// Percent-decodes a cookie value as Auth.js does; `None` if it is not valid UTF-8 afterwards.
pub fn decode_cookie_value(value: &str) -> Option<Cow<'_, str>> {
    percent_decode_str(value).decode_utf8().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_pairs_are_trimmed_unquoted_and_read_past_pairs_that_are_not_utf8() {
        let header = b" a=1 ;b = \"two\"; junk ;\xe9=x; c=caf\xc3\xa9;d=\xff; e=; =f;g=h=i";
        let pairs: Vec<_> = parse_cookie_header(header).collect();
        assert_eq!(
            pairs,
            [
                ("a", "1"),
                ("b", "two"),
                ("c", "café"),
                ("e", ""),
                ("", "f"),
                ("g", "h=i")
            ]
        );
        assert_eq!(parse_cookie_header(b"").count(), 0);
        assert_eq!(parse_cookie_header(b";;").count(), 0);
    }
}
