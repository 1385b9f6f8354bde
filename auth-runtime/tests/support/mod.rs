//! What the route tests share: hand-written schemas (what `#[auth_config]` would generate)
//! over one set of types, the apps, a cookie jar and a `Browser` driving a `TestClient`,
//! optionally from a given peer address.
#![allow(
    dead_code,
    unreachable_pub,
    reason = "each test binary uses a part of the support module"
)]

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use auth_runtime::{
    Auth, AuthBuilder, AuthSchema, Claims, FixedClock, Guard, Secrets, Session, TokenClaims,
};
use auth_runtime::{CredentialField, ProviderInfo, ProviderKind};
use poem::http::uri::Scheme;
use poem::http::{StatusCode, header};
use poem::test::{TestClient, TestResponse};
use poem::web::{Json, LocalAddr, RemoteAddr};
use poem::{Addr, Endpoint, EndpointExt, Request, RequestParts, Route, get, handler};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

pub(crate) const SECRET: &str = "k3J9vQ2mX7pL0sR4tY8wZ1aB5cD6eF0g";
/// 2026-01-01T00:00:00Z.
pub(crate) const NOW: i64 = 1_767_225_600;
pub(crate) const ORIGIN: &str = "http://localhost:3000";
pub(crate) const SESSION: &str = "authjs.session-token";

// --- the schema, as the macro would generate it ---------------------------------------------

#[derive(Clone)]
pub(crate) struct TestState {
    pub(crate) allowed_tenants: Vec<&'static str>,
    pub(crate) events: Arc<Mutex<Vec<&'static str>>>,
    /// How many times `authorize` ran (a password would have been hashed).
    pub(crate) authorize_calls: Arc<AtomicUsize>,
}

pub(crate) struct TestUser {
    pub(crate) id: &'static str,
    pub(crate) name: &'static str,
    pub(crate) email: &'static str,
    pub(crate) role: &'static str,
    pub(crate) tenant: Option<&'static str>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TestToken {
    pub(crate) sub: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) email: Option<String>,
    pub(crate) role: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) tenant_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) iat: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) exp: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) jti: Option<String>,
    #[serde(flatten)]
    pub(crate) extra: Map<String, Value>,
}

impl TokenClaims for TestToken {
    fn subject(&self) -> &str {
        &self.sub
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TestSession {
    pub(crate) user: SessionUser,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) tenant_id: Option<String>,
    pub(crate) expires: String,
}

#[derive(Serialize)]
pub(crate) struct SessionUser {
    pub(crate) name: Option<String>,
    pub(crate) email: Option<String>,
    pub(crate) role: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct TestUpdate {
    pub(crate) tenant_id: Option<String>,
}

pub(crate) const CREDENTIAL_FIELDS: &[CredentialField] = &[
    CredentialField {
        name: "username",
        label: "Username",
        secret: false,
    },
    CredentialField {
        name: "password",
        label: "Password",
        secret: true,
    },
];

pub(crate) const PROVIDERS: &[ProviderInfo] = &[ProviderInfo {
    id: "credentials",
    name: "Credentials",
    kind: ProviderKind::Credentials,
    fields: CREDENTIAL_FIELDS,
}];

/// What the `AuthSchema` impls of `test_schema!` name, wherever the macro is invoked.
pub(crate) mod schema_prelude {
    pub(crate) use std::sync::atomic::Ordering;
    pub(crate) use std::time::Duration;

    pub(crate) use auth_runtime::RateLimit;
    pub(crate) use auth_runtime::{
        Account, AuthEvent, AuthSchema, CallbackError, JwtTrigger, Pages, SignIn, TokenAction,
    };
    pub(crate) use auth_runtime::{FormFields, ProviderInfo, UpdateError};
    pub(crate) use serde_json::{Map, Value};

