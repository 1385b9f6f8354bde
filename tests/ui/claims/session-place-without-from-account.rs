use auth_runtime::prelude::*;

pub struct User;

impl AuthUser for User {
    fn subject(&self) -> String {
        "user".into()
    }
}

async fn from_oidc(_: &OAuthProfile, _: &()) -> Result<Option<User>, CallbackError> {
    Ok(Some(User))
}

#[auth_config(user = User)]
pub struct AppAuth {
    #[provider(oidc(issuer = "https://id.example.com", profile = from_oidc))]
    oidc: Oidc,
    #[claim(session = top)]
    plan: Option<String>,
}

fn main() {}
