//! `#[auth_config]` as users meet it: configurations that compile (`tests/ui/pass`) and
//! mistakes that must not, each with its reviewed diagnostic (`tests/ui/fail/*.stderr`).
//! `TRYBUILD=overwrite cargo test --test macro_diagnostics` rewrites the `.stderr` files after a deliberate
//! change to a message; read every diff before committing it.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass/*.rs");
    cases.compile_fail("tests/ui/fail/*.rs");
}
