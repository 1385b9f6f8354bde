//! The end of every sign-in, whatever the provider (credentials in `callback`, OAuth and
//! OpenID Connect in `oauth`): the `sign_in` callback, the new token and the `jwt` callback,
//! the session cookies, the `SignedIn` event.

use std::fmt;

use poem::{Request, Response};

use super::issue::write_token;
use super::respond;
use super::token_size::warn_when_large;
use crate::auth::Auth;
use crate::cookies::SetCookie;
use crate::loaded_session::LoadedSession;
use crate::pages::ErrorCode;
use crate::schema::{
    Account, AuthEvent, AuthSchema, JwtTrigger, ProviderInfo, ProviderRefresh, RequestContext,
    SignIn, TokenAction, TokenClaims as _,
};
use crate::token::random_uuid;

/// A user [`complete_sign_in`] signed in: the token issued and its `Set-Cookie`s.
pub(super) struct SignedIn<C: AuthSchema> {
    pub(super) token: C::Token,
    pub(super) cookies: Vec<SetCookie>,
}

/// Why [`complete_sign_in`] did not sign the user in.
pub(super) enum Refusal {
    /// Go to the error page (or the sign-in page) with this code.
    Code(ErrorCode),
    /// The `sign_in` callback sent the user elsewhere: this redirect.
    Redirect(Response),
}

/// The end of every sign-in, whatever the provider: the `sign_in` callback, the new token and
/// the `jwt` callback, the session cookies, the `SignedIn` event. `identifier` is what a
/// credentials form tried (normalised), for the `SignInDenied` event. Returns the token and the
/// session's `Set-Cookie`s.
pub(super) async fn complete_sign_in<C: AuthSchema>(
    auth: &Auth<C>,
    req: &Request,
    provider: &ProviderInfo,
    user: &C::User,
    account: &Account,
    identifier: Option<&str>,
) -> Result<SignedIn<C>, Refusal> {
    let state = auth.state();
    let request = auth.request_context(req);
    let denied = |why: &'static str, code: ErrorCode| {
        let request = &request;
        async move {
            report_denied(auth, provider, identifier, request, why).await;
            Refusal::Code(code)
        }
    };
    let failed = |step: &'static str, error: &dyn fmt::Display| {
        tracing::error!(provider = provider.id, %error, "{step}");
        Refusal::Code(ErrorCode::Configuration)
    };
    match C::sign_in(user, account, state).await {
        Ok(SignIn::Allow) => {}
        Ok(SignIn::Deny) => {
            let why = "the sign_in callback denied the user";
            return Err(denied(why, ErrorCode::AccessDenied).await);
        }
        Ok(SignIn::Redirect(url)) => {
            let why = "the sign_in callback redirected the user";
            denied(why, ErrorCode::AccessDenied).await;
            let location = auth.redirect_policy().check(&url);
            return Err(Refusal::Redirect(respond::redirect(req, &location, &[])));
        }
        Err(error) => return Err(failed("the sign_in callback failed", &error)),
    }

    let mut token = C::new_token(user, account);
    // A provider declared with `refresh`: its tokens kept for refreshing, whatever claims the
    // configuration declares.
    let refreshes = auth
        .oauth_provider(&account.provider)
        .is_some_and(|provider| provider.refresh_skew().is_some());
    if refreshes {
        let kept = ProviderRefresh::from_account(account);
        if kept.is_none() {
            tracing::info!(
                provider = provider.id,
                "the provider issued no refresh token or no expiry; nothing to refresh"
            );
        }
        token.set_provider_refresh(kept);
    }
    // With revocation on: a new session id, under the user's current session generation.
    if let Some(revocation) = auth.revocation() {
        let now_ms = u64::try_from(auth.codec().now())
            .unwrap_or(0)
            .saturating_mul(1000);
        let generation = revocation
            .generation_for_sign_in(token.subject(), now_ms)
            .await;
        token.set_session(random_uuid(), generation);
    }
    let trigger = JwtTrigger::SignIn { user, account };
    match C::jwt(&mut token, trigger, state).await {
        Ok(TokenAction::Keep) => {}
        Ok(TokenAction::SignOut) => {
            let why = "the jwt callback refused the sign-in";
            return Err(denied(why, ErrorCode::AccessDenied).await);
        }
        Err(error) => return Err(failed("the jwt callback failed at sign-in", &error)),
    }
    let previous = LoadedSession::of_request(req, auth).cookie_names();
    let written = write_token(auth, &token, previous)
        .map_err(|error| failed("the session token could not be written", &error))?;
    warn_when_large::<C>(&token, written.encoded_len);
    C::on_event(
        AuthEvent::SignedIn {
            token: &token,
            account,
            request: &request,
        },
        state,
    )
    .await;
    Ok(SignedIn {
        token,
        cookies: written.cookies,
    })
}

/// A refused sign-in: logged with `why`, and reported to the events handler as
/// `SignInDenied` with the identifier tried (credentials) and the request's context.
pub(super) async fn report_denied<C: AuthSchema>(
    auth: &Auth<C>,
    provider: &ProviderInfo,
    identifier: Option<&str>,
    request: &RequestContext,
    why: &'static str,
) {
    tracing::info!(provider = provider.id, "{why}");
    C::on_event(
        AuthEvent::SignInDenied {
            provider: provider.id,
            identifier,
            request,
        },
        auth.state(),
    )
    .await;
}
