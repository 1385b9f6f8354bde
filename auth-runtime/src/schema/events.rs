//! The default `events` handler, which logs each [`AuthEvent`] with `tracing`, and the log of
//! a failing handler.

use super::auth_schema::{AuthEvent, AuthSchema};
use super::callbacks::CallbackError;
use super::token_claims::TokenClaims;

/// The default event handler: one `tracing` event per auth event, carrying the event's name,
/// the provider and the user's `sub` where they apply, and never a token, secret or password.
pub fn trace_event<C: AuthSchema>(event: &AuthEvent<'_, C>) {
    match event {
        AuthEvent::SignedIn { token, account, .. } => tracing::info!(
            target: "auth",
            event = event.name(),
            sub = TokenClaims::subject(*token),
            provider = %account.provider,
        ),
        AuthEvent::SignInDenied { provider, .. } | AuthEvent::RateLimited { provider, .. } => {
            tracing::warn!(target: "auth", event = event.name(), provider = %provider);
        }
        AuthEvent::SignedOut { token, .. } => tracing::info!(
            target: "auth",
            event = event.name(),
            sub = token.map(TokenClaims::subject),
        ),
        AuthEvent::SessionUpdated { token, .. } | AuthEvent::SessionEnded { token, .. } => {
            tracing::info!(
                target: "auth",
                event = event.name(),
                sub = TokenClaims::subject(*token),
            )
        }
        AuthEvent::UpdateRefused { token, claim, .. } => tracing::warn!(
            target: "auth",
            event = event.name(),
            sub = TokenClaims::subject(*token),
            claim = %claim,
        ),
    }
}

/// Logs a failing `events` handler; the flow it reported on goes on.
pub fn log_event_error(event: &'static str, error: &CallbackError) {
    tracing::warn!(target: "auth", event, error = %error, "the events handler failed");
}
