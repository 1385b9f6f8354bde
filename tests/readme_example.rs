//! The README's example configuration (`tests/readme/app_auth.rs`, its one copy) under
//! pedantic clippy: `cargo clippy --workspace --all-targets -- -D warnings`, which CI runs,
//! lints this target with every pedantic lint denied, so the generated items need no allows.
//! And the README's code block is that file, byte for byte.
#![deny(missing_docs, clippy::pedantic)]
#![allow(clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

include!("readme/app_auth.rs");
include!("readme/support.rs");

#[test]
fn the_generated_items_answer_for_the_readme_config() {
    check_the_generated_items();
}

/// The README shows `tests/readme/app_auth.rs` exactly, so the example cannot drift from the
/// code the tests compile.
#[test]
fn the_readme_dsl_example_is_the_compiled_file() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).expect("README.md");
    let section = readme
        .split_once("## The `#[auth_config]` DSL")
        .expect("the DSL section")
        .1;
    let block = section
        .split_once("```rust\n")
        .and_then(|(_, rest)| rest.split_once("```\n"))
        .expect("a rust code block in the DSL section")
        .0;
    let file = std::fs::read_to_string(format!("{root}/tests/readme/app_auth.rs"))
        .expect("tests/readme/app_auth.rs");
    assert!(
        block == file,
        "the README's example differs from tests/readme/app_auth.rs; copy the file into it"
    );
}
