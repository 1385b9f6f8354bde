//! `<Name>Session` and `<Name>SessionUser`: what the browser sees, without private claims,
//! with the session-only fields (`#[session_field]`) the `session` callback fills.

use proc_macro2::TokenStream;
use quote::quote;

use super::private_path_string;
use super::typescript;
use crate::model::{Claim, Config, SessionField};

/// The session structs and their redacted `Debug`.
pub(crate) fn session_types(config: &Config) -> TokenStream {
    let krate = &config.krate;
    let vis = &config.vis;
    let name = &config.name;
    let session = config.type_name("Session");
    let user = config.type_name("SessionUser");
    let serde_crate = private_path_string(krate, "serde");
    let fields = config
        .public_claims()
        .map(|claim| claim_field(config, claim, ""));
    let ts_derive = typescript::derive(config);
    let ts_skip = typescript::skip(config);
    let top_fields = config
        .top_claims()
        .map(|claim| claim_field(config, claim, " (`session = top`)"));
    let user_session_fields = config
        .user_session_fields()
        .map(|field| session_field(config, field));
    let top_session_fields = config
        .top_session_fields()
        .map(|field| session_field(config, field));
    let ts_optional = typescript::optional(config, true);
    let error_field = config.refreshes().then(|| {
        quote! {
            /// Set when the provider's access token could not be refreshed
            /// (`"RefreshAccessTokenError"`): the user is still signed in, and the client may
            /// call `signIn` again.
            #[serde(default, skip_serializing_if = "::core::option::Option::is_none")]
            #ts_optional
            pub error: #krate::__private::Option<#krate::__private::SessionError>,
        }
    });
    let top_level_name = config.type_name("SessionTopLevel").to_string();
    let session_doc = format!(
        " What `GET {}/session` returns for [`{name}`] and what handlers receive, in the \
         Auth.js shape `{{\"user\":{{…}},\"expires\":…}}`. Private claims are not in it. \
         In TypeScript (`{top_level_name}`) only its members beside `user` and `expires`, \
         which next-auth's `Session` declares itself.",
        config.base_path
    );
    let session_ts = config.typescript.then(|| {
        quote! {
            #ts_derive
            #[ts(rename = #top_level_name)]
        }
    });
    let user_doc = format!(" The user of a [`{session}`]: standard fields and public claims.");
    let session_redacted = format!("{session}([redacted])");
    let user_redacted = format!("{user}([redacted])");
    quote! {
        #[doc = #session_doc]
        #[derive(::core::clone::Clone, #krate::__private::serde::Serialize, #krate::__private::serde::Deserialize)]
        #[serde(crate = #serde_crate)]
        #session_ts
        #vis struct #session {
            /// The signed-in user.
            #ts_skip
            pub user: #user,
            /// When the session ends (ISO 8601, UTC).
            #ts_skip
            pub expires: #krate::__private::String,
            #(#top_fields)*
            #(#top_session_fields)*
            #error_field
        }

        #[doc = #user_doc]
        #[derive(::core::clone::Clone, #krate::__private::serde::Serialize, #krate::__private::serde::Deserialize)]
        #[serde(crate = #serde_crate)]
        #ts_derive
        #vis struct #user {
            /// The user's name.
            #[serde(default, skip_serializing_if = "::core::option::Option::is_none")]
            #ts_skip
            pub name: #krate::__private::Option<#krate::__private::String>,
            /// The user's email address.
            #[serde(default, skip_serializing_if = "::core::option::Option::is_none")]
            #ts_skip
            pub email: #krate::__private::Option<#krate::__private::String>,
            /// The user's avatar URL.
            #[serde(default, skip_serializing_if = "::core::option::Option::is_none")]
            #ts_skip
            pub image: #krate::__private::Option<#krate::__private::String>,
            #(#fields)*
            #(#user_session_fields)*
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

/// A session-only field: the type's default when absent from JSON, left out when `None`.
fn session_field(config: &Config, field: &SessionField) -> TokenStream {
    let SessionField {
        field: ident,
        json_name,
        ty,
        optional,
        docs,
        ..
    } = field;
    let default_doc = format!(
        " `{json_name}`: filled by the `session` callback on each read, never in the token."
    );
    let doc = docs.is_empty().then(|| quote!(#[doc = #default_doc]));
    let rename = (*ident != *json_name).then(|| quote!(#[serde(rename = #json_name)]));
    let skip =
        optional.then(|| quote!(#[serde(skip_serializing_if = "::core::option::Option::is_none")]));
    let ts_optional = typescript::optional(config, *optional);
    quote! {
        #(#docs)*
        #doc
        #rename
        #[serde(default)]
        #skip
        #ts_optional
        pub #ident: #ty,
    }
}

/// The claim's JSON name, when it is not the field's.
fn rename(claim: &Claim) -> Option<TokenStream> {
    let json_name = &claim.json_name;
    (claim.field != *json_name).then(|| quote!(#[serde(rename = #json_name)]))
}

/// `AuthSchema::session_json` when no `session` callback is configured: the session's JSON
/// written from borrowed twins of the two session structs, field for field and attribute for
/// attribute, so that it is byte for byte what serialising the built session gives.
pub(crate) fn session_json_fn(config: &Config) -> Option<TokenStream> {
    if config.callbacks.session.is_some() {
        return None;
    }
    let krate = &config.krate;
    let p = quote!(#krate::__private);
    let serde_crate = private_path_string(krate, "serde");
    let skip_none = private_path_string(krate, "is_none_ref");
    let claims: Vec<&Claim> = config.public_claims().collect();
    let fields = claims.iter().map(|claim| {
        let field = &claim.field;
        let ty = &claim.ty;
        let rename = rename(claim);
        let optional = claim
            .optional
            .then(|| quote!(#[serde(skip_serializing_if = #skip_none)]));
        quote! {
            #rename
            #optional
            #field: &'__a #ty,
        }
    });
    let values = claims.iter().map(|claim| {
        let field = &claim.field;
        quote!(#field: &token.#field,)
    });
    let top_claims: Vec<&Claim> = config.top_claims().collect();
    let top_fields = top_claims.iter().map(|claim| {
        let field = &claim.field;
        let ty = &claim.ty;
        let rename = rename(claim);
        let optional = claim
            .optional
            .then(|| quote!(#[serde(skip_serializing_if = #skip_none)]));
        quote! {
            #rename
            #optional
            #field: &'__a #ty,
        }
    });
    let top_values = top_claims.iter().map(|claim| {
        let field = &claim.field;
        quote!(#field: &token.#field,)
    });
    let refreshes = config.refreshes();
    let error_field = refreshes.then(|| {
        quote! {
            #[serde(skip_serializing_if = #skip_none)]
            error: &'__a #p::Option<#p::SessionError>,
        }
    });
    let error_local = refreshes.then(|| {
        quote! {
            let error = token.provider_refresh.as_ref().and_then(|refresh| refresh.error);
        }
    });
    let error_value = refreshes.then(|| quote!(error: &error,));
    Some(quote! {
        fn session_json(token: &Self::Token, expires: &::core::primitive::str) -> #p::Option<#p::String> {
            #[derive(#p::serde::Serialize)]
            #[serde(crate = #serde_crate)]
            struct Session<'__a> {
                user: User<'__a>,
                expires: &'__a ::core::primitive::str,
                #(#top_fields)*
                #error_field
            }
            #[derive(#p::serde::Serialize)]
            #[serde(crate = #serde_crate)]
            struct User<'__a> {
                #[serde(skip_serializing_if = #skip_none)]
                name: &'__a #p::Option<#p::String>,
                #[serde(skip_serializing_if = #skip_none)]
                email: &'__a #p::Option<#p::String>,
                #[serde(skip_serializing_if = #skip_none)]
                image: &'__a #p::Option<#p::String>,
                #(#fields)*
            }
            #error_local
            let session = Session {
                user: User {
                    name: &token.name,
                    email: &token.email,
                    image: &token.picture,
                    #(#values)*
                },
                expires,
                #(#top_values)*
                #error_value
            };
            #p::session_json_text(&session)
        }
    })
}

/// A claim's field in the session (on `user`, or at the top level where `placement` says so
/// in its default doc): its docs, JSON name, and `None` left out.
fn claim_field(config: &Config, claim: &Claim, placement: &str) -> TokenStream {
    let field = &claim.field;
    let ty = &claim.ty;
    let json_name = &claim.json_name;
    let docs = &claim.docs;
    let default_doc = format!(" The `{json_name}` claim{placement}.");
    let doc = docs.is_empty().then(|| quote!(#[doc = #default_doc]));
    let optional = claim.optional.then(
        || quote!(#[serde(default, skip_serializing_if = "::core::option::Option::is_none")]),
    );
    let rename = rename(claim);
    let ts_optional = typescript::optional(config, claim.optional);
    quote! {
        #(#docs)*
        #doc
        #rename
        #optional
        #ts_optional
        pub #field: #ty,
    }
}