    pub(crate) use super::{
        PROVIDERS, SessionUser, TestSession, TestState, TestToken, TestUpdate, TestUser,
    };
}

/// Implements `AuthSchema` for the unit struct `$name` as `#[auth_config]` would, with the
/// given custom pages and sign-in rate limit; every schema shares the types above.
macro_rules! test_schema {
    ($name:ident, pages = $pages:expr, rate_limit = $limit:expr) => {
        /// A hand-written schema.
        pub(crate) struct $name;

        const _: () = {
            use crate::support::schema_prelude::*;

            impl AuthSchema for $name {
                type State = TestState;
                type User = TestUser;
                type Token = TestToken;
                type Session = TestSession;
                type Update = TestUpdate;

                const BASE_PATH: &'static str = "/api/auth";
                const MAX_AGE: Duration = Duration::from_secs(3600);
                const PROVIDERS: &'static [ProviderInfo] = PROVIDERS;
                const PAGES: Pages = $pages;
                const SIGN_IN_RATE_LIMIT: Option<RateLimit> = $limit;

                async fn authorize<'a>(
                    _provider: &'a str,
                    form: &'a FormFields,
                    state: &'a TestState,
                ) -> Result<Option<TestUser>, CallbackError> {
                    state.authorize_calls.fetch_add(1, Ordering::SeqCst);
                    let user = |id, name, email, role, tenant| TestUser {
                        id,
                        name,
                        email,
                        role,
                        tenant,
                    };
                    Ok(match (form.get("username"), form.get("password")) {
                        (Some("alice"), Some("correct horse")) => Some(user(
                            "user-1",
                            "Alice",
                            "alice@example.com",
                            "user",
                            Some("home"),
                        )),
                        (Some("root"), Some("root password")) => {
                            Some(user("user-0", "Root", "root@example.com", "admin", None))
                        }
                        (Some("banned"), Some("banned")) => {
                            Some(user("user-9", "Banned", "b@example.com", "user", None))
                        }
                        (Some("broken"), _) => return Err(CallbackError::msg("database down")),
                        _ => None,
                    })
                }

                async fn sign_in<'a>(
                    user: &'a TestUser,
                    _account: &'a Account,
                    _state: &'a TestState,
                ) -> Result<SignIn, CallbackError> {
                    Ok(if user.id == "user-9" {
                        SignIn::Deny
                    } else {
                        SignIn::Allow
                    })
                }

                fn user_subject(user: &TestUser) -> String {
                    user.id.to_owned()
                }

                fn new_token(user: &TestUser, _account: &Account) -> TestToken {
                    TestToken {
                        sub: user.id.to_owned(),
                        name: Some(user.name.to_owned()),
                        email: Some(user.email.to_owned()),
                        role: user.role.to_owned(),
                        tenant_id: user.tenant.map(str::to_owned),
                        iat: None,
                        exp: None,
                        jti: None,
                        extra: Map::new(),
                    }
                }

                async fn jwt<'a>(
                    token: &'a mut TestToken,
                    trigger: JwtTrigger<'a, Self>,
                    _state: &'a TestState,
                ) -> Result<TokenAction, CallbackError> {
                    if matches!(trigger, JwtTrigger::Refresh)
                        && token.extra.get("revoked") == Some(&Value::Bool(true))
                    {
                        return Ok(TokenAction::SignOut);
                    }
                    Ok(TokenAction::Keep)
                }

                async fn session<'a>(
                    token: &'a TestToken,
                    expires: String,
                    _state: &'a TestState,
                ) -> Result<Option<TestSession>, CallbackError> {
                    Ok(Some(TestSession {
                        user: SessionUser {
                            name: token.name.clone(),
                            email: token.email.clone(),
                            role: token.role.clone(),
                        },
                        tenant_id: token.tenant_id.clone(),
                        expires,
                    }))
                }

                async fn apply_update<'a>(
                    token: &'a mut TestToken,
                    update: TestUpdate,
                    state: &'a TestState,
                ) -> Result<(), UpdateError> {
                    if let Some(tenant) = update.tenant_id {
                        if !state.allowed_tenants.contains(&tenant.as_str()) {
                            return Err(UpdateError::Refused { claim: "tenantId" });
                        }
                        token.tenant_id = Some(tenant);
                    }
                    Ok(())
                }

