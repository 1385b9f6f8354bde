use auth_runtime::prelude::*;

pub struct User;

#[auth_config(user = User)]
pub struct AppAuth {
    #[provider(credentials(authorize = users::authorize))]
    #[claim(from_user)]
    credentials: Credentials,
}

fn main() {}
