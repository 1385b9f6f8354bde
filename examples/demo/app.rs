//! The demo application: its auth configuration, users, policies and routes.
//!
//! Kept apart from `main.rs` (which reads the environment and binds a port) so that the
//! black-box tests serve exactly this application on a loopback port of their own.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use auth_runtime::PasswordHash;
use auth_runtime::normalize_identifier;
use auth_runtime::prelude::*;
use auth_runtime::{Auth, AuthError, BearerKey, BearerKeys};
use poem::http::StatusCode;
use poem::web::{Html, Json};
use poem::{Endpoint, EndpointExt, Route, get, handler};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A user's stable id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub(crate) struct UserId(pub(crate) String);

/// A tenant (an organisation whose posts a user sees).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub(crate) struct TenantId(pub(crate) String);

/// What a user is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Role {
    /// Everything.
    Admin,
    /// Reads and writes posts.
    Editor,
    /// Reads posts.
    Viewer,
}

/// What a user may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Permission {
    /// Read posts.
    Read,
    /// Write posts.
    Write,
    /// Delete posts.
    Delete,
    /// Administer the site.
    Admin,
}

impl Role {
    /// The permissions a role grants, derived into every token.
    pub(crate) fn permissions(&self) -> Vec<Permission> {
        use Permission::{Admin, Delete, Read, Write};
        match self {
            Role::Admin => vec![Read, Write, Delete, Admin],
            Role::Editor => vec![Read, Write],
            Role::Viewer => vec![Read],
        }
    }
}

/// A user as the credentials provider produces it at sign-in.
pub(crate) struct User {
    /// The stable id.
    pub(crate) id: UserId,
    /// The display name.
    pub(crate) name: String,
    /// The email address.
    pub(crate) email: String,
    /// The role.
    pub(crate) role: Role,
    /// The default tenant: the first the user belongs to.
    pub(crate) tenant_id: Option<TenantId>,
}

impl AuthUser for User {
    fn subject(&self) -> String {
        self.id.0.clone()
    }
    fn name(&self) -> Option<String> {
        Some(self.name.clone())
    }
    fn email(&self) -> Option<String> {
        // An OpenID Connect user whose provider did not verify an email has none.
        (!self.email.is_empty()).then(|| self.email.clone())
    }
}

/// A stored user: who they are, their password hash and their tenants.
pub(crate) struct UserRecord {
    id: UserId,
    name: String,
    email: String,
    role: Role,
    tenants: Vec<TenantId>,
    password: PasswordHash,
}

/// A post, visible to the members of its tenant.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Post {
    /// The title.
    pub(crate) title: String,
    /// The text.
    pub(crate) body: String,
    /// Who wrote it (`sub`).
    pub(crate) author: String,
}

/// The application state every callback and handler sees.
#[derive(Clone)]
pub(crate) struct AppState {
    users: Arc<Vec<UserRecord>>,
    posts: Arc<Mutex<HashMap<TenantId, VecDeque<Post>>>>,
}

impl AppState {
    /// The demo's users, with argon2id hashes of their passwords computed now.
    pub(crate) fn with_demo_users() -> Result<Self, AuthError> {
        let user = |id: &str, name: &str, email: &str, password: &str, role, tenants: &[&str]| {
            Ok::<_, AuthError>(UserRecord {
                id: UserId(id.into()),
                name: name.into(),
                email: email.into(),
                role,
                tenants: tenants.iter().map(|t| TenantId((*t).into())).collect(),
                password: PasswordHash::of_blocking(&Password::new(password))?,
            })
        };
        let users = vec![
            user(
                "u-admin",
                "Ada Admin",
                "admin@example.com",
                "correct-horse-admin",
                Role::Admin,
                &["acme", "globex"],
            )?,
            user(
                "u-viewer",
                "Vic Viewer",
                "viewer@example.com",
                "correct-horse-viewer",
                Role::Viewer,
                &["acme"],
            )?,
            user(
                "u-eve",
                "Eve Outsider",
                "eve@outside.test",
                "correct-horse-eve",
                Role::Viewer,
                &["acme"],
            )?,
        ];
        Ok(Self {
            users: Arc::new(users),
            posts: Arc::default(),
        })
    }