                async fn on_event<'a>(event: AuthEvent<'a, Self>, state: &'a TestState) {
                    state.events.lock().unwrap().push(event.name());
                }
            }
        };
    };
}

test_schema!(TestAuth, pages = Pages::BUILT_IN, rate_limit = None);
test_schema!(
    LimitedAuth,
    pages = Pages::BUILT_IN,
    rate_limit = Some(RateLimit {
        attempts: 5,
        window: Duration::from_secs(15 * 60),
    })
);
test_schema!(
    CustomPagesAuth,
    pages = Pages {
        sign_in: Some("/login"),
        sign_out: Some("/logout?from=auth"),
        error: Some("/oops"),
    },
    rate_limit = None
);

/// A clock the test moves forward, starting at `NOW`.
#[derive(Clone, Default)]
pub(crate) struct SteppingClock(Arc<std::sync::atomic::AtomicI64>);

impl SteppingClock {
    pub(crate) fn advance(&self, by: std::time::Duration) {
        self.0.fetch_add(
            i64::try_from(by.as_secs()).unwrap(),
            std::sync::atomic::Ordering::SeqCst,
        );
    }
}

impl auth_runtime::Clock for SteppingClock {
    fn now(&self) -> i64 {
        NOW + self.0.load(std::sync::atomic::Ordering::SeqCst)
    }
}

// --- the app --------------------------------------------------------------------------------

pub(crate) fn state() -> TestState {
    TestState {
        allowed_tenants: vec!["home", "acme"],
        events: Arc::default(),
        authorize_calls: Arc::default(),
    }
}

pub(crate) fn secrets() -> Secrets {
    Secrets::new([SECRET]).unwrap()
}

pub(crate) fn auth_with(state: TestState) -> Auth<TestAuth> {
    Auth::<TestAuth>::builder(state)
        .secrets(secrets())
        .public_url(ORIGIN)
        .redirect_origins(["https://docs.example"])
        .clock(FixedClock(NOW))
        .build()
        .unwrap()
}

pub(crate) fn auth() -> Auth<TestAuth> {
    auth_with(state())
}

/// The test configuration of any of the schemas, to be finished with `.build()`.
pub(crate) fn builder<C: AuthSchema<State = TestState>>(state: TestState) -> AuthBuilder<C> {
    Auth::<C>::builder(state)
        .secrets(secrets())
        .public_url(ORIGIN)
        .redirect_origins(["https://docs.example"])
        .clock(FixedClock(NOW))
}

/// Only the auth routes and the session middleware, for any schema.
pub(crate) fn auth_app<C: AuthSchema>(auth: &Auth<C>) -> impl Endpoint + use<C> {
    Route::new()
        .nest(C::BASE_PATH, auth.routes())
        .with(auth.middleware())
}

#[handler]
pub(crate) async fn me(session: Session<TestAuth>) -> Json<Value> {
    Json(json!({ "sub": session.token().sub, "role": session.user.role }))
}

#[handler]
pub(crate) async fn maybe(session: Option<Session<TestAuth>>) -> String {
    match session {
        Some(session) => format!("signed in as {}", session.token().sub),
        None => "signed out".to_owned(),
    }
}

#[handler]
pub(crate) async fn admin() -> &'static str {
    "admin area"
}

pub(crate) fn require_admin() -> Guard<TestAuth> {
    Guard::<TestAuth>::new("role = admin", |token| token.role == "admin")
}

/// The test app: the auth routes nested under the base path, `/me`, `/maybe`, `/admin`.
pub(crate) fn app(auth: &Auth<TestAuth>) -> impl Endpoint + use<> {
    app_routes(auth, Route::new().nest(TestAuth::BASE_PATH, auth.routes()))
}

/// [`app`] with the auth routes added by `Auth::mount` instead of nested.
pub(crate) fn mounted_app(auth: &Auth<TestAuth>) -> impl Endpoint + use<> {
    app_routes(auth, auth.mount(Route::new()))
}

