//! Generated code reaches std and the runtime by absolute paths only: shadowing the prelude's
//! names in the user's module changes nothing. The primitive types (`bool`, `str`, …) cannot be
//! shadowed here, as serde's derives name them bare; `auth-macros`'s unit test
//! `generated_code_names_primitives_by_absolute_path` checks that ours never do.
#![allow(dead_code, non_camel_case_types)]

use auth_runtime::prelude::{AuthUser, CallbackError, Credentials};

struct Result;
struct Ok;
struct Err;
struct Option;
struct Some;
struct None;
struct String;
struct Vec;
struct Box;
struct Clone;
struct Default;
struct Send;
struct Future;
struct Debug;
struct Copy;
struct Sync;
struct Sized;

pub struct User {
    pub id: std::string::String,
    pub role: std::string::String,
}

impl AuthUser for User {
    fn subject(&self) -> std::string::String {
        std::clone::Clone::clone(&self.id)
    }
}

async fn authorize(
    _form: &AppAuthCredentialsForm,
    _state: &(),
) -> std::result::Result<std::option::Option<User>, CallbackError> {
    std::result::Result::Ok(std::option::Option::None)
}

#[auth_runtime::auth_config(
    user = User,
    session(max_age = "7d", update_age = "1h"),
    pages(sign_in = "/login"),
    rate_limit(sign_in = "5 per 15m"),
)]
pub struct AppAuth {
    #[provider(credentials(authorize = authorize))]
    credentials: Credentials,
    #[claim(from_user)]
    role: std::string::String,
    nickname: std::option::Option<std::string::String>,
}

fn main() {}
