use auth_runtime::prelude::*;

pub struct User;

impl AuthUser for User {
    fn subject(&self) -> String {
        "user".into()
    }
}

mod policy {
    /// Written as in JavaScript: a token in, a token out.
    pub async fn jwt(token: super::AppAuthToken) -> super::AppAuthToken {
        token
    }
}

#[auth_config(user = User, callbacks(jwt = policy::jwt))]
pub struct AppAuth {}

fn main() {}
