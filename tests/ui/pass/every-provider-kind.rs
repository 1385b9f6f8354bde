//! Every provider kind in one configuration: credentials, a generic OpenID Connect issuer, a
//! generic plain OAuth 2 provider, and the presets (GitHub, Google with Google's offline
//! access, GitLab self-managed, Microsoft Entra ID for one tenant), with the settings each
//! preset fills in and the ones the config overrides.
use auth_runtime::prelude::*;
use auth_runtime::{AuthSchema, OAuthSettings, OidcSettings, ProfileMapping, presets};

pub struct User {
    pub id: String,
}

impl AuthUser for User {
    fn subject(&self) -> String {
        self.id.clone()
    }
}

async fn authorize(_form: &AppAuthCredentialsForm, _state: &()) -> Result<Option<User>, CallbackError> {
    Ok(None)
}

async fn from_profile(profile: &OAuthProfile, _state: &()) -> Result<Option<User>, CallbackError> {
    Ok(Some(User {
        id: format!("{}:{}", profile.provider, profile.sub),
    }))
}

#[auth_config(user = User)]
pub struct AppAuth {
    #[provider(credentials(authorize = authorize))]
    credentials: Credentials,
    #[provider(oidc(issuer = "https://id.example.com", profile = from_profile, refresh))]
    oidc: Oidc,
    #[provider(oauth(
        id = "acme",
        name = "Acme",
        authorization = "https://acme.example/oauth/authorize",
        token = "https://acme.example/oauth/token",
        userinfo = "https://acme.example/api/me",
        scopes = "profile",
        profile = from_profile,
    ))]
    acme: OAuth,
    #[provider(github(profile = from_profile))]
    github: GitHub,
    #[provider(google(profile = from_profile, params(access_type = "offline", prompt = "consent"), refresh))]
    google: Google,
    #[provider(gitlab(issuer = "https://gitlab.example.com", profile = from_profile, required))]
    gitlab: GitLab,
    #[provider(entra(profile = from_profile, name = "Contoso"))]
    entra: Entra,
}

fn main() {
    let ids: Vec<_> = AppAuth::PROVIDERS.iter().map(|p| (p.id, p.name, p.kind)).collect();
    assert_eq!(
        ids,
        [
            ("credentials", "Credentials", ProviderKind::Credentials),
            ("oidc", "OpenID Connect", ProviderKind::Oidc),
            ("acme", "Acme", ProviderKind::OAuth),
            ("github", "GitHub", ProviderKind::OAuth),
            ("google", "Google", ProviderKind::Oidc),
            ("gitlab", "GitLab", ProviderKind::Oidc),
            ("microsoft-entra-id", "Contoso", ProviderKind::Oidc),
        ]
    );
    let oauth: &[OAuthSettings] = AppAuth::OAUTH_PROVIDERS;
    assert_eq!(oauth[0].profile, ProfileMapping::Standard);
    assert_eq!(oauth[0].scopes, "profile");
    assert_eq!(oauth[1].id, presets::GITHUB.id);
    assert_eq!(oauth[1].authorization_endpoint, presets::GITHUB.authorization);
    assert_eq!(oauth[1].profile, ProfileMapping::GitHub);
    let oidc: &[OidcSettings] = AppAuth::OIDC_PROVIDERS;
    assert_eq!(oidc[1].issuer, Some("https://accounts.google.com"));
    assert_eq!(oidc[1].params, [("access_type", "offline"), ("prompt", "consent")]);
    assert!(oidc[1].refresh);
    assert_eq!(oidc[2].issuer, Some("https://gitlab.example.com"));
    assert_eq!((oidc[3].id, oidc[3].issuer), (presets::ENTRA.id, None));
}
