//! `#[auth_config]` end to end: the README's config (`tests/readme/app_auth.rs`), its generated routes served on a
//! loopback port, a user signed in through the generated credentials form, and the generated
//! token, session and update types at work — including an update of a field outside the
//! whitelist and an update the check refuses, neither of which changes the token.
#![allow(clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod support;

use std::sync::{Arc, Mutex};

use auth_runtime::{Auth, AuthSchema, Secrets};
use poem::web::Json;
use poem::{EndpointExt, Route, get, handler};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use support::http::{TestServer, browser, csrf_token, get_status, location, set_cookies};

const SECRET: &str = "flow-test-secret-2b7e1f9c4d8a6e3b0f5c";

/// A tenant id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantId(String);

/// A role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything.
    Admin,
    /// Read only.
    Viewer,
}

/// A permission.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Permission {
    /// Read.
    Read,
    /// Write.
    Write,
}

impl Role {
    fn permissions(&self) -> Vec<Permission> {
        match self {
            Role::Admin => vec![Permission::Read, Permission::Write],
            Role::Viewer => vec![Permission::Read],
        }
    }
}

/// A user.
pub struct User {
    id: String,
    email: String,
    role: Role,
    tenant_id: Option<TenantId>,
}

impl AuthUser for User {
    fn subject(&self) -> String {
        self.id.clone()
    }
    fn email(&self) -> Option<String> {
        Some(self.email.clone())
    }
}

/// The application state.
#[derive(Clone, Default)]
pub struct AppState {
    /// (user id, tenant) pairs.
    memberships: Vec<(&'static str, &'static str)>,
    /// What the events handler saw.
    events: Arc<Mutex<Vec<&'static str>>>,
}

mod users {
    pub(crate) use super::User;
    use super::*;

    pub(super) async fn authorize(
        form: &AppAuthCredentialsForm,
        _state: &AppState,
    ) -> Result<Option<User>, CallbackError> {
        let user = match (form.email.as_str(), form.password.expose()) {
            ("viewer@example.com", "viewer-password") => User {
                id: "u-viewer".into(),
                email: form.email.clone(),
                role: Role::Viewer,
                tenant_id: Some(TenantId("acme".into())),
            },
            _ => return Ok(None),
        };
        Ok(Some(user))
    }
}

mod tenants {
    use super::*;

    /// A user may switch only to a tenant they belong to.
    pub(super) async fn may_switch(
        token: &AppAuthToken,
        proposed: &Option<TenantId>,
        state: &AppState,
    ) -> Result<bool, CallbackError> {
        Ok(proposed.as_ref().is_some_and(|tenant| {
            state
                .memberships
                .iter()
                .any(|(user, member_of)| *user == token.sub && *member_of == tenant.0)
        }))
    }
}

mod policy {
    use super::*;

    /// Every user the provider accepts may sign in.
    pub(super) async fn sign_in(
        _user: &User,
        _account: &Account,
        _state: &AppState,
    ) -> Result<SignIn, CallbackError> {
        Ok(SignIn::Allow)
    }

    /// Stores an opaque upstream token at sign-in: private, never in the session.
    pub(super) async fn jwt(
        token: &mut AppAuthToken,
        trigger: JwtTrigger<'_, AppAuth>,
        _state: &AppState,
    ) -> Result<TokenAction, CallbackError> {
        if let JwtTrigger::SignIn { user, .. } = trigger {
            token.access_token = Some(format!("upstream-{}", user.id));
        }
        Ok(TokenAction::Keep)
    }
}

mod audit {
    use super::*;

    pub(super) async fn record(
        event: &AuthEvent<'_, AppAuth>,
        state: &AppState,
    ) -> Result<(), CallbackError> {
        state.events.lock().expect("events").push(event.name());
        Ok(())
    }
}

include!("readme/app_auth.rs");

