//! Cookie names, `Set-Cookie` rendering, `Cookie` parsing, and session-token chunking, as
//! Auth.js does them.
//!
//! The `Cookie` header is parsed here rather than through a cookie jar because the session
//! reader must see every pair as sent: a jar keeps one value per name, which hides the
//! duplicate names a cookie-tossing attack relies on.

use std::borrow::Cow;
use std::fmt;
use std::time::{Duration, SystemTime};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use poem::http::{HeaderMap, header};

use crate::base64url::is_base64url_or_dot;
use crate::error::AuthError;

/// Longest value of one session cookie chunk: 4096 bytes less 160 for name and attributes.
pub const CHUNK_SIZE: usize = 3936;

/// Most chunks a session token may take: as many full chunks as fit, with their names, in the
/// [`MAX_COOKIE_HEADER_LEN`] a request's session is read from. Fewer than Auth.js allows (it
/// has no limit): a request carrying more is signed out before anything is decrypted, and a
/// token needing more is refused when written, so that no session is written that could not
/// be read back.
pub const MAX_CHUNKS: usize = 4;

/// Most bytes of `Cookie` headers (a request's, all together) its session is read from: over
/// it, the request is signed out before anything is decrypted (its session cookies expired).
/// Proxies refuse less: nginx's default is 8 KiB per header line.
pub const MAX_COOKIE_HEADER_LEN: usize = 16 * 1024;

/// A session of `MAX_CHUNKS` full chunks fits, under the longest (`__Secure-`) name, with room
/// for the site's other cookies.
const _: () = assert!(
    MAX_CHUNKS * (CHUNK_SIZE + "__Secure-authjs.session-token.0=; ".len()) + 256
        <= MAX_COOKIE_HEADER_LEN
);

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

/// The names of every cookie Auth.js sets, for plain http or for https.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CookieNames {
    /// The session token (and the salt of its key).
    pub session: &'static str,
    /// The URL to return to after sign-in.
    pub callback_url: &'static str,
    /// The CSRF double-submit cookie.
    pub csrf: &'static str,
    /// The OAuth PKCE code verifier.
    pub pkce_verifier: &'static str,
    /// The OAuth state.
    pub state: &'static str,
    /// The OpenID Connect nonce.
    pub nonce: &'static str,
    /// Whether these are the https names, whose cookies carry `Secure`.
    pub secure: bool,
}

impl CookieNames {
    /// The names for plain http (`authjs.*`).
    pub const HTTP: Self = Self {
        session: "authjs.session-token",
        callback_url: "authjs.callback-url",
        csrf: "authjs.csrf-token",
        pkce_verifier: "authjs.pkce.code_verifier",
        state: "authjs.state",
        nonce: "authjs.nonce",
        secure: false,
    };

    /// The names for https (`__Secure-authjs.*`, and `__Host-authjs.csrf-token`).
    pub const HTTPS: Self = Self {
        session: "__Secure-authjs.session-token",
        callback_url: "__Secure-authjs.callback-url",
        csrf: "__Host-authjs.csrf-token",
        pkce_verifier: "__Secure-authjs.pkce.code_verifier",
        state: "__Secure-authjs.state",
        nonce: "__Secure-authjs.nonce",
        secure: true,
    };

    /// The names for a site served over https (`true`) or plain http.
    pub fn for_https(https: bool) -> &'static Self {
        if https { &Self::HTTPS } else { &Self::HTTP }
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
pub fn request_cookies(headers: &HeaderMap) -> impl Iterator<Item = (&str, &str)> {
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

/// Which session cookie names a request carried, so that a response can expire the ones it
/// does not overwrite. Only the plain name and the first [`MAX_CHUNKS`] chunk names are
/// tracked, so a cookie bomb costs at most `MAX_CHUNKS + 1` expiring headers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SessionCookieNames {
    plain: bool,
    /// Bit `i` set: the request carried chunk `.i`.
    chunks: u8,
}

const _: () = assert!(MAX_CHUNKS <= u8::BITS as usize);

impl SessionCookieNames {
    /// Whether the request carried no session cookie at all.
    pub fn is_empty(&self) -> bool {
        !self.plain && self.chunks == 0
    }

