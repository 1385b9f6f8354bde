use auth_runtime::auth_config;

#[auth_config(user = User, base_path = "api/auth/")]
pub struct AppAuth {}

fn main() {}