fn app_routes(auth: &Auth<TestAuth>, with_auth_routes: Route) -> impl Endpoint + use<> {
    with_auth_routes
        .at("/me", get(me))
        .at("/maybe", get(maybe))
        .at("/admin", get(admin).with(require_admin()))
        .with(auth.middleware())
}

// --- a cookie jar ---------------------------------------------------------------------------

/// Cookies as a browser keeps them: set by `Set-Cookie`, removed by `Max-Age=0`.
#[derive(Default, Clone)]
pub(crate) struct Jar(pub(crate) BTreeMap<String, String>);

impl Jar {
    pub(crate) fn absorb(&mut self, response: &TestResponse) {
        for line in set_cookies(response) {
            let pair = line.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() || line.contains("Max-Age=0") {
                self.0.remove(name);
            } else {
                self.0.insert(name.to_owned(), value.to_owned());
            }
        }
    }

    pub(crate) fn header(&self) -> String {
        self.0
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    pub(crate) fn set(&mut self, name: &str, value: &str) {
        self.0.insert(name.to_owned(), value.to_owned());
    }
}

pub(crate) fn set_cookies(response: &TestResponse) -> Vec<String> {
    response
        .0
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|value| value.to_str().unwrap().to_owned())
        .collect()
}

pub(crate) fn location(response: &TestResponse) -> String {
    response
        .0
        .headers()
        .get(header::LOCATION)
        .expect("a Location header")
        .to_str()
        .unwrap()
        .to_owned()
}

pub(crate) async fn body_json(response: TestResponse) -> Value {
    let text = response.0.into_body().into_string().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"))
}

/// A client with a jar: every request carries the jar's cookies and every answer's
/// `Set-Cookie`s go back into it.
pub(crate) struct Browser<E: Endpoint> {
    pub(crate) client: TestClient<WithPeer<E>>,
    pub(crate) jar: Jar,
    /// The socket peer of the requests (none: poem's "unknown" test address).
    pub(crate) peer: Option<SocketAddr>,
}

impl<E: Endpoint> Browser<E> {
    pub(crate) fn new(endpoint: E) -> Self {
        Self {
            client: TestClient::new(WithPeer(endpoint)),
            jar: Jar::default(),
            peer: None,
        }
    }

    /// A browser whose requests come from the socket address `peer` (`"203.0.113.7:5000"`).
    pub(crate) fn from_peer(endpoint: E, peer: &str) -> Self {
        let mut browser = Self::new(endpoint);
        browser.peer = Some(peer.parse().expect("a socket address"));
        browser
    }

    pub(crate) async fn get(&mut self, path: &str) -> TestResponse {
        self.get_with(path, &[]).await
    }

