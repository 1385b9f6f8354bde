//! The smallest useful configuration: one credentials provider and no custom claims.
use auth_runtime::prelude::*;

pub struct User {
    pub id: String,
}

impl AuthUser for User {
    fn subject(&self) -> String {
        self.id.clone()
    }
}

async fn authorize(form: &AppAuthCredentialsForm, _state: &()) -> Result<Option<User>, CallbackError> {
    Ok((form.email == "a@example.com" && form.password.expose() == "pw").then(|| User {
        id: "user-1".into(),
    }))
}

#[auth_config(user = User)]
pub struct AppAuth {
    #[provider(credentials(authorize = authorize))]
    credentials: Credentials,
}

fn main() {
    let token: AppAuthToken = <AppAuth as auth_runtime::AuthSchema>::new_token(
        &User { id: "user-1".into() },
        &Account::new("credentials", ProviderKind::Credentials, "user-1"),
    );
    assert_eq!(token.sub, "user-1");
    assert_eq!(AppAuth::BASE_PATH, "/api/auth");
}
