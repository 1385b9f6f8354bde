use std::collections::BTreeMap;

use auth_runtime::prelude::*;

pub struct User;

impl AuthUser for User {
    fn subject(&self) -> String {
        "user".into()
    }
}

mod policy {
    use super::*;

    /// Fills the feature flags on each read, as it should.
    pub async fn session(session: &mut AppAuthSession, _state: &()) -> Result<SessionAction, CallbackError> {
        session.features.insert("beta".into(), true);
        Ok(SessionAction::Keep)
    }

    /// Tries to keep the flags in the token, where they would grow the cookie and go stale.
    pub async fn jwt(
        token: &mut AppAuthToken,
        _trigger: JwtTrigger<'_, AppAuth>,
        _state: &(),
    ) -> Result<TokenAction, CallbackError> {
        token.features.insert("beta".into(), true);
        Ok(TokenAction::Keep)
    }
}

#[auth_config(user = User, callbacks(session = policy::session, jwt = policy::jwt))]
pub struct AppAuth {
    /// The user's feature flags, read fresh on each session read.
    #[session_field(top)]
    features: BTreeMap<String, bool>,
}

fn main() {}
