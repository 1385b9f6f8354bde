//! `impl AuthSchema for <Name>`: the types, the settings, and the user's callbacks called
//! with exactly the generated types. A callback with the wrong signature fails to compile
//! with the error at its path in the attribute.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::Path;
use syn::spanned::Spanned as _;

use super::session::session_json_fn;
use super::update::{apply_update_body, derived_assignments};
use crate::model::{ClaimSource, Config, ProviderKind};

pub(crate) fn schema_impl(config: &Config) -> TokenStream {
    let krate = &config.krate;
    let name = &config.name;
    let user = &config.user;
    let state = &config.state;
    let token = config.type_name("Token");
    let session = config.type_name("Session");
    let update = config.type_name("Update");
    let base_path = &config.base_path;
    let max_age = config.max_age_secs;
    let p = quote!(#krate::__private);
    let update_age = (config.update_age_secs > 0).then(|| {
        let secs = config.update_age_secs;
        quote!(const UPDATE_AGE: #p::Duration = #p::Duration::from_secs(#secs);)
    });
    let jwt_callback = config.callbacks.jwt.is_some();

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
    let authorize = authorize_body(config);
    let new_token = new_token_body(config);
    let session_body = session_body(config);
    let session_json = session_json_fn(config);
    let apply_update = apply_update_body(config);

    let sign_in = match &config.callbacks.sign_in {
        Some(path) => user_call(config, path, quote!(user, account, state)),
        None => quote! {{ let _ = (user, account, state); #p::Ok(#p::SignIn::Allow) }},
    };
    let jwt = match &config.callbacks.jwt {
        Some(path) => user_call(config, path, quote!(token, trigger, state)),
        None => quote! {{ let _ = (token, trigger, state); #p::Ok(#p::TokenAction::Keep) }},
    };
    let redirect = match &config.callbacks.redirect {
        Some(path) => user_call(config, path, quote!(url, base_url, state)),
        None => quote! {{ let _ = (base_url, state); #p::Ok(#p::String::from(url)) }},
    };
    let on_event = match &config.events {
        Some(path) => {
            let call = user_call(config, path, quote!(&event, state));
            quote! {
                if let #p::Err(error) = #call {
                    #p::log_event_error(event.name(), &error);
                }
            }
        }
        None => quote! {{ let _ = state; #p::trace_event(&event); }},
    };

    quote! {
        impl #p::AuthSchema for #name {
            type State = #state;
            type User = #user;
            type Token = #token;
            type Session = #session;
            type Update = #update;

            const BASE_PATH: &'static str = #base_path;
            const MAX_AGE: #p::Duration = #p::Duration::from_secs(#max_age);
            #update_age
            const JWT_CALLBACK: bool = #jwt_callback;
            const PROVIDERS: &'static [#p::ProviderInfo] = &[#(#providers),*];
            #pages
            #rate_limit

            fn authorize<'a>(
                provider: &'a str,
                form: &'a #p::FormFields,
                state: &'a Self::State,
            ) -> impl #p::Future<Output = #p::Result<#p::Option<Self::User>, #p::CallbackError>> + ::core::marker::Send + 'a {
                async move { #authorize }
            }

            fn sign_in<'a>(
                user: &'a Self::User,
                account: &'a #p::Account,
                state: &'a Self::State,
            ) -> impl #p::Future<Output = #p::Result<#p::SignIn, #p::CallbackError>> + ::core::marker::Send + 'a {
                async move { #sign_in }
            }

            fn new_token(user: &Self::User, account: &#p::Account) -> Self::Token {
                #new_token
            }

            fn jwt<'a>(
                token: &'a mut Self::Token,
                trigger: #p::JwtTrigger<'a, Self>,
                state: &'a Self::State,
            ) -> impl #p::Future<Output = #p::Result<#p::TokenAction, #p::CallbackError>> + ::core::marker::Send + 'a {
                async move { #jwt }
            }

            #session_json

            fn session<'a>(
                token: &'a Self::Token,
                expires: #p::String,
                state: &'a Self::State,
            ) -> impl #p::Future<Output = #p::Result<Self::Session, #p::CallbackError>> + ::core::marker::Send + 'a {
                async move { #session_body }
            }

            fn apply_update<'a>(
                token: &'a mut Self::Token,
                update: Self::Update,
                state: &'a Self::State,
            ) -> impl #p::Future<Output = #p::Result<(), #p::UpdateError>> + ::core::marker::Send + 'a {
                async move { #apply_update }
            }

            fn redirect<'a>(
                url: &'a str,
                base_url: &'a str,
                state: &'a Self::State,
            ) -> impl #p::Future<Output = #p::Result<#p::String, #p::CallbackError>> + ::core::marker::Send + 'a {
                async move { #redirect }
            }

            fn on_event<'a>(
                event: #p::AuthEvent<'a, Self>,
                state: &'a Self::State,
            ) -> impl #p::Future<Output = ()> + ::core::marker::Send + 'a {
                async move { #on_event }
            }
        }
    }
}

/// `path(args).await`, its error converted into `CallbackError`, spanned at `path` so that a
/// wrong signature is reported on the user's path.
fn user_call(config: &Config, path: &Path, args: TokenStream) -> TokenStream {
    let krate = &config.krate;
    let call = quote_spanned! {path.span()=> #path(#args).await };
    quote! {
        #krate::__private::Result::map_err(#call, ::core::convert::Into::<#krate::__private::CallbackError>::into)
    }
}

fn provider_infos(config: &Config) -> Vec<TokenStream> {
    let p = {
        let krate = &config.krate;
        quote!(#krate::__private)
    };
    config
        .providers
        .iter()
        .map(|provider| {
            let id = &provider.id;
            let name = &provider.name;
            let ProviderKind::Credentials { fields, .. } = &provider.kind;
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
                    kind: #p::ProviderKind::Credentials,
                    fields: &[#(#fields),*],
                }
            }
        })
        .collect()
}

fn authorize_body(config: &Config) -> TokenStream {
    let krate = &config.krate;
    let p = quote!(#krate::__private);
    let arms: Vec<TokenStream> = config
        .providers
        .iter()
        .map(|provider| {
            let id = &provider.id;
            let ProviderKind::Credentials {
                authorize, form, ..
            } = &provider.kind;
            let call = user_call(config, authorize, quote!(&form, state));
            quote! {
                #id => {
                    let #p::Some(form) = #form::from_fields(form) else {
                        return #p::Ok(#p::None);
                    };
                    #call
                }
            }
        })
        .collect();
    if arms.is_empty() {
        return quote! {{ let _ = (provider, form, state); #p::Ok(#p::None) }};
    }
    quote! {
        match provider {
            #(#arms)*
            _ => #p::Ok(#p::None),
        }
    }
}

fn new_token_body(config: &Config) -> TokenStream {
    let krate = &config.krate;
    let p = quote!(#krate::__private);
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
        }
    });
    let derived = derived_assignments(config, &TokenStream::new());
    let fields = config.claims.iter().map(|claim| &claim.field);
    quote! {
        let _ = account;
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
            #(#fields,)*
            other_claims: #p::serde_json::Map::new(),
        }
    }
}

fn session_body(config: &Config) -> TokenStream {
    let krate = &config.krate;
    let p = quote!(#krate::__private);
    let session = config.type_name("Session");
    let user = config.type_name("SessionUser");
    let fields = config.public_claims().map(|claim| {
        let field = &claim.field;
        quote!(#field: ::core::clone::Clone::clone(&token.#field),)
    });
    let callback = match &config.callbacks.session {
        Some(path) => {
            let call = user_call(config, path, quote!(&mut session, state));
            quote!(#call?;)
        }
        None => quote!(let _ = state;),
    };
    quote! {
        #[allow(unused_mut)]
        let mut session = #session {
            user: #user {
                name: ::core::clone::Clone::clone(&token.name),
                email: ::core::clone::Clone::clone(&token.email),
                image: ::core::clone::Clone::clone(&token.picture),
                #(#fields)*
            },
            expires,
        };
        #callback
        #p::Ok(session)
    }
}
