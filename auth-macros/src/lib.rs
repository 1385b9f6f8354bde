//! The `#[auth_config]` attribute. Use it through `auth-runtime`, which re-exports it and
//! documents the DSL; this crate's internals are not public API.
//!
//! The pipeline has one room per step: `ast` reads the syntax, `read` reads our attributes
//! (one reader per family: config keys, providers, claims), `check` runs the named rules
//! across values, `validate` joins them into a `model` (collecting every error in one pass),
//! `expand` generates code from a valid model.
//! On errors, the errors are emitted with `expand::fallback` items so that one mistake stays
//! one error.

mod ast;
mod attr;
mod check;
mod diag;
mod expand;
mod model;
mod read;
mod validate;

#[cfg(test)]
mod agreement;
#[cfg(test)]
mod hygiene;
#[cfg(test)]
mod snapshot;

use proc_macro::TokenStream;

/// Declares an authentication configuration: providers, claims and callbacks, from which the
/// token, session and update types and the Poem handlers are generated. See the
/// `auth-runtime` README for every key.
#[proc_macro_attribute]
pub fn auth_config(args: TokenStream, input: TokenStream) -> TokenStream {
    auth_config_impl(args.into(), input.into()).into()
}

fn auth_config_impl(
    args: proc_macro2::TokenStream,
    input: proc_macro2::TokenStream,
) -> proc_macro2::TokenStream {
    let mut errors = diag::Errors::default();
    let outline = match ast::Input::parse(args, input, &mut errors) {
        Ok(input) => match validate::validate(input, &mut errors) {
            Ok(config) => return expand::expand(&config),
            Err(outline) => Some(*outline),
        },
        Err(unusable) => unusable
            .name
            .map(|(name, vis)| model::Outline::bare(name, vis)),
    };
    let mut output = errors.to_compile_errors();
    if let Some(outline) = outline {
        output.extend(expand::fallback(&outline));
    }
    output
}