#[handler]
async fn me(session: Session<AppAuth>) -> Json<Value> {
    // The handler reads the generated session type and the token's private claim.
    Json(json!({
        "tenant": session.user.tenant_id,
        "role": session.user.role,
        "upstream": session.token().access_token.is_some(),
    }))
}

#[handler]
async fn admin() -> &'static str {
    "admin area"
}

#[handler]
async fn write() -> &'static str {
    "written"
}

async fn start() -> (TestServer, AppState) {
    let state = AppState {
        memberships: vec![("u-viewer", "acme"), ("u-viewer", "globex")],
        ..AppState::default()
    };
    let auth = Auth::<AppAuth>::builder(state.clone())
        .secrets(Secrets::new([SECRET]).expect("strong secret"))
        .build()
        .expect("the configuration is valid");
    let app = Route::new()
        .nest(AppAuth::BASE_PATH, AppAuth::routes(&auth))
        .at("/api/me", get(me))
        .at(
            "/api/admin",
            get(admin).with(AppAuth::require_role(Role::Admin)),
        )
        .at(
            "/api/write",
            get(write).with(AppAuth::require(Permission::Write)),
        )
        .with(auth.middleware());
    (TestServer::start(app).await, state)
}

async fn sign_in(client: &reqwest::Client, server: &TestServer) {
    let csrf = csrf_token(client, server, "/api/auth").await;
    let response = client
        .post(server.url("/api/auth/callback/credentials"))
        .form(&[
            ("csrfToken", csrf.as_str()),
            ("email", "viewer@example.com"),
            ("password", "viewer-password"),
            ("callbackUrl", "/dashboard"),
        ])
        .send()
        .await
        .expect("POST /callback/credentials");
    assert_eq!(response.status(), 302);
    assert!(location(response.headers()).ends_with("/dashboard"));
}

async fn session(client: &reqwest::Client, server: &TestServer) -> Value {
    client
        .get(server.url("/api/auth/session"))
        .send()
        .await
        .expect("GET /session")
        .json()
        .await
        .expect("JSON")
}

async fn update(client: &reqwest::Client, server: &TestServer, data: Value) -> (u16, Value) {
    let csrf = csrf_token(client, server, "/api/auth").await;
    let response = client
        .post(server.url("/api/auth/session"))
        .json(&json!({"csrfToken": csrf, "data": data}))
        .send()
        .await
        .expect("POST /session");
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON"))
}

/// With a `jwt` callback, which may change the token on any read, `update_age` does not
/// spare a read its re-issue: a fresh token is re-set all the same.
#[tokio::test]
async fn with_a_jwt_callback_every_read_re_issues_despite_update_age() {
    const { assert!(AppAuth::JWT_CALLBACK) };
    assert_eq!(AppAuth::UPDATE_AGE, std::time::Duration::from_secs(3600));
    let (server, _) = start().await;
    let client = browser();
    sign_in(&client, &server).await;
    for _ in 0..2 {
        let response = client
            .get(server.url("/api/auth/session"))
            .send()
            .await
            .expect("GET /session");
        let cookies = set_cookies(response.headers());
        assert!(
            cookies
                .iter()
                .any(|cookie| cookie.starts_with("authjs.session-token=eyJ")),
            "{cookies:?}"
        );
    }
}

/// LG-04: the private `accessToken` claim never reaches the session JSON (refresh tokens need
/// OAuth, not built).
#[tokio::test]
async fn generated_types_carry_a_user_from_sign_in_to_session() {
    let (server, state) = start().await;
    let client = browser();
    sign_in(&client, &server).await;

    let session = session(&client, &server).await;
    assert_eq!(session["user"]["email"], "viewer@example.com");
    assert_eq!(session["user"]["role"], "viewer");
    assert_eq!(session["user"]["permissions"], json!(["read"]));
    assert_eq!(session["user"]["tenantId"], "acme");
    assert!(
        session["user"].get("accessToken").is_none(),
        "private claims never reach the browser: {session}"
    );
    assert!(session["expires"].as_str().expect("expires").ends_with('Z'));

    // Handlers receive the typed session; server code may read the private claim.
    let profile: Value = client
        .get(server.url("/api/me"))
        .send()
        .await
        .expect("GET /api/me")
        .json()
        .await
        .expect("JSON");
    assert_eq!(
        profile,
        json!({"tenant": "acme", "role": "viewer", "upstream": true})
    );
    assert!(state.events.lock().expect("events").contains(&"signed_in"));
}

