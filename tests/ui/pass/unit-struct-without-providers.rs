//! A service that only reads sessions made elsewhere (say, by a Next.js front end): no
//! providers, a unit struct, and the standard claims.
use auth_runtime::prelude::{AuthUser, auth_config};

pub struct User;

impl AuthUser for User {
    fn subject(&self) -> String {
        "user".into()
    }
}

#[auth_config(user = User, session(max_age = "30d"))]
pub struct ReadOnlyAuth;

fn main() {
    assert!(<ReadOnlyAuth as auth_runtime::AuthSchema>::PROVIDERS.is_empty());
}
