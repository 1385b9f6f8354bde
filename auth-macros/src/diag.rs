//! Error accumulation and "did you mean" suggestions.
//!
//! Every problem is pushed into one [`Errors`]; nothing returns early on the first mistake, so
//! three typos give three errors in one build.

use std::fmt::Display;

use proc_macro2::{Span, TokenStream};

/// The errors found so far, each with its span.
#[derive(Default)]
pub(crate) struct Errors {
    errors: Vec<syn::Error>,
}

impl Errors {
    /// Records an error at `span`.
    pub(crate) fn push(&mut self, span: Span, message: impl Display) {
        self.errors.push(syn::Error::new(span, message));
    }

    /// Records an error already built (e.g. from syn).
    pub(crate) fn push_error(&mut self, error: syn::Error) {
        self.errors.push(error);
    }

    /// Records the error of `result` and returns its value, if any.
    pub(crate) fn take<T>(&mut self, result: syn::Result<T>) -> Option<T> {
        result.map_err(|error| self.push_error(error)).ok()
    }

    /// Whether nothing was recorded.
    pub(crate) fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// How many errors were recorded.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.errors.len()
    }

    /// The messages recorded, for tests.
    #[cfg(test)]
    pub(crate) fn messages(&self) -> Vec<String> {
        self.errors.iter().map(ToString::to_string).collect()
    }

    /// Every error as `compile_error!` invocations.
    pub(crate) fn to_compile_errors(&self) -> TokenStream {
        self.errors
            .iter()
            .map(syn::Error::to_compile_error)
            .collect()
    }
}

/// The message for an unknown key: the nearest known one if it is close (Jaro-Winkler ≥ 0.8,
/// as darling does), else the list of known keys.
pub(crate) fn unknown_key(what: &str, found: &str, known: &[&str]) -> String {
    let nearest = known
        .iter()
        .map(|candidate| (strsim::jaro_winkler(found, candidate), *candidate))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match nearest {
        Some((_, candidate)) => format!("unknown {what} `{found}`; did you mean `{candidate}`?"),
        None => format!(
            "unknown {what} `{found}`; expected one of: {}",
            known
                .iter()
                .map(|key| format!("`{key}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_misspellings_get_a_suggestion() {
        let known = [
            "base_path",
            "user",
            "state",
            "session",
            "callbacks",
            "events",
        ];
        assert_eq!(
            unknown_key("key", "sesion", &known),
            "unknown key `sesion`; did you mean `session`?"
        );
        assert_eq!(
            unknown_key("key", "zzz", &known),
            "unknown key `zzz`; expected one of: `base_path`, `user`, `state`, `session`, \
             `callbacks`, `events`"
        );
    }
}
