//! The token suite: the runtime-only tests of the token core, one test binary.
//!
//! - `security_tokens`: the token-level cases of the security checklist, with hostile tokens
//!   from `support::jose`, an encryptor that shares no code with the library;
//! - `authjs_vectors`: known-answer tests against vectors made by the real `@auth/core`
//!   (`auth-runtime/tests/vectors/authjs.json`);
//! - `token_properties`: property tests (round trips, any changed character refused);
//! - `standard_vectors`: published known answers (RFC 7516, 7518, 7520, 7638, Wycheproof)
//!   through the crate's own cipher, A256GCM decode and HKDF.
//!
//! They need the internal `_test-internals` items (`encrypt_with_iv`,
//! `DerivedKey::__key_hex_for_tests`, the `__…_for_tests` primitives); `auth-runtime`'s own
//! dev-dependency on itself enables the feature, so `cargo test -p auth-runtime` and
//! `cargo test --workspace` both run them.
#![allow(clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod authjs_vectors;
mod security_tokens;
mod standard_vectors;
mod support;
mod token_properties;
