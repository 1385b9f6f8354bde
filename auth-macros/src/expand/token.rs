//! `<Name>Token`: the JWT claims.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

use super::account::{provider_refresh_field, provider_refresh_methods};
use super::private_path_string;
use super::typescript;
use crate::model::{Claim, Config};

/// The token struct, its `TokenClaims` impl and a redacted `Debug`.
pub(crate) fn token_type(config: &Config) -> TokenStream {
    let krate = &config.krate;
    let vis = &config.vis;
    let name = &config.name;
    let token = config.type_name("Token");
    let serde_crate = private_path_string(krate, "serde");
    let fields = config.claims.iter().map(|claim| claim_field(config, claim));
    let ts_derive = typescript::derive(config);
    let ts_skip = typescript::skip(config);
    let doc = format!(
        " The JWT claims of [`{name}`]: the standard claims and every declared claim. \
         Required claims are plain fields, so no token exists without them. JSON names follow \
         the JavaScript convention, so a Next.js front end reads the same names."
    );
    let redacted = format!("{token}([redacted])");
    // Every JSON name a field writes: an undeclared claim of one of these names would be
    // written twice, so such a token takes the map path instead.
    let field_names = [
        "sub", "name", "email", "picture", "iat", "exp", "jti", "sid", "sgen",
    ]
    .into_iter()
    .map(str::to_owned)
    .chain(config.claims.iter().map(|claim| claim.json_name.clone()))
    .chain(config.refreshes().then(|| "providerRefresh".to_owned()));
    let provider_refresh = provider_refresh_field(config);
    let provider_refresh_methods = provider_refresh_methods(config);
    quote! {
        #[doc = #doc]
        #[derive(::core::clone::Clone, #krate::__private::serde::Serialize, #krate::__private::serde::Deserialize)]
        #[serde(crate = #serde_crate)]
        #ts_derive
        #vis struct #token {
            /// The user's stable id (`sub`).
            #ts_skip
            pub sub: #krate::__private::String,
            /// The user's name.
            #[serde(default, skip_serializing_if = "::core::option::Option::is_none")]
            #ts_skip
            pub name: #krate::__private::Option<#krate::__private::String>,
            /// The user's email address.
            #[serde(default, skip_serializing_if = "::core::option::Option::is_none")]
            #ts_skip
            pub email: #krate::__private::Option<#krate::__private::String>,
            /// The user's avatar URL (`image` in the session).
            #[serde(default, skip_serializing_if = "::core::option::Option::is_none")]
            #ts_skip
            pub picture: #krate::__private::Option<#krate::__private::String>,
            /// Issued at, seconds since the Unix epoch; set on every encode.
            #[serde(default)]
            #ts_skip
            pub iat: ::core::primitive::i64,
            /// Expires at, seconds since the Unix epoch; set on every encode.
            #[serde(default)]
            #ts_skip
            pub exp: ::core::primitive::i64,
            /// The token's unique id; set on every encode.
            #[serde(default)]
            #ts_skip
            pub jti: #krate::__private::String,
            /// The session's id: random, set at sign-in and kept by every re-issue, so that
            /// the session can be revoked. Absent on a token issued without revocation.
            #[serde(default, skip_serializing_if = "::core::option::Option::is_none")]
            #ts_skip
            pub sid: #krate::__private::Option<#krate::__private::String>,
            /// The session generation the session was issued under: "sign out everywhere"
            /// moves the user's past it. Absent on a token issued without revocation.
            #[serde(default, skip_serializing_if = "::core::option::Option::is_none")]
            #ts_skip
            pub sgen: #krate::__private::Option<::core::primitive::u64>,
            #(#fields)*
            #provider_refresh
            /// Claims this configuration does not declare, kept unchanged on re-issue.
            #[serde(flatten)]
            #ts_skip
            pub other_claims: #krate::__private::serde_json::Map<#krate::__private::String, #krate::__private::serde_json::Value>,
        }

        impl #krate::__private::TokenClaims for #token {
            fn subject(&self) -> &::core::primitive::str {
                &self.sub
            }

            fn set_registered(&mut self, iat: ::core::primitive::i64, exp: ::core::primitive::i64, jti: #krate::__private::String) -> ::core::primitive::bool {
                self.iat = iat;
                self.exp = exp;
                self.jti = jti;
                self.other_claims.is_empty()
                    || !self.other_claims.keys().any(|claim| {
                        ::core::matches!(claim.as_str(), #(#field_names)|*)
                    })
            }

            const SESSION_IDS: ::core::primitive::bool = true;

            fn session_id(&self) -> ::core::option::Option<&::core::primitive::str> {
                self.sid.as_deref()
            }

            fn session_generation(&self) -> ::core::primitive::u64 {
                self.sgen.unwrap_or(0)
            }

            fn set_session(&mut self, sid: #krate::__private::String, generation: ::core::primitive::u64) {
                self.sid = ::core::option::Option::Some(sid);
                self.sgen = ::core::option::Option::Some(generation);
            }

            #provider_refresh_methods
        }

        /// Claims are redacted: a token may carry credentials.
        impl #krate::__private::fmt::Debug for #token {
            fn fmt(&self, f: &mut #krate::__private::fmt::Formatter<'_>) -> #krate::__private::fmt::Result {
                f.write_str(#redacted)
            }
        }
    }
}

fn claim_field(config: &Config, claim: &Claim) -> TokenStream {
    let Claim {
        field,
        json_name,
        ty,
        docs,
        ..
    } = claim;
    let default_doc = format!(" The `{json_name}` claim.");
    let doc = docs.is_empty().then(|| quote!(#[doc = #default_doc]));
    let optional = claim.optional.then(
        || quote!(#[serde(default, skip_serializing_if = "::core::option::Option::is_none")]),
    );
    let rename = (field != json_name).then(|| quote!(#[serde(rename = #json_name)]));
    let ts_optional = typescript::optional(config, claim.optional);
    quote_spanned! {field.span()=>
        #(#docs)*
        #doc
        #rename
        #optional
        #ts_optional
        pub #field: #ty,
    }
}
