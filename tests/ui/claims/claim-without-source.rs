use auth_runtime::auth_config;

#[auth_config(user = User)]
pub struct AppAuth {
    /// Neither copied from the user nor derived, and not optional: never set.
    balance: u64,
}

fn main() {}
