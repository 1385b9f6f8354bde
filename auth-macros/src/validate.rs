//! From syntax to meaning: every rule a configuration must follow, each error at its span.
//!
//! Nothing here stops at the first problem: each check records its error and parsing goes
//! on, so one build reports every mistake. A model is returned only when there was none.

use std::collections::HashMap;
use std::time::Duration;

use auth_rules::{DEFAULT_BASE_PATH, DEFAULT_MAX_AGE};

use proc_macro2::{Ident, Span};
use syn::spanned::Spanned as _;
use syn::{Attribute, Expr, Field, Meta, Path, Type};

use crate::ast::Input;
use crate::attr::{
    self, CALLBACK_KEYS, CLAIM_KEYS, CONFIG_KEYS, CREDENTIALS_KEYS, PAGE_KEYS, RATE_LIMIT_KEYS,
};
use crate::diag::{Errors, unknown_key};
use crate::model::{
    Callbacks, Claim, ClaimSource, Config, CredentialField, Pages, Provider, ProviderKind,
    camel_case, is_option, pascal_case,
};

/// Checks the input and builds the model, or records why it cannot.
pub(crate) fn validate(input: Input, errors: &mut Errors) -> Option<Config> {
    let mut settings = read_settings(&input.args, errors);
    let mut providers = Vec::new();
    let mut claims = Vec::new();
    let mut provider_ids: HashMap<String, Ident> = HashMap::new();
    let claim_names: Vec<String> = input
        .fields
        .iter()
        .filter(|field| !has_attribute(&field.attrs, "provider"))
        .filter_map(|field| field.ident.as_ref().map(ToString::to_string))
        .collect();

    for field in &input.fields {
        let Some(ident) = field.ident.clone() else {
            continue;
        };
        match read_field(&input.name, field, &ident, &claim_names, errors) {
            Some(FieldMeaning::Provider(provider, id_span)) => {
                if let Some(first) = provider_ids.get(&provider.id) {
                    errors.push(
                        id_span,
                        format!(
                            "duplicate provider id `{}`: field `{first}` already uses it; give \
                             one of them another `id = \"…\"`",
                            provider.id
                        ),
                    );
                } else {
                    provider_ids.insert(provider.id.clone(), ident);
                }
                providers.push(*provider);
            }
            Some(FieldMeaning::Claim(claim)) => claims.push(*claim),
            None => {}
        }
    }
    check_claims(&claims, errors);

    let user = settings.user.take();
    if user.is_none() {
        errors.push(
            Span::call_site(),
            "missing `user = …`: name the type providers produce at sign-in, e.g. \
             `user = crate::users::User`",
        );
    }
    let user = user?;
    if !errors.is_empty() {
        return None;
    }
    Some(Config {
        krate: settings
            .krate
            .unwrap_or_else(|| syn::parse_quote!(::auth_runtime)),
        name: input.name,
        vis: input.vis,
        attrs: input.attrs,
        base_path: settings
            .base_path
            .unwrap_or_else(|| DEFAULT_BASE_PATH.to_owned()),
        user,
        state: settings.state.unwrap_or_else(|| syn::parse_quote!(())),
        max_age_secs: settings
            .session
            .max_age
            .unwrap_or(DEFAULT_MAX_AGE)
            .as_secs(),
        update_age_secs: settings.session.update_age.map_or(0, |age| age.as_secs()),
        callbacks: settings.callbacks,
        events: settings.events,
        pages: settings.pages,
        sign_in_rate_limit: settings.sign_in_rate_limit,
        providers,
        claims,
    })
}

/// The settings of `#[auth_config(...)]`.
#[derive(Default)]
struct Settings {
    base_path: Option<String>,
    user: Option<Type>,
    state: Option<Type>,
    session: Session,
    callbacks: Callbacks,
    events: Option<Path>,
    pages: Pages,
    /// The span of each page's value, for the check against the base path.
    page_spans: Vec<(String, Span)>,
    sign_in_rate_limit: Option<(u32, u64)>,
    krate: Option<Path>,
}

