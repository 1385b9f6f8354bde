//! One mistake in the config (a misspelt key) is one error, though the rest of the crate uses
//! every generated type: the token, the session, the update, the form and the guards.
use auth_runtime::prelude::*;
use poem::handler;
use poem::web::Json;

pub struct User {
    pub id: String,
    pub role: String,
}

impl AuthUser for User {
    fn subject(&self) -> String {
        self.id.clone()
    }
}

mod users {
    use super::*;

    pub async fn authorize(
        form: &AppAuthCredentialsForm,
        _state: &(),
    ) -> Result<Option<User>, CallbackError> {
        Ok(Some(User {
            id: form.email.clone(),
            role: "viewer".to_owned(),
        }))
    }
}

/// Reads the token and the session of the configuration.
pub fn describe(token: &AppAuthToken, session: &AppAuthSession) -> String {
    format!("{} {} {:?}", token.sub, token.role, session.user.nickname)
}

#[handler]
async fn me(session: Session<AppAuth>) -> Json<Option<String>> {
    Json(session.token().nickname.clone())
}

#[auth_config(user = User, sesion(max_age = "7d"))]
pub struct AppAuth {
    #[provider(credentials(authorize = users::authorize))]
    credentials: Credentials,
    #[claim(from_user)]
    role: String,
    nickname: Option<String>,
}

fn main() {
    let _ = (me, AppAuthUpdate::default());
    let _guard: Guard<AppAuth> = AppAuth::require_role("admin".to_owned());
    let _route = poem::Route::new().nest(AppAuth::BASE_PATH, poem::Route::new());
}
