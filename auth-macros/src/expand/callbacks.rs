//! The methods of `AuthSchema` that call the user's callbacks: each calls the configured
//! function with exactly the generated types, or answers as Auth.js does when none is
//! configured. A callback with the wrong signature fails to compile at its path in the
//! attribute.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::Path;
use syn::spanned::Spanned as _;

use super::private;
use crate::model::{Config, ProviderKind};

/// `path(args).await`, its error converted into `CallbackError`, spanned at `path` so that a
/// wrong signature is reported on the user's path.
pub(super) fn user_call(config: &Config, path: &Path, args: TokenStream) -> TokenStream {
    let p = private(config);
    let call = quote_spanned! {path.span()=> #path(#args).await };
    quote! {
        #p::Result::map_err(#call, ::core::convert::Into::<#p::CallbackError>::into)
    }
}

/// `-> impl Future<Output = #output> + Send + 'a`.
fn future(config: &Config, output: &TokenStream) -> TokenStream {
    let p = private(config);
    quote!(impl #p::Future<Output = #output> + ::core::marker::Send + 'a)
}

/// `authorize`: the matching credentials provider's `authorize`, on its typed form.
pub(super) fn authorize(config: &Config) -> TokenStream {
    let p = private(config);
    let output = future(
        config,
        &quote!(#p::Result<#p::Option<Self::User>, #p::CallbackError>),
    );
    let credentials: Vec<_> = config
        .providers
        .iter()
        .filter(|provider| matches!(provider.kind, ProviderKind::Credentials { .. }))
        .collect();
    if credentials.is_empty() {
        return quote! {
            fn authorize<'a>(
                _: &'a ::core::primitive::str,
                _: &'a #p::FormFields,
                _: &'a Self::State,
            ) -> #output {
                ::core::future::ready(#p::Ok(#p::None))
            }
        };
    }
    let arms = credentials.iter().filter_map(|provider| {
        let id = &provider.id;
        let ProviderKind::Credentials {
            authorize, form, ..
        } = &provider.kind
        else {
            return None;
        };
        let call = user_call(config, authorize, quote!(&form, state));
        Some(quote! {
            #id => {
                let #p::Some(form) = #form::from_fields(form) else {
                    return #p::Ok(#p::None);
                };
                #call
            }
        })
    });
    quote! {
        fn authorize<'a>(
            provider: &'a ::core::primitive::str,
            form: &'a #p::FormFields,
            state: &'a Self::State,
        ) -> #output {
            async move {
                match provider {
                    #(#arms)*
                    _ => #p::Ok(#p::None),
                }
            }
        }
    }
}

/// `sign_in`: the `sign_in` callback, else every user who authenticated may sign in.
pub(super) fn sign_in(config: &Config) -> TokenStream {
    let p = private(config);
    let output = future(config, &quote!(#p::Result<#p::SignIn, #p::CallbackError>));
    match &config.callbacks.sign_in {
        Some(path) => {
            let call = user_call(config, path, quote!(user, account, state));
            quote! {
                fn sign_in<'a>(
                    user: &'a Self::User,
                    account: &'a #p::Account,
                    state: &'a Self::State,
                ) -> #output {
                    async move { #call }
                }
            }
        }
        None => quote! {
            fn sign_in<'a>(
                _: &'a Self::User,
                _: &'a #p::Account,
                _: &'a Self::State,
            ) -> #output {
                ::core::future::ready(#p::Ok(#p::SignIn::Allow))
            }
        },
    }
}

/// `jwt`: the `jwt` callback, else the token is kept as it is.
pub(super) fn jwt(config: &Config) -> TokenStream {
    let p = private(config);
    let output = future(
        config,
        &quote!(#p::Result<#p::TokenAction, #p::CallbackError>),
    );
    match &config.callbacks.jwt {
        Some(path) => {
            let call = user_call(config, path, quote!(token, trigger, state));
            quote! {
                fn jwt<'a>(
                    token: &'a mut Self::Token,
                    trigger: #p::JwtTrigger<'a, Self>,
                    state: &'a Self::State,
                ) -> #output {
                    async move { #call }
                }
            }
        }
        None => quote! {
            fn jwt<'a>(
                _: &'a mut Self::Token,
                _: #p::JwtTrigger<'a, Self>,
                _: &'a Self::State,
            ) -> #output {
                ::core::future::ready(#p::Ok(#p::TokenAction::Keep))
            }
        },
    }
}

