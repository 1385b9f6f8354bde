//! `impl AuthSchema for <Name>`: the types, the settings that differ from the trait's
//! defaults, and the methods (`callbacks.rs`, `update.rs`, `session.rs`).

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

use super::account::{account_source, apply_provider_refresh_fn, provider_refresh_init};
use super::session::session_json_fn;
use super::update::{apply_update_body, derived_assignments};
use super::{callbacks, private};
use crate::model::{ClaimSource, Config, ProviderKind};

pub(crate) fn schema_impl(config: &Config) -> TokenStream {
    let p = private(config);
    let name = &config.name;
    let user = &config.user;
    let state = &config.state;
    let token = config.type_name("Token");
    let session = config.type_name("Session");
    let update = config.type_name("Update");
    let max_age = config.max_age_secs;
    let update_age = (config.update_age_secs > 0).then(|| {
        let secs = config.update_age_secs;
        quote!(const UPDATE_AGE: #p::Duration = #p::Duration::from_secs(#secs);)
    });
    let jwt_callback = config.callbacks.jwt.is_none().then(|| {
        quote!(
            const JWT_CALLBACK: ::core::primitive::bool = false;
        )
    });
    let session_callback = config.callbacks.session.is_none().then(|| {
        quote!(
            const SESSION_CALLBACK: ::core::primitive::bool = false;
        )
    });
    let providers = provider_infos(config);
    let pages = (!config.pages.is_built_in()).then(|| {
        let page = |value: &Option<String>| match value {
            Some(path) => quote!(#p::Some(#path)),
            None => quote!(#p::None),
        };
        let (sign_in, sign_out, error) = (
            page(&config.pages.sign_in),
            page(&config.pages.sign_out),
            page(&config.pages.error),
        );
        quote! {
            const PAGES: #p::Pages = #p::Pages { sign_in: #sign_in, sign_out: #sign_out, error: #error };
        }
    });
    let rate_limit = config.sign_in_rate_limit.map(|(attempts, window)| {
        quote! {
            const SIGN_IN_RATE_LIMIT: #p::Option<#p::RateLimit> = #p::Some(#p::RateLimit {
                attempts: #attempts,
                window: #p::Duration::from_secs(#window),
            });
        }
    });
    let bearer = config.bearer.as_ref().map(|bearer| {
        let algorithm = proc_macro2::Ident::new(bearer.algorithm, proc_macro2::Span::call_site());
        let accept = proc_macro2::Ident::new(bearer.accept, proc_macro2::Span::call_site());
        let ttl = bearer.ttl_secs;
        let audience = &bearer.audience;
        // The public claims, but provider tokens: never in a signed (readable) token.
        let claims = config
            .claims
            .iter()
            .filter(|claim| !claim.private && !matches!(claim.source, ClaimSource::FromAccount(_)))
            .map(|claim| &claim.json_name);
        quote! {
            const BEARER: #p::Option<#p::BearerSettings> = #p::Some(#p::BearerSettings {
                algorithm: #p::BearerAlgorithm::#algorithm,
                ttl: #p::Duration::from_secs(#ttl),
                audience: #audience,
                accept: #p::BearerAccept::#accept,
            });
            const BEARER_CLAIMS: &'static [&'static ::core::primitive::str] = &[#(#claims),*];
        }
    });
    let authorize = callbacks::authorize(config);
    let oidc = super::oidc::oidc_items(config);
    let sign_in = callbacks::sign_in(config);
    let new_token = new_token_body(config);
    // `account` is read only by claims copied from it.
    let account = if config.account_claims().next().is_some() {
        quote!(account)
    } else {
        quote!(_)
    };
    let apply_provider_refresh = apply_provider_refresh_fn(config);
    let jwt = callbacks::jwt(config);
    let session_json = session_json_fn(config);
    let session_fn = callbacks::session(config);
    let apply_update = apply_update_body(config);
    // Only with derived claims: the trait's default does nothing.
    let derive_claims = config
        .claims
        .iter()
        .any(|claim| matches!(claim.source, ClaimSource::Derived { .. }))
        .then(|| {
            let derived = derived_assignments(config, &quote!(token.));
            quote! {
                fn derive_claims(token: &mut Self::Token) {
                    #derived
                }
            }
        });
    let redirect = callbacks::redirect(config);
    let on_event = callbacks::on_event(config);

    quote! {
        impl #p::AuthSchema for #name {
            type State = #state;
            type User = #user;
            type Token = #token;
            type Session = #session;
            type Update = #update;

            const BASE_PATH: &'static ::core::primitive::str = #name::BASE_PATH;
            const MAX_AGE: #p::Duration = #p::Duration::from_secs(#max_age);
            #update_age
            #jwt_callback
            #session_callback
            const PROVIDERS: &'static [#p::ProviderInfo] = &[#(#providers),*];
            #pages
            #rate_limit
            #bearer

            #authorize

            #oidc

            #sign_in

            fn new_token(user: &Self::User, #account: &#p::Account) -> Self::Token {
                #new_token
            }

            #apply_provider_refresh

            fn user_subject(user: &Self::User) -> #p::String {
                #p::AuthUser::subject(user)
            }

            #jwt

            #session_json

            #session_fn

            #derive_claims

            fn apply_update<'a>(
                token: &'a mut Self::Token,
                update: Self::Update,
                state: &'a Self::State,
            ) -> impl #p::Future<Output = #p::Result<(), #p::UpdateError>> + ::core::marker::Send + 'a {
                async move { #apply_update }
            }

            #redirect

            #on_event
        }
    }
}

