use auth_runtime::auth_config;

#[auth_config(user = User, session(max_age = "7 fortnights"))]
pub struct AppAuth {}

#[auth_config(user = User, session(max_age = "10s"))]
pub struct ShortAuth {}

fn main() {}
