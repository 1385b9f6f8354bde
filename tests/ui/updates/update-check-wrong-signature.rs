use auth_runtime::prelude::*;

pub struct User {
    pub credits: u64,
}

impl AuthUser for User {
    fn subject(&self) -> String {
        "user".into()
    }
}

mod checks {
    /// Takes the proposed value as a string: not the claim's type.
    pub async fn credits_may_change(
        _token: &super::AppAuthToken,
        _proposed: &str,
        _state: &(),
    ) -> Result<bool, auth_runtime::CallbackError> {
        Ok(false)
    }
}

#[auth_config(user = User)]
pub struct AppAuth {
    #[claim(from_user, update = checks::credits_may_change)]
    credits: u64,
}

fn main() {}
