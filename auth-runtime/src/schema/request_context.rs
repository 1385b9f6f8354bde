//! [`RequestContext`]: who sent the request an [`AuthEvent`](super::AuthEvent) reports, for
//! audit logs.

use std::fmt;
use std::net::IpAddr;

/// The longest user agent kept, in bytes: a client chooses it, so an event stays bounded.
pub const MAX_USER_AGENT_LEN: usize = 512;

/// The request behind an event: the client's address and its user agent. Never a cookie, a
/// token or a form value.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestContext {
    /// The client's address, resolved as the sign-in rate limit resolves it: the socket
    /// peer, or, behind a configured trusted proxy, the right-most `X-Forwarded-For` hop that
    /// is not one. Never a forwarding header from any other peer. `None` when the peer is not
    /// an IP socket.
    pub client_addr: Option<IpAddr>,
    /// The `User-Agent` header, cut to [`MAX_USER_AGENT_LEN`] bytes; `None` when absent or
    /// not text.
    pub user_agent: Option<String>,
}

impl RequestContext {
    /// A context with `client_addr` and `user_agent` (cut to [`MAX_USER_AGENT_LEN`] bytes).
    pub fn new(client_addr: Option<IpAddr>, user_agent: Option<&str>) -> Self {
        Self {
            client_addr,
            user_agent: user_agent.map(|agent| cut(agent, MAX_USER_AGENT_LEN).to_owned()),
        }
    }
}

/// Prints the address and the user agent: neither is a secret.
impl fmt::Debug for RequestContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestContext")
            .field("client_addr", &self.client_addr)
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

/// The longest prefix of `text` of at most `max` bytes ending on a character boundary.
fn cut(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_user_agent_is_cut_on_a_character_boundary() {
        let agent = "é".repeat(MAX_USER_AGENT_LEN);
        let context = RequestContext::new(None, Some(&agent));
        let kept = context.user_agent.unwrap_or_default();
        assert!(kept.len() <= MAX_USER_AGENT_LEN && kept.len() >= MAX_USER_AGENT_LEN - 1);
    }
}
