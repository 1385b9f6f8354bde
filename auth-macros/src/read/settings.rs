//! The nested lists of `#[auth_config(...)]`: `session(...)`, `pages(...)`,
//! `rate_limit(...)`, `callbacks(...)` and `tokens(bearer(...))`.

use syn::Meta;
use syn::spanned::Spanned as _;

use super::config::{BearerDraft, PageTexts};
use super::{Age, Text, keyed, text};
use crate::attr::{
    self, BEARER_ACCEPT, BEARER_ALGORITHMS, BEARER_KEYS, CALLBACK_KEYS, PAGE_KEYS, RATE_LIMIT_KEYS,
    SESSION_KEYS, TOKENS_KEYS,
};
use crate::diag::{Errors, unknown_key};
use crate::model::Callbacks;

/// `session(max_age = "…", update_age = "…")`: the two ages, each if given and a duration.
pub(super) fn read_session(meta: &Meta, errors: &mut Errors) -> (Option<Age>, Option<Age>) {
    let example = "session(max_age = \"30d\", update_age = \"1h\")";
    let (mut max_age, mut update_age) = (None, None);
    let Some(list) = errors.take(attr::nested(meta, "session", example)) else {
        return (max_age, update_age);
    };
    for (key, inner) in keyed(&list, errors) {
        match key.as_str() {
            "max_age" => max_age = read_duration(inner, "max_age", example, errors),
            "update_age" => update_age = read_duration(inner, "update_age", example, errors),
            other => errors.push(inner.path().span(), unknown_key("key", other, SESSION_KEYS)),
        }
    }
    (max_age, update_age)
}

/// A duration written as a string (`"30d"`), in `auth_rules::parse_duration`'s grammar.
fn read_duration(meta: &Meta, key: &str, example: &str, errors: &mut Errors) -> Option<Age> {
    let text = text(meta, key, example, errors)?;
    match auth_rules::parse_duration(&text.value) {
        Ok(duration) => Some(Age {
            duration,
            text: text.value,
            span: text.span,
        }),
        Err(refusal) => {
            errors.push(
                text.span,
                format!("invalid duration `{}`: {refusal}", text.value),
            );
            None
        }
    }
}

/// `pages(sign_in = "/login", …)`, as written; `check` decides whether they are pages.
pub(super) fn read_pages(meta: &Meta, errors: &mut Errors) -> PageTexts {
    let example = "pages(sign_in = \"/login\", error = \"/auth/error\")";
    let mut pages = PageTexts::default();
    let Some(list) = errors.take(attr::nested(meta, "pages", example)) else {
        return pages;
    };
    for (key, inner) in keyed(&list, errors) {
        let slot = match key.as_str() {
            "sign_in" => &mut pages.sign_in,
            "sign_out" => &mut pages.sign_out,
            "error" => &mut pages.error,
            other => {
                errors.push(inner.path().span(), unknown_key("page", other, PAGE_KEYS));
                continue;
            }
        };
        *slot = text(inner, &key, example, errors);
    }
    pages
}

/// `rate_limit(sign_in = "5 per 15m")`: failed attempts allowed per window, in
/// `auth_rules::parse_rate_limit`'s grammar.
pub(super) fn read_rate_limit(meta: &Meta, errors: &mut Errors) -> Option<(u32, u64)> {
    let example = "rate_limit(sign_in = \"5 per 15m\")";
    let mut limit = None;
    let list = errors.take(attr::nested(meta, "rate_limit", example))?;
    for (key, inner) in keyed(&list, errors) {
        if key != "sign_in" {
            errors.push(
                inner.path().span(),
                unknown_key("rate limit", &key, RATE_LIMIT_KEYS),
            );
            continue;
        }
        let Some(text) = text(inner, "sign_in", example, errors) else {
            continue;
        };
        match auth_rules::parse_rate_limit(&text.value) {
            Ok(spec) => limit = Some((spec.attempts, spec.window.as_secs())),
            Err(refusal) => errors.push(
                text.span,
                format!("invalid rate limit `{}`: {refusal}", text.value),
            ),
        }
    }
    limit
}

