use auth_runtime::prelude::*;

pub struct User;

impl AuthUser for User {
    fn subject(&self) -> String {
        "user".into()
    }
}

mod policy {
    use super::*;

    /// Tries to expose the OAuth access token to the browser, as Auth.js allows.
    pub async fn session(session: &mut AppAuthSession, _state: &()) -> Result<SessionAction, CallbackError> {
        session.user.access_token = Some("leaked".into());
        Ok(SessionAction::Keep)
    }
}

#[auth_config(user = User, callbacks(session = policy::session))]
pub struct AppAuth {
    #[claim(private)]
    access_token: Option<String>,
}

fn main() {}
