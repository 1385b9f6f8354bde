//! The OAuth providers of the schema: `OIDC_PROVIDERS` and `OAUTH_PROVIDERS` (their settings,
//! a preset's row in `__private::presets` filling every key the config leaves out) and
//! `oauth_profile` (each provider's `profile` function, called spanned at the user's path so a
//! wrong signature is reported there). Nothing when the config has no OAuth provider.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::callbacks::user_call;
use super::private;

/// `refresh: …, refresh_skew: …` of a provider's settings.
fn refresh_settings(p: &TokenStream, refresh: Option<u64>) -> TokenStream {
    let on = refresh.is_some();
    let skew = match refresh {
        Some(secs) => quote!(#p::Duration::from_secs(#secs)),
        None => quote!(#p::OidcSettings::DEFAULT_REFRESH_SKEW),
    };
    quote!(refresh: #on, refresh_skew: #skew,)
}
use crate::model::{Config, Preset, ProviderKind};

/// `const OIDC_PROVIDERS`, `const OAUTH_PROVIDERS` and `fn oauth_profile`, or nothing.
pub(super) fn oidc_items(config: &Config) -> TokenStream {
    let p = private(config);
    let mut oidc = Vec::new();
    let mut oauth = Vec::new();
    let mut arms = Vec::new();
    let option = |value: &Option<String>| match value {
        Some(value) => quote!(#p::Some(#value)),
        None => quote!(#p::None),
    };
    // A value given in the config, else the preset's field (an `Option` field stays one).
    let or_preset =
        |value: &Option<String>, preset: Option<&Preset>, field: &str, wrap: bool| match (
            value, preset,
        ) {
            (Some(value), _) if wrap => quote!(#p::Some(#value)),
            (Some(value), _) => quote!(#value),
            (None, Some(preset)) => {
                let konst = Ident::new(preset.konst, Span::call_site());
                let field = Ident::new(field, Span::call_site());
                quote!(#p::presets::#konst.#field)
            }
            (None, None) if wrap => quote!(#p::None),
            (None, None) => quote!(""),
        };
    for provider in &config.providers {
        let id = &provider.id;
        match &provider.kind {
            ProviderKind::Credentials { .. } => continue,
            ProviderKind::Oidc {
                profile,
                issuer,
                scopes,
                endpoints,
                params,
                refresh,
                required,
                preset,
            } => {
                let preset = preset.as_ref();
                let issuer = or_preset(issuer, preset, "issuer", true);
                let scopes = or_preset(scopes, preset, "scopes", false);
                let authorization = option(&endpoints.authorization);
                let token = option(&endpoints.token);
                let userinfo = option(&endpoints.userinfo);
                let params = params.iter().map(|(name, value)| quote!((#name, #value)));
                let refresh = refresh_settings(&p, *refresh);
                oidc.push(quote! {
                    #p::OidcSettings {
                        id: #id,
                        issuer: #issuer,
                        scopes: #scopes,
                        authorization_endpoint: #authorization,
                        token_endpoint: #token,
                        userinfo_endpoint: #userinfo,
                        params: &[#(#params),*],
                        #refresh
                        required: #required,
                    }
                });
                let call = user_call(config, profile, quote!(profile, state));
                arms.push(quote!(#id => #call,));
            }
            ProviderKind::OAuth {
                profile,
                scopes,
                endpoints,
                params,
                refresh,
                required,
                preset,
            } => {
                let preset = preset.as_ref();
                let scopes = or_preset(scopes, preset, "scopes", false);
                let authorization =
                    or_preset(&endpoints.authorization, preset, "authorization", true);
                let token = or_preset(&endpoints.token, preset, "token", true);
                let userinfo = or_preset(&endpoints.userinfo, preset, "userinfo", true);
                let mapping = match preset {
                    Some(preset) => {
                        let konst = Ident::new(preset.konst, Span::call_site());
                        quote!(#p::presets::#konst.profile)
                    }
                    None => quote!(#p::ProfileMapping::Standard),
                };
                let params = params.iter().map(|(name, value)| quote!((#name, #value)));
                let refresh = refresh_settings(&p, *refresh);
                oauth.push(quote! {
                    #p::OAuthSettings {
                        id: #id,
                        authorization_endpoint: #authorization,
                        token_endpoint: #token,
                        userinfo_endpoint: #userinfo,
                        scopes: #scopes,
                        profile: #mapping,
                        params: &[#(#params),*],
                        #refresh
                        required: #required,
                    }
                });
                let call = user_call(config, profile, quote!(profile, state));
                arms.push(quote!(#id => #call,));
            }
        }
    }
    if arms.is_empty() {
        return TokenStream::new();
    }
    let oidc = (!oidc.is_empty())
        .then(|| quote!(const OIDC_PROVIDERS: &'static [#p::OidcSettings] = &[#(#oidc),*];));
    let oauth = (!oauth.is_empty())
        .then(|| quote!(const OAUTH_PROVIDERS: &'static [#p::OAuthSettings] = &[#(#oauth),*];));
    quote! {
        #oidc
        #oauth

        fn oauth_profile<'a>(
            provider: &'a ::core::primitive::str,
            profile: &'a #p::OAuthProfile,
            state: &'a Self::State,
        ) -> impl #p::Future<Output = #p::Result<#p::Option<Self::User>, #p::CallbackError>> + ::core::marker::Send + 'a {
            async move {
                match provider {
                    #(#arms)*
                    _ => #p::Ok(#p::None),
                }
            }
        }
    }
}
