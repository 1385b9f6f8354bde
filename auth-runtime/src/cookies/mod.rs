//! Cookie names, `Set-Cookie` rendering, `Cookie` parsing, and session-token chunking, as
//! Auth.js does them.

mod chunks;
mod header;
mod names;
mod set_cookie;

pub use chunks::{
    CHUNK_SIZE, MAX_CHUNKS, MAX_COOKIE_HEADER_LEN, SessionCookie, SessionCookieNames,
    clear_session_cookies, session_set_cookies, split_into_chunks,
};
pub(crate) use header::request_cookies;
pub use header::{decode_cookie_value, parse_cookie_header};
pub use names::CookieNames;
pub use set_cookie::{CookieLifetime, SetCookie};
