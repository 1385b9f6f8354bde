//! The inherent items of the config type: its routes and its role and permission guards.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Config;

pub(crate) fn inherent_impl(config: &Config) -> TokenStream {
    let krate = &config.krate;
    let p = quote!(#krate::__private);
    let name = &config.name;
    let token = config.type_name("Token");
    let base_path = &config.base_path;
    let routes_doc = format!(
        " The auth routes (`/session`, `/csrf`, `/providers`, `/callback/…`, `/signout`, …), \
         to nest under `{base_path}`; add `auth.middleware()` around the whole app. \
         `auth.mount(route)` adds the same routes to `route` without poem's per-request \
         nesting work."
    );
    let require_role = config.role_claim().map(|claim| {
        let field = &claim.field;
        let ty = &claim.ty;
        quote! {
            /// A guard requiring the signed-in user's `role` claim to equal `role`: `401` when
            /// signed out, `403` when the role differs.
            pub fn require_role(role: #ty) -> #p::Guard<Self> {
                #p::Guard::new("role", move |token: &#token| token.#field == role)
            }
        }
    });
    let require = config.permissions_claim().map(|(claim, element)| {
        let field = &claim.field;
        quote! {
            /// A guard requiring `permission` in the signed-in user's `permissions` claim:
            /// `401` when signed out, `403` without it.
            pub fn require(permission: #element) -> #p::Guard<Self> {
                #p::Guard::new("permission", move |token: &#token| token.#field.contains(&permission))
            }
        }
    });
    quote! {
        impl #name {
            /// Where the auth routes are mounted.
            pub const BASE_PATH: &'static ::core::primitive::str = #base_path;

            #[doc = #routes_doc]
            pub fn routes(auth: &#p::Auth<Self>) -> #p::poem::Route {
                #p::routes(auth)
            }

            #require_role
            #require
        }
    }
}
