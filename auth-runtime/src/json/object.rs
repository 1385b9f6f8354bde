//! The strict reader with a given target type: a map of the claims or header members, or only
//! the registered claims' shapes.

use serde::de::IgnoredAny;
use serde_json::{Map, Value};

use super::shapes::RegisteredShapes;
use super::strict;

/// Parses `bytes` as one JSON object with no duplicate member names at any depth.
pub(crate) fn parse_object(bytes: &[u8]) -> Result<Map<String, Value>, String> {
    // UTF-8 checked once for the whole input (escapes are still checked string by string).
    let text = std::str::from_utf8(bytes).map_err(|_| "the JSON is not UTF-8".to_owned())?;
    strict::from_str::<Map<String, Value>>(text)
        .map(|(object, _)| object)
        .map_err(|error| error.to_string())
}

/// Checks `text` as [`parse_object`] does (one JSON object, distinct member names at every
/// depth, nesting bounded, valid UTF-8 and escapes) without building it, and returns the
/// shapes of its top-level `exp`, `nbf`, `iat` and `jti`. The caller has checked that the
/// bytes are UTF-8 (once, for the whole text, rather than string by string).
pub(crate) fn check_object(text: &str) -> Result<RegisteredShapes, String> {
    strict::from_str::<IgnoredAny>(text)
        .map(|(_, shapes)| shapes)
        .map_err(|error| error.to_string())
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde::de::{Deserializer, IgnoredAny};

    use super::*;
    use crate::json::{Shape, read_typed};

    #[test]
    fn duplicate_members_are_refused_at_any_depth() {
        assert!(parse_object(br#"{"role":"user","role":"admin"}"#).is_err());
        assert!(parse_object(br#"{"a":{"b":1,"b":2}}"#).is_err());
        assert!(parse_object(br#"{"a":[{"b":1,"b":2}]}"#).is_err());
        assert!(parse_object(br#"{"a":{"b":1},"c":{"b":2}}"#).is_ok());
    }

    /// `check_object` refuses exactly what `parse_object` refuses.
    #[test]
    fn the_check_refuses_what_the_parse_refuses() {
        let deep = format!("{{\"a\":{}{}}}", "[".repeat(10_000), "]".repeat(10_000));
        let many: String = (0..40).map(|i| format!("\"k{i}\":{i},")).collect();
        let many_dup = format!("{{{many}\"k7\":0}}");
        let many_ok = format!("{{{many}\"z\":0}}");
        let inputs: [&[u8]; 24] = [
            br#"{"role":"user","role":"admin"}"#,
            br#"{"a":{"b":1,"b":2}}"#,
            br#"{"a":[{"b":1,"b":2}]}"#,
            br#"{"a":{"b":1},"c":{"b":2}}"#,
            br#"{"role":"user","r\u006fle":"admin"}"#,
            br#"{"exp":{"a":1,"a":2}}"#,
            br#"{"a":"\ud800"}"#,
            br#"{"\udc00":1}"#,
            b"{\"a\":\"\xff\"}",
            b"{\"\xff\":1}",
            b"[1]",
            b"1",
            b"\"x\"",
            b"{} x",
            b"{",
            b"",
            br#"{"a":1e400}"#,
            br#"{"a":[1,2,{"b":null,"c":true}],"d":-1.5}"#,
            br#"{"a":"\u00e9\n"}"#,
            br#"{"a":1,}"#,
            deep.as_bytes(),
            many_dup.as_bytes(),
            many_ok.as_bytes(),
            br#"{}"#,
        ];
        for input in inputs {
            let text = std::str::from_utf8(input).map_err(|error| error.to_string());
            let checked = text.clone().and_then(check_object);
            let parsed = parse_object(input).is_ok();
            let shown = String::from_utf8_lossy(input);
            assert_eq!(checked.is_ok(), parsed, "{shown}");
            // The one-pass typed read refuses the same, whatever the target type reads.
            let Ok(text) = text else { continue };
            assert_eq!(
                read_typed::<Map<String, Value>>(text).is_ok(),
                parsed,
                "{shown}"
            );
            assert_eq!(read_typed::<IgnoredAny>(text).is_ok(), parsed, "{shown}");
            assert_eq!(read_typed::<Flattened>(text).is_ok(), parsed, "{shown}");
            assert_eq!(read_typed::<OnlyRole>(text).is_ok(), parsed, "{shown}");
            // Where the typed read passes, the shapes are the check's.
            if let Ok((_, shapes)) = read_typed::<IgnoredAny>(text) {
                assert_eq!(Ok(shapes), checked, "{shown}");
            }
        }
        assert!(check_object(&many_dup).is_err());
        assert!(check_object(r#"{"role":"user","r\u006fle":"admin"}"#).is_err());
    }

    /// A token-like type: one typed member, the rest kept.
    #[derive(Deserialize)]
    struct Flattened {
        #[serde(default)]
        #[allow(dead_code, reason = "read, not used")]
        exp: Option<i64>,
        #[serde(flatten)]
        #[allow(dead_code, reason = "read, not used")]
        rest: Map<String, Value>,
    }

    /// A type that ignores every member but one (serde_json would skip them unread).
    #[derive(Deserialize)]
    struct OnlyRole {
        #[serde(default)]
        #[allow(dead_code, reason = "read, not used")]
        role: Option<String>,
    }

    /// Asks as `serde_json::value::RawValue` does (behind serde_json's `raw_value` feature,
    /// which another crate in a build may turn on).
    struct AsksForRawText;

    impl<'de> Deserialize<'de> for AsksForRawText {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer
                .deserialize_newtype_struct("$serde_json::private::RawValue", IgnoredAny)?;
            Ok(Self)
        }
    }

    #[test]
    fn the_typed_read_refuses_duplicates_wherever_the_type_looks() {
        use std::collections::HashMap;
        // Names that read as the same number, for a map keyed by numbers.
        assert!(read_typed::<HashMap<i64, i64>>(r#"{"1":1,"01":2}"#).is_err());
        assert!(read_typed::<HashMap<i64, i64>>(r#"{"1":1,"2":2}"#).is_ok());
        // A member the type ignores, with a duplicate inside it.
        assert!(read_typed::<OnlyRole>(r#"{"x":{"a":1,"a":2},"role":"r"}"#).is_err());
        assert!(read_typed::<OnlyRole>(r#"{"x":[{"a":1,"a":2}]}"#).is_err());
        // Escaped and plain spellings of one name, known to the type and not.
        assert!(read_typed::<OnlyRole>(r#"{"role":"a","r\u006fle":"b"}"#).is_err());
        assert!(read_typed::<Flattened>(r#"{"xy":1,"x\u0079":2}"#).is_err());
        // Unparsed text is not read in one pass: the caller falls back to the checking read.
        assert!(read_typed::<AsksForRawText>(r#"{"a":1}"#).is_err());
        // Not an object at the top, whatever the type would accept.
        assert!(read_typed::<Option<Value>>("null").is_err());
        assert!(read_typed::<Vec<i64>>("[1]").is_err());
        assert!(read_typed::<Option<Value>>(r#"{"a":null}"#).is_ok());
    }

    #[test]
    fn the_typed_read_notes_the_registered_shapes() {
        let text = r#"{"exp":10,"nbf":1.5,"iat":18446744073709551615,"jti":"x","a":{"exp":"s"}}"#;
        let (_, shapes) = read_typed::<Flattened>(text).expect("an object");
        assert_eq!(Ok(shapes), check_object(text));
        let (_, shapes) = read_typed::<OnlyRole>(r#"{"\u0065xp":-3,"jti":null}"#).expect("read");
        assert_eq!(
            shapes,
            RegisteredShapes {
                exp: Some(Shape::Integer(-3)),
                jti: Some(Shape::Other),
                ..RegisteredShapes::default()
            }
        );
    }

    #[test]
    fn the_check_reads_the_shapes_of_the_registered_claims() {
        let shapes = check_object(
            r#"{"exp":10,"nbf":1.5,"iat":18446744073709551615,"jti":"x","a":{"exp":"s"}}"#,
        )
        .ok();
        assert_eq!(
            shapes,
            Some(RegisteredShapes {
                exp: Some(Shape::Integer(10)),
                nbf: Some(Shape::Other),
                iat: Some(Shape::Other),
                jti: Some(Shape::String),
            })
        );
        let shapes = check_object(r#"{"\u0065xp":-3,"jti":null}"#).ok();
        assert_eq!(
            shapes,
            Some(RegisteredShapes {
                exp: Some(Shape::Integer(-3)),
                jti: Some(Shape::Other),
                ..RegisteredShapes::default()
            })
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{{\"a\":{}{}}}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse_object(deep.as_bytes()).is_err());
    }

    #[test]
    fn lone_surrogates_and_non_objects_are_refused() {
        assert!(parse_object(br#"{"a":"\ud800"}"#).is_err());
        assert!(parse_object(b"[1]").is_err());
        assert!(parse_object(b"{} x").is_err());
        assert!(parse_object(b"{\"a\":\"\xff\"}").is_err());
    }
}
