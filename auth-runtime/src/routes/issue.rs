//! Issuing a session: a token stamped with a fresh `iat`, `exp` and `jti`, encrypted, and
//! written as the session cookie (or its chunks), for the sign-in callback and the session
//! re-issue.

use std::time::{Duration, UNIX_EPOCH};

use serde_json::Value;

use crate::auth::Auth;
use crate::cookies::{SessionCookieNames, SetCookie, session_set_cookies};
use crate::error::AuthError;
use crate::schema::{AuthSchema, TokenClaims};
use crate::token::{Registered, random_uuid};

/// A token encoded into session cookies.
pub(super) struct WrittenToken {
    /// The `Set-Cookie`s: the new cookie (or chunks), then deletions of stale names.
    pub(super) cookies: Vec<SetCookie>,
    /// The new `exp`, in seconds since the Unix epoch.
    pub(super) expires_at: i64,
    /// The new `iat` and `exp`.
    pub(super) registered: Registered,
    /// The encoded token's length, in characters (before it is split into chunks).
    pub(super) encoded_len: usize,
}

/// Encodes `token` for [`AuthSchema::MAX_AGE`] (fresh `iat`, `exp`, `jti`) into the session
/// cookie, expiring whichever of the `previous` names it no longer uses.
pub(super) fn write_token<C: AuthSchema>(
    auth: &Auth<C>,
    token: &C::Token,
    previous: SessionCookieNames,
) -> Result<WrittenToken, AuthError> {
    let codec = auth.codec();
    let (registered, jti) = codec.registered_now(C::MAX_AGE);
    let expires_at = registered.expires_at;
    // The generated token is stamped and serialised as it is; any other goes through a map.
    let mut stamped = token.clone();
    let encoded = if stamped.set_registered(registered.issued_at, expires_at, jti) {
        codec.encode_stamped(&stamped)?
    } else {
        let claims = match serde_json::to_value(token) {
            Ok(Value::Object(claims)) => claims,
            Ok(_) => {
                return Err(AuthError::Serialization(
                    "the token type must serialise to a JSON object".into(),
                ));
            }
            Err(error) => return Err(AuthError::Serialization(error.to_string())),
        };
        // `set_registered` took the stamped `jti`; a fresh one is as good.
        codec.encode_registered(claims, registered, random_uuid())?
    };
    let expires = UNIX_EPOCH
        .checked_add(Duration::from_secs(u64::try_from(expires_at).unwrap_or(0)))
        .unwrap_or(UNIX_EPOCH);
    let names = auth.names();
    let cookies = session_set_cookies(names.session, &encoded, expires, names.secure, previous)?;
    Ok(WrittenToken {
        cookies,
        expires_at,
        registered,
        encoded_len: encoded.len(),
    })
}
