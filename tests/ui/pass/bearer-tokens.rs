//! Bearer tokens declared: the settings and the claims a bearer token carries (public claims,
//! never a private one or a provider's token) reach the schema; a private claim is an
//! `Option`; the defaults are EdDSA, 15 minutes and both credentials.
use std::time::Duration;

use auth_runtime::prelude::*;
use auth_runtime::{AuthSchema, BearerAccept, BearerAlgorithm};

pub struct User {
    pub role: String,
}

impl AuthUser for User {
    fn subject(&self) -> String {
        "user-1".into()
    }
}

#[auth_config(
    user = User,
    tokens(bearer(alg = "ES256", ttl = "5m", audience = "https://api.example", accept = "bearer")),
)]
pub struct AppAuth {
    #[claim(from_user)]
    role: String,
    #[claim(private)]
    note: Option<String>,
    #[claim(from_account = access_token)]
    access_token: Option<String>,
    #[claim(rename = "tenant")]
    tenant_id: Option<String>,
}

#[auth_config(user = User, tokens(bearer(audience = "orders")))]
pub struct Defaults {}

fn main() {
    let bearer = <AppAuth as AuthSchema>::BEARER.unwrap();
    assert_eq!(bearer.algorithm, BearerAlgorithm::Es256);
    assert_eq!(bearer.ttl, Duration::from_secs(300));
    assert_eq!(bearer.audience, "https://api.example");
    assert_eq!(bearer.accept, BearerAccept::Bearer);
    assert_eq!(<AppAuth as AuthSchema>::BEARER_CLAIMS, ["role", "tenant"]);

    let defaults = <Defaults as AuthSchema>::BEARER.unwrap();
    assert_eq!(defaults.algorithm, BearerAlgorithm::EdDsa);
    assert_eq!(defaults.ttl, Duration::from_secs(900));
    assert_eq!(defaults.accept, BearerAccept::Both);
    assert!(<Defaults as AuthSchema>::BEARER_CLAIMS.is_empty());
}
