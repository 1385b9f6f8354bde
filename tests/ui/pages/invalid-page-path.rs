use auth_runtime::auth_config;

pub struct User;

#[auth_config(user = User, pages(sign_in = "login"))]
pub struct AppAuth {}

fn main() {}
