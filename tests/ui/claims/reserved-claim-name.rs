use auth_runtime::auth_config;

#[auth_config(user = User)]
pub struct AppAuth {
    #[claim(from_user)]
    exp: i64,
    #[claim(from_user, rename = "sub")]
    user_id: String,
    #[claim(from_user)]
    email: String,
}

fn main() {}
