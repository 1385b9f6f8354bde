//! The typed read of a token's claims with the strict checks folded in.
//!
//! [`from_str`] deserialises straight into the caller's type through a wrapper around
//! serde_json's deserializer. The wrapper refuses two members of one object with the same
//! name, at any depth, including inside values the target type ignores, and anything but an
//! object at the top; it notes the shapes of the top-level `exp`, `nbf`, `iat` and `jti` as they go by. One pass over the bytes instead
//! of a checking pass and then a reading pass: the request path's decode.
//!
//! Crates such as `serde_path_to_error` and `serde_ignored` wrap a deserializer in the same
//! way for other ends; none refuses duplicate members, so this one is ours.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Visitor};

use super::duplicates::{PAIRWISE_MEMBERS, refuse_duplicates};
use super::shapes::{RegisteredShapes, Shape};

/// Reads `text` as one JSON object into `T`, refusing duplicate member names at any depth;
/// returns the shapes of the registered claims beside it.
pub(crate) fn from_str<'de, T: Deserialize<'de>>(
    text: &'de str,
) -> Result<(T, RegisteredShapes), serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let mut shapes = RegisteredShapes::default();
    let value = T::deserialize(Strict {
        inner: &mut deserializer,
        at: At::Top(&mut shapes),
    })?;
    deserializer.end()?;
    Ok((value, shapes))
}

/// Where a value sits, as far as the registered claims are concerned.
enum At<'s> {
    /// The whole claims object: it must be an object, and its registered members' shapes
    /// are noted here.
    Top(&'s mut RegisteredShapes),
    /// The value of a registered top-level member: its shape is noted here.
    Registered(&'s mut Option<Shape>),
    /// Anywhere else.
    Inside,
}

impl At<'_> {
    /// Notes a scalar's shape; a scalar where the claims object belongs is refused.
    fn note<E: de::Error>(self, shape: Shape) -> Result<(), E> {
        match self {
            At::Top(_) => Err(not_an_object()),
            At::Registered(slot) => {
                *slot = Some(shape);
                Ok(())
            }
            At::Inside => Ok(()),
        }
    }
}

fn not_an_object<E: de::Error>() -> E {
    E::custom("expected a JSON object")
}

/// Forwards every `deserialize_*` method of a wrapping deserializer to `self.inner`, with the
/// visitor wrapped by `$wrap(self, visitor)`.
macro_rules! forward_deserialize {
    ($wrap:ident; $($method:ident($($arg:ident: $ty:ty),*);)*) => {
        $(
            fn $method<V: Visitor<'de>>(
                self,
                $($arg: $ty,)*
                visitor: V,
            ) -> Result<V::Value, Self::Error> {
                let (inner, visitor) = $wrap(self, visitor);
                inner.$method($($arg,)* visitor)
            }
        )*
    };
}

