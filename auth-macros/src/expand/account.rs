//! The provider's tokens in the token: the claims copied from the account at sign-in
//! (`#[claim(from_account = …)]`), kept current after a refresh (`apply_provider_refresh`),
//! and, when a provider has `refresh`, the reserved `providerRefresh` field where the runtime
//! keeps what it refreshes with.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned as _;

use super::private;
use super::typescript;
use crate::model::{AccountField, Claim, Config};

/// The `let` of a claim copied from the account, in `new_token`: the value spanned at the
/// claim's type, so a claim of another type is reported there.
pub(super) fn account_source(config: &Config, claim: &Claim, from: AccountField) -> TokenStream {
    let p = private(config);
    let field = &claim.field;
    let ty = &claim.ty;
    let read = Ident::new(from.name(), Span::call_site());
    let value = quote_spanned! {ty.span()=> #p::account_claim::#read(account) };
    quote_spanned! {field.span()=>
        let #field: #ty = #value;
    }
}

/// `fn apply_provider_refresh`: after a refresh, the claims copied from the access token, the
/// refresh token and the expiry take the refreshed values. Nothing when no provider refreshes
/// or no such claim exists (the trait's default does nothing).
pub(super) fn apply_provider_refresh_fn(config: &Config) -> Option<TokenStream> {
    if !config.refreshes() {
        return None;
    }
    let p = private(config);
    let assignments: Vec<TokenStream> = config
        .account_claims()
        .filter(|(_, from)| from.refreshed())
        .map(|(claim, from)| {
            let field = &claim.field;
            let read = Ident::new(from.name(), Span::call_site());
            quote!(token.#field = #p::refresh_claim::#read(refresh);)
        })
        .collect();
    if assignments.is_empty() {
        return None;
    }
    Some(quote! {
        fn apply_provider_refresh(token: &mut Self::Token, refresh: &#p::ProviderRefresh) {
            #(#assignments)*
        }
    })
}

/// The token's `providerRefresh` field, when a provider refreshes.
pub(super) fn provider_refresh_field(config: &Config) -> Option<TokenStream> {
    let p = private(config);
    let ts_skip = typescript::skip(config);
    config.refreshes().then(|| {
        quote! {
            /// The provider tokens the runtime refreshes (`providerRefresh`); never in the
            /// session.
            #[serde(
                rename = "providerRefresh",
                default,
                skip_serializing_if = "::core::option::Option::is_none"
            )]
            #ts_skip
            pub provider_refresh: #p::Option<#p::ProviderRefresh>,
        }
    })
}

/// `provider_refresh: None,` in the token built at sign-in, when the field exists.
pub(super) fn provider_refresh_init(config: &Config) -> Option<TokenStream> {
    let p = private(config);
    config
        .refreshes()
        .then(|| quote!(provider_refresh: #p::None,))
}

/// `TokenClaims`'s reader and writer of the field, when it exists.
pub(super) fn provider_refresh_methods(config: &Config) -> Option<TokenStream> {
    let p = private(config);
    config.refreshes().then(|| {
        quote! {
            fn provider_refresh(&self) -> #p::Option<&#p::ProviderRefresh> {
                self.provider_refresh.as_ref()
            }

            fn set_provider_refresh(&mut self, refresh: #p::Option<#p::ProviderRefresh>) {
                self.provider_refresh = refresh;
            }
        }
    })
}
