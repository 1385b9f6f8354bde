// What the README's example config (`app_auth.rs`) names: the user, the state, the claim types
// and the callbacks. Included, with it, by the pass case
// `tests/ui/pass/full-config-denies-warnings-and-missing-docs.rs` (rustc, `deny(warnings,
// missing_docs)`) and by `tests/readme_example.rs` (clippy, pedantic lints denied).

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
    #[must_use]
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
    /// (user id, tenant) pairs.
    pub memberships: Vec<(String, String)>,
}

mod users {
    use super::{AppAuthCredentialsForm, AuthUser, CallbackError, Role, TenantId};

    /// A user.
    pub struct User {
        /// Id.
        pub id: String,
        /// Role.
        pub role: Role,
        /// Default tenant.
        pub tenant_id: Option<TenantId>,
        /// Email.
        pub email: String,
    }

    impl AuthUser for User {
        fn subject(&self) -> String {
            self.id.clone()
        }
        fn email(&self) -> Option<String> {
            Some(self.email.clone())
        }
    }

    #[allow(clippy::unused_async, reason = "the signature the macro calls")]
    pub(crate) async fn authorize(
        form: &AppAuthCredentialsForm,
        _state: &super::AppState,
    ) -> Result<Option<User>, CallbackError> {
        if form.password.expose().is_empty() {
            return Ok(None);
        }
        Ok(Some(User {
            id: "u1".into(),
            role: Role::Viewer,
            tenant_id: None,
            email: form.email.clone(),
        }))
    }
}

#[allow(clippy::unused_async, reason = "the signatures the macro calls")]
mod policy {
    use super::{Account, AppAuth, AppAuthToken, AppState, CallbackError, JwtTrigger, SignIn};
    use super::{TokenAction, users::User};

    pub(crate) async fn sign_in(
        user: &User,
        _account: &Account,
        _state: &AppState,
    ) -> Result<SignIn, CallbackError> {
        Ok(if user.email.ends_with("@example.com") {
            SignIn::Allow
        } else {
            SignIn::Deny
        })
    }

    pub(crate) async fn jwt(
        token: &mut AppAuthToken,
        trigger: JwtTrigger<'_, AppAuth>,
        _state: &AppState,
    ) -> Result<TokenAction, CallbackError> {
        if let JwtTrigger::SignIn { user, .. } = trigger {
            token.access_token = Some(format!("opaque-{}", user.id));
        }
        Ok(TokenAction::Keep)
    }
}

mod tenants {
    use super::{AppAuthToken, AppState, CallbackError, TenantId};

    #[allow(
        clippy::unused_async,
        clippy::ref_option,
        reason = "the signature the macro calls: a reference to the claim's type"
    )]
    pub(crate) async fn may_switch(
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
    use super::{AppAuth, AppState, AuthEvent, CallbackError};

    #[allow(clippy::unused_async, reason = "the signature the macro calls")]
    pub(crate) async fn record(
        event: &AuthEvent<'_, AppAuth>,
        _state: &AppState,
    ) -> Result<(), CallbackError> {
        let _ = event.name();
        Ok(())
    }
}

/// What the generated items answer for this config, checked by both includers.
fn check_the_generated_items() {
    let _admin_only = AppAuth::require_role(Role::Admin);
    let _writers = AppAuth::require(Permission::Write);
    assert_eq!(
        <AppAuth as auth_runtime::AuthSchema>::MAX_AGE.as_secs(),
        7 * 24 * 3600
    );
}
