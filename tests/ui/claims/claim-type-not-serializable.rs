use auth_runtime::prelude::*;

pub struct User {
    pub mood: Mood,
}

/// Not serde-serialisable: it cannot go into a token.
#[derive(Clone)]
pub struct Mood;

impl AuthUser for User {
    fn subject(&self) -> String {
        "user".into()
    }
}

#[auth_config(user = User)]
pub struct AppAuth {
    #[claim(from_user)]
    mood: Mood,
}

fn main() {}
