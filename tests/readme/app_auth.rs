use auth_runtime::prelude::*;

#[auth_config(
    base_path = "/api/auth",
    user = crate::users::User,            // what providers produce; implements `AuthUser`
    state = crate::AppState,              // handed to every callback and check
    session(max_age = "7d", update_age = "1h"),
    callbacks(sign_in = policy::sign_in, jwt = policy::jwt),
    events = audit::record,
)]
pub struct AppAuth {
    #[provider(credentials(authorize = users::authorize))]
    credentials: Credentials,

    /// Copied from `User::role` at sign-in.
    #[claim(from_user)]
    role: Role,
    /// Computed from the role at sign-in and after every update.
    #[claim(derive = Role::permissions(role))]
    permissions: Vec<Permission>,
    /// Switchable by the client, but only through the check.
    #[claim(from_user, update = tenants::may_switch)]
    tenant_id: Option<TenantId>,
    /// Kept in the encrypted token, never sent to the browser; the `jwt` callback sets it.
    #[claim(private)]
    access_token: Option<String>,
}
