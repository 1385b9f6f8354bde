use auth_runtime::prelude::*;

pub struct User;

impl AuthUser for User {
    fn subject(&self) -> String {
        "user".into()
    }
}

async fn from_github(_: &OAuthProfile, _: &()) -> Result<Option<User>, CallbackError> {
    Ok(Some(User))
}

#[auth_config(user = User)]
pub struct AppAuth {
    /// GitHub's OAuth apps issue no refresh token.
    #[provider(github(profile = from_github, refresh))]
    github: GitHub,
}

fn main() {}
