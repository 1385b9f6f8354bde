//! The callback patterns of `../shared/seeds/` that are not OAuth's (those are
//! `tests/seed_oauth_patterns.rs`), written in the DSL, each a test named after the seed
//! section it comes from, through a real loopback server with a cookie-keeping client:
//!
//! - the callbacks guide (`002`): "Session Callbacks: Real-Time User Data" and "Advanced
//!   Patterns: Feature Flags", with session-only fields (`#[session_field]`) the `session`
//!   callback fills on each read and the token never holds; the same callback's `isActive`
//!   check, which ends a deactivated user's session (`SessionAction::SignOut`) on the next
//!   read, in the `Session` extractor and in guards alike;
//! - the callbacks guide's "Redirect Callbacks: Role-Based Redirects": the `redirect` callback
//!   sees the token of the user who just signed in, where the seed had to call
//!   `getServerSession` (which, during the sign-in, has no session yet);
//! - the session-update article (`001`), scenario 1: a user changes their first name through
//!   the app's own endpoint, which re-issues the session with `Auth::reissue`
//!   (next-auth#7342);
//! - the callbacks guide's "Advanced Patterns: Audit Logging": events carry the client's
//!   address through the trusted-proxy rule (not a raw `x-forwarded-for`), the user agent,
//!   and on refused and rate-limited sign-ins the identifier tried.
//!
//! `docs/coming-from-authjs.md` sets each seed's TypeScript beside the form tested here.
#![allow(clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod support;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use auth_runtime::prelude::*;
use poem::http::StatusCode as PoemStatus;
use poem::web::{Data, Json};
use poem::{EndpointExt, IntoResponse, Request, Response, Route, get, handler, post};
use reqwest::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use support::clock::ShiftedClock;
use support::http::{
    TestServer, browser_with_jar, csrf_token, get_status, jar_cookie, location, set_cookies,
};

const SECRET: &str = "seed-patterns-secret-4c8e1a7f3b9d2e6a0f5c";
const BASE: &str = "/api/auth";

/// The seeds' `user.role`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything.
    Admin,
    /// Reads only.
    Viewer,
}

/// A user as `authorize` finds it in the store.
pub struct User {
    id: String,
    name: String,
    email: String,
    role: Role,
}

impl AuthUser for User {
    fn subject(&self) -> String {
        self.id.clone()
    }
    fn name(&self) -> Option<String> {
        Some(self.name.clone())
    }
    fn email(&self) -> Option<String> {
        Some(self.email.clone())
    }
}

/// One row of the seeds' `db.user`.
#[derive(Clone)]
struct DbUser {
    id: &'static str,
    name: String,
    password: &'static str,
    role: Role,
    department: String,
    is_active: bool,
}

/// One row of `db.featureFlag`: `(userId, or None for a global flag; name; enabled)`.
type FeatureFlag = (Option<&'static str>, &'static str, bool);

/// The seeds' `db`: users by email, and `db.featureFlag` (per user, and global ones); and
/// the audit log the events handler writes.
#[derive(Clone, Default)]
pub struct Db {
    audit_log: Arc<Mutex<Vec<String>>>,
    /// Each event with its request context: `<event> id=<identifier> ip=<addr> ua=<agent>`.
    audit_trail: Arc<Mutex<Vec<String>>>,
    users: Arc<Mutex<HashMap<&'static str, DbUser>>>,
    /// `(userId or None for a global flag, name, enabled)`.
    feature_flags: Arc<Mutex<Vec<FeatureFlag>>>,
}

impl Db {
    /// An admin and a viewer; a global flag and one flag for the admin.
    fn seeded() -> Self {
        let db = Self::default();
        let row = |id, name: &str, password, role, department: &str| DbUser {
            id,
            name: name.to_owned(),
            password,
            role,
            department: department.to_owned(),
            is_active: true,
        };
        db.users().extend([
            (
                "ada@acme.example",
                row("u-ada", "Ada", "ada-password-1", Role::Admin, "platform"),
            ),
            (
                "vic@acme.example",
                row("u-vic", "Vic", "vic-password-1", Role::Viewer, "sales"),
            ),
        ]);
        db.feature_flags().extend([
            (None, "newEditor", true),
            (Some("u-ada"), "betaReports", true),
            (Some("u-vic"), "betaReports", false),
        ]);
        db
    }

