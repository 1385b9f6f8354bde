use auth_runtime::prelude::*;

pub struct User;

impl AuthUser for User {
    fn subject(&self) -> String {
        "user-1".into()
    }
}

#[auth_config(user = User)]
pub struct AppAuth {
    #[provider(oidc(issuer = "https://id.example.com"))]
    oidc: Oidc,
}

fn main() {}
