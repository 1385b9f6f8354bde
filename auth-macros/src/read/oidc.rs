//! The OAuth provider kinds: `#[provider(oidc(...))]` (an OpenID Connect provider discovered
//! from its issuer at start-up), `oauth(...)` (plain OAuth 2 with explicit endpoints), and the
//! presets `github(...)`, `google(...)`, `gitlab(...)`, `entra(...)`, whose defaults are the
//! runtime's `presets` rows. Client ids and secrets come from `AUTH_<ID>_ID` and
//! `AUTH_<ID>_SECRET` at start-up.

use proc_macro2::Ident;
use syn::spanned::Spanned as _;
use syn::{Meta, Type};

use super::{ReadProvider, keyed, text};
use crate::attr::{self, OAUTH_KEYS, OIDC_KEYS, PRESETS, Preset};
use crate::diag::{Errors, unknown_key};
use crate::model::{OidcEndpoints, Provider, ProviderKind};

/// Which OAuth kind a provider field declares.
#[derive(Clone, Copy)]
pub(super) enum Kind {
    /// `oidc(...)`.
    Oidc,
    /// `oauth(...)`.
    OAuth,
    /// A preset.
    Preset(Preset),
}

impl Kind {
    /// The kind of the keyword `name`, if it is an OAuth kind.
    pub(super) fn of(name: &str) -> Option<Self> {
        match name {
            "oidc" => Some(Self::Oidc),
            "oauth" => Some(Self::OAuth),
            _ => PRESETS
                .iter()
                .find(|preset| preset.keyword == name)
                .copied()
                .map(Self::Preset),
        }
    }

    fn keyword(self) -> &'static str {
        match self {
            Self::Oidc => "oidc",
            Self::OAuth => "oauth",
            Self::Preset(preset) => preset.keyword,
        }
    }

    fn is_oidc(self) -> bool {
        match self {
            Self::Oidc => true,
            Self::OAuth => false,
            Self::Preset(preset) => preset.oidc,
        }
    }

    fn example(self) -> &'static str {
        match self {
            Self::Oidc => "oidc(issuer = \"https://id.example.com\", profile = users::from_oidc)",
            Self::OAuth => {
                "oauth(authorization = \"https://id.example.com/authorize\", token = \
                 \"https://id.example.com/token\", userinfo = \"https://id.example.com/me\", \
                 profile = users::from_oauth)"
            }
            Self::Preset(preset) => preset.example,
        }
    }
}

