//! Readers, one per attribute family: the keys of `#[auth_config(...)]` (`config`, with its
//! nested lists in `settings`), `#[provider(...)]` (`provider`), `#[claim(...)]` (`claim`) and
//! `#[session_field(...)]` (`session_field`).
//!
//! A reader never returns early: it records each problem and keeps reading, so one build
//! reports every mistake. It checks the shape of what is written (a known key, a string where
//! a string goes); the rules across values live in `check`.

mod claim;
mod config;
mod field;
mod oidc;
mod provider;
mod session_field;
mod settings;

use std::time::Duration;

use proc_macro2::{Ident, Span};
use syn::Meta;
use syn::spanned::Spanned as _;

use crate::attr;
use crate::diag::Errors;
use crate::model::{Claim, Provider, SessionField};

pub(crate) use config::{Settings, read_config};
pub(crate) use field::read_fields;
pub(crate) use provider::{default_form_fields, form_name};

/// Everything read from the input, spans kept for `check`: not yet known to be valid.
pub(crate) struct Draft {
    pub(crate) settings: Settings,
    pub(crate) providers: Vec<ReadProvider>,
    pub(crate) claims: Vec<ReadClaim>,
    pub(crate) session_fields: Vec<ReadSessionField>,
}

/// A string value and the span of its literal, e.g. `base_path = "/api/auth"`.
pub(crate) struct Text {
    pub(crate) value: String,
    pub(crate) span: Span,
}

/// A duration as written (`"7d"`), parsed, with the span of its literal.
pub(crate) struct Age {
    pub(crate) duration: Duration,
    pub(crate) text: String,
    pub(crate) span: Span,
}

/// A provider field as read.
pub(crate) struct ReadProvider {
    pub(crate) provider: Provider,
    /// The field that declares it.
    pub(crate) field: Ident,
    /// The span of `id = "…"`, or of the field's name when the id is the name.
    pub(crate) id_span: Span,
    /// Whether the id is the field's name (no `id = "…"`).
    pub(crate) id_is_field_name: bool,
    /// The span of `refresh`, when written.
    pub(crate) refresh_span: Option<Span>,
}

/// A claim field as read.
pub(crate) struct ReadClaim {
    pub(crate) claim: Claim,
    /// The span of `rename = "…"`, or of the field's name when the JSON name comes from it.
    pub(crate) name_span: Span,
    /// Whether `from_user`, `from_account` or `derive` is written, readable or not (an
    /// unreadable one is already reported).
    pub(crate) source_written: bool,
    /// The span of `private`, when written.
    pub(crate) private_span: Option<Span>,
    /// The span of `session = …`'s value, when written and readable.
    pub(crate) session_span: Option<Span>,
}

/// A session-only field as read.
pub(crate) struct ReadSessionField {
    pub(crate) field: SessionField,
    /// The span of `rename = "…"`, or of the field's name when the JSON name comes from it.
    pub(crate) name_span: Span,
    /// The span of `session_field` in the attribute.
    pub(crate) attribute_span: Span,
}

/// The metas of one list with their keys, in order. A meta whose key is not an identifier,
/// or repeats an earlier key, is reported and left out.
fn keyed<'a>(list: &'a [Meta], errors: &mut Errors) -> Vec<(String, &'a Meta)> {
    let mut keyed: Vec<(String, &Meta)> = Vec::with_capacity(list.len());
    for meta in list {
        let Some(key) = errors.take(attr::key_of(meta)) else {
            continue;
        };
        if keyed.iter().any(|(seen, _)| *seen == key) {
            errors.push(
                meta.path().span(),
                format!("duplicate key `{key}`: give it once"),
            );
        } else {
            keyed.push((key, meta));
        }
    }
    keyed
}

/// The string of `key = "…"` with its span.
fn text(meta: &Meta, key: &str, example: &str, errors: &mut Errors) -> Option<Text> {
    let (value, span) = errors.take(attr::string_value(meta, key, example))?;
    Some(Text { value, span })
}
