//! What is emitted when the configuration has errors, besides the errors: the whole surface
//! user code refers to (the marker, token, session, update and form types, `AuthSchema`, the
//! routes and guards), under the config's names, so that one mistake stays one error however
//! much code uses the configuration (thiserror's `fallback.rs`).
//!
//! None of it ever runs: a crate with a `compile_error!` does not build. It only has to
//! type-check, and where a method can answer, it answers with a neutral value (no user, a
//! refused sign-in, an error) rather than anything that could panic.

use proc_macro2::TokenStream;
use quote::quote;

use super::private_of;
use crate::model::{Outline, vec_element};

/// The stub items for `outline`.
pub(crate) fn fallback(outline: &Outline) -> TokenStream {
    let marker = marker(outline);
    let token = token(outline);
    let session = session(outline);
    let update = update(outline);
    let forms = forms(outline);
    let schema = schema(outline);
    let inherent = inherent(outline);
    let typescript = typescript(outline);
    quote! {
        #marker
        #token
        #session
        #update
        #forms
        #schema
        #inherent
        #typescript
    }
}

/// `TypeScriptSchema` with `()` for every type, when `typescript` is written and the runtime
/// has it, so that code exporting the declarations adds no error.
fn typescript(outline: &Outline) -> Option<TokenStream> {
    let p = private_of(&outline.krate);
    let name = &outline.name;
    let name_text = name.to_string();
    (outline.typescript && cfg!(feature = "typescript")).then(|| {
        quote! {
            impl #p::TypeScriptSchema for #name {
                const CONFIG_NAME: &'static ::core::primitive::str = #name_text;
                type SessionTopLevel = ();
                type SessionUser = ();
                type TokenClaims = ();
                type UpdateFields = ();
            }
        }
    })
}

/// `Serialize` writing nothing and `Deserialize` refusing everything, for a stub type.
fn serde_stubs(outline: &Outline, ty: &proc_macro2::Ident, deserialize: bool) -> TokenStream {
    let p = private_of(&outline.krate);
    let deserialize = deserialize.then(|| {
        quote! {
            impl<'de> #p::serde::Deserialize<'de> for #ty {
                fn deserialize<D: #p::serde::Deserializer<'de>>(deserializer: D) -> #p::Result<Self, D::Error> {
                    let _ = deserializer;
                    #p::Err(<D::Error as #p::serde::de::Error>::custom("the auth configuration has errors"))
                }
            }
        }
    });
    let name = ty.to_string();
    quote! {
        impl #p::serde::Serialize for #ty {
            fn serialize<S: #p::serde::Serializer>(&self, serializer: S) -> #p::Result<S::Ok, S::Error> {
                #p::serde::Serializer::serialize_unit(serializer)
            }
        }

        #deserialize

        impl #p::fmt::Debug for #ty {
            fn fmt(&self, f: &mut #p::fmt::Formatter<'_>) -> #p::fmt::Result {
                f.write_str(#name)
            }
        }
    }
}

fn marker(outline: &Outline) -> TokenStream {
    let Outline {
        name, vis, docs, ..
    } = outline;
    let doc = docs
        .is_empty()
        .then(|| quote!(#[doc = " An auth configuration with errors."]));
    quote! {
        #(#docs)*
        #doc
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::marker::Copy)]
        #vis struct #name;
    }
}

/// The claim fields, as declared, each `pub` with a doc, but for those that clash with a
/// field the struct already has (`standard`): a reserved name is one mistake, not three.
fn claim_fields(outline: &Outline, standard: &[&str]) -> Vec<TokenStream> {
    outline
        .claims
        .iter()
        .filter(|(field, _)| !standard.iter().any(|name| field == name))
        .map(|(field, ty)| {
            let doc = format!(" The `{field}` claim.");
            quote!(#[doc = #doc] pub #field: #ty,)
        })
        .collect()
}

fn token(outline: &Outline) -> TokenStream {
    let p = private_of(&outline.krate);
    let vis = &outline.vis;
    let token = outline.type_name("Token");
    let claims = claim_fields(
        outline,
        &[
            "sub",
            "name",
            "email",
            "picture",
            "iat",
            "exp",
            "jti",
            "other_claims",
        ],
    );
    let serde = serde_stubs(outline, &token, true);
    quote! {
        /// The JWT claims (the configuration has errors).
        #[derive(::core::clone::Clone)]
        #vis struct #token {
            /// The user's stable id (`sub`).
            pub sub: #p::String,
            /// The user's name.
            pub name: #p::Option<#p::String>,
            /// The user's email address.
            pub email: #p::Option<#p::String>,
            /// The user's avatar URL.
            pub picture: #p::Option<#p::String>,
            /// Issued at.
            pub iat: ::core::primitive::i64,
            /// Expires at.
            pub exp: ::core::primitive::i64,
            /// The token's unique id.
            pub jti: #p::String,
            #(#claims)*
            /// Undeclared claims.
            pub other_claims: #p::serde_json::Map<#p::String, #p::serde_json::Value>,
        }

        #serde

        impl #p::TokenClaims for #token {
            fn subject(&self) -> &::core::primitive::str {
                &self.sub
            }
        }
    }
}

