use auth_runtime::auth_config;

pub struct User;

#[auth_config(user = User, tokens(bearer(ttl = "a quarter hour", audience = "https://api.example")))]
pub struct AppAuth {}

fn main() {}