fn provider_infos(config: &Config) -> Vec<TokenStream> {
    let p = private(config);
    config
        .providers
        .iter()
        .map(|provider| {
            let id = &provider.id;
            let name = match (&provider.name, &provider.kind) {
                (Some(name), _) => quote!(#name),
                (
                    None,
                    ProviderKind::Oidc {
                        preset: Some(preset),
                        ..
                    }
                    | ProviderKind::OAuth {
                        preset: Some(preset),
                        ..
                    },
                ) => {
                    let konst =
                        proc_macro2::Ident::new(preset.konst, proc_macro2::Span::call_site());
                    quote!(#p::presets::#konst.name)
                }
                (None, _) => quote!(#id),
            };
            let (kind, fields) = match &provider.kind {
                ProviderKind::Credentials { fields, .. } => {
                    (quote!(#p::ProviderKind::Credentials), fields.as_slice())
                }
                ProviderKind::Oidc { .. } => (quote!(#p::ProviderKind::Oidc), &[][..]),
                ProviderKind::OAuth { .. } => (quote!(#p::ProviderKind::OAuth), &[][..]),
            };
            let fields = fields.iter().map(|field| {
                let name = field.name.to_string();
                let label = &field.label;
                let secret = field.secret;
                quote!(#p::CredentialField { name: #name, label: #label, secret: #secret })
            });
            quote! {
                #p::ProviderInfo {
                    id: #id,
                    name: #name,
                    kind: #kind,
                    fields: &[#(#fields),*],
                }
            }
        })
        .collect()
}

fn new_token_body(config: &Config) -> TokenStream {
    let p = private(config);
    let token = config.type_name("Token");
    let sources = config.claims.iter().map(|claim| {
        let field = &claim.field;
        let ty = &claim.ty;
        match &claim.source {
            ClaimSource::FromUser(from) => quote_spanned! {field.span()=>
                let #field: #ty = ::core::clone::Clone::clone(&user.#from);
            },
            ClaimSource::Unset => quote_spanned! {field.span()=>
                let #field: #ty = #p::None;
            },
            ClaimSource::Derived { .. } => quote_spanned! {field.span()=>
                let #field: #ty;
            },
            ClaimSource::FromAccount(from) => account_source(config, claim, *from),
        }
    });
    let provider_refresh = provider_refresh_init(config);
    let derived = derived_assignments(config, &TokenStream::new());
    let fields = config.claims.iter().map(|claim| &claim.field);
    quote! {
        #(#sources)*
        #derived
        #token {
            sub: #p::AuthUser::subject(user),
            name: #p::AuthUser::name(user),
            email: #p::AuthUser::email(user),
            picture: #p::AuthUser::image(user),
            iat: 0,
            exp: 0,
            jti: #p::String::new(),
            sid: #p::None,
            sgen: #p::None,
            #(#fields,)*
            #provider_refresh
            other_claims: #p::serde_json::Map::new(),
        }
    }
}
