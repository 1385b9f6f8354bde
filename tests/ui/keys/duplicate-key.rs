use auth_runtime::auth_config;

pub struct User;

#[auth_config(user = User, base_path = "/api/auth", base_path = "/auth")]
pub struct AppAuth {}

fn main() {}
