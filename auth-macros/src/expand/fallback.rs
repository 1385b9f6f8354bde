//! What is emitted when the configuration has errors: the errors, plus the types the rest of
//! the crate refers to, so that one mistake does not cascade into dozens.

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use syn::Visibility;

/// The marker struct and empty token, session and update types under `name`.
pub(crate) fn fallback(name: &Ident, vis: &Visibility) -> TokenStream {
    let token = Ident::new(&format!("{name}Token"), name.span());
    let session = Ident::new(&format!("{name}Session"), name.span());
    let update = Ident::new(&format!("{name}Update"), name.span());
    quote! {
        #[allow(missing_docs)]
        #vis struct #name;
        #[allow(missing_docs)]
        #vis struct #token {}
        #[allow(missing_docs)]
        #vis struct #session {}
        #[allow(missing_docs)]
        #vis struct #update {}
    }
}
