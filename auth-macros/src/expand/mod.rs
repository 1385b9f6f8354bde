//! Code generation: a pure, infallible function of a valid [`Config`]. Every rule is checked
//! in `validate`; what remains for rustc (callback signatures, `from_user` fields, serde
//! bounds) is emitted with the user's spans so its errors point at the config.

mod account;
mod callbacks;
mod fallback;
mod forms;
mod guards;
mod oidc;
mod schema;
mod session;
mod token;
mod typescript;
mod update;

use proc_macro2::TokenStream;
use quote::quote;
use syn::Path;

pub(crate) use fallback::fallback;

use crate::model::Config;

/// Everything `#[auth_config]` generates for `config`.
pub(crate) fn expand(config: &Config) -> TokenStream {
    let marker = marker(config);
    let token = token::token_type(config);
    let session = session::session_types(config);
    let update = update::update_type(config);
    let forms = forms::form_types(config);
    let schema = schema::schema_impl(config);
    let guards = guards::inherent_impl(config);
    let typescript = typescript::typescript_schema_impl(config);
    quote! {
        #marker
        #token
        #session
        #update
        #forms
        #schema
        #guards
        #typescript
    }
}

/// The config struct itself, now a marker type naming the configuration.
fn marker(config: &Config) -> TokenStream {
    let Config {
        name, vis, attrs, ..
    } = config;
    let token = config.type_name("Token");
    let session = config.type_name("Session");
    let update = config.type_name("Update");
    let doc = format!(
        " The `{name}` auth configuration. Its token is [`{token}`], its session \
         [`{session}`] and client updates [`{update}`]; mount [`{name}::routes`] under \
         [`{name}::BASE_PATH`]."
    );
    let has_docs = attrs
        .iter()
        .any(|attribute| attribute.path().is_ident("doc"));
    let doc = (!has_docs).then(|| quote!(#[doc = #doc]));
    quote! {
        #(#attrs)*
        #doc
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::marker::Copy)]
        #vis struct #name;
    }
}

/// `::auth_runtime::__private`, or the same under `crate = …`: the one root of every runtime
/// item generated code names.
pub(crate) fn private(config: &Config) -> TokenStream {
    private_of(&config.krate)
}

/// `#krate::__private`.
pub(crate) fn private_of(krate: &Path) -> TokenStream {
    quote!(#krate::__private)
}

/// `"::auth_runtime::__private::serde"`: an item of `__private` as the string that serde's
/// `crate = "…"`, `skip_serializing_if = "…"` and `deserialize_with = "…"` take.
pub(crate) fn private_path_string(krate: &Path, item: &str) -> String {
    format!("{}::__private::{item}", quote!(#krate)).replace(' ', "")
}
