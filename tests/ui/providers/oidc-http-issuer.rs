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


/// CF-07: a plain http issuer off loopback is refused where it is written; one on loopback
/// (a developer's own provider) is accepted.
#[auth_config(user = User)]
pub struct AppAuth {
    #[provider(oidc(issuer = "http://id.example.com", profile = from_oidc))]
    oidc: Oidc,
    #[provider(oidc(id = "local", issuer = "http://127.0.0.1:4000", profile = from_oidc))]
    local: Oidc,
}

fn main() {}
