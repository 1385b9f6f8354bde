//! Providers: what `GET /providers` and the sign-in page list, the kinds, the credentials
//! provider's field type, and the account a user signed in with.

use std::fmt;
use std::time::Duration;

/// One configured provider, as `GET /providers` lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProviderInfo {
    /// The provider id in URLs (`/callback/<id>`).
    pub id: &'static str,
    /// The name shown on the sign-in page.
    pub name: &'static str,
    /// `credentials`, `oauth` or `oidc`.
    pub kind: ProviderKind,
    /// The form fields of a credentials provider: (name, label, is secret).
    pub fields: &'static [CredentialField],
}

/// A credentials provider's form field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CredentialField {
    /// The form field name.
    pub name: &'static str,
    /// The label shown on the sign-in page.
    pub label: &'static str,
    /// Whether it is a password (never logged, masked in forms).
    pub secret: bool,
}

/// The kind of a provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProviderKind {
    /// A form posted to `/callback/<id>`, checked by an `authorize` function.
    Credentials,
    /// A plain OAuth 2 provider: authorization code flow with PKCE and state, then its
    /// profile endpoint.
    OAuth,
    /// An OpenID Connect provider: authorization code flow with PKCE, state and nonce.
    Oidc,
}

impl ProviderKind {
    /// The Auth.js `type` string.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Credentials => "credentials",
            Self::OAuth => "oauth",
            Self::Oidc => "oidc",
        }
    }
}

/// A token a provider issued. Printed as `[redacted]`; [`expose`](Self::expose) reads it.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct ProviderToken(String);

impl ProviderToken {
    /// Wraps a token the provider issued.
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into())
    }

    /// The token itself: to call the provider's API, or to store in a claim.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Never prints the token.
impl fmt::Debug for ProviderToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// The account a user signed in with, as Auth.js's `account`: which provider, the user's id
/// there, and for OAuth providers the tokens it issued and the profile it gave. The tokens
/// are printed as `[redacted]`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Account {
    /// The provider id.
    pub provider: String,
    /// The provider kind.
    pub kind: ProviderKind,
    /// The user's stable id at the provider (`sub`, GitHub's numeric id); for a credentials
    /// provider, the user's [`subject`](crate::AuthUser::subject).
    pub provider_account_id: String,
    /// The access token to the provider's API.
    pub access_token: Option<ProviderToken>,
    /// The refresh token, when the provider issued one (Google: `access_type=offline`).
    pub refresh_token: Option<ProviderToken>,
    /// The OpenID Connect `id_token`, verified.
    pub id_token: Option<ProviderToken>,
    /// When the access token expires, in seconds since the Unix epoch.
    pub expires_at: Option<i64>,
    /// The scopes granted, space-separated.
    pub scope: Option<String>,
    /// The token type, usually `bearer`.
    pub token_type: Option<String>,
    /// What the provider said about the user (OAuth providers only).
    pub profile: Option<OAuthProfile>,
}

impl Account {
    /// An account of `provider` (of `kind`) for the user `provider_account_id`, without
    /// tokens or profile.
    pub fn new(
        provider: impl Into<String>,
        kind: ProviderKind,
        provider_account_id: impl Into<String>,
    ) -> Self {
        Self {
            provider: provider.into(),
            kind,
            provider_account_id: provider_account_id.into(),
            access_token: None,
            refresh_token: None,
            id_token: None,
            expires_at: None,
            scope: None,
            token_type: None,
            profile: None,
        }
    }
}

/// The type of a credentials provider field in an `#[auth_config]` struct:
/// `#[provider(credentials(authorize = …))] credentials: Credentials`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Credentials;

/// Implemented by the types a credentials provider field may have: [`Credentials`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a credentials provider type",
    label = "a `credentials(...)` provider field has type `auth_runtime::Credentials`"
)]
pub trait CredentialsProviderType {}

impl CredentialsProviderType for Credentials {}

