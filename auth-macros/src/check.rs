//! The rules a configuration follows across its values, one small function each, each with
//! the rule in one line above it. They read the [`Draft`] and record every breach at the
//! offending token; none stops the others.
//!
//! Rules the runtime also enforces at start-up are `auth_rules`' functions, called here with
//! the macro's framing ("invalid base path `x`: {refusal}"), so the two cannot drift.

use std::collections::HashMap;

use proc_macro2::Span;
use syn::spanned::Spanned as _;

use crate::attr::{SESSION_TOP_LEVEL_MEMBERS, SESSION_USER_MEMBERS};
use crate::diag::{Errors, unknown_key};
use crate::model::{AccountField, ClaimSource, ProviderKind};
use crate::read::{Draft, ReadClaim};

/// Runs every rule.
pub(crate) fn check(draft: &Draft, errors: &mut Errors) {
    user_is_named(draft, errors);
    base_path_is_valid(draft, errors);
    pages_are_site_paths_outside_the_base_path(draft, errors);
    max_age_is_in_range(draft, errors);
    update_age_is_shorter_than_max_age(draft, errors);
    provider_ids_are_valid(draft, errors);
    provider_ids_are_unique(draft, errors);
    claim_names_are_not_reserved(draft, errors);
    json_names_are_unique(draft, errors);
    claims_have_a_value_at_sign_in(draft, errors);
    derive_arguments_name_other_claims(draft, errors);
    derived_claims_read_only_claims_computed_before_them(draft, errors);
    derived_claims_are_not_updatable(draft, errors);
    session_places_only_account_claims(draft, errors);
    refresh_tokens_never_leave_the_server(draft, errors);
    exposed_claims_are_not_private(draft, errors);
    account_claims_are_options(draft, errors);
    account_claims_are_not_updatable(draft, errors);
    top_level_claims_keep_clear_of_the_session_members(draft, errors);
    refresh_is_for_providers_that_issue_refresh_tokens(draft, errors);
    typescript_has_its_feature(draft, errors);
    session_fields_are_filled_by_a_session_callback(draft, errors);
    session_fields_keep_clear_of_the_session_members(draft, errors);
    bearer_tokens_name_their_audience(draft, errors);
    bearer_ttl_is_in_range(draft, errors);
    claims_left_out_of_bearer_tokens_are_options(draft, errors);
}

/// `user = …` is required: it is what providers produce at sign-in.
fn user_is_named(draft: &Draft, errors: &mut Errors) {
    if !draft.settings.user_given {
        errors.push(
            Span::call_site(),
            "missing `user = …`: name the type providers produce at sign-in, e.g. \
             `#[auth_config(user = crate::users::User)]`",
        );
    }
}

/// The base path follows `auth_rules::check_base_path`.
fn base_path_is_valid(draft: &Draft, errors: &mut Errors) {
    let Some(base_path) = &draft.settings.base_path else {
        return;
    };
    if let Err(refusal) = auth_rules::check_base_path(&base_path.value) {
        errors.push(
            base_path.span,
            format!("invalid base path `{}`: {refusal}", base_path.value),
        );
    }
}

/// Each custom page follows `auth_rules::check_page_path` under the configured base path.
fn pages_are_site_paths_outside_the_base_path(draft: &Draft, errors: &mut Errors) {
    let settings = &draft.settings;
    let base_path = settings
        .base_path
        .as_ref()
        .map_or(auth_rules::DEFAULT_BASE_PATH, |base_path| &base_path.value);
    let pages = &settings.pages;
    for page in [&pages.sign_in, &pages.sign_out, &pages.error]
        .into_iter()
        .flatten()
    {
        let Err(reason) = auth_rules::check_page_path(&page.value, base_path) else {
            continue;
        };
        errors.push(
            page.span,
            format!("invalid page `{}`: {reason}", page.value),
        );
    }
}

/// `max_age` follows `auth_rules::check_max_age` (1 minute to 400 days).
fn max_age_is_in_range(draft: &Draft, errors: &mut Errors) {
    let Some(max_age) = &draft.settings.max_age else {
        return;
    };
    if let Err(refusal) = auth_rules::check_max_age(max_age.duration) {
        errors.push(
            max_age.span,
            format!(
                "`max_age = \"{}\"` is out of range: {refusal}",
                max_age.text
            ),
        );
    }
}

