//! The patterns of the three seeds in `../shared/seeds/` that are not OAuth's (those are
//! `tests/seed_oauth_patterns.rs`), written in the DSL, each a test named after the seed and
//! the section it comes from, through a real loopback server with a cookie-keeping client:
//!
//! - `jwt_guide_…`: the JWT customisation guide (`000`): the user id and role, the
//!   permissions array and its `includes("delete")`, multi-tenancy and the tenant switch,
//!   credits raised by the client (refused) and by the server, large data in
//!   `#[session_field]`s, the token's size, and what jwt.io can (not) decode;
//! - `session_update_…`: the session-update article (`001`): scenario 1, a first name changed
//!   through the app's own endpoint (`Auth::reissue`, next-auth#7342); scenario 2, a
//!   `GET /session?companyId=…` that changes the session (refused) and its safe forms;
//! - `callbacks_guide_…`: the callbacks guide (`002`): the execution order, the `signIn`
//!   domain allowlist, rate limiting, the `jwt` update setting a name, custom fields, data
//!   fetched at sign-in, private claims, real-time data and a deactivated user, role-based
//!   redirects, preserved query parameters, the external URL allowlist, per-provider
//!   callbacks and the 2FA redirect, audit logging, feature flags, analytics, callback errors
//!   and error pages.
//!
//! `docs/coming-from-authjs.md` sets each seed's TypeScript beside the form tested here.
#![allow(clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod support;

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
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
/// The JWT guide's external URL allowlist (`allowedOrigins`), but one origin.
const ADMIN_ORIGIN: &str = "https://admin.example.com";

/// The seeds' `user.role`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything.
    Admin,
    /// Reads, writes and deletes.
    Moderator,
    /// Reads and writes.
    Viewer,
}

/// The JWT guide's permission strings, typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Permission {
    /// `"read"`.
    Read,
    /// `"write"`.
    Write,
    /// `"delete"`.
    Delete,
    /// `"admin"`.
    Admin,
}

impl Role {
    /// The JWT guide's "Permissions Array": admin → read, write, delete, admin; moderator →
    /// read, write, delete; anyone else → read, write.
    fn permissions(&self) -> Vec<Permission> {
        use Permission::{Admin, Delete, Read, Write};
        match self {
            Role::Admin => vec![Read, Write, Delete, Admin],
            Role::Moderator => vec![Read, Write, Delete],
            Role::Viewer => vec![Read, Write],
        }
    }
}

/// A user as `authorize` finds it in the store.
pub struct User {
    id: String,
    name: String,
    email: String,
    role: Role,
    /// The default tenant (the JWT guide's `userTenant` with `isDefault`).
    tenant_id: Option<String>,
    /// The JWT guide's `user.credits`.
    credits: u32,
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
    /// The tenants the user belongs to, the default first (`db.userTenant`).
    tenants: Vec<&'static str>,
    /// The companies the user may select (the session-update article's scenario 2).
    companies: Vec<&'static str>,
    credits: u32,
    /// `userData.organization.id`, read by the `jwt` callback at sign-in.
    organization: Option<&'static str>,
    /// An internal id the token keeps and the session must not show.
    api_key_id: &'static str,
    /// Large data: read into the session on each read, never into the token.
    bio: String,
    /// `twoFactorEnabled && !twoFactorVerified`.
    two_factor_pending: bool,
}

/// One row of `db.featureFlag`: `(userId, or None for a global flag; name; enabled)`.
type FeatureFlag = (Option<&'static str>, &'static str, bool);

/// The seeds' `db`: users by email, and `db.featureFlag` (per user, and global ones); the
/// audit log the events handler writes, the analytics calls, and the order the callbacks
/// ran in.
#[derive(Clone, Default)]
pub struct Db {
    audit_log: Arc<Mutex<Vec<String>>>,
    /// Each event with its request context: `<event> id=<identifier> ip=<addr> ua=<agent>`.
    audit_trail: Arc<Mutex<Vec<String>>>,
    /// `analytics.track` and `analytics.identify`, as the events handler sends them.
    analytics: Arc<Mutex<Vec<String>>>,
    /// Each callback's name as it runs (`jwt` with its trigger).
    calls: Arc<Mutex<Vec<String>>>,
    /// How many times `authorize` ran (the rate limit refuses before it).
    authorize_calls: Arc<AtomicUsize>,
    /// The store is unreachable: the `signIn` callback fails.
    store_down: Arc<AtomicBool>,
    users: Arc<Mutex<HashMap<&'static str, DbUser>>>,
    /// `(userId or None for a global flag, name, enabled)`.
    feature_flags: Arc<Mutex<Vec<FeatureFlag>>>,
}

