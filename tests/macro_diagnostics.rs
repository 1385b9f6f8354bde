//! `#[auth_config]` as users meet it: configurations that compile (`tests/ui/pass`) and
//! mistakes that must not, one per file, each with its reviewed diagnostic, in folders by what
//! the mistake is about (serde's `test_suite/tests/ui` layout):
//!
//! | folder | mistakes in |
//! |---|---|
//! | `input` | the item itself, and several mistakes in one build |
//! | `keys` | the keys of `#[auth_config(...)]`: `user`, `base_path`, `rate_limit`, unknown or repeated keys |
//! | `session` | `session(max_age = …, update_age = …)` |
//! | `pages` | `pages(...)` |
//! | `providers` | `#[provider(...)]` fields |
//! | `claims` | `#[claim(...)]` fields |
//! | `callbacks` | `callbacks(...)` functions and what they may read |
//! | `updates` | `update = check` and the update type |
//! | `tokens` | `tokens(bearer(...))`: algorithm, ttl, audience, accept, and the claims bearer tokens leave out |
//! | `fallback` | code using the generated types of a config with a mistake: one error |
//!
//! `TRYBUILD=overwrite cargo test --test macro_diagnostics` rewrites the `.stderr` files after
//! a deliberate change to a message; read every diff before committing it.

/// The folders of `tests/ui` holding compile-fail cases.
const FAIL_CATEGORIES: &[&str] = &[
    "input",
    "keys",
    "session",
    "pages",
    "providers",
    "claims",
    "callbacks",
    "updates",
    "tokens",
    "fallback",
];

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass/*.rs");
    for category in FAIL_CATEGORIES {
        cases.compile_fail(format!("tests/ui/{category}/*.rs"));
    }
}

/// Every folder of `tests/ui` is run: a new category cannot be forgotten here.
#[test]
fn every_ui_folder_is_a_known_category() {
    let ui = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui");
    let mut folders: Vec<String> = std::fs::read_dir(&ui)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name != "pass")
        .collect();
    folders.sort();
    let mut known: Vec<String> = FAIL_CATEGORIES.iter().map(|c| (*c).to_owned()).collect();
    known.sort();
    assert_eq!(folders, known);
}
