use auth_runtime::prelude::*;

pub struct User;

impl AuthUser for User {
    fn subject(&self) -> String {
        "user-1".into()
    }
}

async fn from_oidc(_: &OAuthProfile, _: &()) -> Result<Option<User>, CallbackError> {
    Ok(Some(User))
}


/// CF-05: Auth.js's `checks` has no counterpart: PKCE and state are always checked.
#[auth_config(user = User)]
pub struct AppAuth {
    #[provider(oidc(issuer = "https://id.example.com", profile = from_oidc, checks = "none"))]
    oidc: Oidc,
}

fn main() {}
