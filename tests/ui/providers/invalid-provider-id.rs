use auth_runtime::prelude::*;

pub struct User;

#[auth_config(user = User)]
pub struct AppAuth {
    #[provider(credentials(authorize = users::authorize, id = "GitHub"))]
    credentials: Credentials,
}

fn main() {}
