//! What the registered-claim checks see of a claims object: the shapes of `exp`, `nbf`, `iat`
//! and `jti`, noted while the object is read.

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
