//! Sign-in rate limiting in the credentials callback (DS-05, DS-06, DS-07).
//!
//! Each attempt is keyed twice: by the submitted identifier (the provider's first non-secret
//! field, folded by [`normalize_identifier`]) as `id:<provider>:<identifier>`, and by the
//! client's address ([`Auth::client_ip`]) as `ip:<address>` (an IPv6
//! client by its `/64`, which one host can fill). The check runs after the CSRF check and
//! before `authorize`, so a limited attempt costs no password hash; a refused credential
//! counts a failure on both keys, a sign-in resets the identifier's key only (the address may
//! be shared by many users).

use std::net::IpAddr;

use poem::Request;

use crate::auth::Auth;
use crate::rate_limit::{SignInLimiter, normalize_identifier};
use crate::schema::{AuthSchema, FormFields, ProviderInfo};

/// The longest identifier kept in a key, in bytes; longer ones are cut, so that a flood of
/// huge identifiers cannot grow the limiter's memory (only an attacker sends them).
const MAX_IDENTIFIER_LEN: usize = 256;

/// The rate limit of one sign-in attempt: the limiter (when limiting is on) and the keys.
pub(super) struct SignInThrottle<'a> {
    limiter: Option<&'a dyn SignInLimiter>,
    identifier_key: Option<String>,
    address_key: Option<String>,
    now: i64,
}

impl<'a> SignInThrottle<'a> {
    /// The keys of an attempt with `fields` at `provider`.
    pub(super) fn new<C: AuthSchema>(
        auth: &'a Auth<C>,
        req: &Request,
        provider: &ProviderInfo,
        fields: &FormFields,
    ) -> Self {
        let Some(limiter) = auth.sign_in_limiter() else {
            return Self {
                limiter: None,
                identifier_key: None,
                address_key: None,
                now: 0,
            };
        };
        let identifier_key = attempted_identifier(provider, fields)
            .map(|identifier| format!("id:{}:{identifier}", provider.id));
        let address_key = auth.client_ip(req).map(address_key);
        if address_key.is_none() {
            tracing::debug!("no client IP address; sign-in limited by identifier only");
        }
        Self {
            limiter: Some(limiter),
            identifier_key,
            address_key,
            now: auth.codec().now(),
        }
    }

    /// Whether the attempt may go on: [`Admission::Limited`] when either key has used up its
    /// failures, [`Admission::Unavailable`] when the limiter's store did not answer (the
    /// attempt is then refused, never let through unlimited).
    pub(super) async fn admission(&self) -> Admission {
        let Some(limiter) = self.limiter else {
            return Admission::Allowed;
        };
        for (kind, key) in self.keys() {
            match limiter.is_limited(key, self.now).await {
                Ok(false) => {}
                Ok(true) => {
                    tracing::debug!(key = kind, "sign-in attempt over the rate limit");
                    return Admission::Limited;
                }
                Err(error) => {
                    tracing::warn!(%error, "the sign-in rate limit could not be read; attempt refused");
                    return Admission::Unavailable;
                }
            }
        }
        Admission::Allowed
    }

    /// Counts a refused credential on both keys. A store that fails now is logged: the
    /// attempt was already refused.
    pub(super) async fn record_failure(&self) {
        if let Some(limiter) = self.limiter {
            for (_, key) in self.keys() {
                if let Err(error) = limiter.record_failure(key, self.now).await {
                    tracing::warn!(%error, "a failed sign-in could not be counted");
                }
            }
        }
    }

    /// Forgets the identifier's failures after a sign-in (logged when the store fails: the
    /// failures then expire with their window).
    pub(super) async fn record_success(&self) {
        if let (Some(limiter), Some(key)) = (self.limiter, &self.identifier_key)
            && let Err(error) = limiter.reset(key).await
        {
            tracing::warn!(%error, "the sign-in rate limit could not be reset");
        }
    }

    fn keys(&self) -> impl Iterator<Item = (&'static str, &str)> {
        let identifier = self
            .identifier_key
            .as_deref()
            .map(|key| ("identifier", key));
        let address = self.address_key.as_deref().map(|key| ("address", key));
        identifier.into_iter().chain(address)
    }
}

/// Whether a sign-in attempt passes the rate limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Admission {
    /// Under the limit (or not limited at all).
    Allowed,
    /// Over the limit.
    Limited,
    /// The limiter's store did not answer.
    Unavailable,
}

/// The identifier an attempt at `provider` tried: its form's first field that is not secret,
/// folded as keyed ([`fold_identifier`]); `None` when empty or absent. Never the password.
pub(super) fn attempted_identifier(provider: &ProviderInfo, fields: &FormFields) -> Option<String> {
    provider
        .fields
        .iter()
        .find(|field| !field.secret)
        .and_then(|field| fields.get(field.name))
        .map(fold_identifier)
        .filter(|identifier| !identifier.is_empty())
}

/// The identifier as keyed: folded, then cut to [`MAX_IDENTIFIER_LEN`] bytes (before folding
/// too, so that normalising a huge value costs little).
fn fold_identifier(raw: &str) -> String {
    let folded = normalize_identifier(cut(raw, MAX_IDENTIFIER_LEN * 4));
    cut(&folded, MAX_IDENTIFIER_LEN).to_owned()
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

/// `ip:<IPv4 address>`, or `ip:<first four groups>::/64` for IPv6.
fn address_key(address: IpAddr) -> String {
    match address {
        IpAddr::V4(v4) => format!("ip:{v4}"),
        IpAddr::V6(v6) => {
            let [a, b, c, d, ..] = v6.segments();
            format!("ip:{a:x}:{b:x}:{c:x}:{d:x}::/64")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_key_by_ipv4_address_or_ipv6_prefix() {
        assert_eq!(
            address_key("203.0.113.7".parse().unwrap()),
            "ip:203.0.113.7"
        );
        assert_eq!(
            address_key("2001:db8:a:b:1:2:3:4".parse().unwrap()),
            "ip:2001:db8:a:b::/64"
        );
    }

    #[test]
    fn identifiers_fold_and_stay_short() {
        assert_eq!(fold_identifier(" Alice@X "), "alice@x");
        assert_eq!(
            fold_identifier(&"é".repeat(10_000)).len(),
            MAX_IDENTIFIER_LEN
        );
        assert_eq!(cut("aé", 2), "a");
    }
}
