use auth_runtime::auth_config;

#[auth_config(user = User)]
pub struct AppAuth {
    #[claim(from_user, update)]
    credits: u64,
}

fn main() {}
