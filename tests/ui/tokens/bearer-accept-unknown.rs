use auth_runtime::auth_config;

pub struct User;

#[auth_config(user = User, tokens(bearer(audience = "https://api.example", accept = "header")))]
pub struct AppAuth {}

fn main() {}
