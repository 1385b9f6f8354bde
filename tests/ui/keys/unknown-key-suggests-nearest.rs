use auth_runtime::auth_config;

#[auth_config(user = User, sesion(max_age = "7d"))]
pub struct AppAuth {}

fn main() {}
