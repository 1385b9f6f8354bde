use auth_runtime::auth_config;

#[auth_config(user = User)]
pub struct AppAuth {
    #[provider(credentials(authorize = users::authorize))]
    credentials: Credentials,
    #[provider(credentials(id = "credentials", authorize = users::authorize_staff))]
    staff: Credentials,
}

fn main() {}
