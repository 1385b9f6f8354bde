//! An OAuth or OpenID Connect sign-in through the routes: `start` answers `POST /signin/<id>`
//! (after its CSRF check) with a redirect to the provider and the check cookies; `callback`
//! answers `GET`/`POST /callback/<id>`: it checks the `state`, PKCE and (OpenID Connect)
//! `nonce` cookies (one use:
//! they are expired on every answer), lets the provider finish the flow, maps the profile to
//! a user and signs in. Every failure is a redirect with an Auth.js code, never a 5xx, and
//! never carries the provider's own message.

use poem::http::Method;
use poem::{Request, Response};

use super::complete::{Refusal, complete_sign_in};
use super::request::{self, single_cookie};
use super::respond;
use crate::auth::Auth;
use crate::oauth::{CheckFailure, Checks, FlowFailure};
use crate::pages::ErrorCode;
use crate::schema::{AuthEvent, AuthSchema, FormFields, ProviderInfo};

/// `POST /signin/<id>` for an OAuth provider: a 302 to its authorization URL, with the check
/// cookies (the state cookie carrying `callback_url`).
pub(super) fn start<C: AuthSchema>(
    auth: &Auth<C>,
    req: &Request,
    id: &str,
    callback_url: String,
) -> Response {
    let Some(provider) = auth.oauth_provider(id) else {
        return respond::error_redirect(auth, req, ErrorCode::Configuration);
    };
    let authorization = match provider.authorize() {
        Ok(authorization) => authorization,
        Err(why) => {
            tracing::error!(
                provider = id,
                why,
                "the authorization URL could not be built"
            );
            return respond::error_redirect(auth, req, ErrorCode::Configuration);
        }
    };
    let checks = Checks {
        pkce_verifier: authorization.pkce_verifier,
        state: authorization.state,
        nonce: authorization.nonce,
        callback_url,
    };
    match auth.checks().issue(id, &checks) {
        Ok(cookies) => respond::redirect(req, &authorization.url, &cookies),
        Err(error) => {
            tracing::error!(provider = id, %error, "the check cookies could not be written");
            respond::error_redirect(auth, req, ErrorCode::Configuration)
        }
    }
}

/// `GET`/`POST /callback/<id>` for an OAuth provider.
pub(super) async fn callback<C: AuthSchema>(
    auth: &Auth<C>,
    req: &mut Request,
    provider: &ProviderInfo,
) -> Response {
    let expired = auth.checks().expire_all();
    let mut response = match finish(auth, req, provider).await {
        Ok(response) => response,
        Err(code) => respond::error_redirect(auth, req, code),
    };
    respond::append_cookies(&mut response, &expired);
    response
}

/// The callback's parameters: the query of a GET, the form body of a POST (`form_post`).
async fn parameters(req: &mut Request) -> Option<FormFields> {
    if req.method() == Method::GET {
        let query = req.uri().query().unwrap_or_default();
        return FormFields::distinct(
            form_urlencoded::parse(query.as_bytes())
                .map(|(name, value)| (name.into_owned(), value.into_owned())),
        );
    }
    if req.method() != Method::POST {
        return None;
    }
    let body = request::read_body(req).await.ok()?;
    request::form_fields(req, &body)
}

async fn finish<C: AuthSchema>(
    auth: &Auth<C>,
    req: &mut Request,
    provider: &ProviderInfo,
) -> Result<Response, ErrorCode> {
    let Some(oauth) = auth.oauth_provider(provider.id) else {
        return Err(ErrorCode::Configuration);
    };
    let Some(params) = parameters(req).await else {
        tracing::info!(
            provider = provider.id,
            "callback refused: unreadable parameters"
        );
        return Err(ErrorCode::Configuration);
    };
    let req: &Request = req;
    let checks = auth
        .checks()
        .read(
            provider.id,
            oauth.uses_nonce(),
            |name| single_cookie(req, name),
            params.get("state"),
        )
        .map_err(|failure| {
            tracing::info!(
                provider = provider.id,
                ?failure,
                "callback refused: check cookies"
            );
            refusal_code(failure)
        })?;
    if params.get("error").is_some() {
        // As Auth.js v5: after the state check, any error the provider sends back (even
        // `access_denied`) is `OAuthCallbackError`. Its `error_description` is never shown
        // or logged.
        tracing::info!(
            provider = provider.id,
            "the provider answered with an error"
        );
        return Err(ErrorCode::OAuthCallbackError);
    }
    let Some(code) = params.get("code").filter(|code| !code.is_empty()) else {
        tracing::info!(provider = provider.id, "callback refused: no code");
        return Err(ErrorCode::Configuration);
    };
    let signed_in = oauth
        .finish(code.to_owned(), checks.pkce_verifier, checks.nonce)
        .await
        .map_err(|failure| {
            tracing::warn!(provider = provider.id, %failure, "OAuth sign-in failed");
            flow_failure_code(failure)
        })?;
    let state = auth.state();
    let account = signed_in.account;
    let Some(profile) = account.profile.as_ref() else {
        return Err(ErrorCode::OAuthCallbackError);
    };
    let user = match C::oauth_profile(provider.id, profile, state).await {
        Ok(Some(user)) => user,
        Ok(None) => {
            tracing::info!(
                provider = provider.id,
                "the profile function refused the user"
            );
            C::on_event(
                AuthEvent::SignInDenied {
                    provider: provider.id,
                    identifier: None,
                    request: &auth.request_context(req),
                },
                state,
            )
            .await;
            return Err(ErrorCode::AccessDenied);
        }
        Err(error) => {
            tracing::error!(provider = provider.id, %error, "the profile function failed");
            return Err(ErrorCode::Configuration);
        }
    };
    let signed_in = match complete_sign_in(auth, req, provider, &user, &account, None).await {
        Ok(signed_in) => signed_in,
        Err(Refusal::Code(code)) => return Err(code),
        Err(Refusal::Redirect(response)) => return Ok(response),
    };
    let location =
        request::redirect_after(auth, &checks.callback_url, Some(&signed_in.token)).await;
    Ok(respond::redirect(req, &location, &signed_in.cookies))
}

/// The code of a failed flow, as Auth.js v5 answers: the provider's own refusal (an error
/// from the token or userinfo endpoint, an unreadable answer) is `OAuthCallbackError`; an
/// `id_token` that is missing or fails verification, a missing nonce, or a provider not
/// reached in time is
/// `Configuration` (Auth.js turns every error it did not raise itself into `Configuration`).
fn flow_failure_code(failure: FlowFailure) -> ErrorCode {
    match failure {
        FlowFailure::IdToken(_)
        | FlowFailure::MissingIdToken
        | FlowFailure::MissingNonce
        | FlowFailure::Unreachable(_) => ErrorCode::Configuration,
        FlowFailure::Exchange(_) | FlowFailure::UserInfo(_) => ErrorCode::OAuthCallbackError,
    }
}

/// A refused check is the checklist's CBX: the `Configuration` error page.
fn refusal_code(failure: CheckFailure) -> ErrorCode {
    match failure {
        CheckFailure::Missing(_)
        | CheckFailure::Unreadable(_)
        | CheckFailure::OtherProvider(_)
        | CheckFailure::StateMismatch => ErrorCode::Configuration,
    }
}