    fn users(&self) -> std::sync::MutexGuard<'_, HashMap<&'static str, DbUser>> {
        self.users.lock().expect("the store")
    }

    fn feature_flags(&self) -> std::sync::MutexGuard<'_, Vec<FeatureFlag>> {
        self.feature_flags.lock().expect("the store")
    }

    fn audit_log(&self) -> Vec<String> {
        self.audit_log.lock().expect("the log").clone()
    }

    fn audit_trail(&self) -> Vec<String> {
        self.audit_trail.lock().expect("the trail").clone()
    }

    fn user_by_id(&self, id: &str) -> Option<DbUser> {
        self.users().values().find(|user| user.id == id).cloned()
    }
}

mod users {
    use super::*;

    /// Email and password against the store (plain text: a test store, not a pattern).
    pub(super) async fn authorize(
        form: &SeedAuthCredentialsForm,
        db: &Db,
    ) -> Result<Option<User>, CallbackError> {
        let users = db.users();
        let Some(found) = users.get(form.email.trim()) else {
            return Ok(None);
        };
        Ok(form.password.expose().eq(found.password).then(|| User {
            id: found.id.to_owned(),
            name: found.name.clone(),
            email: form.email.trim().to_owned(),
            role: found.role,
        }))
    }
}

mod policy {
    use super::*;

    /// The callbacks guide's `session` callback, two of its patterns at once:
    ///
    /// - "Real-Time User Data": fresh user data from the store on every read (the department;
    ///   the name is the token's, which the profile endpoint re-issues);
    /// - "Feature Flags": `session.features`, the user's flags and the global ones.
    ///
    /// Neither is written to the token: `department` and `features` are `#[session_field]`s,
    /// A user missing from the
    /// store or deactivated (`!user.isActive`, where the seed throws "User inactive") ends the
    /// session.
    pub(super) async fn session(
        session: &mut SeedAuthSession,
        db: &Db,
    ) -> Result<SessionAction, CallbackError> {
        let Some(user) = db
            .user_by_id(&session.user.id)
            .filter(|user| user.is_active)
        else {
            return Ok(SessionAction::SignOut);
        };
        session.user.department = Some(user.department);
        for (owner, name, enabled) in db.feature_flags().iter() {
            if owner.is_none_or(|owner| owner == session.user.id) {
                session.features.insert((*name).to_owned(), *enabled);
            }
        }
        Ok(SessionAction::Keep)
    }
}

mod redirects {
    use super::*;

    /// "Role-Based Redirects": admins to `/admin/dashboard`, anyone else to the home page; a
    /// sign-out (no token) goes where it asked. The answer still passes the redirect check.
    pub(super) async fn redirect(
        url: &str,
        base_url: &str,
        signed_in: Option<&SeedAuthToken>,
        _db: &Db,
    ) -> Result<String, CallbackError> {
        Ok(match signed_in.map(|token| token.role) {
            Some(Role::Admin) => format!("{base_url}/admin/dashboard"),
            Some(Role::Viewer) => base_url.to_owned(),
            None => url.to_owned(),
        })
    }
}

mod audit {
    use super::*;

    /// Every event, by name and user, into the store's audit log.
    pub(super) async fn record(
        event: &AuthEvent<'_, SeedAuth>,
        db: &Db,
    ) -> Result<(), CallbackError> {
        let user = match event {
            AuthEvent::SignedIn { token, .. }
            | AuthEvent::SessionEnded { token, .. }
            | AuthEvent::SessionUpdated { token, .. } => token.id.clone(),
            _ => String::new(),
        };
        // The seed's `metadata`: the client's address (resolved through the trusted proxies,
        // never a raw `x-forwarded-for`), the user agent, and for refused or limited sign-ins
        // the identifier tried.
        let identifier = match event {
            AuthEvent::SignInDenied { identifier, .. }
            | AuthEvent::RateLimited { identifier, .. } => identifier.unwrap_or_default(),
            _ => "",
        };
        let request = event.request();
        let client = request
            .client_addr
            .map(|addr| addr.to_string())
            .unwrap_or_default();
        let agent = request.user_agent.as_deref().unwrap_or_default();
        db.audit_log
            .lock()
            .expect("the log")
            .push(format!("{} {user}", event.name()));
        db.audit_trail.lock().expect("the trail").push(format!(
            "{} id={identifier} ip={client} ua={agent}",
            event.name()
        ));
        Ok(())
    }
}