#[tokio::test]
async fn an_update_passing_its_check_switches_the_tenant() {
    let (server, state) = start().await;
    let client = browser();
    sign_in(&client, &server).await;

    let (status, body) = update(&client, &server, json!({"tenantId": "globex"})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["user"]["tenantId"], "globex");
    assert_eq!(
        session(&client, &server).await["user"]["tenantId"],
        "globex"
    );
    assert!(
        state
            .events
            .lock()
            .expect("events")
            .contains(&"session_updated")
    );
}

#[tokio::test]
async fn an_update_the_check_refuses_changes_nothing() {
    let (server, state) = start().await;
    let client = browser();
    sign_in(&client, &server).await;

    let (status, body) = update(&client, &server, json!({"tenantId": "initech"})).await;
    assert_eq!(status, 403);
    assert_eq!(body, Value::Null);
    assert_eq!(session(&client, &server).await["user"]["tenantId"], "acme");
    assert!(
        state
            .events
            .lock()
            .expect("events")
            .contains(&"update_refused")
    );
}

/// CL-05, SU-02: `role` and `permissions` cannot be sent at all; permissions stay derived from
/// the role.
#[tokio::test]
async fn updates_outside_the_whitelist_are_refused_and_change_nothing() {
    let (server, _state) = start().await;
    let client = browser();
    sign_in(&client, &server).await;

    for data in [
        json!({"role": "admin"}),
        json!({"permissions": ["read", "write"]}),
        json!({"tenantId": "globex", "role": "admin"}),
        json!({"sub": "u-admin"}),
        json!({"accessToken": "stolen"}),
    ] {
        let (status, body) = update(&client, &server, data.clone()).await;
        assert_eq!(status, 400, "{data}");
        assert_eq!(body, Value::Null);
    }
    let session = session(&client, &server).await;
    assert_eq!(session["user"]["role"], "viewer");
    assert_eq!(session["user"]["permissions"], json!(["read"]));
    assert_eq!(session["user"]["tenantId"], "acme");
}

#[tokio::test]
async fn generated_guards_answer_401_signed_out_and_403_without_the_claim() {
    let (server, _state) = start().await;
    let client = browser();
    for path in ["/api/admin", "/api/write", "/api/me"] {
        let status = get_status(&client, &server, path).await;
        assert_eq!(status, 401, "{path}");
    }
    sign_in(&client, &server).await;
    for path in ["/api/admin", "/api/write"] {
        let status = get_status(&client, &server, path).await;
        assert_eq!(status, 403, "{path}");
    }
}

#[tokio::test]
async fn the_generated_schema_describes_the_configuration() {
    assert_eq!(<AppAuth as AuthSchema>::MAX_AGE.as_secs(), 7 * 24 * 3600);
    let providers: Vec<&str> = <AppAuth as AuthSchema>::PROVIDERS
        .iter()
        .map(|provider| provider.id)
        .collect();
    assert_eq!(providers, ["credentials"]);
    let token = <AppAuth as AuthSchema>::new_token(
        &User {
            id: "u1".into(),
            email: "a@example.com".into(),
            role: Role::Admin,
            tenant_id: None,
        },
        &Account::new("credentials", ProviderKind::Credentials, "u1"),
    );
    assert_eq!(token.permissions, [Permission::Read, Permission::Write]);
    assert_eq!(format!("{token:?}"), "AppAuthToken([redacted])");
    let json = serde_json::to_value(&token).expect("serialises");
    assert!(
        json.get("tenantId").is_none(),
        "absent optional claims are omitted"
    );
    assert_eq!(json["role"], "admin");
}

