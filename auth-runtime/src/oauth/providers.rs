//! The configured OAuth providers: which of the schema's are present (their client id and
//! secret given by the builder or the environment), OpenID Connect ones discovered and plain
//! OAuth 2 ones checked at start-up; [`OAuthProvider`] is either, for the routes.

use std::collections::HashMap;
use std::sync::Arc;

use super::client::ProviderHttp;
use super::oidc::{
    Authorization, FlowFailure, OidcClientCredentials, OidcProvider, SignedInProfile,
    provider_variable,
};
use super::plain::OAuth2Provider;
use crate::error::AuthError;
use crate::origin::Origin;
use crate::schema::{OAuthSettings, OidcSettings};

/// A configured provider: OpenID Connect (discovered; `id_token`, `nonce`) or plain OAuth 2.
#[derive(Debug, Clone)]
pub(crate) enum OAuthProvider {
    /// An OpenID Connect provider.
    Oidc(Arc<OidcProvider>),
    /// A plain OAuth 2 provider.
    OAuth(Arc<OAuth2Provider>),
}

impl OAuthProvider {
    /// The provider id.
    pub(crate) fn id(&self) -> &'static str {
        match self {
            Self::Oidc(provider) => provider.id(),
            Self::OAuth(provider) => provider.id(),
        }
    }

    /// How long before its expiry an access token is refreshed, in seconds; `None` when the
    /// provider is not declared with `refresh`.
    pub(crate) fn refresh_skew(&self) -> Option<i64> {
        let skew = match self {
            Self::Oidc(provider) => provider.refresh_skew(),
            Self::OAuth(provider) => provider.refresh_skew(),
        }?;
        Some(i64::try_from(skew.as_secs()).unwrap_or(i64::MAX))
    }

    /// Whether its sign-in carries a `nonce` (OpenID Connect).
    pub(crate) fn uses_nonce(&self) -> bool {
        matches!(self, Self::Oidc(_))
    }

    /// The origin of its authorization endpoint: the sign-in form's `POST` is redirected
    /// there, so the pages' `form-action` must allow it.
    pub(crate) fn authorization_origin(&self) -> Option<Origin> {
        let endpoint = match self {
            Self::Oidc(provider) => provider.authorization_endpoint(),
            Self::OAuth(provider) => provider.authorization_endpoint(),
        };
        Origin::parse_with_path(&endpoint)
            .ok()
            .map(|(origin, _)| origin)
    }

    /// A new authorization: the URL and the values for the check cookies.
    pub(crate) fn authorize(&self) -> Result<Authorization, &'static str> {
        match self {
            Self::Oidc(provider) => provider.authorize(),
            Self::OAuth(provider) => Ok(provider.authorize()),
        }
    }

    /// The callback's work after the checks (`nonce` is the nonce cookie's value, `None` for
    /// a plain OAuth 2 provider).
    pub(crate) async fn finish(
        &self,
        code: String,
        pkce_verifier: String,
        nonce: Option<String>,
    ) -> Result<SignedInProfile, FlowFailure> {
        match self {
            Self::Oidc(provider) => {
                let nonce = nonce.ok_or(FlowFailure::MissingNonce)?;
                provider.finish(code, pkce_verifier, nonce).await
            }
            Self::OAuth(provider) => provider.finish(code, pkce_verifier).await,
        }
    }
}

/// The present providers, by id.
#[derive(Debug, Default)]
pub(crate) struct OidcProviders {
    providers: Vec<OAuthProvider>,
}

impl OidcProviders {
    /// The provider `id` of either kind, when it is configured.
    pub(crate) fn get_any(&self, id: &str) -> Option<&OAuthProvider> {
        self.providers.iter().find(|provider| provider.id() == id)
    }
}

/// What [`credentials_for`] needs of a provider's settings.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Wanted {
    /// The provider id.
    pub(crate) id: &'static str,
    /// Whether start-up fails without its variables.
    pub(crate) required: bool,
    /// Whether it needs an issuer and the config gives none (`AUTH_<ID>_ISSUER` then).
    pub(crate) needs_issuer: bool,
}

impl From<&OidcSettings> for Wanted {
    fn from(settings: &OidcSettings) -> Self {
        Self {
            id: settings.id,
            required: settings.required,
            needs_issuer: settings.issuer.is_none(),
        }
    }
}

impl From<&OAuthSettings> for Wanted {
    fn from(settings: &OAuthSettings) -> Self {
        Self {
            id: settings.id,
            required: settings.required,
            needs_issuer: false,
        }
    }
}

