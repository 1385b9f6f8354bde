use auth_runtime::auth_config;

pub struct User;

#[auth_config(user = User, tokens(bearer(alg = "EdDsa", audience = "https://api.example")))]
pub struct AppAuth {}

fn main() {}