/// The `deserialize_*` methods every wrapper forwards, except `deserialize_ignored_any` and
/// `deserialize_newtype_struct`.
macro_rules! forward_all_deserialize {
    ($wrap:ident) => {
        forward_deserialize! {
            $wrap;
            deserialize_any();
            deserialize_bool();
            deserialize_i8();
            deserialize_i16();
            deserialize_i32();
            deserialize_i64();
            deserialize_i128();
            deserialize_u8();
            deserialize_u16();
            deserialize_u32();
            deserialize_u64();
            deserialize_u128();
            deserialize_f32();
            deserialize_f64();
            deserialize_char();
            deserialize_str();
            deserialize_string();
            deserialize_bytes();
            deserialize_byte_buf();
            deserialize_option();
            deserialize_unit();
            deserialize_unit_struct(name: &'static str);
            deserialize_seq();
            deserialize_tuple(len: usize);
            deserialize_tuple_struct(name: &'static str, len: usize);
            deserialize_map();
            deserialize_struct(name: &'static str, fields: &'static [&'static str]);
            deserialize_enum(name: &'static str, variants: &'static [&'static str]);
            deserialize_identifier();
        }
    };
}

/// The newtype name by which `serde_json::value::RawValue` asks for unparsed text.
const RAW_VALUE: &str = "$serde_json::private::RawValue";

/// A value read strictly.
struct Strict<'s, D> {
    inner: D,
    at: At<'s>,
}

fn strict_parts<'s, D, V>(strict: Strict<'s, D>, visitor: V) -> (D, StrictVisitor<'s, V>) {
    (
        strict.inner,
        StrictVisitor {
            inner: visitor,
            at: strict.at,
        },
    )
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Strict<'_, D> {
    type Error = D::Error;

    forward_all_deserialize!(strict_parts);

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        // serde_json hands a `RawValue` over as text, unread: refused here, so that the
        // caller's checking read (which reads every byte) decides.
        if name == RAW_VALUE {
            return Err(de::Error::custom(
                "a raw JSON value is not read in one pass",
            ));
        }
        let (inner, visitor) = strict_parts(self, visitor);
        inner.deserialize_newtype_struct(name, visitor)
    }

    /// Ignored values are read all the same, so that a duplicate member inside one is still
    /// refused (serde_json would skip over it unread).
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        let (inner, visitor) = strict_parts(self, visitor);
        inner.deserialize_any(visitor)
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

/// A seed whose value is read strictly.
struct StrictSeed<'s, S> {
    seed: S,
    at: At<'s>,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for StrictSeed<'_, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.seed.deserialize(Strict {
            inner: deserializer,
            at: self.at,
        })
    }
}

struct StrictVisitor<'s, V> {
    inner: V,
    at: At<'s>,
}

/// Forwards scalar visits, noting each one's shape first.
macro_rules! forward_scalar_visits {
    ($($method:ident($ty:ty) => $shape:expr;)*) => {
        $(
            fn $method<E: de::Error>(self, v: $ty) -> Result<V::Value, E> {
                #[allow(clippy::redundant_closure_call, reason = "the shape is a closure per visit")]
                self.at.note(($shape)(&v))?;
                self.inner.$method(v)
            }
        )*
    };
}

fn integer<T: TryInto<i64> + Copy>(v: &T) -> Shape {
    (*v).try_into().map_or(Shape::Other, Shape::Integer)
}

fn other<T>(_: &T) -> Shape {
    Shape::Other
}

fn string<T: ?Sized>(_: &T) -> Shape {
    Shape::String
}

impl<'de, V: Visitor<'de>> Visitor<'de> for StrictVisitor<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    forward_scalar_visits! {
        visit_bool(bool) => other;
        visit_i8(i8) => integer;
        visit_i16(i16) => integer;
        visit_i32(i32) => integer;
        visit_i64(i64) => integer;
        visit_i128(i128) => integer;
        visit_u8(u8) => integer;
        visit_u16(u16) => integer;
        visit_u32(u32) => integer;
        visit_u64(u64) => integer;
        visit_u128(u128) => integer;
        visit_f32(f32) => other;
        visit_f64(f64) => other;
        visit_char(char) => string;
        visit_str(&str) => string;
        visit_borrowed_str(&'de str) => string;
        visit_string(String) => string;
        visit_bytes(&[u8]) => other;
        visit_borrowed_bytes(&'de [u8]) => other;
        visit_byte_buf(Vec<u8>) => other;
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.at.note(Shape::Other)?;
        self.inner.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.at.note(Shape::Other)?;
        self.inner.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.inner.visit_some(Strict {
            inner: deserializer,
            at: self.at,
        })
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<V::Value, D::Error> {
        self.inner.visit_newtype_struct(Strict {
            inner: deserializer,
            at: self.at,
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.at.note(Shape::Other)?;
        self.inner.visit_seq(StrictSeq(seq))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        let top = match self.at {
            At::Top(shapes) => Some(shapes),
            at => {
                at.note::<A::Error>(Shape::Other)?;
                None
            }
        };
        // The claims object has a dozen members or so; nested ones, a few.
        let names = Vec::with_capacity(if top.is_some() { PAIRWISE_MEMBERS } else { 4 });
        self.inner.visit_map(StrictMap {
            inner: map,
            names,
            top,
            pending: Pending::None,
        })
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        // serde_json reads an enum from a string (a unit variant, a scalar shape) or from an
        // object of one member (whose value is read strictly below).
        self.at.note(Shape::Other)?;
        self.inner.visit_enum(StrictEnum(data))
    }
}

struct StrictSeq<A>(A);

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for StrictSeq<A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        self.0.next_element_seed(StrictSeed {
            seed,
            at: At::Inside,
        })
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

/// Which registered claim the next value belongs to, at the top level.
#[derive(Clone, Copy)]
enum Pending {
    None,
    Exp,
    Nbf,
    Iat,
    Jti,
}

/// An object's members: their names gathered (and checked for duplicates once the object
/// ends), their values read strictly.
struct StrictMap<'s, 'de, A> {
    inner: A,
    names: Vec<Cow<'de, str>>,
    top: Option<&'s mut RegisteredShapes>,
    pending: Pending,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for StrictMap<'_, 'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let key = self.inner.next_key_seed(KeySeed {
            seed,
            names: &mut self.names,
        })?;
        if key.is_none() {
            refuse_duplicates(&mut self.names)?;
        } else if self.top.is_some() {
            self.pending = match self.names.last().map(|name| &**name) {
                Some("exp") => Pending::Exp,
                Some("nbf") => Pending::Nbf,
                Some("iat") => Pending::Iat,
                Some("jti") => Pending::Jti,
                _ => Pending::None,
            };
        }
        Ok(key)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        let at = match (self.top.as_deref_mut(), self.pending) {
            (Some(shapes), Pending::Exp) => At::Registered(&mut shapes.exp),
            (Some(shapes), Pending::Nbf) => At::Registered(&mut shapes.nbf),
            (Some(shapes), Pending::Iat) => At::Registered(&mut shapes.iat),
            (Some(shapes), Pending::Jti) => At::Registered(&mut shapes.jti),
            _ => At::Inside,
        };
        self.inner.next_value_seed(StrictSeed { seed, at })
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

struct StrictEnum<A>(A);

impl<'de, A: EnumAccess<'de>> EnumAccess<'de> for StrictEnum<A> {
    type Error = A::Error;
    type Variant = StrictVariant<A::Variant>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Self::Variant), A::Error> {
        let (value, variant) = self.0.variant_seed(seed)?;
        Ok((value, StrictVariant(variant)))
    }
}

struct StrictVariant<A>(A);

impl<'de, A: de::VariantAccess<'de>> de::VariantAccess<'de> for StrictVariant<A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.0.unit_variant()
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, A::Error> {
        self.0.newtype_variant_seed(StrictSeed {
            seed,
            at: At::Inside,
        })
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.0.tuple_variant(
            len,
            StrictVisitor {
                inner: visitor,
                at: At::Inside,
            },
        )
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.0.struct_variant(
            fields,
            StrictVisitor {
                inner: visitor,
                at: At::Inside,
            },
        )
    }
}

/// A member name: whatever the key's seed reads it as, the name is gathered as text.
struct KeySeed<'n, 'de, S> {
    seed: S,
    names: &'n mut Vec<Cow<'de, str>>,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for KeySeed<'_, 'de, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.seed.deserialize(Key {
            inner: deserializer,
            names: self.names,
        })
    }
}

struct Key<'n, 'de, D> {
    inner: D,
    names: &'n mut Vec<Cow<'de, str>>,
}

fn key_parts<'n, 'de, D, V>(key: Key<'n, 'de, D>, visitor: V) -> (D, KeyVisitor<'n, 'de, V>) {
    (
        key.inner,
        KeyVisitor {
            inner: visitor,
            names: key.names,
        },
    )
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Key<'_, 'de, D> {
    type Error = D::Error;

    forward_all_deserialize!(key_parts);

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let (inner, visitor) = key_parts(self, visitor);
        inner.deserialize_newtype_struct(name, visitor)
    }

    /// Read, not skipped, so that an ignored member's name is gathered too.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        let (inner, visitor) = key_parts(self, visitor);
        inner.deserialize_any(visitor)
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

struct KeyVisitor<'n, 'de, V> {
    inner: V,
    names: &'n mut Vec<Cow<'de, str>>,
}

/// Forwards a key's visits, gathering the name as text first (a JSON member name is always
/// a string; serde_json parses it as a number or a boolean when the key's type asks for one,
/// and two names that read as the same number are then the same member).
macro_rules! forward_key_visits {
    ($($method:ident($ty:ty) => $name:expr;)*) => {
        $(
            fn $method<E: de::Error>(self, v: $ty) -> Result<V::Value, E> {
                #[allow(clippy::redundant_closure_call, reason = "the name is a closure per visit")]
                self.names.push(($name)(&v));
                self.inner.$method(v)
            }
        )*
    };
}

fn display<T: fmt::Display>(v: &T) -> Cow<'static, str> {
    Cow::Owned(v.to_string())
}

fn bytes(v: &[u8]) -> Cow<'static, str> {
    Cow::Owned(String::from_utf8_lossy(v).into_owned())
}

