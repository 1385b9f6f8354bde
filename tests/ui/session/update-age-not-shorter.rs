use auth_runtime::auth_config;

pub struct User;

#[auth_config(user = User, session(max_age = "1h", update_age = "1h"))]
pub struct AppAuth {}

fn main() {}
