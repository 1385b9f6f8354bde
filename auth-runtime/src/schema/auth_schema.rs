//! [`AuthSchema`]: what `#[auth_config]` implements for a config struct, the one trait the
//! routes, middleware, extractors and guards are generic over; and the two enums generic over
//! it that its callbacks receive, [`JwtTrigger`] (why `jwt` runs) and [`AuthEvent`] (what
//! happened). The trait names them and they name the trait's types, so they share its file.

use std::fmt;
use std::future::Future;
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::bearer::BearerSettings;
use super::callbacks::{CallbackError, SignIn, TokenAction, UpdateError};
use super::form::FormFields;
use super::pages::Pages;
use super::provider::{Account, OAuthProfile, OAuthSettings, OidcSettings, ProviderInfo};
use super::provider_refresh::ProviderRefresh;
use super::request_context::RequestContext;
use super::token_claims::TokenClaims;
use crate::rate_limit::RateLimit;

/// What `#[auth_config]` generates for a config struct. Implemented by the macro, not by hand.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an auth configuration",
    note = "annotate the config struct with `#[auth_config(...)]` to implement `AuthSchema`"
)]
pub trait AuthSchema: Sized + Send + Sync + 'static {
    /// The application state every callback receives (`state = …`; `()` when not given).
    type State: Clone + Send + Sync + 'static;
    /// What providers produce at sign-in (`user = …`).
    type User: Send + Sync + 'static;
    /// The JWT claims (`<Name>Token`).
    type Token: TokenClaims;
    /// What `GET /session` returns and handlers receive (`<Name>Session`).
    type Session: Serialize + Send + Sync + 'static;
    /// The only fields a client's `update()` may send (`<Name>Update`).
    type Update: DeserializeOwned + Send + Sync + 'static;

    /// Where the auth routes are served, e.g. `/api/auth`.
    const BASE_PATH: &'static str;
    /// How long a session lasts from its last re-issue (sliding expiry).
    const MAX_AGE: Duration;
    /// How old a token must be before `GET /session` re-issues it (`session(update_age =
    /// …)`). Zero, the default, re-issues on every read, as Auth.js does. Whatever this says,
    /// a read re-issues a token that is under an older secret, that a newer one replaced (an
    /// update racing it), or that a `jwt` callback may change.
    const UPDATE_AGE: Duration = Duration::ZERO;
    /// Whether a `jwt` callback is configured (`callbacks(jwt = …)`). It runs on every read
    /// and may change the token, so a read then always re-issues it.
    const JWT_CALLBACK: bool = true;
    /// Whether a `session` callback is configured (`callbacks(session = …)`). It may end the
    /// session, so guards run it too.
    const SESSION_CALLBACK: bool = true;
    /// The configured providers, in declaration order.
    const PROVIDERS: &'static [ProviderInfo];
    /// Custom pages (`pages(...)`) replacing the built-in sign-in, sign-out and error pages.
    const PAGES: Pages = Pages::BUILT_IN;
    /// The sign-in rate limit (`rate_limit(sign_in = "5 per 15m")`), if any.
    const SIGN_IN_RATE_LIMIT: Option<RateLimit> = None;
    /// Bearer tokens (`tokens(bearer(...))`), if declared: then `POST <base>/token` issues
    /// them, `GET <base>/jwks` publishes the keys, and the extractor and guards accept
    /// `Authorization: Bearer` as [`BearerSettings::accept`] says.
    const BEARER: Option<BearerSettings> = None;
    /// The JSON names of the declared claims a bearer token carries: the public ones (not
    /// `private`), but never a provider's token (`from_account`). Beside them a bearer token
    /// carries `sub`, `name`, `email`, `picture`, `iss`, `aud`, `iat`, `exp` and `jti`.
    const BEARER_CLAIMS: &'static [&'static str] = &[];

    /// Runs the credentials provider `provider`'s `authorize` on the submitted form.
    /// `Ok(None)` means the credentials are wrong (`CredentialsSignin`).
    fn authorize<'a>(
        provider: &'a str,
        form: &'a FormFields,
        state: &'a Self::State,
    ) -> impl Future<Output = Result<Option<Self::User>, CallbackError>> + Send + 'a;

    /// The settings of the OpenID Connect providers among [`PROVIDERS`](Self::PROVIDERS).
    const OIDC_PROVIDERS: &'static [OidcSettings] = &[];

    /// The settings of the plain OAuth 2 providers among [`PROVIDERS`](Self::PROVIDERS).
    const OAUTH_PROVIDERS: &'static [OAuthSettings] = &[];

    /// The user an OAuth or OpenID Connect provider's `profile` signs in as: the provider's
    /// `profile` function. `Ok(None)` refuses the sign-in (`AccessDenied`).
    fn oauth_profile<'a>(
        provider: &'a str,
        profile: &'a OAuthProfile,
        state: &'a Self::State,
    ) -> impl Future<Output = Result<Option<Self::User>, CallbackError>> + Send + 'a {
        let _ = (provider, profile, state);
        async { Ok(None) }
    }

    /// The `sign_in` callback: may the user sign in?
    fn sign_in<'a>(
        user: &'a Self::User,
        account: &'a Account,
        state: &'a Self::State,
    ) -> impl Future<Output = Result<SignIn, CallbackError>> + Send + 'a;

    /// The token for a user who just signed in: the standard claims, every `from_user` claim
    /// copied from the user, every `derive` claim computed.
    fn new_token(user: &Self::User, account: &Account) -> Self::Token;

    /// Copies refreshed provider tokens into the claims declared `from_account` (the access
    /// token, the refresh token, `expires_at`): after a refresh, and after a failed one (the
    /// refresh token then gone). The default, for a configuration without such claims, does
    /// nothing.
    fn apply_provider_refresh(token: &mut Self::Token, refresh: &ProviderRefresh) {
        let _ = (token, refresh);
    }

    /// The user's stable id (`AuthUser::subject`): a credentials account's
    /// [`provider_account_id`](Account::provider_account_id).
    fn user_subject(user: &Self::User) -> String;

    /// The `jwt` callback, run at sign-in, after an accepted update and on every refresh.
    fn jwt<'a>(
        token: &'a mut Self::Token,
        trigger: JwtTrigger<'a, Self>,
        state: &'a Self::State,
    ) -> impl Future<Output = Result<TokenAction, CallbackError>> + Send + 'a;

    /// The session JSON for `token`, written straight from it, when no `session` callback
    /// could change it: what serialising [`AuthSchema::session`]'s answer gives, without
    /// building it. `None` when a callback is configured, or the token does not serialise
    /// (the caller then takes the general way, which reports the error).
    fn session_json(token: &Self::Token, expires: &str) -> Option<String> {
        let _ = (token, expires);
        None
    }

    /// The session for a token (public claims only), shaped by the `session` callback.
    /// `expires` is the ISO 8601 instant the session ends. `None` when the callback ended the
    /// session ([`SessionAction::SignOut`](super::callbacks::SessionAction::SignOut)).
    fn session<'a>(
        token: &'a Self::Token,
        expires: String,
        state: &'a Self::State,
    ) -> impl Future<Output = Result<Option<Self::Session>, CallbackError>> + Send + 'a;

    /// Recomputes every `derive` claim from the claims it reads, in declaration order: after
    /// a server-side update. The default, for a configuration without derived claims, does
    /// nothing.
    fn derive_claims(token: &mut Self::Token) {
        let _ = token;
    }

    /// Applies a client's update: every field present is checked by its claim's check, then
    /// set, then derived claims are recomputed. Nothing changes unless every check allows.
    fn apply_update<'a>(
        token: &'a mut Self::Token,
        update: Self::Update,
        state: &'a Self::State,
    ) -> impl Future<Output = Result<(), UpdateError>> + Send + 'a;

    /// The `redirect` callback: where to send the user after sign-in or sign-out, given the
    /// requested `url`, the site's `base_url` and, after a sign-in, the token of the user who
    /// just signed in (`None` after a sign-out), so that a role decides the page. Whatever it
    /// answers still passes the runtime's redirect check (same origin or an allowed origin),
    /// so it cannot open a redirect. The default keeps the requested URL.
    fn redirect<'a>(
        url: &'a str,
        base_url: &'a str,
        signed_in: Option<&'a Self::Token>,
        state: &'a Self::State,
    ) -> impl Future<Output = Result<String, CallbackError>> + Send + 'a {
        let _ = (base_url, signed_in, state);
        async move { Ok(url.to_owned()) }
    }

    /// Delivers an event to the `events` handler (or to `tracing` by default).
    fn on_event<'a>(
        event: AuthEvent<'a, Self>,
        state: &'a Self::State,
    ) -> impl Future<Output = ()> + Send + 'a;
}

