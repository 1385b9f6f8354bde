//! [`AuthUser`]: what the configured `user = …` type tells the runtime.

/// What the configured `user = …` type tells the runtime: the standard claims of a new token.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is used as the `user` of an auth configuration but does not implement `AuthUser`",
    label = "implement `auth_runtime::AuthUser` for this type",
    note = "`AuthUser` names the user's stable id (`sub`) and, optionally, name, email and image"
)]
pub trait AuthUser {
    /// The user's stable id, stored as `sub`.
    fn subject(&self) -> String;
    /// The display name (`name`).
    fn name(&self) -> Option<String> {
        None
    }
    /// The email address (`email`).
    fn email(&self) -> Option<String> {
        None
    }
    /// The avatar URL (`picture` in the token, `image` in the session).
    fn image(&self) -> Option<String> {
        None
    }
}
