//! Refreshing the provider's access token on the way: a session read (`GET /session`, in
//! `session`) and the middleware, for the app's own routes, both ask [`refreshed_token`]
//! whether the token's provider tokens are due (within the provider's `refresh_skew` of
//! their expiry) and get the token with new ones, refreshed once however many requests carry
//! it ([`RefreshFlights`](crate::oauth::RefreshFlights)). A failed refresh gives the token
//! the `RefreshAccessTokenError` and drops its refresh token: the user stays signed in, and
//! nothing is tried again until the next sign-in.

use super::issue::write_token;
use crate::auth::Auth;
use crate::cookies::SetCookie;
use crate::loaded_session::LoadedSession;
use crate::oauth::{FlightKey, refresh_grant};
use crate::revocation::Standing;
use crate::schema::{AuthSchema, TokenClaims};

/// `token` with its provider tokens refreshed, when they are due; `None` when nothing is due
/// (no provider with `refresh`, no provider tokens kept, not close to expiry, or a refresh
/// that failed before).
pub(super) async fn refreshed_token<C: AuthSchema>(
    auth: &Auth<C>,
    token: &C::Token,
) -> Option<C::Token> {
    let current = token.provider_refresh()?;
    let provider = auth.oauth_provider(&current.provider)?;
    let skew = provider.refresh_skew()?;
    let now = auth.codec().now();
    if !current.is_due(now, skew) {
        return None;
    }
    let key = FlightKey::new(&current.provider, current.refresh_token.as_ref()?.expose());
    let grant = Box::pin(refresh_grant(provider, current, now));
    let outcome = auth.refresh_flights().share(key, now, grant).await;
    let mut token = token.clone();
    C::apply_provider_refresh(&mut token, &outcome);
    token.set_provider_refresh(Some(outcome));
    Some(token)
}

/// For the middleware: the request's session with its provider tokens refreshed and the
/// cookies carrying it, when they were due; `None` otherwise (and when the refreshed token
/// cannot be written, which is logged: the request goes on with the old one).
pub(crate) async fn refresh_request_session<C: AuthSchema>(
    auth: &Auth<C>,
    loaded: &LoadedSession<C>,
) -> Option<(LoadedSession<C>, Vec<SetCookie>)> {
    let current = loaded.token()?;
    // A revoked session is not refreshed: the extractor and guards refuse it anyway.
    if auth.standing(current).await != Standing::Stands {
        return None;
    }
    let token = refreshed_token(auth, current).await?;
    let written = write_token(auth, &token, loaded.cookie_names())
        .inspect_err(|error| {
            tracing::error!(%error, "the refreshed session could not be written; old cookie kept");
        })
        .ok()?;
    Some((
        loaded.with_token(token, written.registered),
        written.cookies,
    ))
}
