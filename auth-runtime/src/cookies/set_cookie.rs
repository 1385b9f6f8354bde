//! One `Set-Cookie` header, rendered as Auth.js renders it.

use std::borrow::Cow;
use std::fmt;
use std::time::{Duration, SystemTime};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::base64url::is_base64url_or_dot;

/// What JavaScript's `encodeURIComponent` leaves alone, which Auth.js uses for cookie values.
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// `value` percent-encoded with [`URI_COMPONENT`]; copied as it is when it is base64url and
/// dots (a token), which the encoder leaves alone, after one vectorised scan instead of the
/// encoder's byte-by-byte pass.
fn uri_component(value: &str) -> String {
    if is_base64url_or_dot(value.as_bytes()) {
        value.to_owned()
    } else {
        utf8_percent_encode(value, URI_COMPONENT).to_string()
    }
}

/// When a cookie set by `Set-Cookie` goes away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CookieLifetime {
    /// When the browser session ends (no `Expires`).
    BrowserSession,
    /// At this instant (`Expires`).
    Until(SystemTime),
    /// After this long (`Max-Age`).
    For(Duration),
    /// Now: the cookie is deleted (empty value, `Max-Age=0`).
    Expired,
}

/// One `Set-Cookie` header: `HttpOnly`, `SameSite=Lax`, `Path=/` as Auth.js sets every cookie.
#[derive(Clone, PartialEq, Eq)]
pub struct SetCookie {
    name: Cow<'static, str>,
    value: String,
    lifetime: CookieLifetime,
    secure: bool,
    domain: Option<String>,
}

impl SetCookie {
    /// A cookie whose value is percent-encoded as `encodeURIComponent` does (`|` → `%7C`).
    pub fn new(
        name: impl Into<Cow<'static, str>>,
        value: &str,
        lifetime: CookieLifetime,
        secure: bool,
    ) -> Self {
        Self {
            name: name.into(),
            value: uri_component(value),
            lifetime,
            secure,
            domain: None,
        }
    }

    /// A deletion of the cookie `name`.
    pub fn expire(name: impl Into<Cow<'static, str>>, secure: bool) -> Self {
        Self::new(name, "", CookieLifetime::Expired, secure)
    }

    /// Scopes the cookie to `domain`. Ignored for `__Host-` cookies, which must not have one.
    #[must_use]
    pub fn with_domain(mut self, domain: Option<&str>) -> Self {
        self.domain = domain
            .filter(|_| !self.name.starts_with("__Host-"))
            .map(str::to_owned);
        self
    }

    /// The cookie's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The cookie's value, percent-encoded as sent.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// When it expires.
    pub fn lifetime(&self) -> CookieLifetime {
        self.lifetime
    }
}

impl SetCookie {
    /// The header value ([`Display`](fmt::Display)), written into a string sized for it once.
    pub fn header_value(&self) -> String {
        // `; Path=/; Expires=Thu, 01 Jan 2026 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax`
        // and a domain, if any, are under 100 bytes.
        let extra = 100 + self.domain.as_ref().map_or(0, String::len);
        let mut value = String::with_capacity(self.name.len() + 1 + self.value.len() + extra);
        // Writing into a `String` cannot fail.
        let _ = fmt::Write::write_fmt(&mut value, format_args!("{self}"));
        value
    }
}

/// Renders the header value: `name=value; Path=/; Expires=…; HttpOnly; Secure; SameSite=Lax`.
impl fmt::Display for SetCookie {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}; Path=/", self.name, self.value)?;
        if let Some(domain) = &self.domain {
            write!(f, "; Domain={domain}")?;
        }
        match self.lifetime {
            CookieLifetime::BrowserSession => {}
            CookieLifetime::Until(at) => write!(f, "; Expires={}", httpdate::fmt_http_date(at))?,
            CookieLifetime::For(age) => write!(f, "; Max-Age={}", age.as_secs())?,
            CookieLifetime::Expired => f.write_str("; Max-Age=0")?,
        }
        f.write_str("; HttpOnly")?;
        if self.secure {
            f.write_str("; Secure")?;
        }
        f.write_str("; SameSite=Lax")
    }
}

/// Values are redacted: a `Set-Cookie` may carry a session token.
impl fmt::Debug for SetCookie {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SetCookie")
            .field("name", &self.name)
            .field("value", &"[redacted]")
            .field("lifetime", &self.lifetime)
            .field("secure", &self.secure)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cookies::decode_cookie_value;

    #[test]
    fn values_are_encoded_as_encode_uri_component_with_or_without_the_shortcut() {
        let all: String = (0u8..=127).map(char::from).chain(['é', '😀']).collect();
        for value in [
            "",
            "eyJhbGciOiJkaXIi.abc-_.xyz",
            "AZaz09-_.!~*'()",
            "a|b",
            "a b",
            "a%20b",
            "é",
            all.as_str(),
        ] {
            assert_eq!(
                uri_component(value),
                utf8_percent_encode(value, URI_COMPONENT).to_string(),
                "{value}"
            );
        }
        for byte in 0u8..=127 {
            let value = char::from(byte).to_string();
            assert_eq!(
                uri_component(&value),
                utf8_percent_encode(&value, URI_COMPONENT).to_string(),
                "{byte}"
            );
        }
    }

    #[test]
    fn values_are_percent_encoded_like_encode_uri_component() {
        let cookie = SetCookie::new(
            "__Host-authjs.csrf-token",
            "ab|cd",
            CookieLifetime::BrowserSession,
            true,
        )
        .with_domain(Some("example.com"));
        assert_eq!(
            cookie.to_string(),
            "__Host-authjs.csrf-token=ab%7Ccd; Path=/; HttpOnly; Secure; SameSite=Lax"
        );
        assert_eq!(decode_cookie_value("ab%7Ccd").as_deref(), Some("ab|cd"));
    }
}
