use auth_runtime::auth_config;

pub struct User;

#[auth_config(user = User, rate_limit(sign_in = "5/15m"))]
pub struct AppAuth {}

fn main() {}
