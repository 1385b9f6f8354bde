//! The macro's half of the agreement test: every entry of `auth_rules::agreement` goes through
//! the real `validate`, which must report an error exactly when the corpus says the value is
//! refused. The runtime's tests feed the same corpus to its start-up check, so a configuration
//! compiles exactly when it also starts.

use auth_rules::agreement::{
    BASE_PATHS, BEARER_SETTINGS, PAGES, PROVIDER_IDS, RATE_LIMITS, SESSION_AGES,
};
use proc_macro2::TokenStream;
use quote::quote;

use crate::ast::Input;
use crate::diag::Errors;
use crate::validate::validate;

/// The messages `validate` gives for `#[auth_config(user = User, #args)]` on a struct with
/// one claim and, when given, one provider field.
fn messages(args: TokenStream, provider: TokenStream) -> Vec<String> {
    let item = quote! {
        struct AppAuth {
            #provider
            #[claim(from_user)]
            id: String,
        }
    };
    let mut errors = Errors::default();
    if let Ok(input) = Input::parse(quote!(user = User, #args), item, &mut errors) {
        let _ = validate(input, &mut errors);
    }
    errors.messages()
}

fn assert_verdict(what: &str, input: &str, accepted: bool, messages: &[String]) {
    assert_eq!(
        messages.is_empty(),
        accepted,
        "{what} {input:?}: the corpus says accepted = {accepted}, the macro says {messages:?}"
    );
}

#[test]
fn base_paths_agree_with_the_corpus() {
    for &(base_path, accepted) in BASE_PATHS {
        let messages = messages(quote!(base_path = #base_path), TokenStream::new());
        assert_verdict("base path", base_path, accepted, &messages);
    }
}

#[test]
fn provider_ids_agree_with_the_corpus() {
    for &(id, accepted) in PROVIDER_IDS {
        let provider = quote! {
            #[provider(credentials(authorize = users::authorize, id = #id))]
            credentials: Credentials,
        };
        let messages = messages(TokenStream::new(), provider);
        assert_verdict("provider id", id, accepted, &messages);
    }
}

#[test]
fn pages_agree_with_the_corpus() {
    for &(page, accepted) in PAGES {
        let messages = messages(
            quote!(base_path = "/api/auth", pages(sign_in = #page)),
            TokenStream::new(),
        );
        assert_verdict("page", page, accepted, &messages);
    }
}

#[test]
fn rate_limits_agree_with_the_corpus() {
    for &(limit, accepted) in RATE_LIMITS {
        let messages = messages(quote!(rate_limit(sign_in = #limit)), TokenStream::new());
        assert_verdict("rate limit", limit, accepted, &messages);
    }
}

#[test]
fn session_ages_agree_with_the_corpus() {
    for &(max_age, update_age, accepted) in SESSION_AGES {
        let session = if update_age.is_empty() {
            quote!(session(max_age = #max_age))
        } else {
            quote!(session(max_age = #max_age, update_age = #update_age))
        };
        let messages = messages(session, TokenStream::new());
        assert_verdict(
            "session ages",
            &format!("{max_age}, {update_age}"),
            accepted,
            &messages,
        );
    }
}

#[test]
fn bearer_settings_agree_with_the_corpus() {
    for &(ttl, audience, accepted) in BEARER_SETTINGS {
        let messages = messages(
            quote!(tokens(bearer(ttl = #ttl, audience = #audience))),
            TokenStream::new(),
        );
        assert_verdict(
            "bearer settings",
            &format!("{ttl}, {audience}"),
            accepted,
            &messages,
        );
    }
}