    pub(crate) async fn get_with(
        &mut self,
        path: &str,
        headers: &[(&'static str, &str)],
    ) -> TestResponse {
        let request = self.client.get(path);
        send(&mut self.jar, self.peer, request, headers).await
    }

    pub(crate) async fn post_form(&mut self, path: &str, form: &[(&str, &str)]) -> TestResponse {
        self.post_form_with(path, form, &[]).await
    }

    pub(crate) async fn post_form_with(
        &mut self,
        path: &str,
        form: &[(&str, &str)],
        headers: &[(&'static str, &str)],
    ) -> TestResponse {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let request = self
            .client
            .post(path)
            .content_type("application/x-www-form-urlencoded")
            .body(body);
        send(&mut self.jar, self.peer, request, headers).await
    }

    pub(crate) async fn post_json(&mut self, path: &str, body: &str) -> TestResponse {
        let request = self
            .client
            .post(path)
            .content_type("application/json")
            .body(body.to_owned());
        send(&mut self.jar, self.peer, request, &[]).await
    }

    pub(crate) async fn csrf_token(&mut self) -> String {
        let response = self.get("/api/auth/csrf").await;
        response.assert_status_is_ok();
        body_json(response).await["csrfToken"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub(crate) async fn sign_in(&mut self, username: &str, password: &str) -> TestResponse {
        self.sign_in_to(username, password, "/dashboard", &[]).await
    }

    /// Signs in asking to be sent to `callback_url`, with extra request `headers`.
    pub(crate) async fn sign_in_to(
        &mut self,
        username: &str,
        password: &str,
        callback_url: &str,
        headers: &[(&'static str, &str)],
    ) -> TestResponse {
        let csrf = self.csrf_token().await;
        self.post_form_with(
            "/api/auth/callback/credentials",
            &[
                ("csrfToken", &csrf),
                ("username", username),
                ("password", password),
                ("callbackUrl", callback_url),
            ],
            headers,
        )
        .await
    }

    pub(crate) async fn session(&mut self) -> Value {
        let response = self.get("/api/auth/session").await;
        response.assert_status_is_ok();
        body_json(response).await
    }

    pub(crate) async fn update(&mut self, data: Value) -> TestResponse {
        let csrf = self.csrf_token().await;
        let body = json!({ "csrfToken": csrf, "data": data }).to_string();
        self.post_json("/api/auth/session", &body).await
    }
}

/// Sends `request` from `peer` with the jar's cookies and `headers`, then keeps the answer's
/// cookies.
pub(crate) async fn send<E: Endpoint>(
    jar: &mut Jar,
    peer: Option<SocketAddr>,
    mut request: poem::test::TestRequestBuilder<'_, E>,
    headers: &[(&'static str, &str)],
) -> TestResponse {
    if !jar.0.is_empty() {
        request = request.header(header::COOKIE, jar.header());
    }
    if let Some(peer) = peer {
        request = request.header(PEER_HEADER, peer.to_string());
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await;
    jar.absorb(&response);
    response
}

/// The test-only header carrying the peer address `WithPeer` gives the request.
const PEER_HEADER: &str = "x-test-peer";

/// An endpoint setting the request's remote address from the `x-test-peer` header (removed),
/// as a listener would from the socket: poem's `TestClient` leaves it "unknown".
pub(crate) struct WithPeer<E>(E);

impl<E: Endpoint> Endpoint for WithPeer<E> {
    type Output = E::Output;

    async fn call(&self, req: Request) -> poem::Result<Self::Output> {
        self.0.call(with_peer(req)).await
    }
}

fn with_peer(req: Request) -> Request {
    let Some(peer) = req
        .headers()
        .get(PEER_HEADER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<SocketAddr>().ok())
    else {
        return req;
    };
    let (parts, body) = req.into_parts();
    let (mut head, ()) = poem::http::Request::new(()).into_parts();
    head.method = parts.method;
    head.uri = parts.uri;
    head.version = parts.version;
    head.headers = parts.headers;
    head.extensions = parts.extensions;
    head.headers.remove(PEER_HEADER);
    let remote = RemoteAddr(Addr::SocketAddr(peer));
    let parts = RequestParts::from((head, LocalAddr::default(), remote, Scheme::HTTP));
    Request::from_parts(parts, body)
}

pub(crate) async fn signed_in_browser(auth: &Auth<TestAuth>) -> Browser<impl Endpoint + use<>> {
    let mut browser = Browser::new(app(auth));
    let response = browser.sign_in("alice", "correct horse").await;
    response.assert_status(StatusCode::FOUND);
    assert!(browser.jar.get(SESSION).is_some(), "signed in");
    browser
}

/// A session token made directly with the codec, for claims no sign-in produces.
pub(crate) fn forge(auth: &Auth<TestAuth>, claims: Value) -> String {
    let Value::Object(claims) = claims else {
        panic!("claims must be an object")
    };
    auth.codec()
        .encode(claims, Duration::from_secs(3600))
        .unwrap()
}

pub(crate) fn decode_jar_token(auth: &Auth<TestAuth>, jar: &Jar) -> Claims {
    auth.codec().decode(jar.get(SESSION).unwrap()).unwrap()
}
