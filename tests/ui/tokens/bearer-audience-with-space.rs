use auth_runtime::auth_config;

pub struct User;

#[auth_config(user = User, tokens(bearer(audience = "my api")))]
pub struct AppAuth {}

fn main() {}
