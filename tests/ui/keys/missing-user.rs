use auth_runtime::auth_config;

#[auth_config(base_path = "/api/auth")]
pub struct AppAuth {}

fn main() {}
