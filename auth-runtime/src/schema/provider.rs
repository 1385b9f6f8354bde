//! Providers: what `GET /providers` and the sign-in page list, the kinds, the credentials
//! provider's field type, and the account a user signed in with.

/// One configured provider, as `GET /providers` lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProviderInfo {
    /// The provider id in URLs (`/callback/<id>`).
    pub id: &'static str,
    /// The name shown on the sign-in page.
    pub name: &'static str,
    /// `credentials`, `oauth` or `oidc`.
    pub kind: ProviderKind,
    /// The form fields of a credentials provider: (name, label, is secret).
    pub fields: &'static [CredentialField],
}

/// A credentials provider's form field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CredentialField {
    /// The form field name.
    pub name: &'static str,
    /// The label shown on the sign-in page.
    pub label: &'static str,
    /// Whether it is a password (never logged, masked in forms).
    pub secret: bool,
}

/// The kind of a provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProviderKind {
    /// A form posted to `/callback/<id>`, checked by an `authorize` function.
    Credentials,
}

impl ProviderKind {
    /// The Auth.js `type` string.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Credentials => "credentials",
        }
    }
}

/// The account a user signed in with: which provider, of which kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The provider id.
    pub provider: String,
    /// The provider kind.
    pub kind: ProviderKind,
}

/// The type of a credentials provider field in an `#[auth_config]` struct:
/// `#[provider(credentials(authorize = …))] credentials: Credentials`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Credentials;

/// Implemented by the types a credentials provider field may have: [`Credentials`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a credentials provider type",
    label = "a `credentials(...)` provider field has type `auth_runtime::Credentials`"
)]
pub trait CredentialsProviderType {}

impl CredentialsProviderType for Credentials {}