fn session(outline: &Outline) -> TokenStream {
    let p = private_of(&outline.krate);
    let vis = &outline.vis;
    let session = outline.type_name("Session");
    let user = outline.type_name("SessionUser");
    let claims = claim_fields(outline, &["name", "email", "image"]);
    let user_session_fields = outline
        .session_fields
        .iter()
        .filter(|(field, _, top)| {
            !top && !["name", "email", "image"].iter().any(|name| field == name)
                && !outline.claims.iter().any(|(claim, _)| claim == field)
        })
        .map(|(field, ty, _)| {
            quote! {
                /// A session-only field.
                pub #field: #ty,
            }
        });
    let top_session_fields = outline
        .session_fields
        .iter()
        .filter(|(_, _, top)| *top)
        .map(|(field, ty, _)| (field.clone(), ty.clone()))
        .collect::<Vec<_>>();
    let top_claims = outline
        .top_claims
        .iter()
        .chain(&top_session_fields)
        .filter(|(field, _)| {
            !["user", "expires", "error"]
                .iter()
                .any(|name| field == name)
        })
        .map(|(field, ty)| {
            quote! {
                /// A claim at the top level of the session.
                pub #field: #ty,
            }
        });
    let session_serde = serde_stubs(outline, &session, false);
    let user_serde = serde_stubs(outline, &user, false);
    quote! {
        /// The session (the configuration has errors).
        #[derive(::core::clone::Clone)]
        #vis struct #session {
            /// The signed-in user.
            pub user: #user,
            /// When the session ends.
            pub expires: #p::String,
            #(#top_claims)*
            /// Set when the provider's access token could not be refreshed.
            pub error: #p::Option<#p::SessionError>,
        }

        #session_serde

        /// The user of a session (the configuration has errors).
        #[derive(::core::clone::Clone)]
        #vis struct #user {
            /// The user's name.
            pub name: #p::Option<#p::String>,
            /// The user's email address.
            pub email: #p::Option<#p::String>,
            /// The user's avatar URL.
            pub image: #p::Option<#p::String>,
            #(#claims)*
            #(#user_session_fields)*
        }

        #user_serde
    }
}

fn update(outline: &Outline) -> TokenStream {
    let vis = &outline.vis;
    let update = outline.type_name("Update");
    let serde = serde_stubs(outline, &update, true);
    quote! {
        /// A client's update (the configuration has errors).
        #[derive(::core::default::Default)]
        #vis struct #update {}

        #serde
    }
}

