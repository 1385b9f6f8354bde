//! Strict JSON reading for token headers and claims.
//!
//! `serde_json::Value` keeps the last of two equal keys, so `{"role":"user","role":"admin"}`
//! would read as an admin. Anything we authenticate is read here instead: an object whose
//! members, at every depth, have distinct names. Depth is bounded by serde_json's recursion
//! limit (128), so deep nesting is an error, not a stack overflow.
//!
//! Three readers share those rules: [`parse_object`] builds a map, [`check_object`] only
//! checks (and reads the registered claims' shapes), and `typed` reads straight into any
//! `Deserialize` type in the same single pass.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

mod typed;

pub(crate) use typed::from_str as read_typed;

/// Parses `bytes` as one JSON object with no duplicate member names at any depth.
pub(crate) fn parse_object(bytes: &[u8]) -> Result<Map<String, Value>, String> {
    // UTF-8 checked once for the whole input (escapes are still checked string by string).
    let text = std::str::from_utf8(bytes).map_err(|_| "the JSON is not UTF-8".to_owned())?;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = StrictValue
        .deserialize(&mut deserializer)
        .map_err(|error| error.to_string())?;
    deserializer.end().map_err(|error| error.to_string())?;
    match value {
        Value::Object(map) => Ok(map),
        _ => Err("expected a JSON object".to_owned()),
    }
}

/// A seed that builds a [`Value`] and refuses duplicate keys.
struct StrictValue;

impl<'de> DeserializeSeed<'de> for StrictValue {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictValue {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("number out of range"))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element_seed(StrictValue)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        // Collected, sorted once, checked for equal neighbours, then bulk-built into the map:
        // cheaper than a lookup and an insertion per member, the same refusal.
        let mut members: Vec<(String, Value)> = Vec::with_capacity(16);
        while let Some(key) = access.next_key::<String>()? {
            let value = access.next_value_seed(StrictValue)?;
            members.push((key, value));
        }
        members.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
        if let Some(pair) = members.windows(2).find(|pair| pair[0].0 == pair[1].0) {
            return Err(de::Error::custom(format_args!(
                "duplicate member `{}`",
                pair[0].0
            )));
        }
        Ok(Value::Object(members.into_iter().collect()))
    }
}

/// A member value as the registered-claim checks see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// A number that `Value::as_i64` reads: an integer within `i64`.
    Integer(i64),
    /// A string.
    String,
    /// Anything else: a fraction, an integer beyond `i64`, `null`, a boolean, an array or an
    /// object (whose contents were checked all the same).
    Other,
}

/// The top-level members of a claims object that the registered-claim checks read (`None`:
/// absent).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RegisteredShapes {
    pub(crate) exp: Option<Shape>,
    pub(crate) nbf: Option<Shape>,
    pub(crate) iat: Option<Shape>,
    pub(crate) jti: Option<Shape>,
}

/// Checks `text` as [`parse_object`] does (one JSON object, distinct member names at every
/// depth, nesting bounded, valid UTF-8 and escapes) without building it, and returns the
/// shapes of its top-level `exp`, `nbf`, `iat` and `jti`. Member names are compared borrowed
/// from `text` unless they contain escapes. The caller has checked that the bytes are UTF-8
/// (once, for the whole text, rather than string by string).
pub(crate) fn check_object(text: &str) -> Result<RegisteredShapes, String> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let shapes = TopLevel
        .deserialize(&mut deserializer)
        .map_err(|error| error.to_string())?;
    deserializer.end().map_err(|error| error.to_string())?;
    Ok(shapes)
}

/// Member names gathered for the duplicate check; above this many they are sorted instead of
/// compared pairwise.
const PAIRWISE_MEMBERS: usize = 16;

/// The name of the first member that appears twice, if any.
fn duplicate<'a>(names: &'a mut [Cow<'_, str>]) -> Option<&'a str> {
    if names.len() <= PAIRWISE_MEMBERS {
        for (index, name) in names.iter().enumerate() {
            if names[..index].contains(name) {
                return Some(name);
            }
        }
        return None;
    }
    names.sort_unstable();
    names
        .windows(2)
        .find(|pair| pair[0] == pair[1])
        .map(|pair| &*pair[0])
}

fn refuse_duplicates<E: de::Error>(names: &mut [Cow<'_, str>]) -> Result<(), E> {
    match duplicate(names) {
        Some(name) => Err(E::custom(format_args!("duplicate member `{name}`"))),
        None => Ok(()),
    }
}

/// A member name, borrowed from the input when it has no escapes.
struct Name<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Name<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(NameVisitor)
    }
}

struct NameVisitor;

impl<'de> Visitor<'de> for NameVisitor {
    type Value = Name<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Name<'de>, E> {
        Ok(Name(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Name<'de>, E> {
        Ok(Name(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Name<'de>, E> {
        Ok(Name(Cow::Owned(v)))
    }
}

/// The top-level object: every member checked, the registered claims' shapes kept.
struct TopLevel;

impl<'de> DeserializeSeed<'de> for TopLevel {
    type Value = RegisteredShapes;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TopLevel {
    type Value = RegisteredShapes;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
        let mut shapes = RegisteredShapes::default();
        let mut names: Vec<Cow<'de, str>> = Vec::with_capacity(PAIRWISE_MEMBERS);
        while let Some(Name(name)) = access.next_key::<Name<'de>>()? {
            let shape = access.next_value_seed(Checked)?;
            match &*name {
                "exp" => shapes.exp = Some(shape),
                "nbf" => shapes.nbf = Some(shape),
                "iat" => shapes.iat = Some(shape),
                "jti" => shapes.jti = Some(shape),
                _ => {}
            }
            names.push(name);
        }
        refuse_duplicates(&mut names)?;
        Ok(shapes)
    }
}

/// Any value, checked as [`StrictValue`] reads it but not kept: only its [`Shape`].
struct Checked;

impl<'de> DeserializeSeed<'de> for Checked {
    type Value = Shape;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Shape, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Checked {
    type Value = Shape;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Shape, E> {
        Ok(Shape::Other)
    }

    fn visit_i64<E>(self, v: i64) -> Result<Shape, E> {
        Ok(Shape::Integer(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Shape, E> {
        Ok(i64::try_from(v).map_or(Shape::Other, Shape::Integer))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Shape, E> {
        // As `StrictValue`: a number JSON cannot hold is an error.
        if v.is_finite() {
            Ok(Shape::Other)
        } else {
            Err(E::custom("number out of range"))
        }
    }

    fn visit_str<E>(self, _: &str) -> Result<Shape, E> {
        Ok(Shape::String)
    }

    fn visit_unit<E>(self) -> Result<Shape, E> {
        Ok(Shape::Other)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Shape, A::Error> {
        while seq.next_element_seed(Checked)?.is_some() {}
        Ok(Shape::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Shape, A::Error> {
        let mut names: Vec<Cow<'de, str>> = Vec::new();
        while let Some(Name(name)) = access.next_key::<Name<'de>>()? {
            access.next_value_seed(Checked)?;
            names.push(name);
        }
        refuse_duplicates(&mut names)?;
        Ok(Shape::Other)
    }
}

#[cfg(test)]
mod tests {
    use serde::de::IgnoredAny;

    use super::*;

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
