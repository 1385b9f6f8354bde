//! The README's example configuration (`tests/readme/app_auth.rs`), compiled under
//! `deny(warnings, missing_docs)`: generated items carry docs and need no allows. Pedantic
//! clippy lints the same config in `tests/readme_example.rs`.
#![deny(warnings, missing_docs)]

include!("../../readme/app_auth.rs");
include!("../../readme/support.rs");

fn main() {
    check_the_generated_items();
}