/// `GET /api/me`: the session, through the `Session` extractor.
#[handler]
async fn me(session: Session<SeedAuth>) -> Json<SeedAuthSession> {
    Json(session.into_session())
}

/// The body of `POST /api/profile`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Profile {
    first_name: String,
}

/// `POST /api/profile` `{"firstName": …}`: the session-update article's scenario 1, the
/// app's own endpoint. It validates the name, writes the store, then re-issues the session
/// with the new `name`: a claim no client `update()` may send (it has no `update = check`),
/// which the server may change because it is the server.
#[handler]
async fn update_profile(
    req: &Request,
    auth: Data<&Auth<SeedAuth>>,
    session: Session<SeedAuth>,
    Json(profile): Json<Profile>,
) -> poem::Result<Response> {
    let first_name = profile.first_name.trim().to_owned();
    if first_name.is_empty() || first_name.chars().count() > 100 {
        return Ok(PoemStatus::BAD_REQUEST.into_response());
    }
    if let Some(user) = auth
        .state()
        .users()
        .values_mut()
        .find(|user| user.id == session.user.id)
    {
        user.name.clone_from(&first_name);
    }
    let reissued = auth
        .reissue(req, |token| token.name = Some(first_name))
        .await?;
    Ok(reissued.attach(Json(json!({ "saved": true }))))
}

/// `GET /admin/dashboard`: admins only, through the generated guard.
#[handler]
async fn admin_dashboard() -> &'static str {
    "admin dashboard"
}

/// The seeds' configuration in the DSL.
#[auth_config(
    user = User,
    state = Db,
    callbacks(session = policy::session, redirect = redirects::redirect),
    events = audit::record,
    rate_limit(sign_in = "2 per 15m")
)]
pub struct SeedAuth {
    #[provider(credentials(authorize = users::authorize))]
    credentials: Credentials,
    /// `token.id = user.id`.
    #[claim(from_user)]
    id: String,
    /// `token.role = user.role`.
    #[claim(from_user)]
    role: Role,
    /// "Real-Time User Data": the department as the store says now, in `session.user`.
    #[session_field]
    department: Option<String>,
    /// "Feature Flags": `session.features`.
    #[session_field(top)]
    features: BTreeMap<String, bool>,
}

/// Our server and a browser.
struct Harness {
    server: TestServer,
    auth: Auth<SeedAuth>,
    db: Db,
    clock: ShiftedClock,
    browser: reqwest::Client,
    jar: Arc<reqwest::cookie::Jar>,
}

impl Harness {
    async fn start() -> Self {
        Self::start_behind(&[]).await
    }

    /// Our server, trusting `proxies` to forward the client's address.
    async fn start_behind(proxies: &[std::net::IpAddr]) -> Self {
        let port = TestServer::bind().await;
        let db = Db::seeded();
        let clock = ShiftedClock::default();
        let auth = Auth::<SeedAuth>::builder(db.clone())
            .secrets(Secrets::new([SECRET]).expect("a strong secret"))
            .public_url(&port.origin())
            .clock(clock.clone())
            .trusted_proxies(proxies.iter().copied())
            .build()
            .expect("the configuration starts");
        let app = auth
            .mount(Route::new())
            .at("/api/me", get(me))
            .at(
                "/admin/dashboard",
                get(admin_dashboard).with(SeedAuth::require_role(Role::Admin)),
            )
            .at("/api/profile", post(update_profile))
            .data(auth.clone())
            .with(auth.middleware());
        let server = port.serve(app);
        let (browser, jar) = browser_with_jar();
        Self {
            server,
            auth,
            db,
            clock,
            browser,
            jar,
        }
    }

    /// The credentials form posted; the status and the `Location`.
    async fn sign_in(&self, email: &str, password: &str) -> (StatusCode, String) {
        self.sign_in_with_headers(email, password, &[]).await
    }

