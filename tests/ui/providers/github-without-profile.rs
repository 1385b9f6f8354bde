use auth_runtime::prelude::*;

pub struct User;

impl AuthUser for User {
    fn subject(&self) -> String {
        "user-1".into()
    }
}

#[auth_config(user = User)]
pub struct AppAuth {
    #[provider(github(scopes = "read:user"))]
    github: GitHub,
}

fn main() {}
