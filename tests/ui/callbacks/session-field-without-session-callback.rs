use auth_runtime::prelude::*;

pub struct User;

impl AuthUser for User {
    fn subject(&self) -> String {
        "user".into()
    }
}

#[auth_config(user = User)]
pub struct AppAuth {
    /// Nothing fills it: it would always be `None`.
    #[session_field]
    is_active: Option<bool>,
}

fn main() {}
