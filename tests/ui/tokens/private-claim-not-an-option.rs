use auth_runtime::prelude::*;

pub struct User {
    pub tier: u8,
}

impl AuthUser for User {
    fn subject(&self) -> String {
        "user-1".into()
    }
}

#[auth_config(user = User, tokens(bearer(audience = "https://api.example")))]
pub struct AppAuth {
    #[claim(from_user, private)]
    tier: u8,
}

fn main() {}