/// The settings of an OpenID Connect provider, from `#[provider(oidc(...))]`. The client id
/// and secret are not here: they come from the environment at start-up (`AUTH_<ID>_ID`,
/// `AUTH_<ID>_SECRET`) or from [`AuthBuilder::oidc_client`](crate::AuthBuilder::oidc_client).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OidcSettings {
    /// The provider id, as in [`ProviderInfo::id`].
    pub id: &'static str,
    /// The issuer, whose `/.well-known/openid-configuration` is read at start-up; `None` when
    /// it comes from `AUTH_<ID>_ISSUER`, which overrides it when set.
    pub issuer: Option<&'static str>,
    /// The scopes asked for, space-separated (default `openid email profile`).
    pub scopes: &'static str,
    /// Overrides the discovered authorization endpoint.
    pub authorization_endpoint: Option<&'static str>,
    /// Overrides the discovered token endpoint.
    pub token_endpoint: Option<&'static str>,
    /// Overrides the discovered userinfo endpoint.
    pub userinfo_endpoint: Option<&'static str>,
    /// Extra authorization parameters, e.g. Google's `access_type=offline`, `prompt=consent`.
    pub params: &'static [(&'static str, &'static str)],
    /// Whether the access token is refreshed with the refresh-token grant before it expires.
    pub refresh: bool,
    /// How long before its expiry an access token is refreshed (`refresh_skew = "60s"`).
    pub refresh_skew: Duration,
    /// Whether start-up fails when its variables are absent; otherwise the provider is left
    /// out (of `/providers`, the sign-in page and the routes) until they are set.
    pub required: bool,
}

impl OidcSettings {
    /// The default scopes: `openid email profile`.
    pub const DEFAULT_SCOPES: &'static str = "openid email profile";
    /// The default refresh skew: 60 seconds.
    pub const DEFAULT_REFRESH_SKEW: Duration = Duration::from_secs(60);
}

/// The type of an OpenID Connect provider field in an `#[auth_config]` struct:
/// `#[provider(oidc(profile = users::from_oidc))] oidc: Oidc`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Oidc;

/// Implemented by the types an `oidc(...)` provider field may have: [`Oidc`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an OpenID Connect provider type",
    label = "an `oidc(...)` provider field has type `auth_runtime::Oidc`"
)]
pub trait OidcProviderType {}

impl OidcProviderType for Oidc {}

/// The type of an OAuth 2 provider field in an `#[auth_config]` struct:
/// `#[provider(oauth(authorization = "…", token = "…", userinfo = "…", profile = …))] acme: OAuth`.
#[derive(Debug, Clone, Copy, Default)]
pub struct OAuth;

/// Implemented by the types an `oauth(...)` provider field may have: [`OAuth`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an OAuth 2 provider type",
    label = "an `oauth(...)` provider field has type `auth_runtime::OAuth`"
)]
pub trait OAuthProviderType {}

impl OAuthProviderType for OAuth {}

/// The type of a GitHub provider field in an `#[auth_config]` struct:
/// `#[provider(github(profile = …))] github: GitHub`.
#[derive(Debug, Clone, Copy, Default)]
pub struct GitHub;

/// Implemented by the types a `github(...)` provider field may have: [`GitHub`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a GitHub provider type",
    label = "a `github(...)` provider field has type `auth_runtime::GitHub`"
)]
pub trait GitHubProviderType {}

impl GitHubProviderType for GitHub {}

/// The type of a Google provider field in an `#[auth_config]` struct:
/// `#[provider(google(profile = …))] google: Google`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Google;

/// Implemented by the types a `google(...)` provider field may have: [`Google`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a Google provider type",
    label = "a `google(...)` provider field has type `auth_runtime::Google`"
)]
pub trait GoogleProviderType {}

impl GoogleProviderType for Google {}

