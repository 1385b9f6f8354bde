use auth_runtime::auth_config;

pub struct User;

#[auth_config(user = User)]
pub struct AppAuth {
    #[claim(from_user)]
    exp: i64,
}

fn main() {}