/// CF-01, CF-02, CF-03: configuration problems stop the server when `Auth` is built, before
/// it binds, with a message that says what to fix and prints no secret.
#[test]
fn configuration_problems_are_start_up_errors() {
    let build = |secrets: Option<&str>, url: &str| {
        let mut builder = Auth::<AppAuth>::builder(AppState::default()).public_url(url);
        if let Some(secret) = secrets {
            builder = builder.secrets(Secrets::new([secret]).expect("strong secret"));
        }
        builder
            .build()
            .map(|_| ())
            .map_err(|error| error.to_string())
    };
    assert_eq!(
        build(None, "https://app.example"),
        Err("no secret configured: set AUTH_SECRET".to_owned())
    );
    assert!(Secrets::new(["too-short"]).is_err());
    let insecure = build(Some(SECRET), "http://app.example").expect_err("plain http refused");
    assert!(insecure.contains("plain http"), "{insecure}");
    assert!(!insecure.contains(SECRET));
    for fine in [
        "https://app.example",
        "http://127.0.0.1:3000",
        "http://localhost:8080",
        "http://[::1]:3000",
    ] {
        assert_eq!(build(Some(SECRET), fine), Ok(()), "{fine}");
    }
    let opted_out = Auth::<AppAuth>::builder(AppState::default())
        .secrets(Secrets::new([SECRET]).expect("strong secret"))
        .public_url("http://10.0.0.5:3000")
        .allow_insecure_http()
        .build();
    assert!(opted_out.is_ok());
}

/// With no `session` callback, the session JSON written straight from the token is byte for
/// byte the built session's, for tokens with and without the optional fields; a private claim
/// is in neither.
#[tokio::test]
async fn the_session_written_from_the_token_is_the_built_session() {
    let tokens = [
        json!({"sub": "u-1", "role": "viewer", "permissions": ["read"], "iat": 1, "exp": 2,
               "jti": "j"}),
        json!({"sub": "u-2", "name": "Ada \"A\" Admin", "email": "a@example.com",
               "picture": "https://example.com/a.png", "role": "admin",
               "permissions": ["read", "write"], "tenantId": "acme",
               "accessToken": "upstream-secret", "iat": 1, "exp": 2, "jti": "j",
               "extra": {"kept": true}}),
    ];
    for claims in tokens {
        let token: AppAuthToken = serde_json::from_value(claims).expect("a token");
        let expires = "2026-12-03T14:47:40.000Z";
        let written = AppAuth::session_json(&token, expires).expect("no session callback");
        let built = AppAuth::session(&token, expires.to_owned(), &AppState::default())
            .await
            .expect("the session");
        assert_eq!(written, serde_json::to_string(&built).expect("serialises"));
        assert!(!written.contains("upstream-secret"), "{written}");
    }
}

/// The generated token stamps its registered claims for the direct encode, unless an
/// undeclared claim has a field's name (it would be written twice): then it says so, and the
/// re-issue takes the map path, which keeps one of them.
#[test]
fn the_generated_token_stamps_its_registered_claims() {
    use auth_runtime::TokenClaims as _;

    let mut token: AppAuthToken = serde_json::from_value(json!({
        "sub": "u-1",
        "role": "viewer",
        "permissions": ["read"],
        "iat": 1,
        "exp": 2,
        "jti": "old",
        "extra": {"kept": true},
    }))
    .expect("a token");
    assert!(token.set_registered(10, 20, "new".to_owned()));
    let written = serde_json::to_value(&token).expect("serialises");
    assert_eq!(written["iat"], 10);
    assert_eq!(written["exp"], 20);
    assert_eq!(written["jti"], "new");
    assert_eq!(written["extra"], json!({"kept": true}));
    let text = serde_json::to_string(&token).expect("serialises");
    assert_eq!(text.matches("\"iat\"").count(), 1, "{}", text.len());

    for name in ["role", "tenantId", "sub", "iat", "jti"] {
        let mut clashing = token.clone();
        clashing.other_claims.insert(name.to_owned(), json!("x"));
        assert!(!clashing.set_registered(10, 20, "new".to_owned()), "{name}");
    }
}