/// `callbacks(sign_in = …, jwt = …, session = …, redirect = …)`: a path each.
pub(super) fn read_callbacks(meta: &Meta, errors: &mut Errors) -> Callbacks {
    let example = "callbacks(sign_in = policy::sign_in)";
    let mut callbacks = Callbacks::default();
    let Some(list) = errors.take(attr::nested(meta, "callbacks", example)) else {
        return callbacks;
    };
    for (key, inner) in keyed(&list, errors) {
        let slot = match key.as_str() {
            "sign_in" => &mut callbacks.sign_in,
            "jwt" => &mut callbacks.jwt,
            "session" => &mut callbacks.session,
            "redirect" => &mut callbacks.redirect,
            other => {
                errors.push(
                    inner.path().span(),
                    unknown_key("callback", other, CALLBACK_KEYS),
                );
                continue;
            }
        };
        *slot = errors.take(attr::path_value(
            inner,
            &key,
            &format!("{key} = path::to::{key}"),
        ));
    }
    callbacks
}

/// `tokens(bearer(alg = "EdDSA", ttl = "15m", audience = "…", accept = "both"))`: the bearer
/// settings as written, each value checked to be one the key takes; `check` applies the
/// rules across them (the audience required, the ttl's range).
pub(super) fn read_tokens(meta: &Meta, errors: &mut Errors) -> Option<BearerDraft> {
    let example =
        "tokens(bearer(alg = \"EdDSA\", ttl = \"15m\", audience = \"https://api.example\"))";
    let list = errors.take(attr::nested(meta, "tokens", example))?;
    let mut bearer = None;
    for (key, inner) in keyed(&list, errors) {
        if key != "bearer" {
            errors.push(
                inner.path().span(),
                unknown_key("token kind", &key, TOKENS_KEYS),
            );
            continue;
        }
        bearer = Some(read_bearer(inner, example, errors));
    }
    bearer
}

/// `bearer(...)`'s keys.
fn read_bearer(meta: &Meta, example: &str, errors: &mut Errors) -> BearerDraft {
    let mut draft = BearerDraft {
        span: meta.path().span(),
        ..BearerDraft::default()
    };
    let Some(list) = errors.take(attr::nested(meta, "bearer", example)) else {
        return draft;
    };
    for (key, inner) in keyed(&list, errors) {
        match key.as_str() {
            "alg" => {
                draft.alg = read_choice(inner, "alg", BEARER_ALGORITHMS, algorithm_hint, errors)
            }
            "ttl" => draft.ttl = read_duration(inner, "ttl", example, errors),
            "audience" => draft.audience = text(inner, "audience", example, errors),
            "accept" => {
                draft.accept = read_choice(inner, "accept", BEARER_ACCEPT, |_| None, errors)
            }
            other => errors.push(inner.path().span(), unknown_key("key", other, BEARER_KEYS)),
        }
    }
    draft
}

/// A string that must be one of `choices`; the runtime's variant name of the one given.
fn read_choice(
    meta: &Meta,
    key: &str,
    choices: &[(&str, &'static str)],
    hint: fn(&str) -> Option<&'static str>,
    errors: &mut Errors,
) -> Option<&'static str> {
    let example = format!(
        "{key} = \"{}\"",
        choices.first().map_or("", |choice| choice.0)
    );
    let Text { value, span } = text(meta, key, &example, errors)?;
    if let Some((_, variant)) = choices.iter().find(|(name, _)| *name == value) {
        return Some(variant);
    }
    let names: Vec<&str> = choices.iter().map(|(name, _)| *name).collect();
    let message = match hint(&value) {
        Some(hint) => format!("`{key} = \"{value}\"` {hint}"),
        None => unknown_key(&format!("`{key}`"), &value, &names),
    };
    errors.push(span, message);
    None
}

/// Why an algorithm that exists is not one bearer tokens are signed with.
fn algorithm_hint(alg: &str) -> Option<&'static str> {
    match alg {
        "none" | "None" | "NONE" => Some(
            "would sign nothing: an unsigned token proves nothing; use \"EdDSA\", \"ES256\" or \
             \"HS256\"",
        ),
        "RS256" => Some(
            "only verifies tokens others sign (give their public keys at start-up); sign with \
             \"EdDSA\" or \"ES256\"",
        ),
        "HS384" | "HS512" | "ES384" | "ES512" | "RS384" | "RS512" | "PS256" | "PS384" | "PS512"
        | "Ed25519" => Some("is not supported: use \"EdDSA\", \"ES256\" or \"HS256\""),
        _ => None,
    }
}