    fn user_by_email(&self, email: &str) -> Option<&UserRecord> {
        let email = normalize_identifier(email);
        self.users.iter().find(|user| user.email == email)
    }

    fn user_by_id(&self, id: &str) -> Option<&UserRecord> {
        self.users.iter().find(|user| user.id.0 == id)
    }

    fn posts(&self) -> std::sync::MutexGuard<'_, HashMap<TenantId, VecDeque<Post>>> {
        self.posts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Checks the submitted email and password.
mod users {
    use super::*;

    pub(super) async fn authorize(
        form: &DemoAuthCredentialsForm,
        state: &AppState,
    ) -> Result<Option<User>, CallbackError> {
        let Some(record) = state.user_by_email(&form.email) else {
            // Same cost as a wrong password, so unknown emails cannot be told apart.
            form.password.verify_against_nothing().await;
            return Ok(None);
        };
        if !form.password.verify(&record.password).await {
            return Ok(None);
        }
        Ok(Some(User {
            id: record.id.clone(),
            name: record.name.clone(),
            email: record.email.clone(),
            role: record.role,
            tenant_id: record.tenants.first().cloned(),
        }))
    }

    /// A user signed in with an OAuth provider (the OpenID Connect provider, GitHub, Google):
    /// never linked to a stored user (an email is not proof of owning an account here),
    /// always a viewer of `acme`, identified by the provider and its account id (`sub`,
    /// GitHub's numeric id); the name from the profile (GitHub's falls back to the login);
    /// the email only when the provider verified it (GitHub: the verified primary one).
    pub(super) async fn from_provider(
        profile: &OAuthProfile,
        _state: &AppState,
    ) -> Result<Option<User>, CallbackError> {
        Ok(Some(User {
            id: UserId(format!("{}:{}", profile.provider, profile.sub)),
            name: profile.name.clone().unwrap_or_else(|| profile.sub.clone()),
            email: profile.verified_email().unwrap_or_default().to_owned(),
            role: Role::Viewer,
            tenant_id: Some(TenantId("acme".into())),
        }))
    }
}

/// Who may sign in.
mod policy {
    use super::*;

    /// Only addresses at these domains may sign in with a password.
    const ALLOWED_DOMAINS: [&str; 1] = ["example.com"];

    /// The OAuth providers' users may sign in (as viewers); credentials users only from the
    /// allowed domains.
    pub(super) async fn sign_in(
        user: &User,
        account: &Account,
        _state: &AppState,
    ) -> Result<SignIn, CallbackError> {
        if matches!(account.kind, ProviderKind::Oidc | ProviderKind::OAuth) {
            return Ok(SignIn::Allow);
        }
        let domain = user.email.rsplit_once('@').map(|(_, domain)| domain);
        Ok(match domain {
            Some(domain) if ALLOWED_DOMAINS.contains(&domain) => SignIn::Allow,
            _ => SignIn::Deny,
        })
    }
}

/// Which tenant a user may switch to.
mod tenants {
    use super::*;

    /// Only to a tenant the user belongs to; never to none.
    pub(super) async fn may_switch(
        token: &DemoAuthToken,
        proposed: &Option<TenantId>,
        state: &AppState,
    ) -> Result<bool, CallbackError> {
        let Some(tenant) = proposed else {
            return Ok(false);
        };
        Ok(state
            .user_by_id(&token.sub)
            .is_some_and(|user| user.tenants.contains(tenant)))
    }
}

/// The audit log.
mod audit {
    use super::*;