/// `session`: the session built from the token's public claims, then shaped by the `session`
/// callback if there is one, which may end it (`SessionAction::SignOut`: `None`).
pub(super) fn session(config: &Config) -> TokenStream {
    let p = private(config);
    let output = future(
        config,
        &quote!(#p::Result<#p::Option<Self::Session>, #p::CallbackError>),
    );
    let session = config.type_name("Session");
    let user = config.type_name("SessionUser");
    let fields = config.public_claims().map(|claim| {
        let field = &claim.field;
        quote!(#field: ::core::clone::Clone::clone(&token.#field),)
    });
    let top_fields = config.top_claims().map(|claim| {
        let field = &claim.field;
        quote!(#field: ::core::clone::Clone::clone(&token.#field),)
    });
    // Session-only fields start from their type's default on every read, spanned at the
    // type so that a type without `Default` is reported there.
    let default = |field: &crate::model::SessionField| {
        let ident = &field.field;
        let ty = &field.ty;
        let value = quote_spanned! {ty.span()=> <#ty as ::core::default::Default>::default() };
        quote!(#ident: #value,)
    };
    let user_session_fields = config.user_session_fields().map(default);
    let top_session_fields = config.top_session_fields().map(default);
    let error = config
        .refreshes()
        .then(|| quote!(error: token.provider_refresh.as_ref().and_then(|refresh| refresh.error),));
    let build = quote! {
        #session {
            user: #user {
                name: ::core::clone::Clone::clone(&token.name),
                email: ::core::clone::Clone::clone(&token.email),
                image: ::core::clone::Clone::clone(&token.picture),
                #(#fields)*
                #(#user_session_fields)*
            },
            expires,
            #(#top_fields)*
            #(#top_session_fields)*
            #error
        }
    };
    match &config.callbacks.session {
        Some(path) => {
            // `__auth_session`: a callback may be a function named `session`.
            let call = user_call(config, path, quote!(&mut __auth_session, state));
            quote! {
                fn session<'a>(
                    token: &'a Self::Token,
                    expires: #p::String,
                    state: &'a Self::State,
                ) -> #output {
                    async move {
                        let mut __auth_session = #build;
                        match #call? {
                            #p::SessionAction::Keep => #p::Ok(#p::Some(__auth_session)),
                            #p::SessionAction::SignOut => #p::Ok(#p::None),
                        }
                    }
                }
            }
        }
        None => quote! {
            fn session<'a>(
                token: &'a Self::Token,
                expires: #p::String,
                _: &'a Self::State,
            ) -> #output {
                ::core::future::ready(#p::Ok(#p::Some(#build)))
            }
        },
    }
}

/// `redirect`, only when a `redirect` callback is configured: the trait's default keeps the
/// requested URL.
pub(super) fn redirect(config: &Config) -> Option<TokenStream> {
    let p = private(config);
    let path = config.callbacks.redirect.as_ref()?;
    let output = future(config, &quote!(#p::Result<#p::String, #p::CallbackError>));
    let call = user_call(config, path, quote!(url, base_url, signed_in, state));
    Some(quote! {
        fn redirect<'a>(
            url: &'a ::core::primitive::str,
            base_url: &'a ::core::primitive::str,
            signed_in: #p::Option<&'a Self::Token>,
            state: &'a Self::State,
        ) -> #output {
            async move { #call }
        }
    })
}

/// `on_event`: the `events` handler, else one `tracing` event per auth event.
pub(super) fn on_event(config: &Config) -> TokenStream {
    let p = private(config);
    let output = future(config, &quote!(()));
    match &config.events {
        Some(path) => {
            let call = user_call(config, path, quote!(&event, state));
            quote! {
                fn on_event<'a>(
                    event: #p::AuthEvent<'a, Self>,
                    state: &'a Self::State,
                ) -> #output {
                    async move {
                        if let #p::Err(error) = #call {
                            #p::log_event_error(event.name(), &error);
                        }
                    }
                }
            }
        }
        None => quote! {
            fn on_event<'a>(
                event: #p::AuthEvent<'a, Self>,
                _: &'a Self::State,
            ) -> #output {
                async move { #p::trace_event(&event) }
            }
        },
    }
}
