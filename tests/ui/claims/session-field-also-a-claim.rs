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

    pub async fn session(session: &mut AppAuthSession, _state: &()) -> Result<SessionAction, CallbackError> {
        session.features = Some(BTreeMap::from([("beta".to_owned(), true)]));
        Ok(SessionAction::Keep)
    }
}

#[auth_config(user = User, callbacks(session = policy::session))]
pub struct AppAuth {
    /// Both in the token and filled on each read: one of the two must go.
    #[claim]
    #[session_field(top)]
    features: Option<BTreeMap<String, bool>>,
}

fn main() {}