fn forms(outline: &Outline) -> TokenStream {
    let p = private_of(&outline.krate);
    let vis = &outline.vis;
    outline
        .forms
        .iter()
        .map(|(form, fields)| {
            let fields = fields.iter().map(|field| {
                let name = &field.name;
                let doc = format!(" The `{name}` field.");
                let ty = if field.secret {
                    quote!(#p::Password)
                } else {
                    quote!(#p::String)
                };
                quote!(#[doc = #doc] pub #name: #ty,)
            });
            let name = form.to_string();
            quote! {
                /// A sign-in form (the configuration has errors).
                #vis struct #form {
                    #(#fields)*
                }

                impl #p::fmt::Debug for #form {
                    fn fmt(&self, f: &mut #p::fmt::Formatter<'_>) -> #p::fmt::Result {
                        f.write_str(#name)
                    }
                }
            }
        })
        .collect()
}

/// `AuthSchema` with no provider, where every method refuses or answers nothing.
fn schema(outline: &Outline) -> TokenStream {
    let p = private_of(&outline.krate);
    let name = &outline.name;
    let unit = quote!(());
    let user = outline
        .user
        .as_ref()
        .map_or(unit.clone(), |user| quote!(#user));
    let state = outline.state.as_ref().map_or(unit, |state| quote!(#state));
    let token = outline.type_name("Token");
    let session = outline.type_name("Session");
    let update = outline.type_name("Update");
    let max_age = auth_rules::DEFAULT_MAX_AGE.as_secs();
    let future =
        |output: TokenStream| quote!(impl #p::Future<Output = #output> + ::core::marker::Send + 'a);
    let authorize = future(quote!(#p::Result<#p::Option<Self::User>, #p::CallbackError>));
    let sign_in = future(quote!(#p::Result<#p::SignIn, #p::CallbackError>));
    let jwt = future(quote!(#p::Result<#p::TokenAction, #p::CallbackError>));
    let session_fn = future(quote!(#p::Result<#p::Option<Self::Session>, #p::CallbackError>));
    let apply_update = future(quote!(#p::Result<(), #p::UpdateError>));
    let on_event = future(quote!(()));
    quote! {
        impl #p::AuthSchema for #name {
            type State = #state;
            type User = #user;
            type Token = #token;
            type Session = #session;
            type Update = #update;

            const BASE_PATH: &'static ::core::primitive::str = #name::BASE_PATH;
            const MAX_AGE: #p::Duration = #p::Duration::from_secs(#max_age);
            const PROVIDERS: &'static [#p::ProviderInfo] = &[];

            fn authorize<'a>(_: &'a ::core::primitive::str, _: &'a #p::FormFields, _: &'a Self::State) -> #authorize {
                ::core::future::ready(#p::Ok(#p::None))
            }

            fn sign_in<'a>(_: &'a Self::User, _: &'a #p::Account, _: &'a Self::State) -> #sign_in {
                ::core::future::ready(#p::Ok(#p::SignIn::Deny))
            }

            // The one method with no neutral answer: a token needs a value for every claim.
            // It never runs, as no crate with a configuration error builds.
            fn new_token(_: &Self::User, _: &#p::Account) -> Self::Token {
                loop {}
            }

            fn user_subject(_: &Self::User) -> #p::String {
                #p::String::new()
            }

            fn jwt<'a>(_: &'a mut Self::Token, _: #p::JwtTrigger<'a, Self>, _: &'a Self::State) -> #jwt {
                ::core::future::ready(#p::Ok(#p::TokenAction::SignOut))
            }

            fn session<'a>(_: &'a Self::Token, _: #p::String, _: &'a Self::State) -> #session_fn {
                ::core::future::ready(#p::Err(#p::CallbackError::msg("the auth configuration has errors")))
            }

            fn apply_update<'a>(_: &'a mut Self::Token, _: Self::Update, _: &'a Self::State) -> #apply_update {
                ::core::future::ready(#p::Err(#p::UpdateError::Refused { claim: "" }))
            }

            fn on_event<'a>(_: #p::AuthEvent<'a, Self>, _: &'a Self::State) -> #on_event {
                ::core::future::ready(())
            }
        }
    }
}

/// `BASE_PATH`, `routes` and the guards a config with `role` and `permissions` claims has;
/// every guard refuses.
fn inherent(outline: &Outline) -> TokenStream {
    let p = private_of(&outline.krate);
    let name = &outline.name;
    let token = outline.type_name("Token");
    let base_path = outline
        .base_path
        .as_deref()
        .unwrap_or(auth_rules::DEFAULT_BASE_PATH);
    let claim = |wanted: &str| {
        outline
            .claims
            .iter()
            .find(|(field, _)| field == wanted)
            .map(|(_, ty)| ty)
    };
    let require_role = claim("role").map(|ty| {
        quote! {
            /// A guard on the `role` claim (the configuration has errors: it refuses).
            pub fn require_role(role: #ty) -> #p::Guard<Self> {
                let _ = role;
                #p::Guard::new("role", |_: &#token| false)
            }
        }
    });
    let require = claim("permissions").and_then(vec_element).map(|element| {
        quote! {
            /// A guard on the `permissions` claim (the configuration has errors: it refuses).
            pub fn require(permission: #element) -> #p::Guard<Self> {
                let _ = permission;
                #p::Guard::new("permission", |_: &#token| false)
            }
        }
    });
    quote! {
        impl #name {
            /// Where the auth routes are mounted.
            pub const BASE_PATH: &'static ::core::primitive::str = #base_path;

            /// The auth routes.
            pub fn routes(auth: &#p::Auth<Self>) -> #p::poem::Route {
                #p::routes(auth)
            }

            #require_role
            #require
        }
    }
}
