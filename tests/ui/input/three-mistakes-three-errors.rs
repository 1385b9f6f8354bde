use auth_runtime::auth_config;

#[auth_config(user = User, base_path = "/api//auth", calbacks(sign_in = policy::sign_in))]
pub struct AppAuth {
    #[claim(from_user)]
    jti: String,
}

fn main() {}