impl Db {
    /// An admin, a moderator and a viewer at `acme.example`; a partner; an outsider whose
    /// domain is not allowed; a user with a second factor pending; a global flag and one
    /// flag each for the admin and the viewer.
    fn seeded() -> Self {
        let db = Self::default();
        let row = |id, name: &str, password, role, department: &str| DbUser {
            id,
            name: name.to_owned(),
            password,
            role,
            department: department.to_owned(),
            is_active: true,
            tenants: vec!["acme"],
            companies: vec![],
            credits: 5,
            organization: Some("org-acme"),
            api_key_id: "key-0000",
            bio: String::new(),
            two_factor_pending: false,
        };
        db.users().extend([
            (
                "ada@acme.example",
                DbUser {
                    tenants: vec!["acme", "globex"],
                    companies: vec!["c-acme-east", "c-acme-west"],
                    api_key_id: "key-ada-7f3b",
                    bio: "Ada writes compilers. ".repeat(300),
                    ..row("u-ada", "Ada", "ada-password-1", Role::Admin, "platform")
                },
            ),
            (
                "mo@acme.example",
                row("u-mo", "Mo", "mo-password-1", Role::Moderator, "support"),
            ),
            (
                "vic@acme.example",
                row("u-vic", "Vic", "vic-password-1", Role::Viewer, "sales"),
            ),
            (
                "pat@partner.example",
                DbUser {
                    organization: Some("org-partner"),
                    ..row("u-pat", "Pat", "pat-password-1", Role::Viewer, "partners")
                },
            ),
            (
                "eve@elsewhere.example",
                row("u-eve", "Eve", "eve-password-1", Role::Viewer, "none"),
            ),
            (
                "tess@acme.example",
                DbUser {
                    two_factor_pending: true,
                    ..row(
                        "u-tess",
                        "Tess",
                        "tess-password-1",
                        Role::Viewer,
                        "security",
                    )
                },
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

    fn analytics(&self) -> Vec<String> {
        self.analytics.lock().expect("the analytics").clone()
    }

    fn calls(&self) -> Vec<String> {
        self.calls.lock().expect("the calls").clone()
    }

    fn called(&self, callback: &str) {
        self.calls
            .lock()
            .expect("the calls")
            .push(callback.to_owned());
    }

    fn user_by_id(&self, id: &str) -> Option<DbUser> {
        self.users().values().find(|user| user.id == id).cloned()
    }
}

mod users {
    use super::*;

    /// Email and password against the store (plain text: a test store, not a pattern).
    fn check(db: &Db, email: &str, password: &Password) -> Option<User> {
        db.authorize_calls.fetch_add(1, Ordering::SeqCst);
        let users = db.users();
        let found = users.get(email.trim())?;
        password.expose().eq(found.password).then(|| User {
            id: found.id.to_owned(),
            name: found.name.clone(),
            email: email.trim().to_owned(),
            role: found.role,
            tenant_id: found.tenants.first().map(|tenant| (*tenant).to_owned()),
            credits: found.credits,
        })
    }

    pub(super) async fn authorize(
        form: &SeedAuthCredentialsForm,
        db: &Db,
    ) -> Result<Option<User>, CallbackError> {
        Ok(check(db, &form.email, &form.password))
    }

    /// A second credentials provider (id `legacy`), which the `signIn` callback's `default`
    /// arm refuses.
    pub(super) async fn authorize_legacy(
        form: &SeedAuthLegacyForm,
        db: &Db,
    ) -> Result<Option<User>, CallbackError> {
        Ok(check(db, &form.email, &form.password))
    }
}

mod policy {
    use super::*;

    /// The callbacks guide's "Email Domain Allowlist".
    const ALLOWED_DOMAINS: [&str; 2] = ["acme.example", "partner.example"];

    /// The callbacks guide's `signIn`, three of its patterns at once:
    ///
    /// - "Error Handling": the store unreachable is an `Err` (logged, never shown);
    /// - "Email Domain Allowlist": only `acme.example` and `partner.example`;
    /// - "Conditional Callbacks": a `match` on the provider; `credentials` users with a second
    ///   factor pending go to `/auth/verify-2fa`; any other provider is refused (`default:
    ///   return false`).
    pub(super) async fn sign_in(
        user: &User,
        account: &Account,
        db: &Db,
    ) -> Result<SignIn, CallbackError> {
        db.called("signIn");
        if db.store_down.load(Ordering::SeqCst) {
            return Err(CallbackError::msg(
                "connect ECONNREFUSED db.internal:5432 (user u-secret-42)",
            ));
        }
        let domain = user.email.rsplit_once('@').map(|(_, domain)| domain);
        if !domain.is_some_and(|domain| ALLOWED_DOMAINS.contains(&domain)) {
            return Ok(SignIn::Deny);
        }
        let pending = db
            .user_by_id(&user.id)
            .is_some_and(|found| found.two_factor_pending);
        Ok(match account.provider.as_str() {
            "credentials" if pending => SignIn::Redirect("/auth/verify-2fa".to_owned()),
            "credentials" => SignIn::Allow,
            _ => SignIn::Deny,
        })
    }

    /// The callbacks guide's "Fetch Additional Data": at sign-in, the organisation from the
    /// store into the token (`token.organizationId`), and an internal key id kept private
    /// ("Filter Sensitive Data"). Every run is recorded with its trigger.
    pub(super) async fn jwt(
        token: &mut SeedAuthToken,
        trigger: JwtTrigger<'_, SeedAuth>,
        db: &Db,
    ) -> Result<TokenAction, CallbackError> {
        db.called(&format!("jwt({trigger:?})"));
        if let JwtTrigger::SignIn { user, .. } = trigger
            && let Some(found) = db.user_by_id(&user.id)
        {
            token.organization_id = found.organization.map(str::to_owned);
            token.api_key_id = Some(found.api_key_id.to_owned());
        }
        Ok(TokenAction::Keep)
    }

    /// The callbacks guide's `session` callback, three of its patterns at once:
    ///
    /// - "Real-Time User Data": fresh user data from the store on every read (the department;
    ///   the name is the token's, which the profile endpoint re-issues);
    /// - "Feature Flags": `session.features`, the user's flags and the global ones;
    /// - the JWT guide's "Use Database for Large Data": `session.user.bio`.
    ///
    /// None is written to the token: `department`, `bio` and `features` are
    /// `#[session_field]`s. A user missing from the store or deactivated (`!user.isActive`,
    /// where the seed throws "User inactive") ends the session.
    pub(super) async fn session(
        session: &mut SeedAuthSession,
        db: &Db,
    ) -> Result<SessionAction, CallbackError> {
        db.called("session");
        let Some(user) = db
            .user_by_id(&session.user.id)
            .filter(|user| user.is_active)
        else {
            return Ok(SessionAction::SignOut);
        };
        session.user.department = Some(user.department);
        session.user.bio = (!user.bio.is_empty()).then_some(user.bio);
        for (owner, name, enabled) in db.feature_flags().iter() {
            if owner.is_none_or(|owner| owner == session.user.id) {
                session.features.insert((*name).to_owned(), *enabled);
            }
        }
        Ok(SessionAction::Keep)
    }
}

/// The checks of the claims a client's `update()` may change.
mod checks {
    use super::*;

    /// The JWT guide's "Multi-Tenancy": only to a tenant the user belongs to (`hasAccess`);
    /// never to none.
    pub(super) async fn may_switch_tenant(
        token: &SeedAuthToken,
        proposed: &Option<String>,
        db: &Db,
    ) -> Result<bool, CallbackError> {
        Ok(proposed.as_deref().is_some_and(|tenant| {
            db.user_by_id(&token.sub)
                .is_some_and(|user| user.tenants.contains(&tenant))
        }))
    }

    /// The session-update article's scenario 2, the safe form: only a company the user may
    /// select.
    pub(super) async fn may_select_company(
        token: &SeedAuthToken,
        proposed: &Option<String>,
        db: &Db,
    ) -> Result<bool, CallbackError> {
        Ok(proposed.as_deref().is_some_and(|company| {
            db.user_by_id(&token.sub)
                .is_some_and(|user| user.companies.contains(&company))
        }))
    }

    /// The callbacks guide's `trigger === 'update'` setting a name, the safe form: a display
    /// name the user may pick, validated (1 to 50 characters, no control characters, no
    /// surrounding spaces).
    pub(super) async fn is_display_name(
        _token: &SeedAuthToken,
        proposed: &Option<String>,
        _db: &Db,
    ) -> Result<bool, CallbackError> {
        Ok(proposed.as_deref().is_some_and(|name| {
            name.trim() == name
                && (1..=50).contains(&name.chars().count())
                && !name.chars().any(char::is_control)
        }))
    }
}

mod redirects {
    use super::*;

    /// "Role-Based Redirects": admins to `/admin/dashboard`, anyone else to the home page; a
    /// sign-out (no token) goes where it asked. The answer still passes the redirect check
    /// (the same origin, or one of `redirect_origins`).
    pub(super) async fn redirect(
        url: &str,
        base_url: &str,
        signed_in: Option<&SeedAuthToken>,
        db: &Db,
    ) -> Result<String, CallbackError> {
        db.called("redirect");
        Ok(match signed_in.map(|token| token.role) {
            Some(Role::Admin) => format!("{base_url}/admin/dashboard"),
            Some(Role::Moderator | Role::Viewer) => base_url.to_owned(),
            None => url.to_owned(),
        })
    }
}

mod audit {
    use super::*;

    /// Every event, by name and user, into the store's audit log; a sign-in also to the
    /// analytics ("Analytics Integration": `track` and `identify`).
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
        if let AuthEvent::SignedIn { token, account, .. } = event {
            let mut analytics = db.analytics.lock().expect("the analytics");
            analytics.push(format!(
                "track {} 'User Signed In' provider={}",
                token.id, account.provider
            ));
            analytics.push(format!(
                "identify {} email={} name={} role={:?}",
                token.id,
                token.email.as_deref().unwrap_or_default(),
                token.name.as_deref().unwrap_or_default(),
                token.role
            ));
        }
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

/// `GET /api/me/summary`: the JWT guide's "Usage in the App", `session.user.id` and
/// `session.user.role` read in a handler, typed.
#[handler]
async fn me_summary(session: Session<SeedAuth>) -> String {
    format!("{} is {:?}", session.user.id, session.user.role)
}

/// `GET /api/posts/actions`: the JWT guide's `permissions.includes("delete")`, deciding
/// whether the page shows its delete button.
#[handler]
async fn post_actions(session: Session<SeedAuth>) -> Json<Value> {
    let delete = session.user.permissions.contains(&Permission::Delete);
    Json(json!({ "showDeleteButton": delete }))
}

/// `DELETE /api/posts/1`: behind the generated permission guard.
#[handler]
async fn delete_post() -> &'static str {
    "deleted"
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

/// `POST /api/credits`: the JWT guide's "Dynamic JWT Updates", the safe form. The server
/// adds 10 credits in the store (the purchase it checked) and re-issues the session with the
/// store's number; the client sends no number at all.
#[handler]
async fn add_credits(
    req: &Request,
    auth: Data<&Auth<SeedAuth>>,
    session: Session<SeedAuth>,
) -> poem::Result<Response> {
    let credits = {
        let mut users = auth.state().users();
        let Some(user) = users.values_mut().find(|user| user.id == session.user.id) else {
            return Ok(PoemStatus::NOT_FOUND.into_response());
        };
        user.credits += 10;
        user.credits
    };
    let reissued = auth.reissue(req, |token| token.credits = credits).await?;
    Ok(reissued.attach(Json(json!({ "credits": credits }))))
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
    callbacks(
        sign_in = policy::sign_in,
        jwt = policy::jwt,
        session = policy::session,
        redirect = redirects::redirect
    ),
    events = audit::record,
    pages(sign_in = "/auth/signin", error = "/auth/error"),
    rate_limit(sign_in = "2 per 15m")
)]
pub struct SeedAuth {
    #[provider(credentials(authorize = users::authorize))]
    credentials: Credentials,
    /// A second provider, for the per-provider `signIn`.
    #[provider(credentials(authorize = users::authorize_legacy, name = "Legacy login"))]
    legacy: Credentials,
    /// `token.id = user.id`.
    #[claim(from_user)]
    id: String,
    /// `token.role = user.role`.
    #[claim(from_user)]
    role: Role,
    /// The JWT guide's "Permissions Array", from the role.
    #[claim(derive = Role::permissions(role))]
    permissions: Vec<Permission>,
    /// The JWT guide's "Multi-Tenancy": the default tenant at sign-in, switchable by the
    /// client to a tenant it belongs to.
    #[claim(from_user, update = checks::may_switch_tenant)]
    tenant_id: Option<String>,
    /// The JWT guide's credits: from the user at sign-in; no `update`, so only the server
    /// changes it.
    #[claim(from_user)]
    credits: u32,
    /// The session-update article's `selectedCompanyId`, through its check.
    #[claim(update = checks::may_select_company)]
    selected_company_id: Option<String>,
    /// A display name the user may pick, through its check.
    #[claim(update = checks::is_display_name)]
    display_name: Option<String>,
    /// "Fetch Additional Data": set by the `jwt` callback at sign-in.
    organization_id: Option<String>,
    /// "Filter Sensitive Data": in the token, never in the session.
    #[claim(private)]
    api_key_id: Option<String>,
    /// "Real-Time User Data": the department as the store says now, in `session.user`.
    #[session_field]
    department: Option<String>,
    /// "Use Database for Large Data": `session.user.bio`, never in the cookie.
    #[session_field]
    bio: Option<String>,
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
            .redirect_origins([ADMIN_ORIGIN])
            .clock(clock.clone())
            .trusted_proxies(proxies.iter().copied())
            .build()
            .expect("the configuration starts");
        let app = auth
            .mount(Route::new())
            .at("/api/me", get(me))
            .at("/api/me/summary", get(me_summary))
            .at("/api/posts/actions", get(post_actions))
            .at(
                "/api/posts/1",
                poem::delete(delete_post).with(SeedAuth::require(Permission::Delete)),
            )
            .at(
                "/admin/dashboard",
                get(admin_dashboard).with(SeedAuth::require_role(Role::Admin)),
            )
            .at("/api/profile", post(update_profile))
            .at("/api/credits", post(add_credits))
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
        self.sign_in_at("credentials", email, password, "/", headers)
            .await
    }

    /// The form of provider `provider` posted with `callback_url`; the status and the
    /// `Location`.
    async fn sign_in_at(
        &self,
        provider: &str,
        email: &str,
        password: &str,
        callback_url: &str,
        headers: &[(&str, &str)],
    ) -> (StatusCode, String) {
        let csrf = csrf_token(&self.browser, &self.server, BASE).await;
        let mut request = self
            .browser
            .post(self.server.url(&format!("{BASE}/callback/{provider}")));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request
            .form(&[
                ("csrfToken", csrf.as_str()),
                ("email", email),
                ("password", password),
                ("callbackUrl", callback_url),
            ])
            .send()
            .await
            .expect("POST /callback");
        (response.status(), location(response.headers()))
    }

    async fn signed_in_as(&self, email: &str, password: &str) {
        let (status, _) = self.sign_in(email, password).await;
        assert_eq!(status, StatusCode::FOUND);
        assert!(self.cookie().is_some(), "signed in");
    }

    /// The `Location` of a sign-out asking for `callback_url`.
    async fn sign_out_to(&self, callback_url: &str) -> String {
        let csrf = csrf_token(&self.browser, &self.server, BASE).await;
        let response = self
            .browser
            .post(self.server.url(&format!("{BASE}/signout")))
            .form(&[("csrfToken", csrf.as_str()), ("callbackUrl", callback_url)])
            .send()
            .await
            .expect("POST /signout");
        location(response.headers())
    }

    /// The client's `update(data)`: `POST /session` with the CSRF token; the status and the
    /// JSON answer.
    async fn update(&self, data: Value) -> (StatusCode, Value) {
        let csrf = csrf_token(&self.browser, &self.server, BASE).await;
        let response = self
            .browser
            .post(self.server.url(&format!("{BASE}/session")))
            .json(&json!({ "csrfToken": csrf, "data": data }))
            .send()
            .await
            .expect("POST /session");
        let status = response.status();
        (status, response.json().await.expect("JSON"))
    }

    /// The status of `GET path`.
    async fn status_of(&self, path: &str) -> StatusCode {
        get_status(&self.browser, &self.server, path).await
    }

    /// The body of `GET path`.
    async fn text_of(&self, path: &str) -> String {
        self.browser
            .get(self.server.url(path))
            .send()
            .await
            .expect("GET")
            .text()
            .await
            .expect("a body")
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

/// Base64url without padding, as a JWT debugger decodes each part.
fn base64url_decode(text: &str) -> Vec<u8> {
    let value = |byte: u8| match byte {
        b'A'..=b'Z' => byte - b'A',
        b'a'..=b'z' => byte - b'a' + 26,
        b'0'..=b'9' => byte - b'0' + 52,
        b'-' => 62,
        b'_' => 63,
        _ => panic!("not base64url: {byte}"),
    };
    let mut out = Vec::new();
    let (mut bits, mut count) = (0u32, 0);
    for byte in text.bytes() {
        bits = (bits << 6) | u32::from(value(byte));
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push(u8::try_from((bits >> count) & 0xff).expect("a byte"));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// The JWT customisation guide (`000`).
// ---------------------------------------------------------------------------------------

/// JWT guide, "Pattern 1: Add User ID and Role" and "Usage in App": the seed's `jwt` copies
/// `user.id` and `user.role` into the token and its `session` copies them back out, typed by
/// hand with `declare module`. Here `#[claim(from_user)]` does both: the cookie holds `id` and
/// `role`, `GET /session` shows them in `session.user`, and a handler reads them typed
/// (`session.user.id`, `session.user.role`).
#[tokio::test]
async fn jwt_guide_pattern_1_user_id_and_role_are_in_the_token_the_session_and_the_handler() {
    let app = Harness::start().await;
    assert_eq!(
        app.status_of("/api/me/summary").await,
        StatusCode::UNAUTHORIZED
    );
    app.signed_in_as("vic@acme.example", "vic-password-1").await;

    let claims = app.claims();
    assert_eq!(claims["id"], "u-vic");
    assert_eq!(claims["role"], "viewer");
    let session = app.session().await;
    assert_eq!(session["user"]["id"], "u-vic");
    assert_eq!(session["user"]["role"], "viewer");
    assert_eq!(app.text_of("/api/me/summary").await, "u-vic is Viewer");
}

/// JWT guide, "Permissions Array": the seed's `jwt` sets `token.permissions` from the role
/// (admin: read, write, delete, admin; moderator: read, write, delete; else read, write).
/// Here `#[claim(derive = Role::permissions(role))]`: each user's session and cookie carry
/// the role's list, in that order.
#[tokio::test]
async fn jwt_guide_permissions_array_is_derived_from_the_role() {
    for (email, password, expected) in [
        (
            "ada@acme.example",
            "ada-password-1",
            json!(["read", "write", "delete", "admin"]),
        ),
        (
            "mo@acme.example",
            "mo-password-1",
            json!(["read", "write", "delete"]),
        ),
        (
            "vic@acme.example",
            "vic-password-1",
            json!(["read", "write"]),
        ),
    ] {
        let app = Harness::start().await;
        app.signed_in_as(email, password).await;
        assert_eq!(
            app.session().await["user"]["permissions"],
            expected,
            "{email}"
        );
        assert_eq!(app.claims()["permissions"], expected, "{email}");
    }
}

/// JWT guide, "Usage" of the permissions array: `if
/// (session.user.permissions.includes("delete"))` shows the delete button. Here a handler's
/// `session.user.permissions.contains(&Permission::Delete)`, and the generated guard
/// `SeedAuth::require(Permission::Delete)` on the delete route: an admin and a moderator
/// pass, a viewer gets 403, a stranger 401.
#[tokio::test]
async fn jwt_guide_permissions_includes_delete_for_admins_and_moderators_only() {
    for (email, password, may_delete) in [
        ("ada@acme.example", "ada-password-1", true),
        ("mo@acme.example", "mo-password-1", true),
        ("vic@acme.example", "vic-password-1", false),
    ] {
        let app = Harness::start().await;
        app.signed_in_as(email, password).await;
        let actions: Value = app
            .browser
            .get(app.server.url("/api/posts/actions"))
            .send()
            .await
            .expect("GET /api/posts/actions")
            .json()
            .await
            .expect("JSON");
        assert_eq!(actions["showDeleteButton"], may_delete, "{email}");
        let deleted = app
            .browser
            .delete(app.server.url("/api/posts/1"))
            .send()
            .await
            .expect("DELETE /api/posts/1")
            .status();
        let expected = if may_delete {
            StatusCode::OK
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(deleted, expected, "{email}");
    }
    let app = Harness::start().await;
    let stranger = support::http::browser();
    let status = stranger
        .delete(app.server.url("/api/posts/1"))
        .send()
        .await
        .expect("DELETE /api/posts/1")
        .status();
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

/// JWT guide, "Multi-Tenancy" and "Switch Tenant": the seed's `jwt` puts the user's default
/// tenant in the token at sign-in, and on `trigger === "update"` switches to
/// `session.tenantId` when `db.userTenant` says the user has access (else silently keeps the
/// old one); the client calls `update({ tenantId })`. Here
/// `#[claim(from_user, update = checks::may_switch_tenant)]`: a member tenant is accepted
/// (the session and the cookie say so), another is `403 null` and changes nothing.
#[tokio::test]
async fn jwt_guide_multi_tenancy_switch_tenant_accepts_a_member_tenant_and_refuses_others() {
    let app = Harness::start().await;
    app.signed_in_as("ada@acme.example", "ada-password-1").await;
    assert_eq!(app.session().await["user"]["tenantId"], "acme");

    let (status, session) = app.update(json!({ "tenantId": "globex" })).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(session["user"]["tenantId"], "globex");
    assert_eq!(app.claims()["tenantId"], "globex");

    let (status, answer) = app.update(json!({ "tenantId": "initech" })).await;
    assert_eq!((status, answer), (StatusCode::FORBIDDEN, Value::Null));
    assert_eq!(app.session().await["user"]["tenantId"], "globex");
    assert_eq!(app.claims()["tenantId"], "globex");

    // Vic belongs to acme only.
    let viewer = Harness::start().await;
    viewer
        .signed_in_as("vic@acme.example", "vic-password-1")
        .await;
    let (status, _) = viewer.update(json!({ "tenantId": "globex" })).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(viewer.claims()["tenantId"], "acme");
}

/// JWT guide, "Dynamic JWT Updates" (refused on purpose): the seed's `jwt` copies
/// `session.credits` from the client's `update({ credits: session.user.credits + 10 })`, so
/// any client sets its own credits. Here `credits` has no `update = …`: the client's update
/// is `400 null` and the token keeps the store's number. The safe form works: the app's own
/// `POST /api/credits` adds 10 in the store and re-issues the session with the store's
/// number (`Auth::reissue`).
#[tokio::test]
async fn jwt_guide_dynamic_jwt_updates_client_raised_credits_are_refused_and_the_server_adds_them()
{
    let app = Harness::start().await;
    app.signed_in_as("vic@acme.example", "vic-password-1").await;
    assert_eq!(app.session().await["user"]["credits"], 5);

    let (status, answer) = app.update(json!({ "credits": 1_000_000_000 })).await;
    assert_eq!((status, answer), (StatusCode::BAD_REQUEST, Value::Null));
    assert_eq!(app.claims()["credits"], 5);
    assert_eq!(app.session().await["user"]["credits"], 5);

    let response = app
        .browser
        .post(app.server.url("/api/credits"))
        .send()
        .await
        .expect("POST /api/credits");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.json::<Value>().await.expect("JSON"),
        json!({ "credits": 15 })
    );
    assert_eq!(app.claims()["credits"], 15);
    assert_eq!(app.session().await["user"]["credits"], 15);
    assert_eq!(app.db.users()["vic@acme.example"].credits, 15);
}

/// JWT guide, "Use Database for Large Data" (and "JWT Size: store IDs, not full objects"):
/// the seed's `session` reads the whole user from the database instead of keeping it in the
/// token. Here `#[session_field] bio`: Ada's 6 600-byte bio is in `session.user.bio`, read
/// from the store, and not in the cookie, which stays one small cookie (no chunks).
#[tokio::test]
async fn jwt_guide_use_database_for_large_data_keeps_the_bio_in_the_session_and_out_of_the_cookie()
{
    let app = Harness::start().await;
    app.signed_in_as("ada@acme.example", "ada-password-1").await;
    let bio = app.db.users()["ada@acme.example"].bio.clone();
    assert!(bio.len() > 4096, "a bio larger than a cookie");

    assert_eq!(app.session().await["user"]["bio"], bio.as_str());
    assert!(!app.claims().contains_key("bio"));
    let cookie = app.cookie().expect("a session cookie");
    assert!(cookie.len() < 2048, "{} bytes", cookie.len());
    assert_eq!(
        jar_cookie(&app.jar, &app.server, "authjs.session-token.0"),
        None,
        "not chunked"
    );
}

/// JWT guide, "Debugging" and "Decode JWT Manually" ("paste into jwt.io"): the token is a
/// JWE, not a signed JWT. Without a secret only its header can be read (`dir`,
/// `A256CBC-HS512`, as Auth.js writes): five parts, no claims in clear, so jwt.io shows
/// nothing and should never see it. It opens with the server's secret (what
/// `auth-token decode` does locally) and not with another.
#[tokio::test]
async fn jwt_guide_decode_the_jwt_manually_needs_the_secret_jwt_io_cannot_read_it() {
    let app = Harness::start().await;
    app.signed_in_as("ada@acme.example", "ada-password-1").await;
    let cookie = app.cookie().expect("a session cookie");

    let parts: Vec<&str> = cookie.split('.').collect();
    assert_eq!(parts.len(), 5, "a compact JWE, not a three-part JWT");
    assert_eq!(parts[1], "", "`dir`: no encrypted key");
    let header = auth_runtime::read_protected_header(&cookie).expect("the header reads");
    assert_eq!(header.enc, auth_runtime::ContentEncryption::A256CbcHs512);
    let decoded: Vec<Vec<u8>> = parts.iter().map(|part| base64url_decode(part)).collect();
    assert!(
        String::from_utf8_lossy(&decoded[0]).contains("\"enc\":\"A256CBC-HS512\""),
        "the header is readable"
    );
    for (part, bytes) in decoded.iter().enumerate() {
        for clear in [&b"u-ada"[..], b"ada@acme.example", b"admin"] {
            assert!(
                !bytes.windows(clear.len()).any(|window| window == clear),
                "part {part} has no claim in clear"
            );
        }
    }

    assert_eq!(app.claims()["id"], "u-ada", "the server's secret opens it");
    let other = Auth::<SeedAuth>::builder(Db::default())
        .secrets(Secrets::new(["another-secret-0d9c8b7a6f5e4d3c2b1a"]).expect("a secret"))
        .public_url("http://127.0.0.1:3000")
        .build()
        .expect("another configuration");
    assert!(
        other.codec().decode(&cookie).is_err(),
        "another secret does not"
    );
}

// ---------------------------------------------------------------------------------------
// The session-update article (`001`).
// ---------------------------------------------------------------------------------------

/// SU-08, for a server-side update. Session-update article, scenario 1 ("authenticated users
/// update their personal info, e.g. first name"; next-auth#7342): the name changed through the app's own endpoint is in the
/// response's new cookie and in the next `GET /session`, with no client `update()` and no
/// sign-in. The client could not have done it (`name` has no `update = check`: `400 null`).
/// The server update is recorded against the update race: a read still carrying the cookie
/// from before it is answered with the new name, not the old one written back.
#[tokio::test]
async fn session_update_scenario_1_a_name_changed_through_the_app_endpoint_is_in_the_next_session()
{
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

/// Session-update article, scenario 2 (refused on purpose): the client calls
/// `fetch('/api/auth/session?companyId=…')` and the seed's `jwt` copies `req.query.companyId`
/// into the token: a `GET` any other site can trigger (an `<img>`), with no CSRF token and no
/// check. Here `GET /session` only reads: the query changes nothing, even naming a company the
/// user may select. The safe form works: `update({ selectedCompanyId })` (`POST /session`
/// with the CSRF token) through `checks::may_select_company`, which accepts a company of the
/// user's and refuses another (`403 null`); without the CSRF token nothing changes.
#[tokio::test]
async fn session_update_scenario_2_a_query_parameter_changes_nothing_and_the_checked_update_does() {
    let app = Harness::start().await;
    app.signed_in_as("ada@acme.example", "ada-password-1").await;

    for query in ["companyId=c-evil", "selectedCompanyId=c-acme-east"] {
        let session: Value = app
            .browser
            .get(app.server.url(&format!("{BASE}/session?{query}")))
            .send()
            .await
            .expect("GET /session?…")
            .json()
            .await
            .expect("JSON");
        assert_eq!(session["user"]["id"], "u-ada", "still signed in");
        assert!(session["user"]["selectedCompanyId"].is_null(), "{query}");
        assert!(session["selectedCompanyId"].is_null(), "{query}");
        assert!(
            app.claims()
                .get("selectedCompanyId")
                .is_none_or(Value::is_null),
            "{query}"
        );
    }

    // Without the CSRF token, the update is refused.
    let response = app
        .browser
        .post(app.server.url(&format!("{BASE}/session")))
        .json(&json!({ "data": { "selectedCompanyId": "c-acme-east" } }))
        .send()
        .await
        .expect("POST /session");
    assert_ne!(response.status(), StatusCode::OK);
    assert!(
        app.claims()
            .get("selectedCompanyId")
            .is_none_or(Value::is_null)
    );

    let (status, session) = app
        .update(json!({ "selectedCompanyId": "c-acme-east" }))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(session["user"]["selectedCompanyId"], "c-acme-east");
    assert_eq!(app.claims()["selectedCompanyId"], "c-acme-east");

    let (status, answer) = app.update(json!({ "selectedCompanyId": "c-evil" })).await;
    assert_eq!((status, answer), (StatusCode::FORBIDDEN, Value::Null));
    assert_eq!(app.claims()["selectedCompanyId"], "c-acme-east");
}

// ---------------------------------------------------------------------------------------
// The callbacks guide (`002`).
// ---------------------------------------------------------------------------------------

/// Callbacks guide, "Callback Execution Order": `signIn` → `jwt` → `session` → `redirect`.
/// Here, at a sign-in: `signIn`, `jwt` (trigger `SignIn`), `redirect`, and no `session`
/// (nothing reads one yet); on each read that follows: `jwt` (trigger `Refresh`), then
/// `session`.
#[tokio::test]
async fn callbacks_guide_callback_execution_order_is_sign_in_jwt_redirect_then_jwt_session_on_read()
{
    let app = Harness::start().await;
    app.signed_in_as("vic@acme.example", "vic-password-1").await;
    assert_eq!(app.db.calls(), ["signIn", "jwt(SignIn)", "redirect"]);

    app.session().await;
    assert_eq!(
        app.db.calls(),
        [
            "signIn",
            "jwt(SignIn)",
            "redirect",
            "jwt(Refresh)",
            "session"
        ]
    );
}

/// Callbacks guide, "Email Domain Allowlist": the seed's `signIn` allows `company.com` and
/// `partner.com` only. Here `policy::sign_in` allows `acme.example` and `partner.example`:
/// Eve (`elsewhere.example`, right password) is refused with `AccessDenied` on the error page
/// and gets no cookie; Pat (`partner.example`) signs in.
#[tokio::test]
async fn callbacks_guide_email_domain_allowlist_lets_listed_domains_in_and_refuses_others() {
    let app = Harness::start().await;
    let (status, landing) = app.sign_in("eve@elsewhere.example", "eve-password-1").await;
    assert_eq!(status, StatusCode::FOUND);
    assert_eq!(
        landing,
        app.server.url("/auth/error?error=AccessDenied"),
        "{landing}"
    );
    assert_eq!(app.cookie(), None);
    assert_eq!(app.session().await, Value::Null);

    app.signed_in_as("pat@partner.example", "pat-password-1")
        .await;
    assert_eq!(app.session().await["user"]["email"], "pat@partner.example");
}

/// Callbacks guide, "Rate Limiting": the seed calls `ratelimit.limit(user.email)` inside
/// `signIn`, after the password was checked, and redirects to `?error=RateLimited`. Here
/// `rate_limit(sign_in = "2 per 15m")`: after two wrong passwords the third attempt, even
/// with the right password, is refused with `RateLimited` before `authorize` runs (it ran
/// twice, not three times), and gets no cookie.
#[tokio::test]
async fn callbacks_guide_rate_limiting_refuses_the_third_attempt_before_authorize_runs() {
    let app = Harness::start().await;
    for _ in 0..2 {
        let (_, landing) = app.sign_in("vic@acme.example", "wrong-password").await;
        assert!(landing.contains("error=CredentialsSignin"), "{landing}");
    }
    assert_eq!(app.db.authorize_calls.load(Ordering::SeqCst), 2);

    let (status, landing) = app.sign_in("vic@acme.example", "vic-password-1").await;
    assert_eq!(status, StatusCode::FOUND);
    assert!(landing.contains("error=RateLimited"), "{landing}");
    assert_eq!(app.db.authorize_calls.load(Ordering::SeqCst), 2, "not run");
    assert_eq!(app.cookie(), None);
    assert!(app.db.audit_log().contains(&"rate_limited ".to_owned()));
}

/// Callbacks guide, the `jwt` callback's `if (trigger === 'update' && session) token.name =
/// session.name` (refused on purpose): any client would rename itself to anything. Here the
/// client's `update({ name })` is `400 null` and the name stays; the `jwt` callback never
/// sees it. The safe forms: the app's endpoint with `Auth::reissue` (scenario 1's test), or a
/// display name the user may pick, through a check that validates it: a good one is
/// accepted (and the `jwt` callback runs with the `Update` trigger), a bad one `403 null`.
#[tokio::test]
async fn callbacks_guide_jwt_update_trigger_setting_the_name_is_refused_and_a_checked_display_name_works()
 {
    let app = Harness::start().await;
    app.signed_in_as("vic@acme.example", "vic-password-1").await;

    let (status, answer) = app.update(json!({ "name": "Administrator" })).await;
    assert_eq!((status, answer), (StatusCode::BAD_REQUEST, Value::Null));
    assert_eq!(app.session().await["user"]["name"], "Vic");
    assert!(!app.db.calls().contains(&"jwt(Update)".to_owned()));

    let (status, session) = app.update(json!({ "displayName": "Vicky" })).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(session["user"]["displayName"], "Vicky");
    assert_eq!(app.claims()["displayName"], "Vicky");
    assert!(app.db.calls().contains(&"jwt(Update)".to_owned()));

    let long = "x".repeat(51);
    for bad in [" Vicky", "", "Vic\u{0}ky", long.as_str()] {
        let (status, answer) = app.update(json!({ "displayName": bad })).await;
        assert_eq!(
            (status, answer),
            (StatusCode::FORBIDDEN, Value::Null),
            "{bad:?}"
        );
    }
    assert_eq!(app.claims()["displayName"], "Vicky");
}

/// Callbacks guide, "1. Add Custom Fields": the seed declares `id`, `role`, `department` and
/// `permissions` on the `JWT` interface by hand and copies each from the user. Here each is a
/// declared field of the generated `SeedAuthToken`: the cookie decodes into it, typed (a
/// `Role`, a `Vec<Permission>`), and the public ones are in `session.user`; the department,
/// a fresh value, is a session field instead.
#[tokio::test]
async fn callbacks_guide_add_custom_fields_are_typed_fields_of_the_generated_token() {
    let app = Harness::start().await;
    app.signed_in_as("mo@acme.example", "mo-password-1").await;
    let cookie = app.cookie().expect("a session cookie");
    let (token, _) = app
        .auth
        .codec()
        .decode_as::<SeedAuthToken>(&cookie)
        .expect("the generated token type");
    assert_eq!(token.id, "u-mo");
    assert_eq!(token.role, Role::Moderator);
    assert_eq!(
        token.permissions,
        [Permission::Read, Permission::Write, Permission::Delete]
    );
    assert_eq!(token.tenant_id.as_deref(), Some("acme"));

    let session = app.session().await;
    assert_eq!(session["user"]["id"], "u-mo");
    assert_eq!(session["user"]["role"], "moderator");
    assert_eq!(session["user"]["department"], "support");
}

/// Callbacks guide, "2. Fetch Additional Data": the seed's `jwt` reads the user's
/// organisation from the database at sign-in (`if (user)`) into `token.organizationId`. Here
/// `policy::jwt` on `JwtTrigger::SignIn` does the same into an undeclared-at-sign-in claim:
/// Pat's is `org-partner`, in the cookie and in `session.user`; like the seed's, it is the
/// value at sign-in (a later change in the store shows after the next sign-in).
#[tokio::test]
async fn callbacks_guide_fetch_additional_data_puts_the_organization_in_the_token_at_sign_in() {
    let app = Harness::start().await;
    app.signed_in_as("pat@partner.example", "pat-password-1")
        .await;
    assert_eq!(app.claims()["organizationId"], "org-partner");
    assert_eq!(app.session().await["user"]["organizationId"], "org-partner");

    if let Some(pat) = app.db.users().get_mut("pat@partner.example") {
        pat.organization = Some("org-moved");
    }
    assert_eq!(app.session().await["user"]["organizationId"], "org-partner");
    app.signed_in_as("pat@partner.example", "pat-password-1")
        .await;
    assert_eq!(app.session().await["user"]["organizationId"], "org-moved");
}

/// Callbacks guide, "2. Filter Sensitive Data": the seed spreads the token into the session
/// minus `password`, so every claim the filter forgot goes to the browser. Here
/// `#[claim(private)] api_key_id` is in the cookie (encrypted) and in neither `GET /session`
/// nor the `Session` extractor's JSON; no password is anywhere: `authorize` returns a `User`,
/// which has no field for it.
#[tokio::test]
async fn callbacks_guide_filter_sensitive_data_keeps_private_claims_out_of_the_session() {
    let app = Harness::start().await;
    app.signed_in_as("ada@acme.example", "ada-password-1").await;
    assert_eq!(app.claims()["apiKeyId"], "key-ada-7f3b");
    assert!(
        app.claims()
            .values()
            .all(|value| !value.to_string().contains("ada-password-1"))
    );

    let session = app.session().await.to_string();
    let extracted = app.text_of("/api/me").await;
    for json in [&session, &extracted] {
        assert!(json.contains("u-ada"), "{json}");
        assert!(!json.contains("key-ada-7f3b"), "{json}");
        assert!(!json.contains("apiKeyId"), "{json}");
        assert!(!json.contains("ada-password-1"), "{json}");
    }
}

/// Callbacks guide, "Session Callbacks: Real-Time User Data": the department comes from the
/// store on every read. A move in the store shows in the next `GET /session` without signing
/// in again, and the token never holds it.
#[tokio::test]
async fn callbacks_guide_real_time_user_data_is_read_from_the_store_on_every_read() {
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
async fn callbacks_guide_real_time_user_data_a_deactivated_user_is_signed_out_on_the_next_read() {
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
async fn callbacks_guide_role_based_redirects_send_an_admin_to_the_admin_page_and_a_viewer_home() {
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

/// The callbacks guide's "Preserve Query Parameters", a configuration of its own: its
/// `redirect` callback is another than [`SeedAuth`]'s.
mod preserve {
    use super::*;

    /// The seed's `redirect`: the `callbackUrl` nested in the URL's query, when it is a
    /// path, on this site; else the home page.
    pub(super) async fn redirect(
        url: &str,
        base_url: &str,
        _signed_in: Option<&PreserveAuthToken>,
        _db: &Db,
    ) -> Result<String, CallbackError> {
        let nested = reqwest::Url::parse(base_url)?
            .join(url)?
            .query_pairs()
            .find(|(key, _)| key == "callbackUrl")
            .map(|(_, value)| value.into_owned());
        Ok(match nested {
            Some(path) if path.starts_with('/') => format!("{base_url}{path}"),
            _ => base_url.to_owned(),
        })
    }

    pub(super) async fn authorize(
        form: &PreserveAuthCredentialsForm,
        db: &Db,
    ) -> Result<Option<User>, CallbackError> {
        let users = db.users();
        Ok(users
            .get(form.email.trim())
            .filter(|found| form.password.expose() == found.password)
            .map(|found| User {
                id: found.id.to_owned(),
                name: found.name.clone(),
                email: form.email.trim().to_owned(),
                role: found.role,
                tenant_id: None,
                credits: found.credits,
            }))
    }

    /// The configuration: credentials, the user's id, and the seed's `redirect`.
    #[auth_config(user = User, state = Db, callbacks(redirect = preserve::redirect))]
    pub struct PreserveAuth {
        #[provider(credentials(authorize = preserve::authorize))]
        credentials: Credentials,
        /// `token.id = user.id`.
        #[claim(from_user)]
        id: String,
    }

    /// Signs Vic in on a fresh server with `callback_url`; the `Location`.
    pub(super) async fn landing_after_sign_in(callback_url: &str) -> (TestServer, String) {
        let port = TestServer::bind().await;
        let auth = Auth::<PreserveAuth>::builder(Db::seeded())
            .secrets(Secrets::new([SECRET]).expect("a strong secret"))
            .public_url(&port.origin())
            .build()
            .expect("the configuration starts");
        let server = port.serve(auth.mount(Route::new()).with(auth.middleware()));
        let (browser, jar) = browser_with_jar();
        let csrf = csrf_token(&browser, &server, BASE).await;
        let response = browser
            .post(server.url(&format!("{BASE}/callback/credentials")))
            .form(&[
                ("csrfToken", csrf.as_str()),
                ("email", "vic@acme.example"),
                ("password", "vic-password-1"),
                ("callbackUrl", callback_url),
            ])
            .send()
            .await
            .expect("POST /callback/credentials");
        assert_eq!(response.status(), StatusCode::FOUND);
        assert!(
            jar_cookie(&jar, &server, "authjs.session-token").is_some(),
            "signed in"
        );
        let landing = location(response.headers());
        (server, landing)
    }
}

/// Callbacks guide, "2. Preserve Query Parameters": the seed's `redirect` reads the
/// `callbackUrl` nested in the URL's query and, when it starts with `/`, goes there. The same
/// callback here (`preserve::redirect`): a sign-in asked to return to
/// `/login?callbackUrl=/reports?tab=q3` lands on `/reports?tab=q3`, query kept; with no
/// nested `callbackUrl`, home; a nested absolute URL to another site, home.
#[tokio::test]
async fn callbacks_guide_preserve_query_parameters_keeps_them_through_sign_in() {
    let (server, landing) =
        preserve::landing_after_sign_in("/login?callbackUrl=%2Freports%3Ftab%3Dq3").await;
    assert_eq!(landing, server.url("/reports?tab=q3"));

    let (server, landing) = preserve::landing_after_sign_in("/login?next=%2Freports").await;
    assert_eq!(landing, server.url("/"));

    let (server, landing) =
        preserve::landing_after_sign_in("/login?callbackUrl=https%3A%2F%2Fevil.example%2F").await;
    assert!(!landing.contains("evil"), "{landing}");
    assert!(landing.starts_with(&server.url("")), "{landing}");

    // The seed's `startsWith('/')` also passes `//evil.example/`: the callback answers
    // `<base>//evil.example/`, which the redirect check after the callback judges.
    let (server, landing) =
        preserve::landing_after_sign_in("/login?callbackUrl=%2F%2Fevil.example%2F").await;
    assert_eq!(landing, server.url("/"), "{landing}");
}

/// Callbacks guide, "3. External URL Allowlist": the seed's `redirect` allows
/// `allowedOrigins` and sends anything else home. Here it is configuration,
/// `AuthBuilder::redirect_origins`: a sign-out to `https://admin.example.com/bye` goes there,
/// one to `https://evil.example/` goes home, though the `redirect` callback returned both as
/// they were.
#[tokio::test]
async fn callbacks_guide_external_url_allowlist_allows_the_listed_origin_and_sends_others_home() {
    let app = Harness::start().await;
    app.signed_in_as("vic@acme.example", "vic-password-1").await;
    let allowed = format!("{ADMIN_ORIGIN}/bye");
    assert_eq!(app.sign_out_to(&allowed).await, allowed);

    app.signed_in_as("vic@acme.example", "vic-password-1").await;
    let landing = app.sign_out_to("https://evil.example/steal").await;
    assert!(!landing.contains("evil"), "{landing}");
    assert!(landing.starts_with(&app.server.url("")), "{landing}");
}

/// Callbacks guide, "Conditional Callbacks": the seed's `signIn` switches on
/// `account.provider`; for `credentials`, a user with two factors enabled and not verified
/// goes to `/auth/verify-2fa`; an unlisted provider is refused (`default: return false`).
/// Here `policy::sign_in` matches on `account.provider`: Tess (second factor pending) lands on
/// `/auth/verify-2fa` without a session; Vic through the `legacy` provider is refused with
/// `AccessDenied`; Vic through `credentials` signs in.
#[tokio::test]
async fn callbacks_guide_conditional_callbacks_redirect_a_pending_second_factor_and_refuse_other_providers()
 {
    let app = Harness::start().await;
    let (status, landing) = app
        .sign_in_at(
            "credentials",
            "tess@acme.example",
            "tess-password-1",
            "/",
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::FOUND);
    assert_eq!(landing, app.server.url("/auth/verify-2fa"));
    assert_eq!(app.cookie(), None);

    let (_, landing) = app
        .sign_in_at("legacy", "vic@acme.example", "vic-password-1", "/", &[])
        .await;
    assert_eq!(landing, app.server.url("/auth/error?error=AccessDenied"));
    assert_eq!(app.cookie(), None);

    let other = Harness::start().await;
    other
        .signed_in_as("vic@acme.example", "vic-password-1")
        .await;
}

/// Callbacks guide, "Advanced Patterns: Audit Logging": the seed logs each sign-in attempt with
/// `request.headers.get('x-forwarded-for')`, which any client can forge. Here the events
/// handler reads the event's request context: behind a trusted proxy (loopback here), the
/// address the proxy forwarded; the user agent; and, on a refused or rate-limited sign-in, the
/// identifier tried, normalised (`  ADA@Acme.Example ` is `ada@acme.example`). Never the
/// password. From a peer that is not a trusted proxy, a forged `X-Forwarded-For` is ignored.
#[tokio::test]
async fn callbacks_guide_audit_logging_events_carry_the_client_address_from_a_trusted_proxy_and_the_tried_identifier()
 {
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

/// Callbacks guide, "Advanced Patterns: Feature Flags": `session.features` holds the user's
/// own flags and the global ones, read from the store on each read, typed in the session; the
/// token (the cookie, decrypted) has no `features`, so the flags neither grow the cookie nor
/// go stale in it: a flag turned on in the store is in the next read.
#[tokio::test]
async fn callbacks_guide_feature_flags_are_in_the_session_json_and_absent_from_the_token() {
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

/// Callbacks guide, "Analytics Integration": the seed calls `analytics.track` in `signIn`
/// and `analytics.identify` in `jwt` on `trigger === 'signIn'`. Here the events handler does
/// both from `AuthEvent::SignedIn` (the token and the account carry every property), once per
/// sign-in and only after it succeeded: a wrong password sends nothing.
#[tokio::test]
async fn callbacks_guide_analytics_integration_tracks_and_identifies_each_sign_in_once() {
    let app = Harness::start().await;
    app.sign_in("mo@acme.example", "wrong-password").await;
    assert_eq!(app.db.analytics(), Vec::<String>::new());

    app.signed_in_as("mo@acme.example", "mo-password-1").await;
    app.session().await;
    assert_eq!(
        app.db.analytics(),
        [
            "track u-mo 'User Signed In' provider=credentials",
            "identify u-mo email=mo@acme.example name=Mo role=Moderator",
        ]
    );
}

/// Callbacks guide, "Error Handling in Callbacks": the seed's `signIn` catches its error and
/// redirects to `/auth/error?error=${error.message}`, showing internal messages and letting a
/// crafted link put any text on the page. Here the callback returns `Err`: the user lands on
/// the error page with the fixed code `Configuration`, nothing of the message, and no
/// session; and the built-in error page never echoes its query.
#[tokio::test]
async fn callbacks_guide_error_handling_a_failing_callback_shows_a_fixed_code_never_its_message() {
    let app = Harness::start().await;
    app.db.store_down.store(true, Ordering::SeqCst);
    let (status, landing) = app.sign_in("vic@acme.example", "vic-password-1").await;
    assert_eq!(status, StatusCode::FOUND);
    assert_eq!(landing, app.server.url("/auth/error?error=Configuration"));
    assert!(!landing.contains("ECONNREFUSED"));
    assert_eq!(app.cookie(), None);

    let page = app
        .browser
        .get(app.server.url(&format!(
            "{BASE}/error?error=%3Cscript%3Ealert(1)%3C%2Fscript%3EUser%20is%20inactive"
        )))
        .send()
        .await
        .expect("GET /error");
    let status = page.status();
    let body = page.text().await.expect("a body");
    assert!(!body.contains("<script>alert"), "{status} {body}");
    assert!(!body.contains("User is inactive"), "{status} {body}");
}

/// Callbacks guide, "Error Pages": the seed sets `pages: { signIn: '/auth/signin', error:
/// '/auth/error', … }` and its error page maps `searchParams.error` through
/// `errorMessages`. Here `pages(sign_in = …, error = …)`: `GET /api/auth/signin` goes to
/// `/auth/signin`, a refused sign-in to `/auth/error?error=AccessDenied`, a wrong password
/// to the sign-in page with `CredentialsSignin`: Auth.js v5's codes, which the seed's map
/// expects.
#[tokio::test]
async fn callbacks_guide_error_pages_receive_auth_js_codes_at_the_custom_paths() {
    let app = Harness::start().await;
    let response = app
        .browser
        .get(app.server.url(&format!("{BASE}/signin")))
        .send()
        .await
        .expect("GET /signin");
    assert_eq!(response.status(), StatusCode::FOUND);
    let landing = location(response.headers());
    assert!(
        landing.starts_with(&app.server.url("/auth/signin")),
        "{landing}"
    );

    let (_, landing) = app.sign_in("eve@elsewhere.example", "eve-password-1").await;
    assert_eq!(landing, app.server.url("/auth/error?error=AccessDenied"));

    let (_, landing) = app.sign_in("vic@acme.example", "wrong-password").await;
    assert!(
        landing.starts_with(&app.server.url("/auth/signin?")),
        "{landing}"
    );
    assert!(landing.contains("error=CredentialsSignin"), "{landing}");
}