/// Why the `jwt` callback runs.
pub enum JwtTrigger<'a, C: AuthSchema> {
    /// A user just signed in.
    SignIn {
        /// The user the provider produced.
        user: &'a C::User,
        /// The account used.
        account: &'a Account,
    },
    /// A client's update was checked and applied to the token.
    Update {
        /// The update as the client sent it (only whitelisted fields exist).
        update: &'a C::Update,
    },
    /// The session was read (`GET`/`POST /session`) and is being re-issued.
    Refresh,
    /// The server changed the token from an app's handler
    /// ([`Auth::reissue`](crate::Auth::reissue)), derived claims already recomputed.
    ServerUpdate,
}

impl<C: AuthSchema> fmt::Debug for JwtTrigger<'_, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::SignIn { .. } => "SignIn",
            Self::Update { .. } => "Update",
            Self::Refresh => "Refresh",
            Self::ServerUpdate => "ServerUpdate",
        })
    }
}

/// Something that happened, for audit logs, analytics and feature flags. Every event carries
/// the [`RequestContext`] of the request it happened in (the client's address through the
/// trusted-proxy rule, the user agent); a refused or rate-limited sign-in also the identifier
/// tried, normalised. Never a password or a token's text.
#[non_exhaustive]
pub enum AuthEvent<'a, C: AuthSchema> {
    /// A user signed in.
    SignedIn {
        /// The user's token as issued.
        token: &'a C::Token,
        /// The account used.
        account: &'a Account,
        /// The request.
        request: &'a RequestContext,
    },
    /// A sign-in was refused: wrong credentials, or a refusal by the provider, the profile
    /// function or the `sign_in` callback.
    SignInDenied {
        /// The provider tried.
        provider: &'a str,
        /// The identifier tried (a credentials form's first field that is not secret, the
        /// email by default), trimmed, NFKC-folded and lower-cased as the rate limit keys it;
        /// `None` for OAuth providers.
        identifier: Option<&'a str>,
        /// The request.
        request: &'a RequestContext,
    },
    /// A sign-in attempt was rate limited.
    RateLimited {
        /// The provider tried.
        provider: &'a str,
        /// The identifier tried, normalised as for `SignInDenied`.
        identifier: Option<&'a str>,
        /// The request.
        request: &'a RequestContext,
    },
    /// A user signed out.
    SignedOut {
        /// The token, if the session was still valid.
        token: Option<&'a C::Token>,
        /// The request.
        request: &'a RequestContext,
    },
    /// The `session` callback ended a session (`SessionAction::SignOut`): the request was
    /// answered as signed out.
    SessionEnded {
        /// The token the session was read from.
        token: &'a C::Token,
        /// The request.
        request: &'a RequestContext,
    },
    /// An update was applied: a client's (`POST /session`) or the server's
    /// ([`Auth::reissue`](crate::Auth::reissue)).
    SessionUpdated {
        /// The token after the update.
        token: &'a C::Token,
        /// The request.
        request: &'a RequestContext,
    },
    /// A client's update was refused.
    UpdateRefused {
        /// The token, unchanged.
        token: &'a C::Token,
        /// The claim whose check refused.
        claim: &'static str,
        /// The request.
        request: &'a RequestContext,
    },
}

impl<C: AuthSchema> AuthEvent<'_, C> {
    /// A short stable name: `signed_in`, `sign_in_denied`, …
    pub fn name(&self) -> &'static str {
        match self {
            Self::SignedIn { .. } => "signed_in",
            Self::SignInDenied { .. } => "sign_in_denied",
            Self::RateLimited { .. } => "rate_limited",
            Self::SignedOut { .. } => "signed_out",
            Self::SessionEnded { .. } => "session_ended",
            Self::SessionUpdated { .. } => "session_updated",
            Self::UpdateRefused { .. } => "update_refused",
        }
    }

    /// The request the event happened in.
    pub fn request(&self) -> &RequestContext {
        match self {
            Self::SignedIn { request, .. }
            | Self::SignInDenied { request, .. }
            | Self::RateLimited { request, .. }
            | Self::SignedOut { request, .. }
            | Self::SessionEnded { request, .. }
            | Self::SessionUpdated { request, .. }
            | Self::UpdateRefused { request, .. } => request,
        }
    }
}