/// `update_age` is shorter than `max_age` (`auth_rules::check_update_age`); not checked
/// against a `max_age` that is itself refused.
fn update_age_is_shorter_than_max_age(draft: &Draft, errors: &mut Errors) {
    let settings = &draft.settings;
    let Some(update_age) = &settings.update_age else {
        return;
    };
    let max_age = settings
        .max_age
        .as_ref()
        .map_or(auth_rules::DEFAULT_MAX_AGE, |max_age| max_age.duration);
    if auth_rules::check_max_age(max_age).is_err() {
        return;
    }
    if let Err(refusal) = auth_rules::check_update_age(update_age.duration, max_age) {
        errors.push(
            update_age.span,
            format!(
                "invalid `update_age = \"{}\"` (the session's `max_age` is {}): {refusal}",
                update_age.text,
                humantime::format_duration(max_age)
            ),
        );
    }
}

/// Each provider id, given or taken from the field's name, follows
/// `auth_rules::check_provider_id`.
fn provider_ids_are_valid(draft: &Draft, errors: &mut Errors) {
    for read in &draft.providers {
        let id = &read.provider.id;
        let Err(refusal) = auth_rules::check_provider_id(id) else {
            continue;
        };
        let message = if read.id_is_field_name {
            format!(
                "the field name `{id}` is not a valid provider id: {refusal}; rename the field \
                 or give the provider `id = \"…\"`"
            )
        } else {
            format!("invalid provider id `{id}`: {refusal}")
        };
        errors.push(read.id_span, message);
    }
}

/// No two providers share an id: it names the provider in URLs.
fn provider_ids_are_unique(draft: &Draft, errors: &mut Errors) {
    let mut seen = HashMap::new();
    for read in &draft.providers {
        let id = read.provider.id.as_str();
        if let Some(first) = seen.insert(id, &read.field) {
            errors.push(
                read.id_span,
                format!(
                    "duplicate provider id `{id}`: field `{first}` already uses it; give one of \
                     them another `id = \"…\"`"
                ),
            );
        }
    }
}

/// The Rust fields every generated token has, whatever its claims.
const TOKEN_FIELDS: &[&str] = &[
    "sub",
    "name",
    "email",
    "picture",
    "iat",
    "exp",
    "jti",
    "sid",
    "sgen",
    "other_claims",
    "provider_refresh",
];

/// No claim takes a JSON name the token already has (`auth_rules::check_claim_name`), nor,
/// renamed, the Rust name of one of the token's own fields.
fn claim_names_are_not_reserved(draft: &Draft, errors: &mut Errors) {
    for read in &draft.claims {
        let json_name = &read.claim.json_name;
        if let Err(refusal) = auth_rules::check_claim_name(json_name) {
            errors.push(
                read.name_span,
                format!("claim name `{json_name}` is reserved: {refusal}"),
            );
            continue;
        }
        let field = read.claim.field.to_string();
        if TOKEN_FIELDS.contains(&field.as_str()) {
            errors.push(
                read.name_span,
                format!(
                    "field name `{field}` is one the token already has; name the field \
                     otherwise (its JSON name `{json_name}` may stay)"
                ),
            );
        }
    }
}

/// No two claims or session-only fields share a JSON name.
fn json_names_are_unique(draft: &Draft, errors: &mut Errors) {
    let mut seen = HashMap::new();
    let claims = draft
        .claims
        .iter()
        .map(|read| (&read.claim.field, &read.claim.json_name, read.name_span));
    let session_fields = draft
        .session_fields
        .iter()
        .map(|read| (&read.field.field, &read.field.json_name, read.name_span));
    for (field, json_name, span) in claims.chain(session_fields) {
        if let Some(first) = seen.insert(json_name.as_str(), field) {
            errors.push(
                span,
                format!(
                    "fields `{first}` and `{field}` both have the JSON name `{json_name}`: \
                     rename one with `rename = \"…\"`"
                ),
            );
        }
    }
}

/// A required claim has a source at sign-in (`from_user` or `derive`); only an `Option` may
/// start empty.
fn claims_have_a_value_at_sign_in(draft: &Draft, errors: &mut Errors) {
    for read in &draft.claims {
        let claim = &read.claim;
        if matches!(claim.source, ClaimSource::Unset) && !claim.optional && !read.source_written {
            errors.push(
                claim.ty.span(),
                format!(
                    "claim `{}` has no value at sign-in: add `from_user` or `derive = …`, or \
                     make it an `Option<…>` that the `jwt` callback sets",
                    claim.field
                ),
            );
        }
    }
}

/// A `derive` argument names another claim of this config.
fn derive_arguments_name_other_claims(draft: &Draft, errors: &mut Errors) {
    for read in &draft.claims {
        let field = &read.claim.field;
        for arg in derive_args(read) {
            if arg == field {
                errors.push(
                    arg.span(),
                    format!("claim `{field}` cannot be derived from itself"),
                );
            } else if !draft.claims.iter().any(|other| other.claim.field == *arg) {
                let known: Vec<String> = draft
                    .claims
                    .iter()
                    .map(|other| other.claim.field.to_string())
                    .filter(|other| field != other)
                    .collect();
                let known: Vec<&str> = known.iter().map(String::as_str).collect();
                errors.push(arg.span(), unknown_key("claim", &arg.to_string(), &known));
            }
        }
    }
}

