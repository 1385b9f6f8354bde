use auth_runtime::auth_config;

#[auth_config(user = User)]
pub struct AppAuth(String);

fn main() {}