fn read_settings(args: &[Meta], errors: &mut Errors) -> Settings {
    let mut settings = Settings::default();
    for (key, meta) in keyed(args, errors) {
        match key.as_str() {
            "base_path" => {
                if let Some((path, span)) = errors.take(attr::string_value(
                    meta,
                    "base_path",
                    "base_path = \"/api/auth\"",
                )) {
                    match auth_rules::check_base_path(&path) {
                        Ok(()) => settings.base_path = Some(path),
                        Err(why) => errors.push(span, format!("invalid base path `{path}`: {why}")),
                    }
                }
            }
            "user" => {
                settings.user = errors.take(attr::type_value(meta, "user", "user = crate::User"));
            }
            "state" => {
                settings.state =
                    errors.take(attr::type_value(meta, "state", "state = crate::AppState"));
            }
            "session" => settings.session = read_session(meta, errors),
            "callbacks" => settings.callbacks = read_callbacks(meta, errors),
            "events" => {
                settings.events =
                    errors.take(attr::path_value(meta, "events", "events = audit::record"));
            }
            "pages" => (settings.pages, settings.page_spans) = read_pages(meta, errors),
            "rate_limit" => settings.sign_in_rate_limit = read_rate_limit(meta, errors),
            "crate" => {
                settings.krate =
                    errors.take(attr::path_value(meta, "crate", "crate = my_auth_runtime"));
            }
            other => errors.push(meta.path().span(), unknown_key("key", other, CONFIG_KEYS)),
        }
    }
    check_pages(&mut settings, errors);
    settings
}

/// A custom page is a path on this site outside the base path (`auth_rules::check_page_path`).
fn check_pages(settings: &mut Settings, errors: &mut Errors) {
    let base_path = settings.base_path.as_deref().unwrap_or(DEFAULT_BASE_PATH);
    let pages = &mut settings.pages;
    for slot in [&mut pages.sign_in, &mut pages.sign_out, &mut pages.error] {
        let Some(path) = slot.as_deref() else {
            continue;
        };
        if let Err(refusal) = auth_rules::check_page_path(path, base_path) {
            let span = settings
                .page_spans
                .iter()
                .find(|(page, _)| page == path)
                .map_or_else(Span::call_site, |(_, span)| *span);
            errors.push(span, format!("invalid page `{path}`: {refusal}"));
            *slot = None;
        }
    }
}

/// `session(max_age = …, update_age = …)`.
#[derive(Default)]
struct Session {
    max_age: Option<Duration>,
    update_age: Option<Duration>,
}

fn read_session(meta: &Meta, errors: &mut Errors) -> Session {
    let example = "session(max_age = \"30d\", update_age = \"1h\")";
    let mut session = Session::default();
    let Some(list) = errors.take(attr::nested(meta, "session", example)) else {
        return session;
    };
    let mut update_age = None;
    for (key, inner) in keyed(&list, errors) {
        match key.as_str() {
            "max_age" => {
                let Some((duration, text, span)) = read_duration(inner, "max_age", example, errors)
                else {
                    continue;
                };
                match auth_rules::check_max_age(duration) {
                    Ok(()) => session.max_age = Some(duration),
                    Err(refusal) => errors.push(
                        span,
                        format!("`max_age = \"{text}\"` is out of range: {refusal}"),
                    ),
                }
            }
            "update_age" => {
                update_age = read_duration(inner, "update_age", example, errors);
            }
            other => errors.push(
                inner.path().span(),
                unknown_key("key", other, attr::SESSION_KEYS),
            ),
        }
    }
    if let Some((duration, text, span)) = update_age {
        let max_age = session.max_age.unwrap_or(DEFAULT_MAX_AGE);
        match auth_rules::check_update_age(duration, max_age) {
            Ok(()) => session.update_age = Some(duration),
            Err(refusal) => errors.push(
                span,
                format!(
                    "invalid `update_age = \"{text}\"` for a `max_age` of {}: {refusal}",
                    humantime::format_duration(max_age)
                ),
            ),
        }
    }
    session
}

