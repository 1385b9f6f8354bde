//! Provider URLs: an OpenID Connect issuer and the OAuth endpoints, written in the config or
//! given at start-up.

use std::net::{Ipv4Addr, Ipv6Addr};

use crate::Refusal;

/// A provider URL is `https://<host>…`, or plain `http://` on a loopback address only
/// (`localhost`, `127.0.0.0/8`, `[::1]`: a test's or a developer's own provider). A plain
/// `http` provider elsewhere would carry codes and tokens in clear. No user info
/// (`user@host`) and no empty host.
pub fn check_provider_url(url: &str) -> Result<(), Refusal> {
    let (https, rest) = if let Some(rest) = url.strip_prefix("https://") {
        (true, rest)
    } else if let Some(rest) = url.strip_prefix("http://") {
        (false, rest)
    } else {
        return Err(Refusal::ProviderUrl);
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.is_empty() || authority.contains('@') {
        return Err(Refusal::ProviderUrl);
    }
    if https || is_loopback_authority(authority) {
        Ok(())
    } else {
        Err(Refusal::ProviderUrl)
    }
}

/// Whether `authority` (`host[:port]`) names a loopback address.
fn is_loopback_authority(authority: &str) -> bool {
    if let Some(bracketed) = authority.strip_prefix('[') {
        return bracketed
            .split_once(']')
            .and_then(|(host, _)| host.parse::<Ipv6Addr>().ok())
            .is_some_and(|address| address.is_loopback());
    }
    let host = authority
        .rsplit_once(':')
        .map_or(authority, |(host, _)| host);
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<Ipv4Addr>()
            .is_ok_and(|address| address.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_urls() {
        for accepted in [
            "https://accounts.google.com",
            "https://id.example.com/realms/corp",
            "http://127.0.0.1:4000/oidc",
            "http://127.8.9.10",
            "http://localhost:4000",
            "http://[::1]:8080/",
        ] {
            assert_eq!(check_provider_url(accepted), Ok(()), "{accepted}");
        }
        for refused in [
            "http://id.example.com",
            "http://127.0.0.1.evil.example",
            "http://localhost.evil.example",
            "http://evil@127.0.0.1",
            "http://[::2]",
            "ftp://id.example.com",
            "https://",
            "accounts.google.com",
            "",
        ] {
            assert_eq!(
                check_provider_url(refused),
                Err(Refusal::ProviderUrl),
                "{refused}"
            );
        }
    }
}