    pub(super) async fn record(
        event: &AuthEvent<'_, DemoAuth>,
        _state: &AppState,
    ) -> Result<(), CallbackError> {
        match event {
            AuthEvent::SignedIn { token, account, .. } => {
                tracing::info!(target: "audit", event = event.name(), sub = %token.sub, provider = %account.provider);
            }
            AuthEvent::SessionUpdated { token, .. } | AuthEvent::UpdateRefused { token, .. } => {
                tracing::info!(target: "audit", event = event.name(), sub = %token.sub);
            }
            _ => tracing::info!(target: "audit", event = event.name()),
        }
        Ok(())
    }
}

/// The demo's authentication.
#[auth_config(
    base_path = "/api/auth",
    user = User,
    state = AppState,
    session(max_age = "7d", update_age = "1h"),
    callbacks(sign_in = policy::sign_in),
    events = audit::record,
    rate_limit(sign_in = "5 per 15m"),
    tokens(bearer(alg = "EdDSA", ttl = "15m", audience = "demo-api")),
    typescript,
)]
pub(crate) struct DemoAuth {
    #[provider(credentials(authorize = users::authorize, name = "Email and password"))]
    credentials: Credentials,
    /// A generic OpenID Connect provider, present only when `AUTH_OIDC_ID`,
    /// `AUTH_OIDC_SECRET` and `AUTH_OIDC_ISSUER` are set. Its access token is refreshed
    /// before it expires (`refresh`), kept in the encrypted token only: no claim exposes it.
    #[provider(oidc(profile = users::from_provider, refresh))]
    oidc: Oidc,
    /// GitHub, present only when `AUTH_GITHUB_ID` and `AUTH_GITHUB_SECRET` are set.
    #[provider(github(profile = users::from_provider))]
    github: GitHub,
    /// Google, present only when `AUTH_GOOGLE_ID` and `AUTH_GOOGLE_SECRET` are set; asks for
    /// a refresh token (`access_type=offline`) and the consent screen that issues it every
    /// time (`prompt=consent`).
    #[provider(google(
        profile = users::from_provider,
        params(access_type = "offline", prompt = "consent"),
    ))]
    google: Google,

    /// The user's stable id.
    #[claim(from_user)]
    id: UserId,
    /// The user's role.
    #[claim(from_user)]
    role: Role,
    /// Derived from the role: admin → read, write, delete, admin; editor → read, write;
    /// viewer → read.
    #[claim(derive = Role::permissions(role))]
    permissions: Vec<Permission>,
    /// The current tenant, switchable only to one the user belongs to.
    #[claim(from_user, update = tenants::may_switch)]
    tenant_id: Option<TenantId>,
}

/// The keys of the demo's bearer tokens: `AUTH_BEARER_KEYS` when set (PEM blocks or a JWK
/// set, the signing Ed25519 key first), else a throwaway Ed25519 key for this run, whose
/// tokens stop verifying at the next start.
pub(crate) fn bearer_keys() -> Result<BearerKeys, AuthError> {
    if let Some(keys) = BearerKeys::from_env()? {
        return Ok(keys);
    }
    tracing::warn!(
        "AUTH_BEARER_KEYS is not set: bearer tokens are signed with a throwaway key for this run"
    );
    let key = BearerKey::generate_ed25519().map_err(|reason| AuthError::InvalidBearerKey {
        variable: auth_runtime::BEARER_KEYS_VARIABLE,
        index: 0,
        reason,
    })?;
    BearerKeys::new([key])
}

/// The whole application: the auth routes under `/api/auth`, the app's routes, the session
/// middleware around everything.
pub(crate) fn app(auth: &Auth<DemoAuth>) -> impl Endpoint + use<> {
    auth.mount(Route::new())
        .at("/", get(home))
        .at("/api/me", get(me))
        .at(
            "/api/admin",
            get(admin).with(DemoAuth::require_role(Role::Admin)),
        )
        .at(
            "/api/posts",
            get(list_posts.with(DemoAuth::require(Permission::Read)))
                .post(create_post.with(DemoAuth::require(Permission::Write))),
        )
        .at("/api/ping", get(ping))
        .data(auth.state().clone())
        .with(auth.middleware())
}

/// The benchmark's baseline: no auth at all.
#[handler]
fn ping() -> &'static str {
    "pong"
}

/// The session as JSON; 401 when signed out.
#[handler]
fn me(session: Session<DemoAuth>) -> Json<DemoAuthSession> {
    Json(session.into_session())
}

/// Admins only.
#[handler]
fn admin(session: Session<DemoAuth>) -> Json<serde_json::Value> {
    Json(serde_json::json!({ "admin": true, "user": session.user.id }))
}

/// The posts of the current tenant.
#[handler]
fn list_posts(session: Session<DemoAuth>, state: poem::web::Data<&AppState>) -> Json<Vec<Post>> {
    let posts = session
        .user
        .tenant_id
        .as_ref()
        .and_then(|tenant| {
            let posts = state.posts();
            Some(posts.get(tenant)?.iter().cloned().collect())
        })
        .unwrap_or_default();
    Json(posts)
}