/// A duration written as a string (`"30d"`), with its text and span for later errors.
fn read_duration(
    meta: &Meta,
    key: &str,
    example: &str,
    errors: &mut Errors,
) -> Option<(Duration, String, Span)> {
    let (text, span) = errors.take(attr::string_value(meta, key, example))?;
    match auth_rules::parse_duration(&text) {
        Ok(duration) => Some((duration, text, span)),
        Err(refusal) => {
            errors.push(span, format!("invalid duration `{text}`: {refusal}"));
            None
        }
    }
}

fn read_pages(meta: &Meta, errors: &mut Errors) -> (Pages, Vec<(String, Span)>) {
    let example = "pages(sign_in = \"/login\", error = \"/auth/error\")";
    let mut pages = Pages::default();
    let mut spans = Vec::new();
    let Some(list) = errors.take(attr::nested(meta, "pages", example)) else {
        return (pages, spans);
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
        let Some((path, span)) = errors.take(attr::string_value(inner, &key, example)) else {
            continue;
        };
        spans.push((path.clone(), span));
        *slot = Some(path);
    }
    (pages, spans)
}

/// `rate_limit(sign_in = "5 per 15m")`: failed attempts allowed per window.
fn read_rate_limit(meta: &Meta, errors: &mut Errors) -> Option<(u32, u64)> {
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
        let Some((text, span)) = errors.take(attr::string_value(inner, "sign_in", example)) else {
            continue;
        };
        match auth_rules::parse_rate_limit(&text) {
            Ok(spec) => limit = Some((spec.attempts, spec.window.as_secs())),
            Err(refusal) => errors.push(span, format!("invalid rate limit `{text}`: {refusal}")),
        }
    }
    limit
}

