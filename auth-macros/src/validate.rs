//! From syntax to meaning: the readers, then the rules, then the defaults.
//!
//! `read` turns the attributes into a [`Draft`](crate::read::Draft), recording every mistake
//! in the shape of what is written; `check` runs the rules across values on it; only when
//! neither found anything is the draft turned into a [`Config`], with defaults filled in.

use auth_rules::{DEFAULT_BASE_PATH, DEFAULT_MAX_AGE};

use crate::ast::Input;
use crate::check::check;
use crate::diag::Errors;
use crate::model::{Bearer, Config, Outline, Pages, ProviderKind};
use crate::read::{Draft, default_form_fields, form_name, read_config, read_fields};

/// Checks the input and builds the model, or records why it cannot and gives the outline the
/// fallback emits.
pub(crate) fn validate(input: Input, errors: &mut Errors) -> Result<Config, Box<Outline>> {
    let settings = read_config(&input.args, errors);
    let (providers, claims, session_fields) = read_fields(&input.name, &input.fields, errors);
    let draft = Draft {
        settings,
        providers,
        claims,
        session_fields,
    };
    check(&draft, errors);
    let user = match &draft.settings.user {
        Some(user) if errors.is_empty() => user.clone(),
        _ => return Err(Box::new(outline(input, draft))),
    };
    let Draft {
        settings,
        providers,
        claims,
        session_fields,
    } = draft;
    let page = |text: Option<crate::read::Text>| text.map(|text| text.value);
    Ok(Config {
        krate: settings
            .krate
            .unwrap_or_else(|| syn::parse_quote!(::auth_runtime)),
        name: input.name,
        vis: input.vis,
        attrs: input.attrs,
        base_path: settings
            .base_path
            .map_or_else(|| DEFAULT_BASE_PATH.to_owned(), |text| text.value),
        user,
        state: settings.state.unwrap_or_else(|| syn::parse_quote!(())),
        max_age_secs: settings
            .max_age
            .map_or(DEFAULT_MAX_AGE, |age| age.duration)
            .as_secs(),
        update_age_secs: settings.update_age.map_or(0, |age| age.duration.as_secs()),
        callbacks: settings.callbacks,
        events: settings.events,
        pages: Pages {
            sign_in: page(settings.pages.sign_in),
            sign_out: page(settings.pages.sign_out),
            error: page(settings.pages.error),
        },
        sign_in_rate_limit: settings.sign_in_rate_limit,
        providers: providers.into_iter().map(|read| read.provider).collect(),
        claims: claims.into_iter().map(|read| read.claim).collect(),
        session_fields: session_fields.into_iter().map(|read| read.field).collect(),
        typescript: settings.typescript.is_some(),
        bearer: settings.bearer.map(|bearer| Bearer {
            algorithm: bearer.alg.unwrap_or("EdDsa"),
            ttl_secs: bearer
                .ttl
                .map_or(auth_rules::DEFAULT_BEARER_TTL, |ttl| ttl.duration)
                .as_secs(),
            audience: bearer.audience.map(|text| text.value).unwrap_or_default(),
            accept: bearer.accept.unwrap_or("Both"),
        }),
    })
}

/// What the fallback can still emit for an input with errors: every name user code may use.
fn outline(input: Input, draft: Draft) -> Outline {
    let Draft {
        settings,
        providers,
        claims: read_claims,
        session_fields: read_session_fields,
    } = draft;
    let top_claims = read_claims
        .iter()
        .filter(|read| read.claim.top)
        .map(|read| (read.claim.field.clone(), read.claim.ty.clone()))
        .collect();
    let is_provider = |field: &syn::Field| {
        field
            .attrs
            .iter()
            .any(|attribute| attribute.path().is_ident("provider"))
    };
    let session_fields: Vec<_> = read_session_fields
        .into_iter()
        .map(|read| (read.field.field, read.field.ty, read.field.top))
        .collect();
    // A field written both as a claim and a session field is declared as both, so that code
    // using it either way adds no error to the one already reported.
    let is_session_field = |field: &syn::Field| {
        let written_as_claim = field
            .attrs
            .iter()
            .any(|attribute| attribute.path().is_ident("claim"));
        !written_as_claim
            && session_fields
                .iter()
                .any(|(name, _, _)| field.ident.as_ref() == Some(name))
    };
    let claims = input
        .fields
        .iter()
        .filter(|field| !is_provider(field) && !is_session_field(field))
        .filter_map(|field| Some((field.ident.clone()?, field.ty.clone())))
        .collect();
    let forms = input
        .fields
        .iter()
        .filter(|field| is_provider(field))
        .filter_map(|field| field.ident.as_ref())
        .filter_map(|ident| {
            let read = providers.iter().find(|read| read.field == *ident);
            let fields = match read.map(|read| &read.provider.kind) {
                Some(ProviderKind::Credentials { fields, .. }) => fields.clone(),
                Some(ProviderKind::Oidc { .. } | ProviderKind::OAuth { .. }) => return None,
                None => default_form_fields(ident),
            };
            Some((form_name(&input.name, ident), fields))
        })
        .collect();
    Outline {
        docs: input
            .attrs
            .into_iter()
            .filter(|attribute| attribute.path().is_ident("doc"))
            .collect(),
        krate: settings
            .krate
            .unwrap_or_else(|| syn::parse_quote!(::auth_runtime)),
        user: settings.user,
        state: settings.state,
        base_path: settings.base_path.map(|text| text.value),
        claims,
        top_claims,
        session_fields,
        forms,
        typescript: settings.typescript.is_some(),
        ..Outline::bare(input.name, input.vis)
    }
}

#[cfg(test)]
mod tests;
