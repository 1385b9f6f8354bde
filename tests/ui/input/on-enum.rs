use auth_runtime::auth_config;

#[auth_config(user = User)]
pub enum AppAuth {
    Credentials,
}

fn main() {}
