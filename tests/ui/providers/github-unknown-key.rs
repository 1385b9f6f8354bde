use auth_runtime::prelude::*;

pub struct User;

impl AuthUser for User {
    fn subject(&self) -> String {
        "user-1".into()
    }
}

async fn from_github(_profile: &OAuthProfile, _state: &()) -> Result<Option<User>, CallbackError> {
    Ok(Some(User))
}

#[auth_config(user = User)]
pub struct AppAuth {
    // GitHub is plain OAuth 2: no issuer to discover.
    #[provider(github(issuer = "https://github.com", profile = from_github))]
    github: GitHub,
}

fn main() {}