/// Posts kept per tenant, in memory: a new post beyond this drops the oldest.
const MAX_POSTS_PER_TENANT: usize = 1_000;

/// A new post.
#[derive(Deserialize)]
struct NewPost {
    title: String,
    body: String,
}

/// Adds a post to the current tenant.
#[handler]
fn create_post(
    session: Session<DemoAuth>,
    state: poem::web::Data<&AppState>,
    Json(new): Json<NewPost>,
) -> poem::Result<(StatusCode, Json<Post>)> {
    let Some(tenant) = session.user.tenant_id.clone() else {
        return Err(poem::Error::from_string(
            "choose a tenant first",
            StatusCode::CONFLICT,
        ));
    };
    if new.title.trim().is_empty() || new.title.len() > 200 || new.body.len() > 10_000 {
        return Err(poem::Error::from_string(
            "a post needs a title (at most 200 bytes) and a body of at most 10,000 bytes",
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    }
    let post = Post {
        title: new.title,
        body: new.body,
        author: session.token().sub.clone(),
    };
    let mut posts = state.posts();
    let kept = posts.entry(tenant).or_default();
    if kept.len() == MAX_POSTS_PER_TENANT {
        kept.pop_front();
    }
    kept.push_back(post.clone());
    Ok((StatusCode::CREATED, Json(post)))
}

/// The home page: who is signed in, their role and tenant, a tenant switcher, and links to
/// sign in and out.
#[handler]
fn home(session: Option<Session<DemoAuth>>, state: poem::web::Data<&AppState>) -> Html<String> {
    let body = match &session {
        None => r#"<p id="status">You are not signed in.</p>
<p><a id="sign-in" href="/api/auth/signin?callbackUrl=%2F">Sign in</a></p>"#
            .to_owned(),
        Some(session) => {
            let user = &session.user;
            let tenant = user.tenant_id.as_ref().map_or("none", |t| t.0.as_str());
            let permissions = user
                .permissions
                .iter()
                .map(|p| format!("{p:?}").to_lowercase())
                .collect::<Vec<_>>()
                .join(", ");
            let tenants = state
                .user_by_id(&session.token().sub)
                .map(|record| record.tenants.clone())
                .unwrap_or_default();
            let buttons = tenants
                .iter()
                .map(|t| {
                    let t = escape(&t.0);
                    format!(
                        r#"<button type="button" class="tenant" data-tenant="{t}">{t}</button>"#
                    )
                })
                .collect::<String>();
            format!(
                r#"<p id="status">Signed in as <b id="name">{name}</b> (<span id="email">{email}</span>)</p>
<dl>
<dt>Role</dt><dd id="role">{role}</dd>
<dt>Permissions</dt><dd id="permissions">{permissions}</dd>
<dt>Tenant</dt><dd id="tenant">{tenant}</dd>
</dl>
<p>Switch tenant: {buttons}</p>
<p id="switch-result"></p>
<p><a id="sign-out" href="/api/auth/signout?callbackUrl=%2F">Sign out</a></p>"#,
                name = escape(user.name.as_deref().unwrap_or("")),
                email = escape(user.email.as_deref().unwrap_or("")),
                role = format!("{:?}", user.role).to_lowercase(),
                permissions = escape(&permissions),
                tenant = escape(tenant),
            )
        }
    };
    Html(format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>auth-runtime demo</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}}
dt{{font-weight:600}}button{{margin-right:.5rem}}</style></head>
<body><h1>auth-runtime demo</h1>
{body}
<script>
// The tenant switcher: the next-auth client's update(), done by hand.
for (const button of document.querySelectorAll("button.tenant")) {{
  button.addEventListener("click", async () => {{
    const {{ csrfToken }} = await (await fetch("/api/auth/csrf")).json();
    const response = await fetch("/api/auth/session", {{
      method: "POST",
      headers: {{ "Content-Type": "application/json" }},
      body: JSON.stringify({{ csrfToken, data: {{ tenantId: button.dataset.tenant }} }}),
    }});
    if (response.ok) location.reload();
    else document.getElementById("switch-result").textContent = "Switch refused (" + response.status + ")";
  }});
}}
</script>
</body></html>"#
    ))
}

/// Escapes text for HTML.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
