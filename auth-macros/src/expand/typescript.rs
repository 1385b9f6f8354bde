//! `#[auth_config(typescript)]`: ts-rs's `TS` derived on the token, session-user and update
//! types, and `impl TypeScriptSchema` naming them.
//!
//! Whether to emit them is the config's `typescript` key, known here; not a `cfg` in the
//! generated code, which would test the user's crate's features, not the runtime's. The
//! derive is reached through `__private::ts_rs`, which exists with the runtime's `typescript`
//! feature; `check` refuses the key without it.
//!
//! The TypeScript follows the serde attributes (ts-rs reads them). On top of them: fields
//! serde skips when `None` are `#[ts(optional)]` (`tenantId?: TenantId`, not `| null`, as the
//! JSON never holds `null`), and the standard fields are `#[ts(skip)]`, being declared by
//! `next-auth` itself.

use proc_macro2::TokenStream;
use quote::quote;

use super::{private, private_path_string};
use crate::model::Config;

/// `#[derive(TS)]` with the runtime's ts-rs, for a generated type.
pub(crate) fn derive(config: &Config) -> Option<TokenStream> {
    let p = private(config);
    let ts_crate = private_path_string(&config.krate, "ts_rs");
    config.typescript.then(|| {
        quote! {
            #[derive(#p::ts_rs::TS)]
            #[ts(crate = #ts_crate)]
        }
    })
}

/// `#[ts(skip)]`: a standard field, which `next-auth` declares.
pub(crate) fn skip(config: &Config) -> Option<TokenStream> {
    config.typescript.then(|| quote!(#[ts(skip)]))
}

/// `#[ts(optional)]` for an `Option` field serde leaves out when `None`, if `optional`.
pub(crate) fn optional(config: &Config, optional: bool) -> Option<TokenStream> {
    (config.typescript && optional).then(|| quote!(#[ts(optional)]))
}

/// The attributes of an update field: serde's `with` (which ts-rs reads, where it would warn
/// about `deserialize_with`), `as = "_"` keeping the field's type, and optional, as an absent
/// field changes nothing. Without `typescript`, the plain `deserialize_with`.
pub(crate) fn update_field_attributes(config: &Config, json_name: &str) -> TokenStream {
    if config.typescript {
        let with = private_path_string(&config.krate, "update_value");
        quote! {
            #[serde(rename = #json_name, default, with = #with)]
            #[ts(as = "_", optional)]
        }
    } else {
        let deserialize_some = private_path_string(&config.krate, "deserialize_some");
        quote! {
            #[serde(rename = #json_name, default, deserialize_with = #deserialize_some)]
        }
    }
}

/// `impl TypeScriptSchema for <Name>`.
pub(crate) fn typescript_schema_impl(config: &Config) -> Option<TokenStream> {
    let p = private(config);
    let name = &config.name;
    let name_text = name.to_string();
    let user = config.type_name("SessionUser");
    let token = config.type_name("Token");
    let update = config.type_name("Update");
    let session = config.type_name("Session");
    let top_level = config.top_claims().next().is_some()
        || config.top_session_fields().next().is_some()
        || config.refreshes();
    config.typescript.then(|| {
        quote! {
            impl #p::TypeScriptSchema for #name {
                const CONFIG_NAME: &'static ::core::primitive::str = #name_text;
                const SESSION_TOP_LEVEL: ::core::primitive::bool = #top_level;
                type SessionTopLevel = #session;
                type SessionUser = #user;
                type TokenClaims = #token;
                type UpdateFields = #update;
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use proc_macro2::TokenStream;
    use quote::quote;

    /// Whether the macro's output for `#[auth_config(<args>)] struct AppAuth;` implements
    /// `TypeScriptSchema`.
    fn implements_typescript_schema(args: TokenStream) -> bool {
        crate::auth_config_impl(
            args,
            quote!(
                struct AppAuth;
            ),
        )
        .to_string()
        .contains("TypeScriptSchema for AppAuth")
    }

    /// With the key, the expansion and the fallback (a misspelt key) both implement it when the
    /// runtime can (its feature), so code exporting the declarations adds no error of its own.
    #[test]
    fn the_key_implements_typescript_schema_in_the_expansion_and_the_fallback() {
        let with_feature = cfg!(feature = "typescript");
        assert_eq!(
            implements_typescript_schema(quote!(user = User, typescript)),
            with_feature
        );
        assert_eq!(
            implements_typescript_schema(quote!(user = User, typescript, sesion())),
            with_feature
        );
        assert!(!implements_typescript_schema(quote!(user = User)));
        assert!(!implements_typescript_schema(quote!(user = User, sesion())));
    }
}
