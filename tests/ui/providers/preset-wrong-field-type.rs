use auth_runtime::prelude::*;

pub struct User;

impl AuthUser for User {
    fn subject(&self) -> String {
        "user-1".into()
    }
}

async fn from_google(_profile: &OAuthProfile, _state: &()) -> Result<Option<User>, CallbackError> {
    Ok(Some(User))
}

#[auth_config(user = User)]
pub struct AppAuth {
    #[provider(google(profile = from_google))]
    google: Oidc,
}

fn main() {}
