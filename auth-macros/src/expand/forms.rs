//! `<Name><Provider>Form`: the typed sign-in form of each credentials provider; the type
//! check of each OAuth provider field.

use proc_macro2::{Ident, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned as _;

use crate::model::{Config, Provider, ProviderKind};

/// One form struct per credentials provider, with a redacted `Debug`.
pub(crate) fn form_types(config: &Config) -> TokenStream {
    let krate = &config.krate;
    let vis = &config.vis;
    config
        .providers
        .iter()
        .filter_map(|provider| {
            let ProviderKind::Credentials { form, fields, .. } = &provider.kind else {
                return oidc_type_check(config, provider);
            };
            let doc = format!(
                " The sign-in form of the `{}` credentials provider of [`{}`].",
                provider.id, config.name
            );
            let declarations = fields.iter().map(|field| {
                let name = &field.name;
                let doc = format!(" The `{}` field (\"{}\").", field.name, field.label);
                let ty = if field.secret {
                    quote!(#krate::__private::Password)
                } else {
                    quote!(#krate::__private::String)
                };
                quote! {
                    #[doc = #doc]
                    pub #name: #ty,
                }
            });
            let reads = fields.iter().map(|field| {
                let name = &field.name;
                let key = name.to_string();
                let value = if field.secret {
                    quote!(#krate::__private::Password::new(fields.get(#key)?))
                } else {
                    quote!(#krate::__private::String::from(fields.get(#key)?))
                };
                quote!(#name: #value,)
            });
            let redacted = format!("{form}([redacted])");
            let provider_ty = &provider.ty;
            let type_check = quote_spanned! {provider_ty.span()=>
                const _: fn() = || {
                    fn credentials_provider<T: #krate::__private::CredentialsProviderType>() {}
                    credentials_provider::<#provider_ty>();
                };
            };
            Some(quote! {
                #type_check

                #[doc = #doc]
                #vis struct #form {
                    #(#declarations)*
                }

                impl #form {
                    /// Reads the form from submitted fields; `None` when one is missing.
                    fn from_fields(fields: &#krate::__private::FormFields) -> #krate::__private::Option<Self> {
                        #krate::__private::Some(Self { #(#reads)* })
                    }
                }

                /// Redacted: a sign-in form carries a password.
                impl #krate::__private::fmt::Debug for #form {
                    fn fmt(&self, f: &mut #krate::__private::fmt::Formatter<'_>) -> #krate::__private::fmt::Result {
                        f.write_str(#redacted)
                    }
                }
            })
        })
        .collect()
}

/// An OAuth provider field's type is its kind's marker (`Oidc`, `OAuth`, `GitHub`, …):
/// checked at the field's type.
fn oidc_type_check(config: &Config, provider: &Provider) -> Option<TokenStream> {
    let krate = &config.krate;
    let provider_ty = &provider.ty;
    let check = match &provider.kind {
        ProviderKind::Credentials { .. } => return None,
        ProviderKind::Oidc {
            preset: Some(preset),
            ..
        }
        | ProviderKind::OAuth {
            preset: Some(preset),
            ..
        } => preset.check,
        ProviderKind::Oidc { preset: None, .. } => "OidcProviderType",
        ProviderKind::OAuth { preset: None, .. } => "OAuthProviderType",
    };
    let check = Ident::new(check, provider_ty.span());
    Some(quote_spanned! {provider_ty.span()=>
        const _: fn() = || {
            fn oauth_provider<T: #krate::__private::#check>() {}
            oauth_provider::<#provider_ty>();
        };
    })
}
