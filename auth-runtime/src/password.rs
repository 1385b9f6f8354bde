//! Passwords as they arrive from a sign-in form: zeroized on drop, never printed.

use std::fmt;

use zeroize::Zeroizing;

/// A submitted password. `Debug` prints `[redacted]`; there is no `Display`.
#[derive(Clone, Default)]
pub struct Password(Zeroizing<String>);

impl Password {
    /// Wraps a submitted password.
    pub fn new(password: impl Into<String>) -> Self {
        Self(Zeroizing::new(password.into()))
    }

    /// The password, for verification against a stored hash.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Its length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password([redacted])")
    }
}

impl From<String> for Password {
    fn from(password: String) -> Self {
        Self::new(password)
    }
}
