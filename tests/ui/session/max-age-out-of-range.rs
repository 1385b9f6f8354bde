use auth_runtime::auth_config;

pub struct User;

#[auth_config(user = User, session(max_age = "10s"))]
pub struct AppAuth {}

fn main() {}
