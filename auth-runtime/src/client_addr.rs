//! The client's address, as the sign-in rate limit keys it (DS-06).
//!
//! The socket peer is the client, unless it is a trusted proxy: then the client is the
//! right-most `X-Forwarded-For` hop that is not a trusted proxy (each proxy appends the peer
//! it saw, so hops to the left of the first untrusted one may be forged). `X-Forwarded-For`,
//! `X-Real-IP` and `Forwarded` sent by an untrusted peer are ignored, so forging them changes
//! nothing. Addresses are compared in canonical form (`::ffff:192.0.2.1` is `192.0.2.1`).

use std::net::{IpAddr, SocketAddr};

use poem::Request;

/// The header proxies append the client's address to.
const FORWARDED_FOR: &str = "x-forwarded-for";

/// The client's address for `req`, given the `trusted` proxies (canonical addresses). `None`
/// when the peer is not an IP socket (a Unix socket, an in-process test request).
pub(crate) fn client_ip(req: &Request, trusted: &[IpAddr]) -> Option<IpAddr> {
    let peer = req.remote_addr().as_socket_addr()?.ip().to_canonical();
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let values: Vec<Option<&str>> = req
        .headers()
        .get_all(FORWARDED_FOR)
        .iter()
        .map(|value| value.to_str().ok())
        .collect();
    Some(client_behind_proxies(peer, &values, trusted))
}

/// Walks the `X-Forwarded-For` hops (header values in order, each a comma-separated list;
/// `None` for a value that is not text) from the right, starting at the trusted `peer`: the
/// first hop that is not trusted is the client. A hop that does not parse ends the walk at the
/// last trusted address, which is then taken as the client.
fn client_behind_proxies(peer: IpAddr, values: &[Option<&str>], trusted: &[IpAddr]) -> IpAddr {
    let mut client = peer;
    for value in values.iter().rev() {
        let Some(value) = value else {
            return client;
        };
        for hop in value.rsplit(',') {
            let Some(address) = parse_hop(hop) else {
                return client;
            };
            client = address;
            if !trusted.contains(&address) {
                return client;
            }
        }
    }
    client
}

/// One hop: an IP address, optionally bracketed (IPv6) or with a port.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    let address = hop
        .parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|socket| socket.ip()))
        .or_else(|| {
            hop.strip_prefix('[')
                .and_then(|inner| inner.strip_suffix(']'))
                .and_then(|inner| inner.parse::<IpAddr>().ok())
        })?;
    Some(address.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn the_right_most_untrusted_hop_is_the_client() {
        let trusted = [ip("10.0.0.1"), ip("10.0.0.2")];
        let walk =
            |values: &[Option<&str>]| client_behind_proxies(ip("10.0.0.1"), values, &trusted);
        assert_eq!(walk(&[Some("6.6.6.6, 203.0.113.7")]), ip("203.0.113.7"));
        assert_eq!(
            walk(&[Some("6.6.6.6"), Some("203.0.113.7, 10.0.0.2")]),
            ip("203.0.113.7")
        );
        assert_eq!(
            walk(&[Some("[2001:db8::1]:443 , 10.0.0.2")]),
            ip("2001:db8::1")
        );
        assert_eq!(walk(&[Some("::ffff:203.0.113.9")]), ip("203.0.113.9"));
        // No header, or only trusted hops: the left-most trusted address.
        assert_eq!(walk(&[]), ip("10.0.0.1"));
        assert_eq!(walk(&[Some("10.0.0.2")]), ip("10.0.0.2"));
        // Garbage stops the walk at the last trusted address.
        assert_eq!(walk(&[Some("6.6.6.6, unknown, 10.0.0.2")]), ip("10.0.0.2"));
        assert_eq!(walk(&[Some("6.6.6.6"), None]), ip("10.0.0.1"));
    }
}
