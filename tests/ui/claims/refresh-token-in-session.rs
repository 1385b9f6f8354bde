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
    #[provider(oidc(issuer = "https://id.example.com", profile = from_oidc, refresh))]
    oidc: Oidc,
    /// A refresh token must never reach the browser.
    #[claim(from_account = refresh_token, session = top)]
    refresh_token: Option<String>,
}

fn main() {}