    /// [`sign_in`](Self::sign_in) with extra request headers.
    async fn sign_in_with_headers(
        &self,
        email: &str,
        password: &str,
        headers: &[(&str, &str)],
    ) -> (StatusCode, String) {
        let csrf = csrf_token(&self.browser, &self.server, BASE).await;
        let mut request = self
            .browser
            .post(self.server.url(&format!("{BASE}/callback/credentials")));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request
            .form(&[
                ("csrfToken", csrf.as_str()),
                ("email", email),
                ("password", password),
                ("callbackUrl", "/"),
            ])
            .send()
            .await
            .expect("POST /callback/credentials");
        (response.status(), location(response.headers()))
    }

    async fn signed_in_as(&self, email: &str, password: &str) {
        let (status, _) = self.sign_in(email, password).await;
        assert_eq!(status, StatusCode::FOUND);
        assert!(self.cookie().is_some(), "signed in");
    }

    /// The status of `GET path`.
    async fn status_of(&self, path: &str) -> StatusCode {
        get_status(&self.browser, &self.server, path).await
    }

    /// `GET /session` as JSON.
    async fn session(&self) -> Value {
        self.browser
            .get(self.server.url(&format!("{BASE}/session")))
            .send()
            .await
            .expect("GET /session")
            .json()
            .await
            .expect("JSON")
    }

    /// The session cookie the browser holds.
    fn cookie(&self) -> Option<String> {
        jar_cookie(&self.jar, &self.server, "authjs.session-token")
    }

    /// The claims of the browser's session cookie, decrypted with the server's secret.
    fn claims(&self) -> serde_json::Map<String, Value> {
        let cookie = self.cookie().expect("a session cookie");
        self.auth.codec().decode(&cookie).expect("the cookie opens")
    }
}

/// Callbacks guide, "Advanced Patterns: Feature Flags": `session.features` holds the user's
/// own flags and the global ones, read from the store on each read, typed in the session; the
/// token (the cookie, decrypted) has no `features`, so the flags neither grow the cookie nor
/// go stale in it: a flag turned on in the store is in the next read.
#[tokio::test]
async fn feature_flags_are_in_the_session_json_and_absent_from_the_token() {
    let app = Harness::start().await;
    app.signed_in_as("ada@acme.example", "ada-password-1").await;

    let session = app.session().await;
    assert_eq!(
        session["features"],
        json!({ "newEditor": true, "betaReports": true })
    );
    assert_eq!(session["user"]["role"], "admin");
    let claims = app.claims();
    assert!(!claims.contains_key("features"), "{:?}", claims.keys());
    assert!(!claims.contains_key("department"));

    app.db
        .feature_flags()
        .push((Some("u-ada"), "darkLaunch", true));
    let session = app.session().await;
    assert_eq!(session["features"]["darkLaunch"], true, "read fresh");
    assert!(!app.claims().contains_key("features"));

    // Another user's flags are theirs.
    let viewer = Harness::start().await;
    viewer
        .signed_in_as("vic@acme.example", "vic-password-1")
        .await;
    assert_eq!(
        viewer.session().await["features"],
        json!({ "newEditor": true, "betaReports": false })
    );
}

/// Callbacks guide, "Session Callbacks: Real-Time User Data": the department comes from the
/// store on every read. A move in the store shows in the next `GET /session` without signing
/// in again, and the token never holds it.
#[tokio::test]
async fn real_time_user_data_is_read_from_the_store_on_every_read() {
    let app = Harness::start().await;
    app.signed_in_as("vic@acme.example", "vic-password-1").await;
    assert_eq!(app.session().await["user"]["department"], "sales");

    if let Some(vic) = app.db.users().get_mut("vic@acme.example") {
        vic.department = "marketing".to_owned();
    }
    assert_eq!(app.session().await["user"]["department"], "marketing");
    assert!(!app.claims().contains_key("department"));
}