fn read_callbacks(meta: &Meta, errors: &mut Errors) -> Callbacks {
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

enum FieldMeaning {
    Provider(Box<Provider>, Span),
    Claim(Box<Claim>),
}

fn read_field(
    config: &Ident,
    field: &Field,
    ident: &Ident,
    claim_names: &[String],
    errors: &mut Errors,
) -> Option<FieldMeaning> {
    let mut provider_attr = None;
    let mut claim_attr = None;
    let mut docs = Vec::new();
    for attribute in &field.attrs {
        let path = attribute.path();
        if path.is_ident("doc") {
            docs.push(attribute.clone());
        } else if path.is_ident("provider") {
            provider_attr = Some(attribute);
        } else if path.is_ident("claim") {
            claim_attr = Some(attribute);
        } else {
            let name = path
                .get_ident()
                .map_or_else(|| "…".to_owned(), ToString::to_string);
            errors.push(
                path.span(),
                format!(
                    "{}; fields of an auth config take `#[claim(...)]` or `#[provider(...)]`",
                    unknown_key("field attribute", &name, attr::FIELD_ATTRIBUTES)
                ),
            );
        }
    }
    match (provider_attr, claim_attr) {
        (Some(_), Some(claim)) => {
            errors.push(
                claim.path().span(),
                format!("field `{ident}` cannot be both a provider and a claim"),
            );
            None
        }
        (Some(provider), None) => read_provider(config, field, ident, provider, errors)
            .map(|(provider, span)| FieldMeaning::Provider(Box::new(provider), span)),
        (None, claim) => read_claim(field, ident, claim, docs, claim_names, errors)
            .map(|claim| FieldMeaning::Claim(Box::new(claim))),
    }
}

fn read_provider(
    config: &Ident,
    field: &Field,
    ident: &Ident,
    attribute: &Attribute,
    errors: &mut Errors,
) -> Option<(Provider, Span)> {
    let example = "#[provider(credentials(authorize = users::authorize))]";
    let kinds = match &attribute.meta {
        Meta::List(list) => errors.take(attr::parse_list(list.tokens.clone()))?,
        other => {
            errors.push(
                other.span(),
                format!("a provider names its kind: `{example}`"),
            );
            return None;
        }
    };
    let [kind] = kinds.as_slice() else {
        errors.push(
            attribute.span(),
            format!("a provider field declares exactly one provider: `{example}`"),
        );
        return None;
    };
    let kind_name = errors.take(attr::key_of(kind))?;
    match kind_name.as_str() {
        "credentials" => read_credentials(config, ident, &field.ty, kind, errors),
        other => {
            errors.push(
                kind.path().span(),
                unknown_key("provider kind", other, attr::PROVIDER_KINDS),
            );
            None
        }
    }
}

fn read_credentials(
    config: &Ident,
    ident: &Ident,
    ty: &Type,
    meta: &Meta,
    errors: &mut Errors,
) -> Option<(Provider, Span)> {
    let example = "credentials(authorize = users::authorize)";
    let mut authorize = None;
    let mut id = None;
    let mut name = None;
    let mut fields = None;
    let list = errors.take(attr::nested(meta, "credentials", example))?;
    for (key, inner) in keyed(&list, errors) {
        match key.as_str() {
            "authorize" => {
                authorize = errors.take(attr::path_value(inner, "authorize", example));
            }
            "id" => {
                if let Some((value, span)) =
                    errors.take(attr::string_value(inner, "id", "id = \"credentials\""))
                {
                    match auth_rules::check_provider_id(&value) {
                        Ok(()) => id = Some((value, span)),
                        Err(refusal) => {
                            errors.push(span, format!("invalid provider id `{value}`: {refusal}"));
                        }
                    }
                }
            }
            "name" => {
                name = errors
                    .take(attr::string_value(
                        inner,
                        "name",
                        "name = \"Email and password\"",
                    ))
                    .map(|(value, _)| value);
            }
            "fields" => fields = read_credential_fields(inner, errors),
            other => errors.push(
                inner.path().span(),
                unknown_key("key", other, CREDENTIALS_KEYS),
            ),
        }
    }
    let Some(authorize) = authorize else {
        errors.push(
            meta.span(),
            format!("a credentials provider needs `authorize = …`: `{example}`"),
        );
        return None;
    };
    let (id, id_span) = match id {
        Some(id) => id,
        None => {
            let id = ident.to_string();
            if let Err(refusal) = auth_rules::check_provider_id(&id) {
                errors.push(
                    ident.span(),
                    format!(
                        "the field name `{id}` is not a valid provider id: {refusal}; name the \
                         field so, or give it `id = \"…\"`"
                    ),
                );
            }
            (id, ident.span())
        }
    };
    let fields = fields.unwrap_or_else(|| {
        vec![
            CredentialField {
                name: Ident::new("email", ident.span()),
                label: "Email".to_owned(),
                secret: false,
            },
            CredentialField {
                name: Ident::new("password", ident.span()),
                label: "Password".to_owned(),
                secret: true,
            },
        ]
    });
    let form = Ident::new(
        &format!("{config}{}Form", pascal_case(&ident.to_string())),
        ident.span(),
    );
    Some((
        Provider {
            id,
            name: name.unwrap_or_else(|| "Credentials".to_owned()),
            ty: ty.clone(),
            kind: ProviderKind::Credentials {
                authorize,
                form,
                fields,
            },
        },
        id_span,
    ))
}

fn read_credential_fields(meta: &Meta, errors: &mut Errors) -> Option<Vec<CredentialField>> {
    let example = "fields(email = \"Email\", password = \"Password\")";
    let mut fields: Vec<CredentialField> = Vec::new();
    for inner in errors.take(attr::nested(meta, "fields", example))? {
        let Some(ident) = inner.path().get_ident().cloned() else {
            errors.push(
                inner.path().span(),
                "a form field is named by an identifier",
            );
            continue;
        };
        let Some((label, _)) = errors.take(attr::string_value(&inner, "fields", example)) else {
            continue;
        };
        if fields.iter().any(|field| field.name == ident) {
            errors.push(ident.span(), format!("duplicate form field `{ident}`"));
            continue;
        }
        fields.push(CredentialField {
            secret: ident == "password",
            name: ident,
            label,
        });
    }
    if fields.is_empty() {
        errors.push(
            meta.span(),
            format!("a credentials form needs fields: `{example}`"),
        );
        return None;
    }
    Some(fields)
}

fn read_claim(
    field: &Field,
    ident: &Ident,
    attribute: Option<&Attribute>,
    docs: Vec<Attribute>,
    claim_names: &[String],
    errors: &mut Errors,
) -> Option<Claim> {
    let mut source: Option<(ClaimSource, Span)> = None;
    let mut private = false;
    let mut update_check = None;
    let mut rename = None;
    let metas = match attribute.map(|attribute| &attribute.meta) {
        Some(Meta::List(list)) => errors.take(attr::parse_list(list.tokens.clone()))?,
        _ => Vec::new(),
    };
    for (key, meta) in keyed(&metas, errors) {
        let key_span = meta.path().span();
        match key.as_str() {
            "from_user" => {
                let from = match meta {
                    Meta::Path(_) => Some(ident.clone()),
                    _ => errors
                        .take(attr::path_value(
                            meta,
                            "from_user",
                            "from_user = user_field",
                        ))
                        .and_then(|path| path.get_ident().cloned()),
                };
                if let Some(from) = from {
                    set_source(&mut source, ClaimSource::FromUser(from), key_span, errors);
                }
            }
            "derive" => {
                if let Some(derived) = read_derive(meta, ident, claim_names, errors) {
                    set_source(&mut source, derived, key_span, errors);
                }
            }
            "private" => {
                if errors.take(attr::flag(meta, "private")).is_some() {
                    private = true;
                }
            }
            "update" => match meta {
                Meta::Path(_) => errors.push(
                    key_span,
                    format!(
                        "an updatable claim needs a check that may refuse the new value: \
                         `update = path::to::check` (an `async fn(&Token, &{}, &State) -> \
                         Result<bool, CallbackError>`)",
                        quote::ToTokens::to_token_stream(&field.ty)
                    ),
                ),
                _ => {
                    update_check = errors.take(attr::path_value(
                        meta,
                        "update",
                        "update = tenants::may_switch",
                    ));
                }
            },
            "rename" => {
                rename = errors.take(attr::string_value(meta, "rename", "rename = \"tenantId\""));
            }
            other => errors.push(key_span, unknown_key("key", other, CLAIM_KEYS)),
        }
    }

    let optional = is_option(&field.ty);
    if let (Some((ClaimSource::Derived { .. }, _)), Some(check)) = (&source, &update_check) {
        errors.push(
            check.span(),
            "a derived claim is recomputed from other claims and cannot be updated; make the \
             claims it derives from updatable instead",
        );
    }
    if source.is_none() && !optional {
        errors.push(
            field.ty.span(),
            format!(
                "claim `{ident}` has no value at sign-in: add `from_user` or `derive = …`, or \
                 make it an `Option<…>` that the `jwt` callback sets"
            ),
        );
    }
    let (json_name, name_span) = match rename {
        Some((name, span)) => (name, span),
        None => (camel_case(&ident.to_string()), ident.span()),
    };
    if let Err(refusal) = auth_rules::check_claim_name(&json_name) {
        errors.push(
            name_span,
            format!("claim name `{json_name}` is reserved: {refusal}"),
        );
    }
    Some(Claim {
        field: ident.clone(),
        json_name,
        ty: field.ty.clone(),
        optional,
        docs,
        source: source.map_or(ClaimSource::Unset, |(source, _)| source),
        private,
        update_check,
    })
}

fn set_source(
    slot: &mut Option<(ClaimSource, Span)>,
    source: ClaimSource,
    span: Span,
    errors: &mut Errors,
) {
    if slot.is_some() {
        errors.push(
            span,
            "a claim has one source: either `from_user` or `derive = …`, not both",
        );
    } else {
        *slot = Some((source, span));
    }
}

/// `derive = Role::permissions(role)`: a function called with references to other claims.
fn read_derive(
    meta: &Meta,
    ident: &Ident,
    claim_names: &[String],
    errors: &mut Errors,
) -> Option<ClaimSource> {
    let example = "derive = Role::permissions(role)";
    let expr = errors.take(attr::expr_value(meta, "derive", example))?;
    let Expr::Call(call) = expr else {
        errors.push(
            expr.span(),
            format!("`derive` calls a function with the claims it is computed from: `{example}`"),
        );
        return None;
    };
    let Expr::Path(function) = call.func.as_ref() else {
        errors.push(
            call.func.span(),
            format!("expected a function path: `{example}`"),
        );
        return None;
    };
    let mut args = Vec::new();
    for arg in &call.args {
        let name = match arg {
            Expr::Path(path) if path.qself.is_none() => path.path.get_ident().cloned(),
            _ => None,
        };
        let Some(name) = name else {
            errors.push(
                arg.span(),
                "a `derive` argument names another claim of this config",
            );
            continue;
        };
        if name == *ident {
            errors.push(
                name.span(),
                format!("claim `{ident}` cannot be derived from itself"),
            );
        } else if !claim_names.iter().any(|claim| name == claim) {
            let known: Vec<&str> = claim_names
                .iter()
                .map(String::as_str)
                .filter(|claim| ident != claim)
                .collect();
            errors.push(name.span(), unknown_key("claim", &name.to_string(), &known));
        } else {
            args.push(name);
        }
    }
    Some(ClaimSource::Derived {
        function: function.path.clone(),
        args,
    })
}

/// Rules across claims: unique JSON names; a derived claim only reads claims whose values
/// exist before it is computed (not derived ones declared after it).
fn check_claims(claims: &[Claim], errors: &mut Errors) {
    let mut names: HashMap<&str, &Ident> = HashMap::new();
    for claim in claims {
        if let Some(first) = names.insert(claim.json_name.as_str(), &claim.field) {
            errors.push(
                claim.field.span(),
                format!(
                    "claims `{first}` and `{}` both have the JSON name `{}`",
                    claim.field, claim.json_name
                ),
            );
        }
    }
    for (position, claim) in claims.iter().enumerate() {
        let ClaimSource::Derived { args, .. } = &claim.source else {
            continue;
        };
        for arg in args {
            let later_derived = claims[position + 1..].iter().any(|other| {
                other.field == *arg && matches!(other.source, ClaimSource::Derived { .. })
            });
            if later_derived {
                errors.push(
                    arg.span(),
                    format!(
                        "`{arg}` is derived after `{}`; declare it first",
                        claim.field
                    ),
                );
            }
        }
    }
}

fn has_attribute(attrs: &[Attribute], name: &str) -> bool {
    attrs
        .iter()
        .any(|attribute| attribute.path().is_ident(name))
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
            errors.push(meta.path().span(), format!("duplicate key `{key}`"));
        } else {
            keyed.push((key, meta));
        }
    }
    keyed
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn run(args: proc_macro2::TokenStream, item: proc_macro2::TokenStream) -> Errors {
        let mut errors = Errors::default();
        if let Ok(input) = Input::parse(args, item, &mut errors) {
            let _ = validate(input, &mut errors);
        }
        errors
    }

    #[test]
    fn three_independent_mistakes_give_three_errors() {
        let errors = run(
            quote!(user = User, sesion(max_age = "7d"), base_path = "api"),
            quote!(
                struct AppAuth {
                    #[claim(from_user)]
                    exp: i64,
                }
            ),
        );
        assert_eq!(errors.len(), 3, "{:?}", errors.messages());
        let messages = errors.messages();
        assert!(messages[0].contains("did you mean `session`"));
        assert!(messages[1].contains("invalid base path `api`"));
        assert!(messages[2].contains("claim name `exp`"));
    }

    /// CF-07: every reserved JSON name is refused as a claim, whether it is the field's own
    /// name or a `rename`, one error each.
    #[test]
    fn every_reserved_claim_name_is_refused() {
        for reserved in auth_rules::RESERVED_CLAIM_NAMES {
            let renamed = run(
                quote!(user = User),
                quote!(
                    struct AppAuth {
                        #[claim(from_user, rename = #reserved)]
                        field: String,
                    }
                ),
            );
            assert_eq!(renamed.len(), 1, "{reserved}: {:?}", renamed.messages());
            assert!(
                renamed.messages()[0].contains(&format!("claim name `{reserved}`")),
                "{:?}",
                renamed.messages()
            );
        }
        for field in ["iat", "jti", "nbf", "iss", "aud"] {
            let field = syn::Ident::new(field, proc_macro2::Span::call_site());
            let named = run(
                quote!(user = User),
                quote!(
                    struct AppAuth {
                        #[claim(from_user)]
                        #field: i64,
                    }
                ),
            );
            assert_eq!(named.len(), 1, "{field}: {:?}", named.messages());
            assert!(named.messages()[0].contains(&format!("claim name `{field}` is reserved")));
        }
    }

    #[test]
    fn rate_limits_and_pages_are_checked() {
        let errors = run(
            quote!(
                user = User,
                pages(sign_in = "login", eror = "/e"),
                rate_limit(sign_in = "5")
            ),
            quote!(
                struct AppAuth {}
            ),
        );
        assert_eq!(
            errors.messages(),
            [
                "unknown page `eror`; did you mean `error`?",
                "invalid rate limit `5`: write attempts per window, like \"5 per 15m\"",
                "invalid page `login`: it must start with `/`, like \"/api/auth\"",
            ]
        );
    }

    #[test]
    fn update_age_must_be_a_duration_shorter_than_max_age() {
        let config = |session: proc_macro2::TokenStream| {
            let mut errors = Errors::default();
            let input = Input::parse(
                quote!(user = User, #session),
                quote!(
                    struct AppAuth {}
                ),
                &mut errors,
            )
            .ok();
            let config = input.and_then(|input| validate(input, &mut errors));
            (config.map(|c| (c.max_age_secs, c.update_age_secs)), errors)
        };
        let (ages, errors) = config(quote!(session(max_age = "7d", update_age = "1h")));
        assert!(errors.is_empty(), "{:?}", errors.messages());
        assert_eq!(ages, Some((7 * 24 * 3600, 3600)));
        // Not given: every read re-issues.
        let (ages, _) = config(quote!(session(max_age = "7d")));
        assert_eq!(ages, Some((7 * 24 * 3600, 0)));
        let (_, errors) = config(quote!(session(update_age = "30d")));
        assert_eq!(
            errors.messages(),
            [
                "invalid `update_age = \"30d\"` for a `max_age` of 30days: it must be shorter \
                 than the session's `max_age`: a token is re-issued once it is `update_age` old, \
                 and one never re-issued would expire while in use"
            ]
        );
        let (_, errors) = config(quote!(session(update_age = "soon", max_age = "1h")));
        assert_eq!(
            errors.messages(),
            [
                "invalid duration `soon`: write a number and a unit, like \"30d\", \"12h\" or \"90m\""
            ]
        );
    }

    #[test]
    fn a_valid_config_has_no_errors() {
        let errors = run(
            quote!(user = User, session(max_age = "7d")),
            quote!(
                struct AppAuth {
                    #[provider(credentials(authorize = users::authorize))]
                    credentials: Credentials,
                    #[claim(from_user)]
                    role: Role,
                    #[claim(derive = Role::permissions(role))]
                    permissions: Vec<Permission>,
                    tenant_id: Option<String>,
                }
            ),
        );
        assert!(errors.is_empty(), "{:?}", errors.messages());
    }

    #[test]
    fn derive_arguments_must_name_claims() {
        let errors = run(
            quote!(user = User),
            quote!(
                struct AppAuth {
                    #[claim(from_user)]
                    role: Role,
                    #[claim(derive = Role::permissions(rol))]
                    permissions: Vec<Permission>,
                }
            ),
        );
        assert_eq!(
            errors.messages(),
            ["unknown claim `rol`; did you mean `role`?"]
        );
    }
}