/// The session a client without a jar reads with `claims` encrypted under the app's secret.
async fn session_of_claims(server: &TestServer, claims: &Value) -> Value {
    let keys = auth_runtime::Keyring::new(Secrets::new([SECRET]).expect("strong secret"))
        .keys_for("authjs.session-token");
    let Value::Object(claims) = claims.clone() else {
        panic!("claims are an object")
    };
    let token = auth_runtime::TokenCodec::new(keys)
        .encode(claims, std::time::Duration::from_secs(3600))
        .expect("encode");
    let response = reqwest::Client::new()
        .get(server.url("/api/auth/session"))
        .header(
            reqwest::header::COOKIE,
            format!("authjs.session-token={token}"),
        )
        .send()
        .await
        .expect("GET /session");
    assert_eq!(response.status(), 200);
    response.json().await.expect("JSON")
}

/// A genuine token (right secret, valid tag, not expired) whose claims the generated token
/// type does not accept reads as signed out: no coercion, no default.
async fn claims_outside_the_generated_types_are_signed_out(cases: &[Value]) {
    let (server, _) = start().await;
    let fits = json!({"sub": "u-1", "role": "viewer", "permissions": ["read"],
                      "tenantId": "acme"});
    let signed_in = session_of_claims(&server, &fits).await;
    assert_eq!(signed_in["user"]["role"], "viewer", "{signed_in}");
    for patch in cases {
        let mut claims = fits.clone();
        for (name, value) in patch.as_object().expect("a patch") {
            claims[name] = value.clone();
        }
        assert_eq!(
            session_of_claims(&server, &claims).await,
            Value::Null,
            "{patch}"
        );
    }
}

/// CL-03: a claim of the wrong type.
#[tokio::test]
async fn a_claim_of_the_wrong_type_is_signed_out() {
    claims_outside_the_generated_types_are_signed_out(&[
        json!({"role": 7}),
        json!({"permissions": "admin"}),
        json!({"permissions": ["read", 1]}),
        json!({"tenantId": {}}),
        json!({"tenantId": ["acme"]}),
    ])
    .await;
}

/// CL-02: a token lacking a required claim of the generated type (`sub`, `role`, or the
/// derived `permissions`) reads as signed out: nothing is defaulted.
#[tokio::test]
async fn a_token_missing_a_required_claim_is_signed_out() {
    let (server, _) = start().await;
    let whole = json!({"sub": "u-1", "role": "viewer", "permissions": ["read"],
                       "tenantId": "acme"});
    let signed_in = session_of_claims(&server, &whole).await;
    assert_eq!(signed_in["user"]["role"], "viewer", "{signed_in}");
    for missing in ["sub", "role", "permissions"] {
        let mut claims = whole.clone();
        claims.as_object_mut().expect("an object").remove(missing);
        assert_eq!(
            session_of_claims(&server, &claims).await,
            Value::Null,
            "without {missing}"
        );
    }
}

/// CL-04: a role outside the declared enum, however close.
#[tokio::test]
async fn a_role_outside_the_declared_set_is_signed_out() {
    claims_outside_the_generated_types_are_signed_out(&[
        json!({"role": "superadmin"}),
        json!({"role": "Admin"}),
        json!({"role": "admin "}),
        json!({"role": ""}),
        json!({"role": null}),
    ])
    .await;
}
