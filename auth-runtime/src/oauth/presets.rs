//! The provider presets: `github(...)`, `google(...)`, `gitlab(...)` and `entra(...)` are rows
//! of data here, not code paths. The code `#[auth_config]` generates for a preset reads its
//! row (`__private::presets::GITHUB.scopes`, …) for every key the config does not set, so a
//! new preset is a row, its marker type in `schema/provider.rs` and its keyword in the macro.

use crate::schema::{ProfileMapping, ProviderKind};

/// One preset: what Auth.js's provider of the same id knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preset {
    /// The default provider id, in URLs and in the variables' names (`AUTH_<ID>_ID`).
    pub id: &'static str,
    /// The name on the sign-in page.
    pub name: &'static str,
    /// [`ProviderKind::Oidc`] (discovered from `issuer`) or [`ProviderKind::OAuth`] (the
    /// endpoints below).
    pub kind: ProviderKind,
    /// The issuer of an OpenID Connect preset; `None` when it must come from the config or
    /// `AUTH_<ID>_ISSUER` (Entra's issuer names the tenant).
    pub issuer: Option<&'static str>,
    /// A plain OAuth 2 preset's authorization endpoint.
    pub authorization: Option<&'static str>,
    /// A plain OAuth 2 preset's token endpoint.
    pub token: Option<&'static str>,
    /// A plain OAuth 2 preset's userinfo endpoint.
    pub userinfo: Option<&'static str>,
    /// The scopes asked for by default, space-separated.
    pub scopes: &'static str,
    /// How the userinfo answer becomes an `OAuthProfile` (plain OAuth 2 presets).
    pub profile: ProfileMapping,
}

/// GitHub (plain OAuth 2; GitHub Enterprise by overriding the three endpoints).
pub const GITHUB: Preset = Preset {
    id: "github",
    name: "GitHub",
    kind: ProviderKind::OAuth,
    issuer: None,
    authorization: Some("https://github.com/login/oauth/authorize"),
    token: Some("https://github.com/login/oauth/access_token"),
    userinfo: Some("https://api.github.com/user"),
    scopes: "read:user user:email",
    profile: ProfileMapping::GitHub,
};

/// Google (OpenID Connect).
pub const GOOGLE: Preset = Preset {
    id: "google",
    name: "Google",
    kind: ProviderKind::Oidc,
    issuer: Some("https://accounts.google.com"),
    authorization: None,
    token: None,
    userinfo: None,
    scopes: "openid email profile",
    profile: ProfileMapping::Standard,
};

/// GitLab.com (OpenID Connect; a self-managed GitLab by `issuer` or `AUTH_GITLAB_ISSUER`).
pub const GITLAB: Preset = Preset {
    id: "gitlab",
    name: "GitLab",
    kind: ProviderKind::Oidc,
    issuer: Some("https://gitlab.com"),
    authorization: None,
    token: None,
    userinfo: None,
    scopes: "openid email profile",
    profile: ProfileMapping::Standard,
};

/// Microsoft Entra ID (OpenID Connect). Auth.js's id, so its variables are Auth.js's:
/// `AUTH_MICROSOFT_ENTRA_ID_ID`, `…_SECRET`, and `…_ISSUER`, which is
/// `https://login.microsoftonline.com/<tenant>/v2.0` (or `issuer = …` in the config). There is
/// no default: the multi-tenant `common` issuer's `id_token`s name each user's own tenant in
/// `iss`, which an exact issuer check refuses.
pub const ENTRA: Preset = Preset {
    id: "microsoft-entra-id",
    name: "Microsoft Entra ID",
    kind: ProviderKind::Oidc,
    issuer: None,
    authorization: None,
    token: None,
    userinfo: None,
    scopes: "openid email profile",
    profile: ProfileMapping::Standard,
};

/// Every preset.
pub const PRESETS: &[Preset] = &[GITHUB, GOOGLE, GITLAB, ENTRA];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth::client::is_acceptable_provider_url;
    use crate::oauth::oidc::provider_variable;

    #[test]
    fn github_is_plain_oauth_on_its_documented_endpoints() {
        assert_eq!(GITHUB.kind, ProviderKind::OAuth);
        assert_eq!(
            GITHUB.authorization,
            Some("https://github.com/login/oauth/authorize")
        );
        assert_eq!(
            GITHUB.token,
            Some("https://github.com/login/oauth/access_token")
        );
        assert_eq!(GITHUB.userinfo, Some("https://api.github.com/user"));
        assert_eq!(GITHUB.scopes, "read:user user:email");
        assert_eq!(GITHUB.profile, ProfileMapping::GitHub);
        assert_eq!(GITHUB.issuer, None);
    }

    #[test]
    fn the_openid_presets_are_discovered_from_their_issuer_with_openid_scopes() {
        assert_eq!(GOOGLE.issuer, Some("https://accounts.google.com"));
        assert_eq!(GITLAB.issuer, Some("https://gitlab.com"));
        assert_eq!(ENTRA.issuer, None, "the tenant is the deployment's");
        for preset in [GOOGLE, GITLAB, ENTRA] {
            assert_eq!(preset.kind, ProviderKind::Oidc, "{}", preset.id);
            assert_eq!(preset.scopes, "openid email profile", "{}", preset.id);
            assert_eq!(
                (preset.authorization, preset.token, preset.userinfo),
                (None, None, None),
                "{}: discovery gives the endpoints",
                preset.id
            );
        }
    }

    #[test]
    fn variables_follow_authjs_names() {
        let variables: Vec<_> = PRESETS
            .iter()
            .flat_map(|preset| {
                ["ID", "SECRET", "ISSUER"].map(|suffix| provider_variable(preset.id, suffix))
            })
            .collect();
        assert_eq!(
            variables,
            [
                "AUTH_GITHUB_ID",
                "AUTH_GITHUB_SECRET",
                "AUTH_GITHUB_ISSUER",
                "AUTH_GOOGLE_ID",
                "AUTH_GOOGLE_SECRET",
                "AUTH_GOOGLE_ISSUER",
                "AUTH_GITLAB_ID",
                "AUTH_GITLAB_SECRET",
                "AUTH_GITLAB_ISSUER",
                "AUTH_MICROSOFT_ENTRA_ID_ID",
                "AUTH_MICROSOFT_ENTRA_ID_SECRET",
                "AUTH_MICROSOFT_ENTRA_ID_ISSUER",
            ]
        );
    }

    #[test]
    fn every_url_is_https_and_ids_are_valid() {
        for preset in PRESETS {
            for url in [
                preset.issuer,
                preset.authorization,
                preset.token,
                preset.userinfo,
            ]
            .into_iter()
            .flatten()
            {
                assert!(url.starts_with("https://"), "{url}");
                assert!(is_acceptable_provider_url(url), "{url}");
            }
            assert!(
                auth_rules::check_provider_id(preset.id).is_ok(),
                "{}",
                preset.id
            );
        }
    }
}
