//! The README's example configuration, compiled under `deny(warnings, missing_docs)` and
//! pedantic clippy's favourite lints: generated items carry docs and need no allows.
#![deny(warnings, missing_docs)]

use auth_runtime::prelude::*;

/// A stable user id.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UserId(pub String);

/// A tenant id.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TenantId(pub String);

/// Roles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything.
    Admin,
    /// Read only.
    Viewer,
}

/// Permissions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Permission {
    /// Read.
    Read,
    /// Write.
    Write,
}

impl Role {
    /// The permissions of a role.
    pub fn permissions(&self) -> Vec<Permission> {
        match self {
            Role::Admin => vec![Permission::Read, Permission::Write],
            Role::Viewer => vec![Permission::Read],
        }
    }
}

/// The application state.
#[derive(Clone, Default)]
pub struct AppState {
    /// Tenants per user id.
    pub memberships: Vec<(String, String)>,
}

/// A user.
pub struct User {
    /// Id.
    pub id: UserId,
    /// Role.
    pub role: Role,
    /// Default tenant.
    pub tenant_id: Option<TenantId>,
    /// Email.
    pub email: String,
}

impl AuthUser for User {
    fn subject(&self) -> String {
        self.id.0.clone()
    }
    fn email(&self) -> Option<String> {
        Some(self.email.clone())
    }
}

mod users {
    use super::*;

    pub async fn authorize(
        form: &AppAuthCredentialsForm,
        _state: &AppState,
    ) -> Result<Option<User>, CallbackError> {
        if form.password.expose().is_empty() {
            return Ok(None);
        }
        Ok(Some(User {
            id: UserId("u1".into()),
            role: Role::Viewer,
            tenant_id: None,
            email: form.email.clone(),
        }))
    }
}

mod policy {
    use super::*;

    pub async fn sign_in(user: &User, _account: &Account, _state: &AppState) -> Result<SignIn, CallbackError> {
        Ok(if user.email.ends_with("@example.com") { SignIn::Allow } else { SignIn::Deny })
    }

    pub async fn jwt(
        token: &mut AppAuthToken,
        trigger: JwtTrigger<'_, AppAuth>,
        _state: &AppState,
    ) -> Result<TokenAction, CallbackError> {
        if let JwtTrigger::SignIn { user, .. } = trigger {
            token.access_token = Some(format!("opaque-{}", user.id.0));
        }
        Ok(TokenAction::Keep)
    }

    pub async fn session(session: &mut AppAuthSession, _state: &AppState) -> Result<(), CallbackError> {
        session.user.name.get_or_insert_with(|| "anonymous".into());
        Ok(())
    }

    pub async fn redirect(url: &str, base_url: &str, _state: &AppState) -> Result<String, CallbackError> {
        Ok(if url.starts_with('/') { format!("{base_url}{url}") } else { base_url.to_owned() })
    }
}

mod tenants {
    use super::*;

    pub async fn may_switch(
        token: &AppAuthToken,
        proposed: &Option<TenantId>,
        state: &AppState,
    ) -> Result<bool, CallbackError> {
        Ok(match proposed {
            None => true,
            Some(tenant) => state
                .memberships
                .iter()
                .any(|(user, member_of)| *user == token.sub && *member_of == tenant.0),
        })
    }
}

mod audit {
    use super::*;

    pub async fn record(event: &AuthEvent<'_, AppAuth>, _state: &AppState) -> Result<(), CallbackError> {
        let _ = event.name();
        Ok(())
    }
}

/// The application's authentication.
#[auth_config(
    base_path = "/api/auth",
    user = User,
    state = AppState,
    session(max_age = "7d"),
    callbacks(sign_in = policy::sign_in, jwt = policy::jwt, session = policy::session, redirect = policy::redirect),
    events = audit::record,
)]
pub struct AppAuth {
    #[provider(credentials(authorize = users::authorize, name = "Email and password"))]
    credentials: Credentials,

    /// Stable user id, copied from `User::id` at sign-in.
    #[claim(from_user)]
    id: UserId,
    #[claim(from_user)]
    role: Role,
    /// Computed from the role.
    #[claim(derive = Role::permissions(role))]
    permissions: Vec<Permission>,
    /// Switchable by the client, but only through the check.
    #[claim(from_user, update = tenants::may_switch)]
    tenant_id: Option<TenantId>,
    /// Kept in the encrypted token, never sent to the browser.
    #[claim(private)]
    access_token: Option<String>,
}

fn main() {
    let _admin_only = AppAuth::require_role(Role::Admin);
    let _writers = AppAuth::require(Permission::Write);
    assert_eq!(<AppAuth as auth_runtime::AuthSchema>::MAX_AGE.as_secs(), 7 * 24 * 3600);
}
