//! `#[session_field]` on a field: a member of the session only, filled by the `session`
//! callback on each read and never written to the token.

use proc_macro2::Ident;
use syn::spanned::Spanned as _;
use syn::{Attribute, Field, Meta};

use super::{ReadSessionField, keyed, text};
use crate::attr::{self, SESSION_FIELD_KEYS};
use crate::diag::{Errors, unknown_key};
use crate::model::{SessionField, camel_case, is_option};

/// The session-only field a field declares with `attribute`.
pub(super) fn read_session_field(
    field: &Field,
    ident: &Ident,
    attribute: &Attribute,
    docs: Vec<Attribute>,
    errors: &mut Errors,
) -> Option<ReadSessionField> {
    let mut top = false;
    let mut rename = None;
    let metas = match &attribute.meta {
        Meta::List(list) => errors.take(attr::parse_list(list.tokens.clone()))?,
        Meta::Path(_) => Vec::new(),
        Meta::NameValue(name_value) => {
            errors.push(
                name_value.span(),
                "`session_field` takes no value: write `#[session_field]`, or \
                 `#[session_field(top)]` for the session's top level",
            );
            return None;
        }
    };
    for (key, meta) in keyed(&metas, errors) {
        match key.as_str() {
            "top" => top |= errors.take(attr::flag(meta, "top")).is_some(),
            "rename" => rename = text(meta, "rename", "rename = \"featureFlags\"", errors),
            other => errors.push(
                meta.path().span(),
                unknown_key("key", other, SESSION_FIELD_KEYS),
            ),
        }
    }
    let (json_name, name_span) = match rename {
        Some(rename) => (rename.value, rename.span),
        None => (camel_case(&ident.to_string()), ident.span()),
    };
    Some(ReadSessionField {
        field: SessionField {
            field: ident.clone(),
            json_name,
            ty: field.ty.clone(),
            optional: is_option(&field.ty),
            docs,
            top,
        },
        name_span,
        attribute_span: attribute.path().span(),
    })
}
