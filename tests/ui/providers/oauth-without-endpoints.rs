use auth_runtime::prelude::*;

pub struct User;

impl AuthUser for User {
    fn subject(&self) -> String {
        "user-1".into()
    }
}

async fn from_acme(_profile: &OAuthProfile, _state: &()) -> Result<Option<User>, CallbackError> {
    Ok(Some(User))
}

#[auth_config(user = User)]
pub struct AppAuth {
    #[provider(oauth(
        authorization = "https://acme.example/authorize",
        token = "https://acme.example/token",
        profile = from_acme,
    ))]
    acme: OAuth,
}

fn main() {}
