use auth_runtime::auth_config;

pub struct User;

#[auth_config(user = User, tokens(bearer(alg = "EdDSA", ttl = "15m")))]
pub struct AppAuth {}

fn main() {}
