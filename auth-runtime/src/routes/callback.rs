//! `POST /callback/<provider>` for credentials providers: check the CSRF token, run the
//! provider's `authorize`, the `sign_in` and `jwt` callbacks, set the session cookie and
//! redirect to the (checked) callback URL.
//!
//! Between the CSRF check and `authorize`, the attempt passes the sign-in rate limit
//! ([`throttle`](super::throttle)): a limited attempt runs no `authorize` (so no password
//! hash) and goes to the error page with `RateLimited`; refused credentials count a failure.
//!
//! Errors reach the URL only as Auth.js's public codes (and `RateLimited`), through
//! [`respond::error_redirect`]: `MissingCSRF` and `CredentialsSignin` on the sign-in page,
//! `AccessDenied`, `Configuration` and `RateLimited` on the error page. Failures are logged
//! without the form's values. Answers carry `Referrer-Policy: no-referrer`.

use poem::http::Method;
use poem::{Request, Response};

use super::issue::write_token;
use super::request::{self, CSRF_FIELD};
use super::respond;
use super::throttle::SignInThrottle;
use crate::auth::Auth;
use crate::middleware::LoadedSession;
use crate::pages::ErrorCode;
use crate::schema::{
    Account, AuthEvent, AuthSchema, FormFields, JwtTrigger, ProviderInfo, ProviderKind, SignIn,
    TokenAction,
};

/// The callback route.
pub(super) async fn handle<C: AuthSchema>(auth: Auth<C>, mut req: Request) -> Response {
    let mut response = callback(&auth, &mut req).await;
    respond::set_private_headers(&mut response);
    response
}

async fn callback<C: AuthSchema>(auth: &Auth<C>, req: &mut Request) -> Response {
    let provider_id = req.raw_path_param("provider").unwrap_or_default();
    let Some(provider) = C::PROVIDERS
        .iter()
        .find(|provider| provider.id == provider_id)
    else {
        tracing::debug!("callback for an unknown provider");
        return respond::error_redirect(auth, req, ErrorCode::Configuration);
    };
    // Only a POSTed form signs in with credentials: a GET changes nothing.
    if req.method() != Method::POST || provider.kind != ProviderKind::Credentials {
        tracing::debug!(
            provider = provider.id,
            "callback refused: not a credentials POST"
        );
        return respond::error_redirect(auth, req, ErrorCode::Configuration);
    }
    let Ok(body) = request::read_body(req).await else {
        return respond::payload_too_large();
    };
    let req: &Request = req;
    let fields = request::form_fields(req, &body);
    let submitted = fields.as_ref().and_then(|fields| fields.get(CSRF_FIELD));
    let verified = request::csrf_verified(auth, req, submitted);
    let Some(fields) = fields.filter(|_| verified) else {
        tracing::debug!(provider = provider.id, "sign-in without a valid CSRF token");
        return respond::error_redirect(auth, req, ErrorCode::MissingCsrf);
    };
    let throttle = SignInThrottle::new(auth, req, provider, &fields);
    if throttle.is_limited().await {
        tracing::info!(provider = provider.id, "sign-in rate limited");
        C::on_event(
            AuthEvent::RateLimited {
                provider: provider.id,
            },
            auth.state(),
        )
        .await;
        return respond::error_redirect(auth, req, ErrorCode::RateLimited);
    }
    match sign_in_with_credentials(auth, req, provider, &fields, &throttle).await {
        Ok(response) => response,
        Err(code) => respond::error_redirect(auth, req, code),
    }
}

async fn sign_in_with_credentials<C: AuthSchema>(
    auth: &Auth<C>,
    req: &Request,
    provider: &ProviderInfo,
    fields: &FormFields,
    throttle: &SignInThrottle<'_>,
) -> Result<Response, ErrorCode> {
    let state = auth.state();
    let denied = || async {
        C::on_event(
            AuthEvent::SignInDenied {
                provider: provider.id,
            },
            state,
        )
        .await;
    };

    let user = match C::authorize(provider.id, fields, state).await {
        Ok(Some(user)) => user,
        Ok(None) => {
            tracing::info!(provider = provider.id, "credentials refused");
            throttle.record_failure().await;
            denied().await;
            return Err(ErrorCode::CredentialsSignin);
        }
        Err(error) => {
            tracing::error!(provider = provider.id, %error, "authorize failed");
            return Err(ErrorCode::Configuration);
        }
    };
    let account = Account {
        provider: provider.id.to_owned(),
        kind: provider.kind,
    };
    match C::sign_in(&user, &account, state).await {
        Ok(SignIn::Allow) => {}
        Ok(SignIn::Deny) => {
            tracing::info!(
                provider = provider.id,
                "the sign_in callback denied the user"
            );
            denied().await;
            return Err(ErrorCode::AccessDenied);
        }
        Ok(SignIn::Redirect(url)) => {
            denied().await;
            let location = auth.redirect_policy().check(&url);
            return Ok(respond::redirect(req, &location, &[]));
        }
        Err(error) => {
            tracing::error!(provider = provider.id, %error, "the sign_in callback failed");
            return Err(ErrorCode::Configuration);
        }
    }

    let mut token = C::new_token(&user, &account);
    let trigger = JwtTrigger::SignIn {
        user: &user,
        account: &account,
    };
    match C::jwt(&mut token, trigger, state).await {
        Ok(TokenAction::Keep) => {}
        Ok(TokenAction::SignOut) => {
            tracing::info!(
                provider = provider.id,
                "the jwt callback refused the sign-in"
            );
            denied().await;
            return Err(ErrorCode::AccessDenied);
        }
        Err(error) => {
            tracing::error!(provider = provider.id, %error, "the jwt callback failed at sign-in");
            return Err(ErrorCode::Configuration);
        }
    }
    let previous = LoadedSession::of_request(req, auth).cookie_names();
    let written = write_token(auth, &token, previous).map_err(|error| {
        tracing::error!(provider = provider.id, %error, "the session token could not be written");
        ErrorCode::Configuration
    })?;
    throttle.record_success().await;
    C::on_event(
        AuthEvent::SignedIn {
            token: &token,
            account: &account,
        },
        state,
    )
    .await;
    let location = request::callback_url(auth, req, Some(fields)).await;
    Ok(respond::redirect(req, &location, &written.cookies))
}
