//! From syntax to meaning: the readers, then the rules, then the defaults.
//!
//! `read` turns the attributes into a [`Draft`](crate::read::Draft), recording every mistake
//! in the shape of what is written; `check` runs the rules across values on it; only when
//! neither found anything is the draft turned into a [`Config`], with defaults filled in.

use auth_rules::{DEFAULT_BASE_PATH, DEFAULT_MAX_AGE};

use crate::ast::Input;
use crate::check::check;
use crate::diag::Errors;
use crate::model::{Config, Pages};
use crate::read::{Draft, read_config, read_fields};

/// Checks the input and builds the model, or records why it cannot.
pub(crate) fn validate(input: Input, errors: &mut Errors) -> Option<Config> {
    let settings = read_config(&input.args, errors);
    let (providers, claims) = read_fields(&input.name, &input.fields, errors);
    let draft = Draft {
        settings,
        providers,
        claims,
    };
    check(&draft, errors);
    if !errors.is_empty() {
        return None;
    }
    let Draft {
        settings,
        providers,
        claims,
    } = draft;
    let page = |text: Option<crate::read::Text>| text.map(|text| text.value);
    Some(Config {
        krate: settings
            .krate
            .unwrap_or_else(|| syn::parse_quote!(::auth_runtime)),
        name: input.name,
        vis: input.vis,
        attrs: input.attrs,
        base_path: settings
            .base_path
            .map_or_else(|| DEFAULT_BASE_PATH.to_owned(), |text| text.value),
        user: settings.user?,
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
    })
}

#[cfg(test)]
mod tests;
