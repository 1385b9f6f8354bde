//! `<Name>Update`: the only fields a client's `update()` may send, and how they are applied.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned as _;

use super::private_path_string;
use super::typescript;
use crate::model::{ClaimSource, Config};

/// The update struct. Unknown fields are refused when it is deserialised.
pub(crate) fn update_type(config: &Config) -> TokenStream {
    let krate = &config.krate;
    let vis = &config.vis;
    let name = &config.name;
    let update = config.type_name("Update");
    let serde_crate = private_path_string(krate, "serde");
    let fields = config.updatable_claims().map(|(claim, check)| {
        let field = &claim.field;
        let ty = &claim.ty;
        let json_name = &claim.json_name;
        let doc = format!(
            " A new `{json_name}`, applied only if `{}` allows it. Absent: unchanged.",
            quote!(#check).to_string().replace(' ', "")
        );
        let attributes = typescript::update_field_attributes(config, json_name);
        quote! {
            #[doc = #doc]
            #attributes
            pub #field: #krate::__private::Option<#ty>,
        }
    });
    let doc = format!(
        " What a client's `update()` may send for [`{name}`]: exactly the claims declared with \
         `update = check`. Any other field (a role, a permission, a balance) is refused before \
         anything runs."
    );
    let redacted = format!("{update}([redacted])");
    let ts_derive = typescript::derive(config);
    quote! {
        #[doc = #doc]
        #[derive(::core::default::Default, #krate::__private::serde::Deserialize)]
        #[serde(crate = #serde_crate, deny_unknown_fields)]
        #ts_derive
        #vis struct #update {
            #(#fields)*
        }

        /// Redacted: an update may carry personal data.
        impl #krate::__private::fmt::Debug for #update {
            fn fmt(&self, f: &mut #krate::__private::fmt::Formatter<'_>) -> #krate::__private::fmt::Result {
                f.write_str(#redacted)
            }
        }
    }
}

/// The body of `apply_update`: every check first, then every change, then derived claims
/// recomputed. Uses the locals `token`, `update` and `state`.
pub(crate) fn apply_update_body(config: &Config) -> TokenStream {
    let krate = &config.krate;
    let checks = config.updatable_claims().map(|(claim, check)| {
        let field = &claim.field;
        let json_name = &claim.json_name;
        let call = quote_spanned! {check.span()=>
            #check(&*token, proposed, state).await
        };
        quote! {
            if let #krate::__private::Some(proposed) = &update.#field {
                match #krate::__private::Result::map_err(#call, ::core::convert::Into::<#krate::__private::CallbackError>::into) {
                    #krate::__private::Ok(true) => {}
                    #krate::__private::Ok(false) => {
                        return #krate::__private::Err(#krate::__private::UpdateError::Refused { claim: #json_name });
                    }
                    #krate::__private::Err(error) => {
                        return #krate::__private::Err(#krate::__private::UpdateError::Check { claim: #json_name, error });
                    }
                }
            }
        }
    });
    let assignments = config.updatable_claims().map(|(claim, _)| {
        let field = &claim.field;
        quote! {
            if let #krate::__private::Some(value) = update.#field {
                token.#field = value;
            }
        }
    });
    let derived = derived_assignments(config, &quote!(token.));
    quote! {
        #(#checks)*
        #(#assignments)*
        #derived
        #krate::__private::Ok(())
    }
}

/// `token.permissions = Role::permissions(&token.role);` for every derived claim, in
/// declaration order. `prefix` is how the claims it reads are reached (`token.` or nothing
/// for locals).
pub(crate) fn derived_assignments(config: &Config, prefix: &TokenStream) -> TokenStream {
    config
        .claims
        .iter()
        .filter_map(|claim| match &claim.source {
            ClaimSource::Derived { function, args } => {
                let field = &claim.field;
                let ty = &claim.ty;
                let call = quote_spanned! {function.span()=>
                    #function(#(&#prefix #args),*)
                };
                Some(quote! {
                    #prefix #field = {
                        let derived: #ty = #call;
                        derived
                    };
                })
            }
            _ => None,
        })
        .collect()
}
