//! [`TokenClaims`]: what the runtime needs of the token type the macro generates.

use std::fmt;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::provider_refresh::ProviderRefresh;

/// The JWT claims type the macro generates.
pub trait TokenClaims:
    Serialize + DeserializeOwned + Clone + Send + Sync + fmt::Debug + 'static
{
    /// The `sub` claim: the user's stable id.
    fn subject(&self) -> &str;

    /// Sets the registered claims a re-issue stamps (`iat`, `exp`, `jti`) and returns `true`
    /// when the token now serialises, as it is, to the JSON object to encrypt: one object whose
    /// members have distinct names, with exactly these `iat`, `exp` and `jti`. The encoder then
    /// writes it straight to bytes ([`TokenCodec::encode_stamped`]).
    ///
    /// The default returns `false` and changes nothing: the token is then converted to a JSON
    /// map and the claims are set there ([`TokenCodec::encode`]), which also keeps the last of
    /// two equal member names. The generated token returns `false` when one of its undeclared
    /// claims has the name of a field, for the same reason.
    ///
    /// [`TokenCodec::encode_stamped`]: crate::TokenCodec::encode_stamped
    /// [`TokenCodec::encode`]: crate::TokenCodec::encode
    fn set_registered(&mut self, iat: i64, exp: i64, jti: String) -> bool {
        let _ = (iat, exp, jti);
        false
    }

    /// Whether the token keeps a session id and generation ([`set_session`](Self::set_session)),
    /// which revocation needs. The generated token does; the default does not, and turning
    /// revocation on for such a token is a start-up error.
    const SESSION_IDS: bool = false;

    /// The session's id (`sid`), kept across re-issues; `None` when it has none.
    fn session_id(&self) -> Option<&str> {
        None
    }

    /// The session generation the token was issued under (`sgen`); 0 when it has none.
    fn session_generation(&self) -> u64 {
        0
    }

    /// Sets the session's id and generation (at sign-in, and when the user signs out their
    /// other sessions). The default keeps nothing.
    fn set_session(&mut self, sid: String, generation: u64) {
        let _ = (sid, generation);
    }

    /// The provider tokens kept for refreshing them (the reserved `providerRefresh` claim),
    /// when the configuration has a provider with `refresh` and the sign-in wrote them. The
    /// default: none.
    fn provider_refresh(&self) -> Option<&ProviderRefresh> {
        None
    }

    /// Replaces the provider tokens kept for refreshing them. The default keeps nothing: a
    /// token type without the claim never refreshes.
    fn set_provider_refresh(&mut self, refresh: Option<ProviderRefresh>) {
        let _ = refresh;
    }
}
