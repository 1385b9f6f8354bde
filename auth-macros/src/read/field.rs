//! The fields of the config struct: each is a provider (`#[provider(...)]`), a session-only
//! field (`#[session_field]`) or a claim (`#[claim(...)]`, or no attribute at all), and may
//! carry docs.

use proc_macro2::Ident;
use syn::spanned::Spanned as _;
use syn::{Attribute, Field};

use super::claim::read_claim;
use super::provider::read_provider;
use super::session_field::read_session_field;
use super::{ReadClaim, ReadProvider, ReadSessionField};
use crate::attr::FIELD_ATTRIBUTES;
use crate::diag::{Errors, unknown_key};

/// The providers, claims and session-only fields of `fields`, in declaration order.
pub(crate) fn read_fields(
    config: &Ident,
    fields: &[Field],
    errors: &mut Errors,
) -> (Vec<ReadProvider>, Vec<ReadClaim>, Vec<ReadSessionField>) {
    let mut providers = Vec::new();
    let mut claims = Vec::new();
    let mut session_fields = Vec::new();
    for field in fields {
        let Some(ident) = &field.ident else {
            continue;
        };
        let attributes = FieldAttributes::read(field, errors);
        if let Some(session_field) = attributes.session_field {
            let other = match (attributes.provider, attributes.claim) {
                (Some(_), _) => Some(("a provider", "`#[provider(...)]`")),
                (None, Some(_)) => Some(("a claim", "`#[claim(...)]`")),
                (None, None) => None,
            };
            if let Some((what, attribute)) = other {
                errors.push(
                    session_field.path().span(),
                    format!(
                        "field `{ident}` cannot be both {what} and a session-only field: a \
                         `#[session_field]` is filled by the `session` callback on each read \
                         and never written to the token; remove {attribute}, or move the \
                         session field to a field of its own"
                    ),
                );
            }
            // Read even when refused, so that the fallback declares it where code uses it.
            session_fields.extend(read_session_field(
                field,
                ident,
                session_field,
                attributes.docs,
                errors,
            ));
            continue;
        }
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
    (providers, claims, session_fields)
}

/// The attributes of one field, sorted by what they are.
struct FieldAttributes<'a> {
    provider: Option<&'a Attribute>,
    claim: Option<&'a Attribute>,
    session_field: Option<&'a Attribute>,
    docs: Vec<Attribute>,
}

impl<'a> FieldAttributes<'a> {
    fn read(field: &'a Field, errors: &mut Errors) -> Self {
        let mut attributes = Self {
            provider: None,
            claim: None,
            session_field: None,
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
            } else if path.is_ident("session_field") {
                attributes.session_field = Some(attribute);
            } else {
                let name = path
                    .get_ident()
                    .map_or_else(|| "…".to_owned(), ToString::to_string);
                errors.push(
                    path.span(),
                    format!(
                        "{}; fields of an auth config take `#[claim(...)]`, `#[provider(...)]` or `#[session_field]`",
                        unknown_key("field attribute", &name, FIELD_ATTRIBUTES)
                    ),
                );
            }
        }
        attributes
    }
}