/// Reads an environment variable: `None` when unset, an error when not UTF-8.
fn env_var(name: &str) -> Result<Option<String>, AuthError> {
    match std::env::var(name) {
        Ok(value) if value.is_empty() => Ok(None),
        Ok(value) => Ok(Some(value)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(AuthError::NotUnicodeProviderVariable {
            variable: name.to_owned(),
        }),
    }
}

/// The credentials of a provider: the builder's, else `AUTH_<ID>_ID`, `AUTH_<ID>_SECRET`
/// (and `AUTH_<ID>_ISSUER` for OpenID Connect) from the environment. `None` when the provider
/// is absent (no id) and not required; an error naming the variable when one is missing.
pub(crate) fn credentials_for(
    wanted: impl Into<Wanted>,
    given: &HashMap<String, OidcClientCredentials>,
    read_env: bool,
) -> Result<Option<OidcClientCredentials>, AuthError> {
    let wanted = wanted.into();
    if let Some(credentials) = given.get(wanted.id) {
        return Ok(Some(credentials.clone()));
    }
    let missing = |suffix: &str| AuthError::MissingProviderVariable {
        provider: wanted.id.to_owned(),
        variable: provider_variable(wanted.id, suffix),
    };
    let id_variable = provider_variable(wanted.id, "ID");
    let client_id = if read_env {
        env_var(&id_variable)?
    } else {
        None
    };
    let Some(client_id) = client_id else {
        return if wanted.required {
            Err(missing("ID"))
        } else {
            Ok(None)
        };
    };
    let client_secret =
        env_var(&provider_variable(wanted.id, "SECRET"))?.ok_or_else(|| missing("SECRET"))?;
    let issuer = env_var(&provider_variable(wanted.id, "ISSUER"))?;
    if issuer.is_none() && wanted.needs_issuer {
        return Err(missing("ISSUER"));
    }
    Ok(Some(OidcClientCredentials::new(
        client_id,
        client_secret,
        issuer,
    )))
}

/// Discovers every present OpenID Connect provider of `oidc` and checks every present plain
/// OAuth 2 provider of `oauth`; `redirect_uri` gives a provider's `/callback/<id>` URL.
pub(crate) async fn discover_providers(
    oidc: &[OidcSettings],
    oauth: &[OAuthSettings],
    given: &HashMap<String, OidcClientCredentials>,
    read_env: bool,
    redirect_uri: impl Fn(&str) -> String,
) -> Result<OidcProviders, AuthError> {
    let mut providers = Vec::new();
    let mut http = None;
    let mut client_for = |id: &str| match &http {
        Some(http) => Ok::<_, AuthError>(ProviderHttp::clone(http)),
        None => {
            let client = ProviderHttp::new().map_err(|_| AuthError::OidcDiscovery {
                provider: id.to_owned(),
                reason: "the HTTP client could not be built",
            })?;
            http = Some(client.clone());
            Ok(client)
        }
    };
    let left_out = |id: &str| {
        tracing::info!(
            provider = id,
            variable = provider_variable(id, "ID"),
            "OAuth provider not configured; left out"
        );
    };
    for settings in oidc {
        let Some(credentials) = credentials_for(settings, given, read_env)? else {
            left_out(settings.id);
            continue;
        };
        let http = client_for(settings.id)?;
        let provider =
            OidcProvider::discover(*settings, credentials, redirect_uri(settings.id), http).await?;
        providers.push(OAuthProvider::Oidc(Arc::new(provider)));
    }
    for settings in oauth {
        let Some(credentials) = credentials_for(settings, given, read_env)? else {
            left_out(settings.id);
            continue;
        };
        let http = client_for(settings.id)?;
        let provider =
            OAuth2Provider::new(*settings, credentials, redirect_uri(settings.id), http)?;
        providers.push(OAuthProvider::OAuth(Arc::new(provider)));
    }
    Ok(OidcProviders { providers })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SETTINGS: OidcSettings = OidcSettings {
        id: "corp-sso",
        issuer: Some("https://id.example"),
        scopes: OidcSettings::DEFAULT_SCOPES,
        authorization_endpoint: None,
        token_endpoint: None,
        userinfo_endpoint: None,
        params: &[],
        refresh: false,
        refresh_skew: OidcSettings::DEFAULT_REFRESH_SKEW,
        required: false,
    };

    #[test]
    fn variables_follow_the_authjs_convention() {
        assert_eq!(provider_variable("corp-sso", "ID"), "AUTH_CORP_SSO_ID");
        assert_eq!(provider_variable("oidc", "SECRET"), "AUTH_OIDC_SECRET");
    }

    #[test]
    fn an_absent_provider_is_left_out_unless_required() {
        let none = HashMap::new();
        assert!(matches!(credentials_for(&SETTINGS, &none, false), Ok(None)));
        let required = OidcSettings {
            required: true,
            ..SETTINGS
        };
        match credentials_for(&required, &none, false) {
            Err(AuthError::MissingProviderVariable { variable, provider }) => {
                assert_eq!(variable, "AUTH_CORP_SSO_ID");
                assert_eq!(provider, "corp-sso");
            }
            other => panic!("expected a missing variable, got {other:?}"),
        }
    }

    #[test]
    fn a_plain_oauth_provider_needs_no_issuer_and_names_its_variables() {
        let github = OAuthSettings {
            id: crate::oauth::presets::GITHUB.id,
            authorization_endpoint: crate::oauth::presets::GITHUB.authorization,
            token_endpoint: crate::oauth::presets::GITHUB.token,
            userinfo_endpoint: crate::oauth::presets::GITHUB.userinfo,
            scopes: crate::oauth::presets::GITHUB.scopes,
            profile: crate::schema::ProfileMapping::GitHub,
            params: &[],
            refresh: false,
            refresh_skew: OidcSettings::DEFAULT_REFRESH_SKEW,
            required: true,
        };
        let wanted = Wanted::from(&github);
        assert!(!wanted.needs_issuer);
        match credentials_for(&github, &HashMap::new(), false) {
            Err(AuthError::MissingProviderVariable { variable, .. }) => {
                assert_eq!(variable, "AUTH_GITHUB_ID");
            }
            other => panic!("expected a missing variable, got {other:?}"),
        }
        assert!(Wanted::from(&SETTINGS).id == "corp-sso" && !Wanted::from(&SETTINGS).needs_issuer);
    }

    #[test]
    fn builder_credentials_win_and_are_never_printed() {
        let mut given = HashMap::new();
        given.insert(
            "corp-sso".to_owned(),
            OidcClientCredentials::new("client", "very-secret-value", None),
        );
        let found = credentials_for(&SETTINGS, &given, false);
        let printed = format!("{found:?}");
        assert!(printed.contains("client") && !printed.contains("very-secret-value"));
    }
}
