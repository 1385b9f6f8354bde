//! The user type of the OAuth tests: what a provider's profile makes of a person.

use auth_runtime::{AuthUser, OAuthProfile};

/// A user signed in with an OAuth provider.
pub(crate) struct User {
    pub(crate) id: String,
    pub(crate) name: Option<String>,
    pub(crate) email: Option<String>,
}

impl User {
    /// The user `id` with `profile`'s name, and its email only when the provider verified it.
    pub(crate) fn from_profile(id: String, profile: &OAuthProfile) -> Self {
        Self {
            id,
            name: profile.name.clone(),
            email: profile.verified_email().map(str::to_owned),
        }
    }
}

impl AuthUser for User {
    fn subject(&self) -> String {
        self.id.clone()
    }
    fn name(&self) -> Option<String> {
        self.name.clone()
    }
    fn email(&self) -> Option<String> {
        self.email.clone()
    }
}