/// A derived claim reads no derived claim declared after it: those are computed in order.
fn derived_claims_read_only_claims_computed_before_them(draft: &Draft, errors: &mut Errors) {
    for (position, read) in draft.claims.iter().enumerate() {
        for arg in derive_args(read) {
            let derived_later = draft.claims[position + 1..].iter().any(|other| {
                other.claim.field == *arg
                    && matches!(other.claim.source, ClaimSource::Derived { .. })
            });
            if derived_later {
                errors.push(
                    arg.span(),
                    format!(
                        "`{arg}` is derived after `{}`; declare it first",
                        read.claim.field
                    ),
                );
            }
        }
    }
}

/// A derived claim is not updatable: it is recomputed from the claims it reads.
fn derived_claims_are_not_updatable(draft: &Draft, errors: &mut Errors) {
    for read in &draft.claims {
        let claim = &read.claim;
        if let (ClaimSource::Derived { .. }, Some(check)) = (&claim.source, &claim.update_check) {
            errors.push(
                check.span(),
                "a derived claim is recomputed from other claims and cannot be updated; make \
                 the claims it derives from updatable instead",
            );
        }
    }
}

/// `session = …` places a provider token (`from_account`); other claims are on `user` unless
/// `private`.
fn session_places_only_account_claims(draft: &Draft, errors: &mut Errors) {
    for read in &draft.claims {
        if let (Some(span), false) = (
            read.session_span,
            matches!(read.claim.source, ClaimSource::FromAccount(_)),
        ) {
            errors.push(
                span,
                format!(
                    "`session = …` places a provider token (`from_account = …`) in the session; \
                     claim `{}` is on `session.user` already, unless it is `private`",
                    read.claim.field
                ),
            );
        }
    }
}

/// A refresh token never reaches the session JSON: it stays in the encrypted token.
fn refresh_tokens_never_leave_the_server(draft: &Draft, errors: &mut Errors) {
    for read in &draft.claims {
        if let (Some(span), ClaimSource::FromAccount(AccountField::RefreshToken)) =
            (read.session_span, &read.claim.source)
        {
            errors.push(
                span,
                "a refresh token never leaves the server: remove `session = …` (the claim stays \
                 in the encrypted token, private)",
            );
        }
    }
}

/// `private` and `session = …` contradict each other.
fn exposed_claims_are_not_private(draft: &Draft, errors: &mut Errors) {
    for read in &draft.claims {
        if let (Some(span), Some(_)) = (read.private_span, read.session_span) {
            errors.push(
                span,
                "a claim with `session = …` is sent to the browser and cannot be `private`; \
                 remove one of them (a provider token is private without `session = …`)",
            );
        }
    }
}

/// A claim from the account is an `Option`: a credentials sign-in, or a provider that issues
/// no such token, leaves it empty.
fn account_claims_are_options(draft: &Draft, errors: &mut Errors) {
    for read in &draft.claims {
        let claim = &read.claim;
        if let (ClaimSource::FromAccount(field), false) = (&claim.source, claim.optional) {
            errors.push(
                claim.ty.span(),
                format!(
                    "claim `{}` copies the account's `{}`, which a sign-in may lack: declare it \
                     `{}`",
                    claim.field,
                    field.name(),
                    field.type_text()
                ),
            );
        }
    }
}

/// A claim from the account is set by the sign-in and by refreshes, never by a client.
fn account_claims_are_not_updatable(draft: &Draft, errors: &mut Errors) {
    for read in &draft.claims {
        let claim = &read.claim;
        if let (ClaimSource::FromAccount(_), Some(check)) = (&claim.source, &claim.update_check) {
            errors.push(
                check.span(),
                "a claim copied from the account (`from_account`) comes from the provider and \
                 cannot be updated by a client; remove `update = …`",
            );
        }
    }
}

/// A `session = top` claim takes none of the session's own members (`user`, `expires`,
/// `error`).
fn top_level_claims_keep_clear_of_the_session_members(draft: &Draft, errors: &mut Errors) {
    for read in &draft.claims {
        let claim = &read.claim;
        if claim.top && SESSION_TOP_LEVEL_MEMBERS.contains(&claim.json_name.as_str()) {
            errors.push(
                read.name_span,
                format!(
                    "`{}` is the session's own member; give the claim another JSON name with \
                     `rename = \"…\"`",
                    claim.json_name
                ),
            );
        }
    }
}

