use auth_runtime::auth_config;

pub struct User;

#[auth_config(user = User, base_path = "/auth", pages(error = "/auth/error"))]
pub struct AppAuth {}

fn main() {}
