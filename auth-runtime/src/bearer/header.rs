//! Reading `Authorization: Bearer <token>` (RFC 6750 §2.1). Whatever the header holds, the
//! answer is one of three, never an error: next-auth threw on a malformed header here
//! (GHSA-xmf8-cvqr-rfgj), turning a bad header into an error page.

use poem::http::HeaderMap;
use poem::http::header::AUTHORIZATION;

/// What a request's `Authorization` header says to us.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Authorization<'a> {
    /// No `Authorization` header, or one of another scheme (`Basic`): not addressed to us.
    Absent,
    /// `Bearer` and a token in the RFC 6750 `b64token` alphabet.
    Bearer(&'a str),
    /// A `Bearer` header we cannot read (no token, characters outside the alphabet, the
    /// header sent twice, not ASCII): signed out, and no other credential is tried.
    Malformed,
}

/// The request's bearer credential, as [`Authorization`] sorts it.
pub(crate) fn authorization(headers: &HeaderMap) -> Authorization<'_> {
    let mut values = headers.get_all(AUTHORIZATION).iter();
    let Some(value) = values.next() else {
        return Authorization::Absent;
    };
    if values.next().is_some() {
        return Authorization::Malformed;
    }
    let Ok(value) = value.to_str() else {
        return Authorization::Malformed;
    };
    let value = value.trim_matches([' ', '\t']);
    let (scheme, rest) = value.split_once([' ', '\t']).unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Authorization::Absent;
    }
    let token = rest.trim_start_matches([' ', '\t']);
    if is_b64token(token) {
        Authorization::Bearer(token)
    } else {
        Authorization::Malformed
    }
}

/// RFC 6750's `b64token`: `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`.
fn is_b64token(token: &str) -> bool {
    let body = token.trim_end_matches('=');
    !body.is_empty()
        && body
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"-._~+/".contains(&byte))
}

#[cfg(test)]
mod tests {
    use poem::http::HeaderValue;

    use super::*;

    fn read(values: &[&[u8]]) -> Authorization<'static> {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(AUTHORIZATION, HeaderValue::from_bytes(value).unwrap());
        }
        // Leaked so the borrowed answer can be compared after the map is gone (tests only).
        authorization(Box::leak(Box::new(headers)))
    }

    #[test]
    fn a_bearer_token_is_read_whatever_the_scheme_case_and_spacing() {
        assert_eq!(
            read(&[b"Bearer abc.def.ghi"]),
            Authorization::Bearer("abc.def.ghi")
        );
        assert_eq!(
            read(&[b"bearer   abc.def.ghi  "]),
            Authorization::Bearer("abc.def.ghi")
        );
        assert_eq!(read(&[b"BEARER\tabc"]), Authorization::Bearer("abc"));
    }

    #[test]
    fn other_schemes_and_no_header_are_not_addressed_to_us() {
        assert_eq!(read(&[]), Authorization::Absent);
        assert_eq!(read(&[b"Basic dXNlcjpwYXNz"]), Authorization::Absent);
        assert_eq!(read(&[b"Bearerabc"]), Authorization::Absent);
    }

    #[test]
    fn malformed_bearer_headers_are_malformed_never_an_error() {
        for value in [
            &b"Bearer"[..],
            b"Bearer ",
            b"Bearer a b",
            b"Bearer a,b",
            b"Bearer ===",
            b"Bearer \xc3\xa9t\xc3\xa9",
            b"Bearer a\"b",
        ] {
            assert_eq!(read(&[value]), Authorization::Malformed, "{value:?}");
        }
        assert_eq!(read(&[b"Bearer a", b"Bearer b"]), Authorization::Malformed);
    }
}