/// `refresh` needs a provider that issues refresh tokens: OpenID Connect kinds and `oauth(...)`,
/// not GitHub's OAuth apps.
fn refresh_is_for_providers_that_issue_refresh_tokens(draft: &Draft, errors: &mut Errors) {
    for read in &draft.providers {
        let Some(span) = read.refresh_span else {
            continue;
        };
        if let ProviderKind::OAuth {
            preset: Some(preset),
            ..
        } = &read.provider.kind
        {
            errors.push(
                span,
                format!(
                    "`{}(...)` cannot refresh: its OAuth apps issue access tokens that do not \
                     expire and no refresh token; `refresh` is for OpenID Connect providers \
                     (`oidc(...)`, `google(...)`, …) and `oauth(...)`",
                    preset.keyword
                ),
            );
        }
    }
}

/// A session-only field is filled by the `session` callback: without one it would always be
/// its type's default.
fn session_fields_are_filled_by_a_session_callback(draft: &Draft, errors: &mut Errors) {
    if draft.settings.callbacks.session.is_some() {
        return;
    }
    for read in &draft.session_fields {
        errors.push(
            read.attribute_span,
            format!(
                "session-only field `{}` is filled by the `session` callback, and none is \
                 configured: add `callbacks(session = …)` (an `async fn(&mut Session, &State) \
                 -> Result<SessionAction, CallbackError>`)",
                read.field.field
            ),
        );
    }
}

/// A session-only field takes none of the members the session already has: `name`, `email`
/// and `image` in `user`; `user`, `expires` and `error` at the top level.
fn session_fields_keep_clear_of_the_session_members(draft: &Draft, errors: &mut Errors) {
    for read in &draft.session_fields {
        let field = &read.field;
        let members = if field.top {
            SESSION_TOP_LEVEL_MEMBERS
        } else {
            SESSION_USER_MEMBERS
        };
        if members.contains(&field.json_name.as_str()) {
            errors.push(
                read.name_span,
                format!(
                    "`{}` is the session's own member; give the field another JSON name with \
                     `rename = \"…\"`",
                    field.json_name
                ),
            );
        }
    }
}

/// The claims a derived claim reads; none for other claims.
fn derive_args(read: &ReadClaim) -> &[proc_macro2::Ident] {
    match &read.claim.source {
        ClaimSource::Derived { args, .. } => args,
        _ => &[],
    }
}

/// `typescript` derives ts-rs's `TS` through the runtime, which has it only with its
/// `typescript` feature (forwarded to this crate, so the rule is one error at the key).
fn typescript_has_its_feature(draft: &Draft, errors: &mut Errors) {
    if let Some(span) = draft.settings.typescript
        && !cfg!(feature = "typescript")
    {
        errors.push(
            span,
            "`typescript` needs the `typescript` feature of auth-runtime: \
             `auth-runtime = { version = \"…\", features = [\"typescript\"] }`",
        );
    }
}

/// Bearer tokens name the API they are for (`audience = "…"`), by
/// `auth_rules::check_bearer_audience`.
fn bearer_tokens_name_their_audience(draft: &Draft, errors: &mut Errors) {
    let Some(bearer) = &draft.settings.bearer else {
        return;
    };
    match &bearer.audience {
        None => errors.push(
            bearer.span,
            "bearer tokens need an `audience`: the API they are for, e.g. \
             `bearer(audience = \"https://api.example\")`; tokens without one would be accepted \
             by any service trusting these keys",
        ),
        Some(audience) => {
            if let Err(refusal) = auth_rules::check_bearer_audience(&audience.value) {
                errors.push(
                    audience.span,
                    format!("invalid audience `{}`: {refusal}", audience.value),
                );
            }
        }
    }
}

/// A bearer token's `ttl` follows `auth_rules::check_bearer_ttl`.
fn bearer_ttl_is_in_range(draft: &Draft, errors: &mut Errors) {
    let Some(ttl) = draft
        .settings
        .bearer
        .as_ref()
        .and_then(|bearer| bearer.ttl.as_ref())
    else {
        return;
    };
    if let Err(refusal) = auth_rules::check_bearer_ttl(ttl.duration) {
        errors.push(
            ttl.span,
            format!("invalid bearer ttl `{}`: {refusal}", ttl.text),
        );
    }
}

/// With bearer tokens, a claim they leave out (`private`) is an `Option`: a session read from
/// a bearer token has it as `None`.
fn claims_left_out_of_bearer_tokens_are_options(draft: &Draft, errors: &mut Errors) {
    if draft.settings.bearer.is_none() {
        return;
    }
    for read in &draft.claims {
        let claim = &read.claim;
        if claim.private && !claim.optional {
            errors.push(
                claim.ty.span(),
                format!(
                    "claim `{}` is `private`, so bearer tokens leave it out and a session read \
                     from one has no value for it: declare it `Option<_>` (handlers then see \
                     `None` on bearer requests)",
                    claim.field
                ),
            );
        }
    }
}