/// The type of a GitLab provider field in an `#[auth_config]` struct:
/// `#[provider(gitlab(profile = …))] gitlab: GitLab`.
#[derive(Debug, Clone, Copy, Default)]
pub struct GitLab;

/// Implemented by the types a `gitlab(...)` provider field may have: [`GitLab`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a GitLab provider type",
    label = "a `gitlab(...)` provider field has type `auth_runtime::GitLab`"
)]
pub trait GitLabProviderType {}

impl GitLabProviderType for GitLab {}

/// The type of a Microsoft Entra ID provider field in an `#[auth_config]` struct:
/// `#[provider(entra(profile = …))] entra: Entra`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Entra;

/// Implemented by the types an `entra(...)` provider field may have: [`Entra`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a Microsoft Entra ID provider type",
    label = "an `entra(...)` provider field has type `auth_runtime::Entra`"
)]
pub trait EntraProviderType {}

impl EntraProviderType for Entra {}

/// The settings of a plain OAuth 2 provider (no `id_token`), from `#[provider(oauth(...))]` or a
/// preset such as `github(...)`. The client id and secret come from the environment at
/// start-up (`AUTH_<ID>_ID`, `AUTH_<ID>_SECRET`) or from
/// [`AuthBuilder::oidc_client`](crate::AuthBuilder::oidc_client).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OAuthSettings {
    /// The provider id, as in [`ProviderInfo::id`].
    pub id: &'static str,
    /// Where the user is sent to sign in.
    pub authorization_endpoint: Option<&'static str>,
    /// Where the code is exchanged for tokens.
    pub token_endpoint: Option<&'static str>,
    /// Where the user's profile is read with the access token.
    pub userinfo_endpoint: Option<&'static str>,
    /// The scopes asked for, space-separated.
    pub scopes: &'static str,
    /// How the userinfo answer becomes an [`OAuthProfile`].
    pub profile: ProfileMapping,
    /// Extra authorization parameters.
    pub params: &'static [(&'static str, &'static str)],
    /// Whether the access token is refreshed with the refresh-token grant before it expires.
    pub refresh: bool,
    /// How long before its expiry an access token is refreshed (`refresh_skew = "60s"`).
    pub refresh_skew: Duration,
    /// Whether start-up fails when its variables are absent; otherwise the provider is left
    /// out until they are set.
    pub required: bool,
}

/// How a plain OAuth 2 provider's userinfo answer becomes an [`OAuthProfile`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProfileMapping {
    /// OpenID Connect's claim names: `sub` (else `id`, a string or a number), `name`,
    /// `email` trusted only with `email_verified: true`, `picture`.
    Standard,
    /// GitHub's `/user`: the numeric `id`, `name` falling back to `login`, `avatar_url`; the
    /// email is the primary one of `<userinfo>/emails`, and only when GitHub verified it.
    GitHub,
}

/// What an OAuth provider says about the user, given to the provider's `profile` function:
/// for OpenID Connect, the verified `id_token`'s claims completed by the userinfo endpoint;
/// for plain OAuth 2, the userinfo answer read by its [`ProfileMapping`].
#[derive(Debug, Clone, PartialEq)]
pub struct OAuthProfile {
    /// The provider id it came from.
    pub provider: String,
    /// The user's stable id at the provider (`sub`).
    pub sub: String,
    /// The email address, if any. Trust it only when [`email_verified`](Self::email_verified).
    pub email: Option<String>,
    /// Whether the provider verified the email address; `false` when it does not say.
    pub email_verified: bool,
    /// The display name.
    pub name: Option<String>,
    /// The picture's URL.
    pub picture: Option<String>,
    /// Every claim, id_token and userinfo merged (the id_token's win).
    pub raw: serde_json::Map<String, serde_json::Value>,
}

impl OAuthProfile {
    /// The email address when the provider verified it, else `None`: the one to match
    /// accounts on.
    pub fn verified_email(&self) -> Option<&str> {
        self.email.as_deref().filter(|_| self.email_verified)
    }
}
