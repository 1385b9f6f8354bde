//! The fields of the config struct: each is a provider (`#[provider(...)]`) or a claim
//! (`#[claim(...)]`, or no attribute at all), and may carry docs.

use proc_macro2::Ident;
use syn::spanned::Spanned as _;
use syn::{Attribute, Field};

use super::claim::read_claim;
use super::provider::read_provider;
use super::{ReadClaim, ReadProvider};
use crate::attr::FIELD_ATTRIBUTES;
use crate::diag::{Errors, unknown_key};

/// The providers and claims of `fields`, in declaration order.
pub(crate) fn read_fields(
    config: &Ident,
    fields: &[Field],
    errors: &mut Errors,
) -> (Vec<ReadProvider>, Vec<ReadClaim>) {
    let mut providers = Vec::new();
    let mut claims = Vec::new();
    for field in fields {
        let Some(ident) = &field.ident else {
            continue;
        };
        let attributes = FieldAttributes::read(field, errors);
        match (attributes.provider, attributes.claim) {
            (Some(_), Some(claim)) => errors.push(
                claim.path().span(),
                format!(
                    "field `{ident}` cannot be both a provider and a claim: remove \
                     `#[claim(...)]`, or move the claim to a field of its own"
                ),
            ),
            (Some(provider), None) => {
                providers.extend(read_provider(config, field, ident, provider, errors));
            }
            (None, claim) => {
                claims.extend(read_claim(field, ident, claim, attributes.docs, errors));
            }
        }
    }
    (providers, claims)
}

/// The attributes of one field, sorted by what they are.
struct FieldAttributes<'a> {
    provider: Option<&'a Attribute>,
    claim: Option<&'a Attribute>,
    docs: Vec<Attribute>,
}

impl<'a> FieldAttributes<'a> {
    fn read(field: &'a Field, errors: &mut Errors) -> Self {
        let mut attributes = Self {
            provider: None,
            claim: None,
            docs: Vec::new(),
        };
        for attribute in &field.attrs {
            let path = attribute.path();
            if path.is_ident("doc") {
                attributes.docs.push(attribute.clone());
            } else if path.is_ident("provider") {
                attributes.provider = Some(attribute);
            } else if path.is_ident("claim") {
                attributes.claim = Some(attribute);
            } else {
                let name = path
                    .get_ident()
                    .map_or_else(|| "…".to_owned(), ToString::to_string);
                errors.push(
                    path.span(),
                    format!(
                        "{}; fields of an auth config take `#[claim(...)]` or `#[provider(...)]`",
                        unknown_key("field attribute", &name, FIELD_ATTRIBUTES)
                    ),
                );
            }
        }
        attributes
    }
}
