//! Session-only fields (`#[session_field]`), in the session's `user` and at its top level,
//! filled by the `session` callback; compiled under `deny(warnings, missing_docs)`.
#![deny(warnings, missing_docs)]

use std::collections::BTreeMap;

use auth_runtime::prelude::*;

/// A user.
pub struct User {
    /// Id.
    pub id: String,
}

impl AuthUser for User {
    fn subject(&self) -> String {
        self.id.clone()
    }
}

mod users {
    use super::*;

    pub async fn authorize(form: &AppAuthCredentialsForm, _state: &()) -> Result<Option<User>, CallbackError> {
        Ok(Some(User { id: form.email.clone() }))
    }
}

mod policy {
    use super::*;

    pub async fn session(session: &mut AppAuthSession, _state: &()) -> Result<SessionAction, CallbackError> {
        session.features.insert("beta".into(), session.user.plan.is_some());
        session.user.is_active = Some(true);
        Ok(SessionAction::Keep)
    }
}

/// The application's authentication.
#[auth_config(user = User, callbacks(session = policy::session))]
pub struct AppAuth {
    #[provider(credentials(authorize = users::authorize))]
    credentials: Credentials,
    /// A claim the `jwt` callback could set.
    plan: Option<String>,
    /// The feature flags, at `session.features`.
    #[session_field(top)]
    features: BTreeMap<String, bool>,
    /// Whether the account is active, at `session.user.active`.
    #[session_field(rename = "active")]
    is_active: Option<bool>,
}

fn main() {
    let session = AppAuthSession {
        user: AppAuthSessionUser { name: None, email: None, image: None, plan: None, is_active: Some(false) },
        expires: "2030-01-01T00:00:00.000Z".into(),
        features: BTreeMap::new(),
    };
    let json = serde_json::to_value(&session).expect("a session serialises");
    assert_eq!(json["user"]["active"], false);
    assert_eq!(json["features"], serde_json::json!({}));
}
