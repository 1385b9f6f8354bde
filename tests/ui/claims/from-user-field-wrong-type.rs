use auth_runtime::prelude::*;

pub struct User {
    pub id: String,
    pub role: String,
}

impl AuthUser for User {
    fn subject(&self) -> String {
        self.id.clone()
    }
}

#[auth_config(user = User)]
pub struct AppAuth {
    #[claim(from_user)]
    role: u8,
}

fn main() {}
