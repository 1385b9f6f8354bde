//! [`Origin`]: a web origin (scheme, host, port) as configured (`AUTH_URL`, redirect origins)
//! and as read from an absolute URL.

use std::fmt;
use std::net::IpAddr;

use auth_rules::is_plain_url_byte;

use crate::error::AuthError;

/// A web origin: scheme, host and port, as `https://app.example` (no trailing slash).
#[derive(Clone, PartialEq, Eq)]
pub struct Origin {
    https: bool,
    /// Lower-case host, with brackets for IPv6 literals.
    host: String,
    /// The port when it is not the scheme's default.
    port: Option<u16>,
    serialized: String,
}

impl Origin {
    /// Parses a configured URL such as `AUTH_URL` into its origin and its path (`""` when it
    /// has none). Query, fragment and user info are refused.
    pub fn parse_with_path(url: &str) -> Result<(Self, &str), AuthError> {
        let invalid = |reason| AuthError::InvalidUrl {
            url: url.to_owned(),
            reason,
        };
        if !url.bytes().all(is_plain_url_byte) {
            return Err(invalid(
                "must be an ASCII http(s) URL without spaces or backslashes",
            ));
        }
        let (origin, rest) = split_absolute(url)
            .ok_or_else(|| invalid("is not an http(s) URL of the form `https://host[:port]`"))?;
        if rest.contains(['?', '#']) {
            return Err(invalid("must not have a query or fragment"));
        }
        Ok((origin, rest))
    }

    /// Parses an origin (`https://app.example`, a trailing `/` allowed, no other path).
    pub fn parse(url: &str) -> Result<Self, AuthError> {
        let (origin, path) = Self::parse_with_path(url)?;
        if !path.is_empty() && path != "/" {
            return Err(AuthError::InvalidUrl {
                url: url.to_owned(),
                reason: "must be an origin, without a path",
            });
        }
        Ok(origin)
    }

    /// Whether the scheme is `https`.
    pub fn is_https(&self) -> bool {
        self.https
    }

    /// The host, lower-case.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The origin as text, `https://app.example` or `http://127.0.0.1:3000`.
    pub fn as_str(&self) -> &str {
        &self.serialized
    }

    /// Whether the host is this machine: `localhost` (or a `.localhost` name), 127.0.0.0/8 or
    /// `[::1]`.
    pub fn is_loopback(&self) -> bool {
        let bare = self.host.trim_start_matches('[').trim_end_matches(']');
        self.host == "localhost"
            || self.host.ends_with(".localhost")
            || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
    }

    /// The home page: the origin followed by `/`.
    pub fn home(&self) -> String {
        format!("{}/", self.serialized)
    }

    fn new(https: bool, host: String, port: Option<u16>) -> Self {
        let scheme = if https { "https" } else { "http" };
        let serialized = match port {
            Some(port) => format!("{scheme}://{host}:{port}"),
            None => format!("{scheme}://{host}"),
        };
        Self {
            https,
            host,
            port,
            serialized,
        }
    }
}

impl fmt::Debug for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Origin").field(&self.serialized).finish()
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.serialized)
    }
}

/// Splits `scheme://authority rest` into its origin and the rest (path, query, fragment).
/// `None` unless the scheme is http or https and the authority is a plain host with an
/// optional port: no user info (`@`), no percent-escapes, no empty or odd host.
pub(crate) fn split_absolute(url: &str) -> Option<(Origin, &str)> {
    let (scheme, after) = url.split_once("://")?;
    let https = if scheme.eq_ignore_ascii_case("https") {
        true
    } else if scheme.eq_ignore_ascii_case("http") {
        false
    } else {
        return None;
    };
    let authority_end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let (authority, rest) = after.split_at(authority_end);
    if authority.is_empty() || authority.contains(['@', '%']) {
        return None;
    }
    let (host, port) = if let Some(inner) = authority.strip_prefix('[') {
        let (address, after_bracket) = inner.split_once(']')?;
        let valid = !address.is_empty()
            && address
                .bytes()
                .all(|byte| byte.is_ascii_hexdigit() || byte == b':' || byte == b'.');
        if !valid {
            return None;
        }
        let port = match after_bracket {
            "" => None,
            other => Some(other.strip_prefix(':')?),
        };
        (format!("[{}]", address.to_ascii_lowercase()), port)
    } else {
        let (host, port) = match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        };
        let valid = !host.is_empty()
            && !host.starts_with(['.', '-'])
            && !host.ends_with(['.', '-'])
            && !host.contains("..")
            && host
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'.');
        if !valid {
            return None;
        }
        (host.to_ascii_lowercase(), port)
    };
    let port = match port {
        None => None,
        Some(digits) => {
            if digits.is_empty() || digits.len() > 5 || !digits.bytes().all(|b| b.is_ascii_digit())
            {
                return None;
            }
            let number: u16 = digits.parse().ok()?;
            let default = if https { 443 } else { 80 };
            if number == 0 {
                return None;
            }
            (number != default).then_some(number)
        }
    };
    Some((Origin::new(https, host, port), rest))
}
