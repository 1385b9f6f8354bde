//! `<Name>Session` and `<Name>SessionUser`: what the browser sees, without private claims.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Config;

/// The session structs and their redacted `Debug`.
pub(crate) fn session_types(config: &Config) -> TokenStream {
    let krate = &config.krate;
    let vis = &config.vis;
    let name = &config.name;
    let session = config.type_name("Session");
    let user = config.type_name("SessionUser");
    let serde_crate = format!("{}::__private::serde", quote!(#krate)).replace(' ', "");
    let fields = config.public_claims().map(|claim| {
        let field = &claim.field;
        let ty = &claim.ty;
        let json_name = &claim.json_name;
        let docs = &claim.docs;
        let default_doc = format!(" The `{json_name}` claim.");
        let doc = docs.is_empty().then(|| quote!(#[doc = #default_doc]));
        let optional = claim.optional.then(
            || quote!(#[serde(default, skip_serializing_if = "::core::option::Option::is_none")]),
        );
        let rename = (field != json_name).then(|| quote!(#[serde(rename = #json_name)]));
        quote! {
            #(#docs)*
            #doc
            #rename
            #optional
            pub #field: #ty,
        }
    });
    let session_doc = format!(
        " What `GET {}/session` returns for [`{name}`] and what handlers receive, in the \
         Auth.js shape `{{\"user\":{{…}},\"expires\":…}}`. Private claims are not in it.",
        config.base_path
    );
    let user_doc = format!(" The user of a [`{session}`]: standard fields and public claims.");
    let session_redacted = format!("{session}([redacted])");
    let user_redacted = format!("{user}([redacted])");
    quote! {
        #[doc = #session_doc]
        #[derive(::core::clone::Clone, #krate::__private::serde::Serialize, #krate::__private::serde::Deserialize)]
        #[serde(crate = #serde_crate)]
        #vis struct #session {
            /// The signed-in user.
            pub user: #user,
            /// When the session ends (ISO 8601, UTC).
            pub expires: #krate::__private::String,
        }

        #[doc = #user_doc]
        #[derive(::core::clone::Clone, #krate::__private::serde::Serialize, #krate::__private::serde::Deserialize)]
        #[serde(crate = #serde_crate)]
        #vis struct #user {
            /// The user's name.
            #[serde(default, skip_serializing_if = "::core::option::Option::is_none")]
            pub name: #krate::__private::Option<#krate::__private::String>,
            /// The user's email address.
            #[serde(default, skip_serializing_if = "::core::option::Option::is_none")]
            pub email: #krate::__private::Option<#krate::__private::String>,
            /// The user's avatar URL.
            #[serde(default, skip_serializing_if = "::core::option::Option::is_none")]
            pub image: #krate::__private::Option<#krate::__private::String>,
            #(#fields)*
        }

        /// Redacted: a session carries personal data.
        impl #krate::__private::fmt::Debug for #session {
            fn fmt(&self, f: &mut #krate::__private::fmt::Formatter<'_>) -> #krate::__private::fmt::Result {
                f.write_str(#session_redacted)
            }
        }

        /// Redacted: a session carries personal data.
        impl #krate::__private::fmt::Debug for #user {
            fn fmt(&self, f: &mut #krate::__private::fmt::Formatter<'_>) -> #krate::__private::fmt::Result {
                f.write_str(#user_redacted)
            }
        }
    }
}