impl<'de, V: Visitor<'de>> Visitor<'de> for KeyVisitor<'_, 'de, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    forward_key_visits! {
        visit_bool(bool) => display;
        visit_i8(i8) => display;
        visit_i16(i16) => display;
        visit_i32(i32) => display;
        visit_i64(i64) => display;
        visit_i128(i128) => display;
        visit_u8(u8) => display;
        visit_u16(u16) => display;
        visit_u32(u32) => display;
        visit_u64(u64) => display;
        visit_u128(u128) => display;
        visit_f32(f32) => display;
        visit_f64(f64) => display;
        visit_char(char) => display;
        visit_str(&str) => |v: &&str| Cow::Owned((*v).to_owned());
        visit_string(String) => |v: &String| Cow::Owned(v.clone());
        visit_bytes(&[u8]) => |v: &&[u8]| bytes(v);
        visit_byte_buf(Vec<u8>) => |v: &Vec<u8>| bytes(v);
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<V::Value, E> {
        self.names.push(Cow::Borrowed(v));
        self.inner.visit_borrowed_str(v)
    }

    fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<V::Value, E> {
        self.names.push(bytes(v));
        self.inner.visit_borrowed_bytes(v)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.names.push(Cow::Borrowed("null"));
        self.inner.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.names.push(Cow::Borrowed("null"));
        self.inner.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.inner.visit_some(Key {
            inner: deserializer,
            names: self.names,
        })
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<V::Value, D::Error> {
        self.inner.visit_newtype_struct(Key {
            inner: deserializer,
            names: self.names,
        })
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.inner.visit_enum(KeyEnum {
            inner: data,
            names: self.names,
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<V::Value, A::Error> {
        Err(de::Error::custom("a member name is a string"))
    }

    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<V::Value, A::Error> {
        Err(de::Error::custom("a member name is a string"))
    }
}

/// A key read as a unit variant (`HashMap<SomeEnum, _>`): the variant's name is gathered.
struct KeyEnum<'n, 'de, A> {
    inner: A,
    names: &'n mut Vec<Cow<'de, str>>,
}

impl<'de, A: EnumAccess<'de>> EnumAccess<'de> for KeyEnum<'_, 'de, A> {
    type Error = A::Error;
    type Variant = A::Variant;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, A::Variant), A::Error> {
        self.inner.variant_seed(KeySeed {
            seed,
            names: self.names,
        })
    }
}
