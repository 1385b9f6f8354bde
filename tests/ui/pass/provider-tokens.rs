//! Provider tokens as claims: the access token at the top of the session, the others private,
//! refreshed 30 s before expiry; used through the generated types.
#![deny(warnings, missing_docs)]

use auth_runtime::prelude::*;

/// The user.
pub struct User;

impl AuthUser for User {
    fn subject(&self) -> String {
        "user".into()
    }
}

async fn from_oidc(_: &OAuthProfile, _: &()) -> Result<Option<User>, CallbackError> {
    Ok(Some(User))
}

/// The configuration.
#[auth_config(user = User)]
pub struct AppAuth {
    #[provider(oidc(issuer = "https://id.example.com", profile = from_oidc, refresh, refresh_skew = "30s"))]
    oidc: Oidc,
    /// For the browser's API calls.
    #[claim(from_account = access_token, session = top)]
    access_token: Option<String>,
    /// The granted scopes, on the user.
    #[claim(from_account = scope, session = user)]
    scope: Option<String>,
    /// Private.
    #[claim(from_account = refresh_token)]
    refresh_token: Option<String>,
    /// Private.
    #[claim(from_account)]
    expires_at: Option<i64>,
    /// Kept only because asked for.
    #[claim(from_account = id_token)]
    id_token: Option<String>,
}

/// What a handler reads.
pub fn read(session: &AppAuthSession, token: &AppAuthToken) -> Option<String> {
    let _: &Option<SessionError> = &session.error;
    let _: &Option<String> = &session.user.scope;
    let _: &Option<i64> = &token.expires_at;
    let _ = (&token.refresh_token, &token.id_token);
    session.access_token.clone()
}

use auth_runtime::SessionError;

fn main() {}
