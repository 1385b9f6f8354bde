use auth_runtime::prelude::*;

pub struct User {
    pub credits: u64,
}

impl AuthUser for User {
    fn subject(&self) -> String {
        "user".into()
    }
}

#[auth_config(user = User)]
pub struct AppAuth {
    /// Not updatable: no `update = check`.
    #[claim(from_user)]
    credits: u64,
}

fn main() {
    // The seed's "credits" pattern: a client raising its own balance. There is no such field.
    let _ = AppAuthUpdate { credits: Some(1_000_000) };
}
