//! The keys of `#[auth_config(...)]`.

use proc_macro2::Span;
use syn::spanned::Spanned as _;
use syn::{Meta, Path, Type};

use super::settings::{read_callbacks, read_pages, read_rate_limit, read_session, read_tokens};
use super::{Age, Text, keyed, text};
use crate::attr::{self, CONFIG_KEYS};
use crate::diag::{Errors, unknown_key};
use crate::model::Callbacks;

/// What `#[auth_config(...)]` says, as written; `None` where a key is absent (or unreadable).
#[derive(Default)]
pub(crate) struct Settings {
    pub(crate) base_path: Option<Text>,
    pub(crate) user: Option<Type>,
    /// Whether `user = …` is written, readable or not (an unreadable one is already reported).
    pub(crate) user_given: bool,
    pub(crate) state: Option<Type>,
    pub(crate) max_age: Option<Age>,
    pub(crate) update_age: Option<Age>,
    pub(crate) callbacks: Callbacks,
    pub(crate) events: Option<Path>,
    pub(crate) pages: PageTexts,
    /// `rate_limit(sign_in = "…")`, parsed: (attempts, window in seconds).
    pub(crate) sign_in_rate_limit: Option<(u32, u64)>,
    pub(crate) krate: Option<Path>,
    /// The span of the `typescript` flag, if written.
    pub(crate) typescript: Option<Span>,
    /// `tokens(bearer(...))`, if written.
    pub(crate) bearer: Option<BearerDraft>,
}

/// `tokens(bearer(...))` as written; each value `None` when absent or unreadable.
pub(crate) struct BearerDraft {
    /// The span of `bearer`.
    pub(crate) span: Span,
    /// The runtime's `BearerAlgorithm` variant.
    pub(crate) alg: Option<&'static str>,
    pub(crate) ttl: Option<Age>,
    pub(crate) audience: Option<Text>,
    /// The runtime's `BearerAccept` variant.
    pub(crate) accept: Option<&'static str>,
}

impl Default for BearerDraft {
    fn default() -> Self {
        Self {
            span: Span::call_site(),
            alg: None,
            ttl: None,
            audience: None,
            accept: None,
        }
    }
}

/// `pages(...)` as written.
#[derive(Default)]
pub(crate) struct PageTexts {
    pub(crate) sign_in: Option<Text>,
    pub(crate) sign_out: Option<Text>,
    pub(crate) error: Option<Text>,
}

/// Reads every key of `#[auth_config(...)]`.
pub(crate) fn read_config(args: &[Meta], errors: &mut Errors) -> Settings {
    let mut settings = Settings::default();
    for (key, meta) in keyed(args, errors) {
        match key.as_str() {
            "base_path" => {
                settings.base_path = text(meta, "base_path", "base_path = \"/api/auth\"", errors);
            }
            "user" => {
                settings.user_given = true;
                settings.user = errors.take(attr::type_value(meta, "user", "user = crate::User"));
            }
            "state" => {
                settings.state =
                    errors.take(attr::type_value(meta, "state", "state = crate::AppState"));
            }
            "session" => (settings.max_age, settings.update_age) = read_session(meta, errors),
            "callbacks" => settings.callbacks = read_callbacks(meta, errors),
            "events" => {
                settings.events =
                    errors.take(attr::path_value(meta, "events", "events = audit::record"));
            }
            "pages" => settings.pages = read_pages(meta, errors),
            "rate_limit" => settings.sign_in_rate_limit = read_rate_limit(meta, errors),
            "typescript" => {
                settings.typescript = errors
                    .take(attr::flag(meta, "typescript"))
                    .map(|()| meta.path().span());
            }
            "tokens" => settings.bearer = read_tokens(meta, errors),
            "crate" => {
                settings.krate =
                    errors.take(attr::path_value(meta, "crate", "crate = my_auth_runtime"));
            }
            other => errors.push(meta.path().span(), unknown_key("key", other, CONFIG_KEYS)),
        }
    }
    settings
}