    /// `Set-Cookie` deletions for every name carried, except those in `keep`.
    pub fn expire_all_except(
        &self,
        name: &'static str,
        keep: SessionCookieNames,
        secure: bool,
    ) -> Vec<SetCookie> {
        let mut expired = Vec::new();
        if self.plain && !keep.plain {
            expired.push(SetCookie::expire(name, secure));
        }
        for index in 0..MAX_CHUNKS {
            let bit = 1u8 << index;
            if self.chunks & bit != 0 && keep.chunks & bit == 0 {
                expired.push(SetCookie::expire(format!("{name}.{index}"), secure));
            }
        }
        expired
    }
}

/// The session token a request carried, reassembled from its chunks.
#[derive(Debug)]
pub struct SessionCookie {
    /// The whole token: `Ok(None)` when there was no session cookie, an error when the
    /// cookies do not form one token (which means signed out).
    pub token: Result<Option<String>, AuthError>,
    /// The names carried, to be expired when the session is cleared or shrinks.
    pub names: SessionCookieNames,
}

impl SessionCookie {
    /// Collects the cookie `name` and its chunks `name.0`, `name.1`, … from `pairs` (the
    /// parsed `Cookie` headers).
    ///
    /// Stricter than Auth.js, which concatenates whatever it finds: the plain name twice (a
    /// tossed cookie), the plain name beside chunks, a repeated or missing chunk, a suffix that
    /// is not a canonical number (`.01`, `.+1`, `.x`), or more than [`MAX_CHUNKS`] chunks
    /// make the session malformed, never first-wins or a partial token.
    pub fn read<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>, name: &str) -> Self {
        let mut names = SessionCookieNames::default();
        let mut plain: Option<&str> = None;
        let mut chunks: Vec<(usize, &str)> = Vec::new();
        let mut problem: Option<&'static str> = None;
        let mut note = |why: &'static str| {
            problem.get_or_insert(why);
        };

        for (cookie_name, value) in pairs {
            let Some(rest) = cookie_name.strip_prefix(name) else {
                continue;
            };
            if rest.is_empty() {
                if plain.replace(value).is_some() {
                    note("the session cookie was sent twice");
                }
                names.plain = true;
                continue;
            }
            let Some(suffix) = rest.strip_prefix('.') else {
                continue;
            };
            match parse_chunk_index(suffix) {
                Some(index) if index < MAX_CHUNKS => {
                    let bit = 1u8 << index;
                    if names.chunks & bit != 0 {
                        note("a session cookie chunk was sent twice");
                    }
                    names.chunks |= bit;
                    chunks.push((index, value));
                }
                Some(_) => note("too many session cookie chunks"),
                None => note("a session cookie chunk has a malformed suffix"),
            }
        }

        let token = match (problem, plain, chunks.is_empty()) {
            (Some(why), _, _) => Err(AuthError::MalformedCookie(why)),
            (None, None, true) => Ok(None),
            (None, Some(token), true) => Ok(Some(token.to_owned())),
            (None, Some(_), false) => Err(AuthError::MalformedCookie(
                "the session cookie was sent both whole and in chunks",
            )),
            (None, None, false) => join_chunks(&mut chunks).map(Some),
        };
        Self { token, names }
    }

    /// [`SessionCookie::read`] from a request's `Cookie` headers. A session carried in headers
    /// that are, all together, over [`MAX_COOKIE_HEADER_LEN`] is malformed (DS-02): signed out
    /// before anything is decrypted, whatever its cookies hold. The names carried are kept, so
    /// that the answer expires them.
    pub fn from_headers(headers: &HeaderMap, name: &str) -> Self {
        let mut cookie = Self::read(request_cookies(headers), name);
        let carried: usize = headers
            .get_all(header::COOKIE)
            .iter()
            .map(|value| value.len())
            .sum();
        if carried > MAX_COOKIE_HEADER_LEN && !matches!(cookie.token, Ok(None)) {
            cookie.token = Err(AuthError::MalformedCookie(
                "the Cookie headers are over 16 KiB",
            ));
        }
        cookie
    }
}

/// A chunk suffix: a canonical decimal number (`0`, `1`, … `10`; not `01`, `+1`, `1x`).
fn parse_chunk_index(suffix: &str) -> Option<usize> {
    let canonical = !suffix.is_empty()
        && suffix.len() <= 3
        && suffix.bytes().all(|byte| byte.is_ascii_digit())
        && (suffix == "0" || !suffix.starts_with('0'));
    canonical.then(|| suffix.parse().ok()).flatten()
}

fn join_chunks(chunks: &mut [(usize, &str)]) -> Result<String, AuthError> {
    chunks.sort_unstable_by_key(|(index, _)| *index);
    if chunks
        .iter()
        .enumerate()
        .any(|(position, (index, _))| position != *index)
    {
        return Err(AuthError::MalformedCookie(
            "a session cookie chunk is missing",
        ));
    }
    Ok(chunks.iter().map(|(_, value)| *value).collect())
}

/// Splits a token into cookie values of at most [`CHUNK_SIZE`] characters.
///
/// Tokens are base64url and dots, so every split falls between characters.
pub fn split_into_chunks(token: &str) -> impl Iterator<Item = &str> {
    token
        .as_bytes()
        .chunks(CHUNK_SIZE)
        .map(|chunk| std::str::from_utf8(chunk).unwrap_or_default())
}

