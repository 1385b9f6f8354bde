//! `crate = …` points generated code at the runtime under another name.
extern crate auth_runtime as auth;

use auth::prelude::{AuthUser, CallbackError};

pub struct User;

impl AuthUser for User {
    fn subject(&self) -> String {
        "user".into()
    }
}

#[auth::auth_config(crate = auth, user = User, base_path = "/auth")]
pub struct AppAuth {
    nickname: Option<String>,
}

fn main() {
    let _: Option<CallbackError> = None;
    assert_eq!(AppAuth::BASE_PATH, "/auth");
}
