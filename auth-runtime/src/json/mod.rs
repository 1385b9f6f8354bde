//! Strict JSON reading for token headers and claims.
//!
//! `serde_json::Value` keeps the last of two equal keys, so `{"role":"user","role":"admin"}`
//! would read as an admin. Anything we authenticate is read here instead: an object whose
//! members, at every depth, have distinct names. Depth is bounded by serde_json's recursion
//! limit (128), so deep nesting is an error, not a stack overflow.
//!
//! One reader holds those rules: `strict` reads straight into any `Deserialize` type in a
//! single pass ([`read_typed`]); [`parse_object`] (a map) and [`check_object`] (only the
//! registered claims' shapes) are that reader with a given target type.

mod duplicates;
mod object;
mod shapes;
mod strict;

pub(crate) use object::{check_object, parse_object};
pub(crate) use shapes::{RegisteredShapes, Shape};
pub(crate) use strict::from_str as read_typed;
