//! The session cookie in chunks: a token too long for one cookie is stored as `name.0`,
//! `name.1`, …, read back strictly, and expired chunk by chunk.

use std::time::SystemTime;

use poem::http::{HeaderMap, header};

use super::header::request_cookies;
use super::set_cookie::{CookieLifetime, SetCookie};
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

/// Splits a token into cookie values of at most [`CHUNK_SIZE`] bytes, each ending on a
/// character boundary, none empty: a multi-byte character is never cut, it starts the next
/// chunk. (Tokens are base64url and dots, where every byte is a character.)
pub fn split_into_chunks(token: &str) -> impl Iterator<Item = &str> {
    let mut rest = token;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut end = rest.len().min(CHUNK_SIZE);
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        let (chunk, tail) = rest.split_at(end);
        rest = tail;
        Some(chunk)
    })
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
    use crate::cookies::parse_cookie_header;

    const NAME: &str = "authjs.session-token";

    fn read(header: &str) -> SessionCookie {
        SessionCookie::read(parse_cookie_header(header.as_bytes()), NAME)
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
    fn chunks_never_cut_a_character_nor_come_out_empty() {
        let text = format!("{}é{}", "a".repeat(CHUNK_SIZE - 1), "b".repeat(10));
        let chunks: Vec<&str> = split_into_chunks(&text).collect();
        assert_eq!(chunks.concat(), text);
        assert_eq!(chunks[0].len(), CHUNK_SIZE - 1);
        assert!(
            chunks
                .iter()
                .all(|chunk| !chunk.is_empty() && chunk.len() <= CHUNK_SIZE)
        );
        assert_eq!(split_into_chunks("").count(), 0);
    }
}
