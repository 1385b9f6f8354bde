use auth_runtime::auth_config;

#[auth_config(user = User)]
pub struct AppAuth {
    #[claim(from_user)]
    role: Role,
    #[claim(derive = Role::permissions(rol))]
    permissions: Vec<Permission>,
}

fn main() {}
