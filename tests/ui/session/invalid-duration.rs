use auth_runtime::auth_config;

pub struct User;

#[auth_config(user = User, session(max_age = "7 fortnights"))]
pub struct AppAuth {}

fn main() {}
