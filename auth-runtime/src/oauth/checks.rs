//! The check cookies of an OAuth sign-in: the PKCE verifier, the `state` and the `nonce`, each
//! in its own cookie (Auth.js's names) holding a JWE of `{"value": …, "provider": …}` under
//! the session secrets with the cookie's name as salt, for 15 minutes. The state cookie also
//! carries the checked `callbackUrl` through the round trip. A plain OAuth 2 provider has no
//! `nonce`: its sign-in issues and its callback reads only the other two. A callback refuses
//! any cookie that is missing, expired, altered, or issued for another provider.

use std::time::Duration;

use serde_json::Value;
use subtle::ConstantTimeEq as _;

use crate::cookies::{CookieLifetime, CookieNames, SetCookie};
use crate::keys::Keyring;
use crate::token::{Claims, TokenCodec};

/// How long a sign-in may take at the provider: 15 minutes, as Auth.js.
pub const CHECK_MAX_AGE: Duration = Duration::from_secs(15 * 60);

/// The codecs of the three check cookies, built once at start-up.
pub(crate) struct CheckCodecs {
    pkce: TokenCodec,
    state: TokenCodec,
    nonce: TokenCodec,
    names: &'static CookieNames,
}

/// The values a sign-in started with, as the callback reads them back.
pub(crate) struct Checks {
    /// The PKCE code verifier.
    pub(crate) pkce_verifier: String,
    /// The `state` sent to the provider.
    pub(crate) state: String,
    /// The `nonce` sent to the provider (OpenID Connect only).
    pub(crate) nonce: Option<String>,
    /// The checked callback URL of the sign-in.
    pub(crate) callback_url: String,
}

/// Never prints the values: they are one-time secrets of the flow.
impl std::fmt::Debug for Checks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Checks").finish_non_exhaustive()
    }
}

/// Why the check cookies were refused: one word for the log, never a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CheckFailure {
    /// A cookie is missing (or sent twice).
    Missing(&'static str),
    /// A cookie does not decrypt, expired, or lacks its fields.
    Unreadable(&'static str),
    /// A cookie was issued for another provider.
    OtherProvider(&'static str),
    /// The `state` returned by the provider is absent or differs from the cookie's.
    StateMismatch,
}

impl CheckCodecs {
    /// The codecs under `keyring`, each salted with its cookie's name, on `clock_from`'s clock.
    pub(crate) fn new(
        keyring: &Keyring,
        names: &'static CookieNames,
        clock_from: &TokenCodec,
    ) -> Self {
        let codec = |name: &'static str| {
            let clock = CodecClock(clock_from.clone());
            TokenCodec::new(keyring.keys_for(name)).with_clock(clock)
        };
        Self {
            pkce: codec(names.pkce_verifier),
            state: codec(names.state),
            nonce: codec(names.nonce),
            names,
        }
    }

    /// The cookies of a sign-in with `provider` starting with `checks`: three, or two without
    /// a `nonce`.
    pub(crate) fn issue(
        &self,
        provider: &str,
        checks: &Checks,
    ) -> Result<Vec<SetCookie>, crate::AuthError> {
        let one = |codec: &TokenCodec, name: &'static str, value: &str, extra: Option<&str>| {
            let mut claims = Claims::new();
            claims.insert("value".into(), value.into());
            claims.insert("provider".into(), provider.into());
            if let Some(callback_url) = extra {
                claims.insert("callbackUrl".into(), callback_url.into());
            }
            let token = codec.encode(claims, CHECK_MAX_AGE)?;
            Ok::<_, crate::AuthError>(SetCookie::new(
                name,
                &token,
                CookieLifetime::For(CHECK_MAX_AGE),
                self.names.secure,
            ))
        };
        let mut cookies = vec![
            one(
                &self.pkce,
                self.names.pkce_verifier,
                &checks.pkce_verifier,
                None,
            )?,
            one(
                &self.state,
                self.names.state,
                &checks.state,
                Some(&checks.callback_url),
            )?,
        ];
        if let Some(nonce) = &checks.nonce {
            cookies.push(one(&self.nonce, self.names.nonce, nonce, None)?);
        }
        Ok(cookies)
    }

    /// The checks of a callback for `provider`: `cookie` gives a cookie's value by name,
    /// `returned_state` is the `state` the provider sent back; the nonce cookie is read (and
    /// required) only `with_nonce`.
    pub(crate) fn read(
        &self,
        provider: &str,
        with_nonce: bool,
        cookie: impl Fn(&str) -> Option<String>,
        returned_state: Option<&str>,
    ) -> Result<Checks, CheckFailure> {
        let open = |codec: &TokenCodec, name: &'static str| -> Result<Claims, CheckFailure> {
            let token = cookie(name).ok_or(CheckFailure::Missing(name))?;
            let claims = codec
                .decode(&token)
                .map_err(|_| CheckFailure::Unreadable(name))?;
            let bound = claims.get("provider").and_then(Value::as_str);
            match bound {
                Some(bound) if bound.as_bytes().ct_eq(provider.as_bytes()).into() => Ok(claims),
                _ => Err(CheckFailure::OtherProvider(name)),
            }
        };
        let text = |claims: &Claims, key: &str, name: &'static str| {
            claims
                .get(key)
                .and_then(Value::as_str)
                .filter(|value| !value.is_empty())
                .map(str::to_owned)
                .ok_or(CheckFailure::Unreadable(name))
        };
        let state_claims = open(&self.state, self.names.state)?;
        let state = text(&state_claims, "value", self.names.state)?;
        let returned = returned_state.ok_or(CheckFailure::StateMismatch)?;
        if !bool::from(returned.as_bytes().ct_eq(state.as_bytes())) {
            return Err(CheckFailure::StateMismatch);
        }
        let callback_url = text(&state_claims, "callbackUrl", self.names.state)?;
        let pkce = open(&self.pkce, self.names.pkce_verifier)?;
        let nonce = if with_nonce {
            let nonce = open(&self.nonce, self.names.nonce)?;
            Some(text(&nonce, "value", self.names.nonce)?)
        } else {
            None
        };
        Ok(Checks {
            pkce_verifier: text(&pkce, "value", self.names.pkce_verifier)?,
            state,
            nonce,
            callback_url,
        })
    }

    /// Deletions of the three cookies: a callback uses them once, whatever its outcome.
    pub(crate) fn expire_all(&self) -> Vec<SetCookie> {
        [self.names.pkce_verifier, self.names.state, self.names.nonce]
            .into_iter()
            .map(|name| SetCookie::expire(name, self.names.secure))
            .collect()
    }
}

/// The session codec's clock, shared by the check codecs.
struct CodecClock(TokenCodec);

impl crate::clock::Clock for CodecClock {
    fn now(&self) -> i64 {
        self.0.now()
    }
}
