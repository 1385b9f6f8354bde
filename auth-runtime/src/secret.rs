//! Secrets: the strings every key is derived from, and the rotation list that holds them.

use std::fmt;
use std::sync::Arc;

use zeroize::Zeroizing;

use crate::error::AuthError;

/// Shortest accepted secret, in bytes.
///
/// Auth.js accepts any non-empty secret; we refuse anything shorter than 32 bytes at start-up,
/// since every key of every session is derived from it (`openssl rand -base64 33` makes one).
pub const MIN_SECRET_LEN: usize = 32;

/// The environment variable holding the newest secret.
pub const SECRET_VARIABLE: &str = "AUTH_SECRET";

/// Environment variables holding older secrets, newest first, still accepted for decoding.
pub const ROTATED_SECRET_VARIABLES: [&str; 3] = ["AUTH_SECRET_1", "AUTH_SECRET_2", "AUTH_SECRET_3"];

/// Substrings that mark a secret copied from documentation rather than generated.
const PLACEHOLDER_MARKERS: [&str; 8] = [
    "changeme",
    "change-me",
    "change_me",
    "your-secret",
    "your_secret",
    "replace-me",
    "placeholder",
    "secret-here",
];

/// One secret string. It is zeroized on drop and never printed.
#[derive(Clone)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Checks a secret: at least [`MIN_SECRET_LEN`] bytes, not blank, not a documentation
    /// placeholder, not one repeated character.
    pub fn new(secret: impl Into<String>) -> Result<Self, AuthError> {
        Self::checked(Zeroizing::new(secret.into()), 0)
    }

    fn checked(secret: Zeroizing<String>, index: usize) -> Result<Self, AuthError> {
        let weak = |reason| Err(AuthError::WeakSecret { index, reason });
        let trimmed = secret.trim();
        if trimmed.is_empty() {
            return weak("it is empty or only white space");
        }
        if secret.len() < MIN_SECRET_LEN {
            return weak(
                "it is shorter than 32 bytes; generate one with `openssl rand -base64 33`",
            );
        }
        let lower = trimmed.to_ascii_lowercase();
        if PLACEHOLDER_MARKERS
            .iter()
            .any(|marker| lower.contains(marker))
        {
            return weak("it looks like a placeholder copied from documentation");
        }
        let mut chars = trimmed.chars();
        if let Some(first) = chars.next()
            && chars.all(|c| c == first)
        {
            return weak("it is one character repeated");
        }
        Ok(Self(secret))
    }

    /// The secret's bytes, the input key material of every derivation.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// The rotation list: the first secret encodes, all of them decode.
///
/// Cheap to clone.
#[derive(Clone)]
pub struct Secrets(Arc<[Secret]>);

impl Secrets {
    /// A list of secrets, newest first. It must not be empty, and every secret must pass
    /// [`Secret::new`]'s checks.
    pub fn new<I, S>(secrets: I) -> Result<Self, AuthError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let list = secrets
            .into_iter()
            .enumerate()
            .map(|(index, secret)| Secret::checked(Zeroizing::new(secret.into()), index))
            .collect::<Result<Vec<_>, _>>()?;
        if list.is_empty() {
            return Err(AuthError::MissingSecret {
                variable: SECRET_VARIABLE,
            });
        }
        Ok(Self(list.into()))
    }

    /// Reads `AUTH_SECRET` and then, for rotation, `AUTH_SECRET_1` … `AUTH_SECRET_3`.
    pub fn from_env() -> Result<Self, AuthError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// As [`Secrets::from_env`], reading variables through `lookup` (for tests and for
    /// configuration sources other than the process environment). An error names the
    /// variable that holds the unusable secret, never its value.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, AuthError> {
        let mut list = Vec::with_capacity(1 + ROTATED_SECRET_VARIABLES.len());
        for (index, variable) in std::iter::once(SECRET_VARIABLE)
            .chain(ROTATED_SECRET_VARIABLES)
            .enumerate()
        {
            let Some(value) = lookup(variable).map(Zeroizing::new) else {
                if index == 0 {
                    return Err(AuthError::MissingSecret { variable });
                }
                continue;
            };
            let secret = Secret::checked(value, index).map_err(|error| match error {
                AuthError::WeakSecret { reason, .. } => {
                    AuthError::UnusableSecretVariable { variable, reason }
                }
                other => other,
            })?;
            list.push(secret);
        }
        Ok(Self(list.into()))
    }

    /// The secrets, newest first.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &Secret> {
        self.0.iter()
    }

    /// The secret that encodes.
    pub fn newest(&self) -> &Secret {
        // Both constructors refuse an empty list.
        &self.0[0]
    }
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secrets([{} redacted])", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_blank_and_placeholder_secrets_are_refused() {
        for bad in [
            "",
            "   ",
            "short",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "your-secret-key-at-least-32-characters-long",
        ] {
            assert!(
                matches!(Secret::new(bad), Err(AuthError::WeakSecret { .. })),
                "{bad:?}"
            );
        }
        assert!(Secret::new("k3J9vQ2mX7pL0sR4tY8wZ1aB5cD6eF0g").is_ok());
    }

    #[test]
    fn rotated_secret_errors_name_their_variable() {
        let env = |name: &str| match name {
            "AUTH_SECRET" => Some("k3J9vQ2mX7pL0sR4tY8wZ1aB5cD6eF0g".to_owned()),
            "AUTH_SECRET_2" => Some("tooshort".to_owned()),
            _ => None,
        };
        let error = Secrets::from_lookup(env).map(|_| ()).unwrap_err();
        assert!(error.to_string().contains("AUTH_SECRET_2"), "{error}");
    }

    #[test]
    fn missing_secret_names_the_variable() {
        let error = Secrets::from_lookup(|_| None).map(|_| ()).unwrap_err();
        assert_eq!(error.to_string(), "no secret configured: set AUTH_SECRET");
    }

    #[test]
    fn debug_output_is_redacted() {
        let secrets = Secrets::new(["k3J9vQ2mX7pL0sR4tY8wZ1aB5cD6eF0g"]).unwrap();
        let printed = format!("{secrets:?} {:?}", secrets.newest());
        assert!(!printed.contains("k3J9"), "{printed}");
    }
}