/// `<kind>(profile = …, id = "…", name = "…", scopes = "…", authorization = "…", token = "…",
/// userinfo = "…", params(…), refresh, required)`, and `issuer = "…"` for the OpenID Connect
/// kinds.
pub(super) fn read_oauth_kind(
    kind: Kind,
    ident: &Ident,
    ty: &Type,
    meta: &Meta,
    errors: &mut Errors,
) -> Option<ReadProvider> {
    let keyword = kind.keyword();
    let example = kind.example();
    let keys = if kind.is_oidc() {
        OIDC_KEYS
    } else {
        OAUTH_KEYS
    };
    let mut profile = None;
    let mut issuer = None;
    let mut id = None;
    let mut name = None;
    let mut scopes = None;
    let mut endpoints = OidcEndpoints::default();
    let mut params = Vec::new();
    let mut refresh = None;
    let mut refresh_skew = None;
    let mut required = false;
    let list = errors.take(attr::nested(meta, keyword, example))?;
    for (key, inner) in keyed(&list, errors) {
        // A URL written here follows `auth_rules::check_provider_url`, as one given at
        // start-up does: https, or plain http on a loopback address only.
        let url = |errors: &mut Errors, key: &str| {
            let text = text(
                inner,
                key,
                &format!("{key} = \"https://id.example.com/…\""),
                errors,
            )?;
            if let Err(refusal) = auth_rules::check_provider_url(&text.value) {
                errors.push(text.span, format!("`{key}`: {refusal}"));
                return None;
            }
            Some(text.value)
        };
        match key.as_str() {
            "profile" => profile = errors.take(attr::path_value(inner, "profile", example)),
            "issuer" if kind.is_oidc() => issuer = url(errors, "issuer"),
            "id" => id = text(inner, "id", "id = \"corp\"", errors),
            "name" => name = text(inner, "name", "name = \"Corp SSO\"", errors).map(|t| t.value),
            "scopes" => {
                let example = if kind.is_oidc() {
                    "scopes = \"openid email\""
                } else {
                    "scopes = \"read:user user:email\""
                };
                scopes = text(inner, "scopes", example, errors).map(|text| text.value);
            }
            "authorization" => endpoints.authorization = url(errors, "authorization"),
            "token" => endpoints.token = url(errors, "token"),
            "userinfo" => endpoints.userinfo = url(errors, "userinfo"),
            "params" => params = read_params(inner, errors),
            "refresh" => {
                refresh = errors
                    .take(attr::flag(inner, "refresh"))
                    .map(|()| inner.path().span());
            }
            "refresh_skew" => refresh_skew = read_refresh_skew(inner, errors),
            "required" => required = errors.take(attr::flag(inner, "required")).is_some(),
            // Auth.js's `checks` (and the checks by name): ours cannot be turned off.
            "checks" | "pkce" | "state" | "nonce" => errors.push(
                inner.path().span(),
                "PKCE (S256) and `state`, and `nonce` for OpenID Connect, are always sent and \
                 checked; there is no key to turn them off",
            ),
            other => errors.push(inner.path().span(), unknown_key("key", other, keys)),
        }
    }
    if kind.is_oidc()
        && let Some(scopes) = &scopes
        && !scopes
            .split_ascii_whitespace()
            .any(|scope| scope == "openid")
    {
        errors.push(
            meta.span(),
            format!("the scopes of `{keyword}(...)` include `openid`: `scopes = \"openid email\"`"),
        );
    }
    if matches!(kind, Kind::OAuth) {
        for (given, key) in [
            (&endpoints.authorization, "authorization"),
            (&endpoints.token, "token"),
            (&endpoints.userinfo, "userinfo"),
        ] {
            if given.is_none() {
                errors.push(
                    meta.span(),
                    format!("`oauth(...)` needs `{key} = \"https://…\"`: `{example}`"),
                );
            }
        }
    }
    let Some(profile) = profile else {
        errors.push(
            meta.span(),
            format!(
                "`{keyword}(...)` needs `profile = …`, a function from `&OAuthProfile` to your \
                 user type (the provider's profile cannot build your type by itself): `{example}`"
            ),
        );
        return None;
    };
    if let (Some((_, span)), None) = (&refresh_skew, refresh) {
        errors.push(
            *span,
            "`refresh_skew` is how long before expiry `refresh` refreshes the access token: \
             add `refresh`",
        );
    }
    let refresh_secs = refresh.map(|_| {
        refresh_skew
            .as_ref()
            .map_or(DEFAULT_REFRESH_SKEW_SECS, |(secs, _)| *secs)
    });
    let preset = match kind {
        Kind::Preset(preset) => Some(preset),
        Kind::Oidc | Kind::OAuth => None,
    };
    let id_is_field_name = id.is_none() && preset.is_none();
    let (id, id_span) = match (id, preset) {
        (Some(id), _) => (id.value, id.span),
        (None, Some(preset)) => (preset.id.to_owned(), ident.span()),
        (None, None) => (ident.to_string(), ident.span()),
    };
    let name = name.or_else(|| match kind {
        Kind::Oidc if id == "oidc" => Some("OpenID Connect".to_owned()),
        Kind::Oidc | Kind::OAuth => Some(id.clone()),
        Kind::Preset(_) => None,
    });
    let kind = if kind.is_oidc() {
        ProviderKind::Oidc {
            profile,
            issuer,
            scopes: scopes.or_else(|| preset.is_none().then(|| "openid email profile".to_owned())),
            endpoints,
            params,
            refresh: refresh_secs,
            required,
            preset,
        }
    } else {
        ProviderKind::OAuth {
            profile,
            scopes,
            endpoints,
            params,
            refresh: refresh_secs,
            required,
            preset,
        }
    };
    Some(ReadProvider {
        provider: Provider {
            name,
            id,
            ty: ty.clone(),
            kind,
        },
        field: ident.clone(),
        id_span,
        id_is_field_name,
        refresh_span: refresh,
    })
}

/// The default of `refresh_skew`: a minute.
const DEFAULT_REFRESH_SKEW_SECS: u64 = 60;

/// The longest `refresh_skew`: an hour (a longer one would refresh most access tokens as soon
/// as they are issued).
const LONGEST_REFRESH_SKEW_SECS: u64 = 3600;

/// `refresh_skew = "60s"`: seconds, from 0 to an hour, with the span of the literal.
fn read_refresh_skew(meta: &Meta, errors: &mut Errors) -> Option<(u64, proc_macro2::Span)> {
    let skew = text(meta, "refresh_skew", "refresh_skew = \"60s\"", errors)?;
    match auth_rules::parse_duration(&skew.value) {
        Ok(duration) if duration.as_secs() <= LONGEST_REFRESH_SKEW_SECS => {
            Some((duration.as_secs(), skew.span))
        }
        Ok(_) => {
            errors.push(
                skew.span,
                format!(
                    "`refresh_skew = \"{}\"` is longer than an hour: the access token would be \
                     refreshed almost as soon as it is issued",
                    skew.value
                ),
            );
            None
        }
        Err(refusal) => {
            errors.push(
                skew.span,
                format!("invalid `refresh_skew = \"{}\"`: {refusal}", skew.value),
            );
            None
        }
    }
}

/// `params(access_type = "offline", prompt = "consent")`: extra authorization parameters.
fn read_params(meta: &Meta, errors: &mut Errors) -> Vec<(String, String)> {
    let example = "params(access_type = \"offline\", prompt = \"consent\")";
    let Some(list) = errors.take(attr::nested(meta, "params", example)) else {
        return Vec::new();
    };
    let mut params = Vec::new();
    for (key, inner) in keyed(&list, errors) {
        if let Some(value) = text(inner, &key, example, errors) {
            params.push((key, value.value));
        }
    }
    params
}