/// The `Set-Cookie` headers that store `token` as the session: one cookie named `name` when it
/// fits, else chunks `name.0`, `name.1`, …; then deletions of every name the request carried
/// (`previous`) that the new token no longer uses.
///
/// A token needing more than [`MAX_CHUNKS`] chunks is an error and nothing is written, so the
/// browser keeps its old cookie rather than a cut token.
pub fn session_set_cookies(
    name: &'static str,
    token: &str,
    expires: SystemTime,
    secure: bool,
    previous: SessionCookieNames,
) -> Result<Vec<SetCookie>, AuthError> {
    if !token.is_ascii() {
        return Err(AuthError::Serialization(
            "a session token must be ASCII".into(),
        ));
    }
    let count = token.len().div_ceil(CHUNK_SIZE).max(1);
    if count > MAX_CHUNKS {
        return Err(AuthError::TokenTooLarge {
            len: token.len(),
            max_chunks: MAX_CHUNKS,
        });
    }
    let lifetime = CookieLifetime::Until(expires);
    let mut written = SessionCookieNames::default();
    let mut cookies = Vec::with_capacity(count + 1);
    if count == 1 {
        written.plain = true;
        cookies.push(SetCookie::new(name, token, lifetime, secure));
    } else {
        for (index, chunk) in split_into_chunks(token).enumerate() {
            written.chunks |= 1 << index;
            cookies.push(SetCookie::new(
                format!("{name}.{index}"),
                chunk,
                lifetime,
                secure,
            ));
        }
    }
    cookies.extend(previous.expire_all_except(name, written, secure));
    Ok(cookies)
}

/// Deletions of every session cookie the request carried.
pub fn clear_session_cookies(
    name: &'static str,
    secure: bool,
    previous: SessionCookieNames,
) -> Vec<SetCookie> {
    previous.expire_all_except(name, SessionCookieNames::default(), secure)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAME: &str = "authjs.session-token";

    fn read(header: &str) -> SessionCookie {
        SessionCookie::read(parse_cookie_header(header.as_bytes()), NAME)
    }

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

    /// The shortcut for values without a byte to encode gives what the encoder gives.
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
    fn plain_cookie_is_read_and_other_names_ignored() {
        let cookie = read("a=1; authjs.session-token=abc; authjs.session-tokenx=zzz; b=2");
        assert_eq!(cookie.token, Ok(Some("abc".to_owned())));
    }

    #[test]
    fn chunks_are_joined_in_numeric_order() {
        let header = (0..11)
            .rev()
            .map(|i| format!("{NAME}.{i}=v{i}"))
            .collect::<Vec<_>>()
            .join("; ");
        // 11 chunks exceed the cap.
        assert!(read(&header).token.is_err());
        let cookie = read(&format!("{NAME}.1=b; {NAME}.0=a; {NAME}.2=c"));
        assert_eq!(cookie.token, Ok(Some("abc".to_owned())));
    }

    #[test]
    fn malformed_chunk_sets_are_refused() {
        for header in [
            format!("{NAME}.1=b; {NAME}.2=c"),
            format!("{NAME}.0=a; {NAME}.2=c"),
            format!("{NAME}=x; {NAME}.0=a"),
            format!("{NAME}=x; {NAME}=y"),
            format!("{NAME}.0=a; {NAME}.0=a"),
            format!("{NAME}.0=a; {NAME}.01=b"),
            format!("{NAME}.0=a; {NAME}.+1=b"),
            format!("{NAME}.0=a; {NAME}.x=b"),
        ] {
            assert!(
                matches!(read(&header).token, Err(AuthError::MalformedCookie(_))),
                "{header}"
            );
        }
    }

    #[test]
    fn shrinking_token_expires_stale_chunks() {
        let previous = read(&format!("{NAME}.0=a; {NAME}.1=b; {NAME}.2=c")).names;
        let cookies =
            session_set_cookies(NAME, "short", SystemTime::UNIX_EPOCH, false, previous).unwrap();
        let rendered: Vec<String> = cookies.iter().map(ToString::to_string).collect();
        assert!(rendered[0].starts_with("authjs.session-token=short; Path=/; Expires="));
        assert_eq!(rendered.len(), 4);
        for (index, line) in rendered[1..].iter().enumerate() {
            assert_eq!(
                line,
                &format!("{NAME}.{index}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax")
            );
        }
    }

    #[test]
    fn oversized_token_is_refused_not_cut() {
        let token = "a".repeat(CHUNK_SIZE * MAX_CHUNKS + 1);
        let result = session_set_cookies(
            NAME,
            &token,
            SystemTime::UNIX_EPOCH,
            false,
            SessionCookieNames::default(),
        );
        assert!(matches!(result, Err(AuthError::TokenTooLarge { .. })));
    }

    #[test]
    fn cookie_bomb_expires_only_the_names_a_session_may_use() {
        let header = (0..300)
            .map(|i| format!("{NAME}.{i}=v"))
            .chain(std::iter::once(format!("{NAME}=p")))
            .collect::<Vec<_>>()
            .join("; ");
        let cookie = read(&header);
        assert!(cookie.token.is_err());
        assert_eq!(
            clear_session_cookies(NAME, false, cookie.names).len(),
            MAX_CHUNKS + 1
        );
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
