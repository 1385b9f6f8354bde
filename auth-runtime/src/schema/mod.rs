//! The contract between `#[auth_config]` and the runtime.
//!
//! The macro turns one annotated struct into an implementation of [`AuthSchema`]: the typed
//! token, session and update types, and the user's callbacks called with exactly those types.
//! Everything else (routes, middleware, extractors, guards) is generic over this trait, so the
//! generated code stays small and the behaviour is tested once, here.

mod auth_schema;
mod bearer;
mod callbacks;
mod check;
mod events;
mod form;
mod pages;
mod provider;
mod provider_refresh;
mod request_context;
mod token_claims;
mod user;

pub use auth_schema::{AuthEvent, AuthSchema, JwtTrigger};
pub(crate) use bearer::check_bearer_settings;
pub use bearer::{BearerAccept, BearerSettings};
pub use callbacks::{CallbackError, SessionAction, SignIn, TokenAction, UpdateError};
pub(crate) use check::check_schema;
pub use events::{log_event_error, trace_event};
pub use form::FormFields;
pub use pages::Pages;
pub use provider::{
    Account, CredentialField, Credentials, CredentialsProviderType, Entra, EntraProviderType,
    GitHub, GitHubProviderType, GitLab, GitLabProviderType, Google, GoogleProviderType, OAuth,
    OAuthProfile, OAuthProviderType, OAuthSettings, Oidc, OidcProviderType, OidcSettings,
    ProfileMapping, ProviderInfo, ProviderKind, ProviderToken,
};
pub use provider_refresh::{PROVIDER_REFRESH_CLAIM, ProviderRefresh, SessionError};
pub use request_context::{MAX_USER_AGENT_LEN, RequestContext};
pub use token_claims::TokenClaims;
pub use user::AuthUser;
