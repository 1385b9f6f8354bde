//! Generated code names the primitive types by absolute path (`::core::primitive::bool`), so
//! that a user's `struct str;` cannot change its meaning. `tests/ui/pass/shadowed-prelude-names.rs`
//! cannot shadow them (serde's derives name them bare), so this test reads the tokens instead.

use proc_macro2::{TokenStream, TokenTree};
use quote::quote;

const PRIMITIVES: &[&str] = &[
    "bool", "char", "str", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64",
    "i128", "isize", "f32", "f64",
];

/// Every leaf token, groups opened.
fn leaves(tokens: TokenStream, out: &mut Vec<TokenTree>) {
    for token in tokens {
        match token {
            TokenTree::Group(group) => leaves(group.stream(), out),
            leaf => out.push(leaf),
        }
    }
}

/// The primitive type names in `tokens` not written `primitive::<name>`.
fn bare_primitives(tokens: TokenStream) -> Vec<String> {
    let mut flat = Vec::new();
    leaves(tokens, &mut flat);
    let is = |index: usize, text: &str| flat.get(index).is_some_and(|t| t.to_string() == text);
    (0..flat.len())
        .filter(|&index| PRIMITIVES.contains(&flat[index].to_string().as_str()))
        .filter(|&index| {
            !(index >= 3 && is(index - 1, ":") && is(index - 2, ":") && is(index - 3, "primitive"))
        })
        .map(|index| flat[index].to_string())
        .collect()
}

#[test]
fn generated_code_names_primitives_by_absolute_path() {
    let sample = quote!(
        fn f(x: &str) -> ::core::primitive::bool {
            x.is_empty()
        }
    );
    assert_eq!(bare_primitives(sample), ["str"], "the check itself");
    let every_option = quote! {
        base_path = "/auth",
        user = User,
        state = AppState,
        session(max_age = "7d", update_age = "1h"),
        callbacks(sign_in = p::sign_in, jwt = p::jwt, session = p::session, redirect = p::redirect),
        events = audit::record,
        pages(sign_in = "/login", sign_out = "/bye", error = "/oops"),
        rate_limit(sign_in = "5 per 15m"),
    };
    let item = quote! {
        pub struct AppAuth {
            #[provider(credentials(authorize = users::authorize, fields(email = "Email", password = "Password")))]
            credentials: Credentials,
            #[claim(from_user)]
            role: Role,
            #[claim(derive = Role::permissions(role))]
            permissions: Vec<Permission>,
            #[claim(from_user, update = tenants::may_switch)]
            tenant_id: Option<TenantId>,
            #[claim(private)]
            access_token: Option<String>,
        }
    };
    let expanded = crate::auth_config_impl(every_option.clone(), item.clone());
    assert_eq!(bare_primitives(expanded), Vec::<String>::new(), "expansion");

    let with_a_mistake = quote!(#every_option sesion(max_age = "7d"));
    let fallback = crate::auth_config_impl(with_a_mistake, item);
    assert!(fallback.to_string().contains("compile_error"));
    assert_eq!(bare_primitives(fallback), Vec::<String>::new(), "fallback");
}