/// Callbacks guide, "Session Callbacks: Real-Time User Data", its `isActive` check: a user
/// deactivated in the store after signing in is signed out on the next read. `GET /session`
/// answers `null` and expires the session cookie; the `Session` extractor (`/api/me`) and the
/// admin guard (`/admin/dashboard`) answer 401 though the token still says `admin`; the
/// audit log records `session_ended`. Auth.js would have the seed throw, and answer a 500 or
/// an empty session depending on the route.
#[tokio::test]
async fn a_deactivated_user_is_signed_out_on_the_next_read() {
    let app = Harness::start().await;
    app.signed_in_as("ada@acme.example", "ada-password-1").await;
    assert_eq!(app.status_of("/api/me").await, StatusCode::OK);
    assert_eq!(app.status_of("/admin/dashboard").await, StatusCode::OK);

    if let Some(ada) = app.db.users().get_mut("ada@acme.example") {
        ada.is_active = false;
    }
    // The cookie still opens, and still says admin: only the callback knows.
    assert_eq!(app.claims()["role"], "admin");
    assert_eq!(app.status_of("/api/me").await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.status_of("/admin/dashboard").await,
        StatusCode::UNAUTHORIZED
    );

    let response = app
        .browser
        .get(app.server.url(&format!("{BASE}/session")))
        .send()
        .await
        .expect("GET /session");
    let cookies = set_cookies(response.headers());
    assert_eq!(response.json::<Value>().await.expect("JSON"), Value::Null);
    assert!(
        cookies
            .iter()
            .any(|line| line.starts_with("authjs.session-token=;") && line.contains("Max-Age=0")),
        "{cookies:?}"
    );
    assert_eq!(app.cookie(), None, "the browser dropped the cookie");
    let log = app.db.audit_log();
    assert!(log.contains(&"session_ended u-ada".to_owned()), "{log:?}");
}

/// Callbacks guide, "Redirect Callbacks: Role-Based Redirects": after signing in, an admin
/// lands on `/admin/dashboard` and a viewer on the home page, whatever `callbackUrl` asked;
/// after signing out (no token), the requested page.
#[tokio::test]
async fn role_based_redirects_send_an_admin_to_the_admin_page_and_a_viewer_home() {
    let admin = Harness::start().await;
    let (status, landing) = admin.sign_in("ada@acme.example", "ada-password-1").await;
    assert_eq!(status, StatusCode::FOUND);
    assert_eq!(landing, admin.server.url("/admin/dashboard"));
    assert_eq!(admin.status_of("/admin/dashboard").await, StatusCode::OK);

    let viewer = Harness::start().await;
    let (status, landing) = viewer.sign_in("vic@acme.example", "vic-password-1").await;
    assert_eq!(status, StatusCode::FOUND);
    assert_eq!(landing, viewer.server.url("/"));
    assert_eq!(
        viewer.status_of("/admin/dashboard").await,
        StatusCode::FORBIDDEN
    );

    let csrf = csrf_token(&viewer.browser, &viewer.server, BASE).await;
    let response = viewer
        .browser
        .post(viewer.server.url(&format!("{BASE}/signout")))
        .form(&[("csrfToken", csrf.as_str()), ("callbackUrl", "/goodbye")])
        .send()
        .await
        .expect("POST /signout");
    assert_eq!(location(response.headers()), viewer.server.url("/goodbye"));
}

