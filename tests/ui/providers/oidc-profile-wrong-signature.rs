use auth_runtime::prelude::*;

pub struct User;

impl AuthUser for User {
    fn subject(&self) -> String {
        "user-1".into()
    }
}

// Takes the subject only, not the profile.
async fn from_oidc(_sub: &str, _: &()) -> Result<Option<User>, CallbackError> {
    Ok(Some(User))
}

#[auth_config(user = User)]
pub struct AppAuth {
    #[provider(oidc(issuer = "https://id.example.com", profile = from_oidc))]
    oidc: Oidc,
}

fn main() {}
