//! The `#[auth_config]` attribute. Use it through `auth-runtime`, which re-exports it.

use proc_macro::TokenStream;

/// Declares an authentication configuration. See the `auth-runtime` README for the DSL.
#[proc_macro_attribute]
pub fn auth_config(args: TokenStream, input: TokenStream) -> TokenStream {
    let _ = args;
    input
}
