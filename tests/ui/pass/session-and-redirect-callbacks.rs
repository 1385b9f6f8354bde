//! The `session` and `redirect` callbacks (the README's example has neither), compiled under
//! `deny(warnings, missing_docs)`.
#![deny(warnings, missing_docs)]

use auth_runtime::prelude::*;

/// A user.
pub struct User {
    /// Id.
    pub id: String,
}

impl AuthUser for User {
    fn subject(&self) -> String {
        self.id.clone()
    }
}

mod users {
    use super::*;

    pub async fn authorize(form: &AppAuthCredentialsForm, _state: &()) -> Result<Option<User>, CallbackError> {
        Ok(Some(User { id: form.email.clone() }))
    }
}

mod policy {
    use super::*;

    pub async fn session(session: &mut AppAuthSession, _state: &()) -> Result<SessionAction, CallbackError> {
        session.user.name.get_or_insert_with(|| "anonymous".into());
        Ok(SessionAction::Keep)
    }

    pub async fn redirect(url: &str, base_url: &str, _signed_in: Option<&AppAuthToken>, _state: &()) -> Result<String, CallbackError> {
        Ok(if url.starts_with('/') { format!("{base_url}{url}") } else { base_url.to_owned() })
    }
}

/// The application's authentication.
#[auth_config(user = User, callbacks(session = policy::session, redirect = policy::redirect))]
pub struct AppAuth {
    #[provider(credentials(authorize = users::authorize, name = "Email and password"))]
    credentials: Credentials,
    /// A nickname the `jwt` callback could set.
    nickname: Option<String>,
}

fn main() {
    assert_eq!(<AppAuth as auth_runtime::AuthSchema>::PROVIDERS[0].name, "Email and password");
}
