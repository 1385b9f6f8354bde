//! `POST /callback/<provider>` for credentials providers: check the CSRF token, run the
//! provider's `authorize`, the `sign_in` and `jwt` callbacks, set the session cookie and
//! redirect to the (checked) callback URL.
//!
//! Between the CSRF check and `authorize`, the attempt passes the sign-in rate limit
//! ([`throttle`](super::throttle)): a limited attempt runs no `authorize` (so no password
//! hash) and goes to the error page with `RateLimited`; refused credentials count a failure.
//! When the limiter's shared store does not answer, the attempt is refused too, with
//! `Unavailable` (503): never let through unlimited.
//!
//! Errors reach the URL only as Auth.js's public codes (and `RateLimited`), through
//! [`respond::error_redirect`]: `MissingCSRF` and `CredentialsSignin` on the sign-in page,
//! `AccessDenied`, `Configuration` and `RateLimited` on the error page. Failures are logged
//! without the form's values. Answers carry `Referrer-Policy: no-referrer`.

use std::fmt;

use poem::http::Method;
use poem::{Request, Response};

use super::complete::{Refusal, complete_sign_in, report_denied};
use super::oauth;
use super::request;
use super::respond;
use super::throttle::{Admission, SignInThrottle, attempted_identifier};
use crate::auth::Auth;
use crate::pages::ErrorCode;
use crate::schema::{Account, AuthEvent, AuthSchema, FormFields, ProviderInfo, ProviderKind};

/// The callback route.
pub(super) async fn handle<C: AuthSchema>(auth: Auth<C>, mut req: Request) -> Response {
    respond::private(callback(&auth, &mut req).await)
}

async fn callback<C: AuthSchema>(auth: &Auth<C>, req: &mut Request) -> Response {
    let provider_id = req.raw_path_param("provider").unwrap_or_default();
    let Some(provider) = auth.provider(provider_id) else {
        tracing::debug!("callback for an unknown provider");
        return respond::error_redirect(auth, req, ErrorCode::Configuration);
    };
    if matches!(provider.kind, ProviderKind::Oidc | ProviderKind::OAuth) {
        return oauth::callback(auth, req, provider).await;
    }
    // Only a POSTed form signs in with credentials: a GET changes nothing.
    if req.method() != Method::POST || provider.kind != ProviderKind::Credentials {
        tracing::debug!(
            provider = provider.id,
            "callback refused: not a credentials POST"
        );
        return respond::error_redirect(auth, req, ErrorCode::Configuration);
    }
    let fields = match request::csrf_checked_form(auth, req).await {
        Ok(fields) => fields,
        Err(refused) => return refused,
    };
    let req: &Request = req;
    let throttle = SignInThrottle::new(auth, req, provider, &fields);
    let admission = throttle.admission().await;
    if admission == Admission::Unavailable {
        return respond::error_redirect(auth, req, ErrorCode::Unavailable);
    }
    if admission == Admission::Limited {
        tracing::info!(provider = provider.id, "sign-in rate limited");
        C::on_event(
            AuthEvent::RateLimited {
                provider: provider.id,
                identifier: attempted_identifier(provider, &fields).as_deref(),
                request: &auth.request_context(req),
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
    let identifier = attempted_identifier(provider, fields);
    let request = auth.request_context(req);
    // A refusal: logged, reported to the events handler, the user sent on with `code`.
    let denied = |why: &'static str, code: ErrorCode| {
        let (identifier, request) = (identifier.as_deref(), &request);
        async move {
            report_denied(auth, provider, identifier, request, why).await;
            code
        }
    };
    // A step that failed with an error: logged, the user sent to the error page.
    let failed = |step: &'static str, error: &dyn fmt::Display| {
        tracing::error!(provider = provider.id, %error, "{step}");
        ErrorCode::Configuration
    };

    let user = match C::authorize(provider.id, fields, state).await {
        Ok(Some(user)) => user,
        Ok(None) => {
            throttle.record_failure().await;
            return Err(denied("credentials refused", ErrorCode::CredentialsSignin).await);
        }
        Err(error) => return Err(failed("authorize failed", &error)),
    };
    let account = Account::new(provider.id, provider.kind, C::user_subject(&user));
    let signed_in =
        match complete_sign_in(auth, req, provider, &user, &account, identifier.as_deref()).await {
            Ok(signed_in) => signed_in,
            Err(Refusal::Code(code)) => return Err(code),
            Err(Refusal::Redirect(response)) => return Ok(response),
        };
    throttle.record_success().await;
    let location = request::callback_url(auth, req, Some(fields), Some(&signed_in.token)).await;
    Ok(respond::redirect(req, &location, &signed_in.cookies))
}
