use auth_runtime::auth_config;

#[auth_config(user = User)]
pub struct AppAuth {
    #[provider(ldap(server = "ldap://example.com"))]
    directory: Ldap,
}

fn main() {}
