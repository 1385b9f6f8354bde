use auth_runtime::auth_config;

pub struct User;

#[auth_config(user = User)]
pub struct AppAuth {
    #[claim(from_user)]
    role: String,
    #[claim(derive = permissions_of(role), update = checks::may_change)]
    permissions: Vec<String>,
}

fn main() {}