/// SU-08, for a server-side update. Session-update article, scenario 1 ("authenticated users
/// update their personal info, e.g. first name"; next-auth#7342): the name changed through the app's own endpoint is in the
/// response's new cookie and in the next `GET /session`, with no client `update()` and no
/// sign-in. The client could not have done it (`name` has no `update = check`: `400 null`).
/// The server update is recorded against the update race: a read still carrying the cookie
/// from before it is answered with the new name, not the old one written back.
#[tokio::test]
async fn a_name_changed_through_the_app_endpoint_is_in_the_next_session() {
    let app = Harness::start().await;
    app.signed_in_as("vic@acme.example", "vic-password-1").await;
    let before = app.cookie().expect("a session cookie");
    assert_eq!(app.session().await["user"]["name"], "Vic");
    // The update lands a few seconds after the old cookie was issued.
    app.clock.advance(Duration::from_secs(5));

    // The client's `update({ name })` is refused: `name` is not updatable by a client.
    let csrf = csrf_token(&app.browser, &app.server, BASE).await;
    let refused = app
        .browser
        .post(app.server.url(&format!("{BASE}/session")))
        .json(&json!({ "csrfToken": csrf, "data": { "name": "Mallory" } }))
        .send()
        .await
        .expect("POST /session");
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);

    let response = app
        .browser
        .post(app.server.url("/api/profile"))
        .json(&json!({ "firstName": "Victoria" }))
        .send()
        .await
        .expect("POST /api/profile");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        set_cookies(response.headers())
            .iter()
            .any(|line| line.starts_with("authjs.session-token=") && !line.contains("Max-Age=0")),
        "the handler's response carries the new cookie"
    );
    assert_eq!(app.claims()["name"], "Victoria");
    assert_eq!(app.session().await["user"]["name"], "Victoria");

    // A read sent with the cookie from before the update (one in flight when it landed).
    let stale = support::http::browser_with(&[("authjs.session-token", before.as_str())]);
    let session: Value = stale
        .get(app.server.url(&format!("{BASE}/session")))
        .send()
        .await
        .expect("GET /session")
        .json()
        .await
        .expect("JSON");
    assert_eq!(session["user"]["name"], "Victoria", "not the old name");
    assert!(
        app.db
            .audit_log()
            .contains(&"session_updated u-vic".to_owned())
    );

    // Signed out, the endpoint refuses: there is no session to re-issue.
    let stranger = support::http::browser();
    let response = stranger
        .post(app.server.url("/api/profile"))
        .json(&json!({ "firstName": "Eve" }))
        .send()
        .await
        .expect("POST /api/profile");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

/// Callbacks guide, "Advanced Patterns: Audit Logging": the seed logs each sign-in attempt with
/// `request.headers.get('x-forwarded-for')`, which any client can forge. Here the events
/// handler reads the event's request context: behind a trusted proxy (loopback here), the
/// address the proxy forwarded; the user agent; and, on a refused or rate-limited sign-in, the
/// identifier tried, normalised (`  ADA@Acme.Example ` is `ada@acme.example`). Never the
/// password. From a peer that is not a trusted proxy, a forged `X-Forwarded-For` is ignored.
#[tokio::test]
async fn audit_events_carry_the_client_address_from_a_trusted_proxy_and_the_tried_identifier() {
    let loopback: std::net::IpAddr = "127.0.0.1".parse().expect("an address");
    let app = Harness::start_behind(&[loopback]).await;
    let from_proxy = [
        ("x-forwarded-for", "203.0.113.9"),
        ("user-agent", "SeedBrowser/1.0"),
    ];
    for _ in 0..2 {
        let (status, landing) = app
            .sign_in_with_headers("  ADA@Acme.Example ", "wrong-password", &from_proxy)
            .await;
        assert_eq!(status, StatusCode::FOUND);
        assert!(landing.contains("error=CredentialsSignin"), "{landing}");
    }
    let (_, landing) = app
        .sign_in_with_headers("ada@acme.example", "ada-password-1", &from_proxy)
        .await;
    assert!(landing.contains("error=RateLimited"), "{landing}");

    let trail = app.db.audit_trail();
    let denied = "sign_in_denied id=ada@acme.example ip=203.0.113.9 ua=SeedBrowser/1.0";
    assert_eq!(
        trail.iter().filter(|line| *line == denied).count(),
        2,
        "{trail:?}"
    );
    assert!(
        trail.contains(
            &"rate_limited id=ada@acme.example ip=203.0.113.9 ua=SeedBrowser/1.0".to_owned()
        ),
        "{trail:?}"
    );
    assert!(
        trail.iter().all(|line| !line.contains("password")),
        "{trail:?}"
    );

    // Signed in from the proxy, the event carries the forwarded address too.
    let other = Harness::start_behind(&[loopback]).await;
    other
        .sign_in_with_headers("vic@acme.example", "vic-password-1", &from_proxy)
        .await;
    assert!(
        other
            .db
            .audit_trail()
            .contains(&"signed_in id= ip=203.0.113.9 ua=SeedBrowser/1.0".to_owned())
    );

    // No trusted proxy: the forged header changes nothing; the peer's address is reported.
    let direct = Harness::start().await;
    direct
        .sign_in_with_headers("vic@acme.example", "nope", &from_proxy)
        .await;
    assert_eq!(
        direct.db.audit_trail(),
        ["sign_in_denied id=vic@acme.example ip=127.0.0.1 ua=SeedBrowser/1.0"]
    );
}
