//! [`Auth`]: the runtime configuration of one auth schema, built and checked at start-up.
//!
//! Everything a request needs is prepared here once: the session keys are derived when the
//! configuration is built, so a request only looks them up; the cookie names follow the public
//! URL's scheme; the redirect allowlist is parsed. A mistake (no secret, a weak one, a bad URL,
//! two providers with one id) is an error from [`AuthBuilder::build`], before the server binds,
//! never at the first request.

use std::collections::HashMap;
use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;

use poem::Request;

use crate::bearer::{BEARER_KEYS_VARIABLE, BearerKeys, BearerVerifier};
use crate::client_addr::client_ip;
use crate::clock::{Clock, SystemClock};
use crate::cookies::CookieNames;
use crate::error::AuthError;
use crate::keys::Keyring;
use crate::oauth::{
    CheckCodecs, MemoryRefreshFlights, OAuthProvider, OidcClientCredentials, OidcProviders,
    RefreshFlights, SharedRefreshFlights, discover_providers,
};
use crate::origin::Origin;
use crate::rate_limit::{MemoryLimiter, SignInLimiter};
use crate::redirect::RedirectPolicy;
use crate::revocation::{Revocation, RevocationCheck, Standing};
use crate::schema::{
    AuthSchema, BearerSettings, ProviderInfo, ProviderKind, RequestContext, check_bearer_settings,
    check_schema,
};
use crate::sealed::{SEALED_SALT, Sealer};
use crate::secret::{SECRET_VARIABLE, Secrets};
use crate::store::{MemoryRevocations, REDIS_URL_VARIABLE, Revocations, SharedStore, UpdateLog};
use crate::superseded::UpdatedTokens;
use crate::token::TokenCodec;

/// The environment variable holding the public URL of the site.
pub const URL_VARIABLE: &str = "AUTH_URL";

/// The public URL assumed when none is configured: plain http on the loopback interface, so
/// that an unconfigured server is only usable locally (cookies without `Secure`, redirects
/// to `127.0.0.1`). Set `AUTH_URL` (or [`AuthBuilder::public_url`]) in every deployment.
pub const DEFAULT_PUBLIC_URL: &str = "http://127.0.0.1:3000";

/// The runtime configuration of the auth schema `C`: keys, cookie names, origin and the
/// application state. Cheap to clone (one `Arc`).
///
/// ```
/// # use auth_runtime::prelude::*;
/// # use auth_runtime::{Auth, Secrets};
/// # use poem::{EndpointExt, Route, get, handler, web::Json};
/// # #[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
/// # enum Role { Admin, Viewer }
/// # struct User { role: Role }
/// # impl AuthUser for User { fn subject(&self) -> String { "user-1".into() } }
/// # #[auth_config(user = User)]
/// # struct AppAuth { #[claim(from_user)] role: Role }
/// # #[handler] async fn admin() -> &'static str { "admin area" }
/// # fn main() -> Result<(), auth_runtime::AuthError> {
/// # let state = ();
/// let auth = Auth::<AppAuth>::builder(state)
///     .secrets(Secrets::new(["a-long-random-secret-of-at-least-32-bytes"])?)
///     .build()?; // or Auth::from_env(state)? with AUTH_SECRET and AUTH_URL
/// let app = auth
///     .mount(Route::new()) // the auth routes, under AppAuth::BASE_PATH
///     .at("/admin", get(admin).with(AppAuth::require_role(Role::Admin)))
///     .with(auth.middleware());
/// # let _ = app;
/// # Ok(())
/// # }
/// ```
pub struct Auth<C: AuthSchema> {
    inner: Arc<AuthInner<C>>,
}

struct AuthInner<C: AuthSchema> {
    keyring: Keyring,
    codec: TokenCodec,
    names: &'static CookieNames,
    redirects: RedirectPolicy,
    limiter: Option<Arc<dyn SignInLimiter>>,
    trusted_proxies: Vec<IpAddr>,
    updated_tokens: UpdatedTokens<C::Token>,
    /// The shared update-race record, with a shared store.
    update_log: Option<Arc<dyn UpdateLog>>,
    /// Seals what goes into the shared store.
    sealer: Sealer,
    /// The revocation check, when revocation is on.
    revocation: Option<RevocationCheck>,
    /// The shared store's description, for `Debug`.
    shared_store: Option<String>,
    checks: CheckCodecs,
    oidc: OidcProviders,
    /// Whether a configured provider refreshes its access tokens.
    refreshes: bool,
    refresh_flights: Arc<dyn RefreshFlights>,
    /// The bearer token verifier (and signer's keys), when the schema declares bearer tokens.
    bearer: Option<BearerVerifier>,
    state: C::State,
}

impl<C: AuthSchema> Clone for Auth<C> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
        }
    }
}

/// Secrets, keys and the state are not printed.
impl<C: AuthSchema> fmt::Debug for Auth<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Auth")
            .field("base_path", &C::BASE_PATH)
            .field("origin", self.origin())
            .field("session_cookie", &self.inner.names.session)
            .field("secrets", self.inner.keyring.secrets())
            .field("redirect_origins", &self.inner.redirects.allowed())
            .field("sign_in_limited", &self.inner.limiter.is_some())
            .field("trusted_proxies", &self.inner.trusted_proxies)
            .field("bearer", &self.inner.bearer)
            .field("shared_store", &self.inner.shared_store)
            .field("revocation", &self.inner.revocation)
            .finish_non_exhaustive()
    }
}

impl<C: AuthSchema> Auth<C> {
    /// Starts a configuration carrying the application `state`.
    pub fn builder(state: C::State) -> AuthBuilder<C> {
        AuthBuilder {
            state,
            secrets: None,
            public_url: None,
            clock: None,
            redirect_origins: Vec::new(),
            limiter: None,
            trusted_proxies: Vec::new(),
            allow_insecure_http: false,
            oidc_clients: HashMap::new(),
            refresh_flights: None,
            bearer_keys: None,
            shared_store: None,
            revocation: None,
        }
    }

    /// A configuration from the environment: `AUTH_SECRET` (and `AUTH_SECRET_1` …
    /// `AUTH_SECRET_3` for rotation), `AUTH_URL`, the public URL of the site, and, when the
    /// schema declares bearer tokens, `AUTH_BEARER_KEYS`. Without
    /// `AUTH_URL`, [`DEFAULT_PUBLIC_URL`] (`http://127.0.0.1:3000`) is used and a warning is
    /// logged; the request's `Host` header is never trusted instead.
    pub fn from_env(state: C::State) -> Result<Self, AuthError> {
        let builder = Self::builder(state).secrets(Secrets::from_env()?);
        match std::env::var(URL_VARIABLE) {
            Ok(url) => builder.public_url(&url).build(),
            Err(std::env::VarError::NotPresent) => builder.build(),
            Err(std::env::VarError::NotUnicode(_)) => Err(AuthError::NotUnicode {
                variable: URL_VARIABLE,
            }),
        }
    }

    /// The application state given to every callback.
    pub fn state(&self) -> &C::State {
        &self.inner.state
    }

    /// The session token codec (keys derived for the session cookie's name, the clock).
    pub fn codec(&self) -> &TokenCodec {
        &self.inner.codec
    }

    /// The cookie names: `authjs.*` for an http public URL, `__Secure-`/`__Host-` for https.
    pub fn names(&self) -> &'static CookieNames {
        self.inner.names
    }

    /// The site's origin, from the public URL.
    pub fn origin(&self) -> &Origin {
        self.inner.redirects.origin()
    }

    /// The secrets and their derived keys.
    pub fn keyring(&self) -> &Keyring {
        &self.inner.keyring
    }

    /// The secrets (for CSRF hashes).
    pub fn secrets(&self) -> &Secrets {
        self.inner.keyring.secrets()
    }

    /// Where redirects may lead: the origin and the allowlisted origins.
    pub fn redirect_policy(&self) -> &RedirectPolicy {
        &self.inner.redirects
    }

    /// The absolute URL of the auth route `path` (`/signin`), e.g.
    /// `https://app.example/api/auth/signin`.
    pub fn url_of(&self, path: &str) -> String {
        format!("{}{}{path}", self.origin().as_str(), C::BASE_PATH)
    }

    /// Where failed sign-in attempts are counted: the limiter set with
    /// [`AuthBuilder::sign_in_limiter`], else a [`MemoryLimiter`] for the schema's
    /// [`SIGN_IN_RATE_LIMIT`](AuthSchema::SIGN_IN_RATE_LIMIT); `None` when sign-in is not
    /// rate limited.
    pub fn sign_in_limiter(&self) -> Option<&dyn SignInLimiter> {
        self.inner.limiter.as_deref()
    }

    /// The proxies whose `X-Forwarded-For` is believed (canonical addresses).
    pub fn trusted_proxies(&self) -> &[IpAddr] {
        &self.inner.trusted_proxies
    }

    /// The address of the client that sent `req`, as the sign-in rate limit keys it: the
    /// socket peer, or, when the peer is a trusted proxy, the right-most `X-Forwarded-For`
    /// hop that is not a trusted proxy. Forwarding headers from any other peer are ignored.
    /// `None` when the peer is not an IP socket.
    pub fn client_ip(&self, req: &Request) -> Option<IpAddr> {
        client_ip(req, &self.inner.trusted_proxies)
    }

    /// The context an [`AuthEvent`](crate::AuthEvent) reports for `req`: the client's address
    /// ([`client_ip`](Self::client_ip)) and its user agent.
    pub fn request_context(&self, req: &Request) -> RequestContext {
        let user_agent = req
            .headers()
            .get(poem::http::header::USER_AGENT)
            .and_then(|value| value.to_str().ok());
        RequestContext::new(self.client_ip(req), user_agent)
    }

    /// The tokens recent updates issued, so that a session read that started before an update
    /// cannot write the old claims back.
    pub(crate) fn updated_tokens(&self) -> &UpdatedTokens<C::Token> {
        &self.inner.updated_tokens
    }

    /// The shared update-race record, when a shared store is configured: then it, not this
    /// process's record, is the one to read.
    pub(crate) fn update_log(&self) -> Option<&dyn UpdateLog> {
        self.inner.update_log.as_deref()
    }

    /// Seals what goes into the shared store.
    pub(crate) fn sealer(&self) -> &Sealer {
        &self.inner.sealer
    }

    /// The revocation check, when revocation is on ([`AuthBuilder::revocation`]).
    pub(crate) fn revocation(&self) -> Option<&RevocationCheck> {
        self.inner.revocation.as_ref()
    }

    /// Whether the session of `token` still stands: always, with revocation off; else as the
    /// revocation store (through its cache) and the failure policy say.
    pub(crate) async fn standing(&self, token: &C::Token) -> Standing {
        use crate::schema::TokenClaims as _;
        match &self.inner.revocation {
            None => Standing::Stands,
            Some(check) => {
                check
                    .judge(
                        token.subject(),
                        token.session_id(),
                        token.session_generation(),
                    )
                    .await
            }
        }
    }

    /// Whether a configured provider refreshes its access tokens (`refresh`): when not, a
    /// request never looks for provider tokens.
    pub(crate) fn refreshes(&self) -> bool {
        self.inner.refreshes
    }

    /// Where refreshes in flight and just finished are recorded
    /// ([`AuthBuilder::refresh_flights`]).
    pub(crate) fn refresh_flights(&self) -> &dyn RefreshFlights {
        &*self.inner.refresh_flights
    }

    /// The bearer token verifier, when the schema declares bearer tokens
    /// (`tokens(bearer(...))`): its keys sign (the first) and verify (all), for this issuer
    /// (the public URL and the base path) and the declared audience.
    pub fn bearer(&self) -> Option<&BearerVerifier> {
        self.inner.bearer.as_ref()
    }

    /// The codecs of the OAuth check cookies.
    pub(crate) fn checks(&self) -> &CheckCodecs {
        &self.inner.checks
    }

    /// The OAuth provider `id` of either kind (OpenID Connect or plain OAuth 2), when it is
    /// configured.
    pub(crate) fn oauth_provider(&self, id: &str) -> Option<&OAuthProvider> {
        self.inner.oidc.get_any(id)
    }

    /// The schema's providers that are present: every credentials provider, and the OpenID
    /// Connect providers whose client id and secret were given. `/providers`, the sign-in
    /// page and the routes know only these.
    pub fn providers(&self) -> impl Iterator<Item = &'static ProviderInfo> + '_ {
        C::PROVIDERS
            .iter()
            .filter(|provider| self.is_present(provider))
    }

    /// The present provider `id` ([`providers`](Self::providers)).
    pub fn provider(&self, id: &str) -> Option<&'static ProviderInfo> {
        self.providers().find(|provider| provider.id == id)
    }

    fn is_present(&self, provider: &ProviderInfo) -> bool {
        match provider.kind {
            ProviderKind::Credentials => true,
            ProviderKind::Oidc | ProviderKind::OAuth => {
                self.inner.oidc.get_any(provider.id).is_some()
            }
        }
    }
}

/// Builds an [`Auth`]; every setting is checked in [`AuthBuilder::build`].
pub struct AuthBuilder<C: AuthSchema> {
    state: C::State,
    secrets: Option<Secrets>,
    public_url: Option<String>,
    clock: Option<Arc<dyn Clock>>,
    redirect_origins: Vec<String>,
    limiter: Option<Arc<dyn SignInLimiter>>,
    trusted_proxies: Vec<IpAddr>,
    allow_insecure_http: bool,
    oidc_clients: HashMap<String, OidcClientCredentials>,
    refresh_flights: Option<Arc<dyn RefreshFlights>>,
    bearer_keys: Option<BearerKeys>,
    shared_store: Option<Arc<dyn SharedStore>>,
    revocation: Option<Revocation>,
}

/// The state and secrets are not printed.
impl<C: AuthSchema> fmt::Debug for AuthBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthBuilder")
            .field("secrets", &self.secrets)
            .field("public_url", &self.public_url)
            .field("redirect_origins", &self.redirect_origins)
            .field("sign_in_limiter", &self.limiter.is_some())
            .field("trusted_proxies", &self.trusted_proxies)
            .field("oidc_clients", &self.oidc_clients)
            .field("bearer_keys", &self.bearer_keys)
            .field(
                "shared_store",
                &self.shared_store.as_ref().map(|store| store.describe()),
            )
            .field("revocation", &self.revocation)
            .finish_non_exhaustive()
    }
}

impl<C: AuthSchema> AuthBuilder<C> {
    /// The client id and secret (and, optionally, the issuer) of the OAuth or OpenID Connect
    /// provider `id`, instead of its `AUTH_<ID>_ID`, `AUTH_<ID>_SECRET` and
    /// `AUTH_<ID>_ISSUER` variables: for tests, or secrets from a vault.
    #[must_use]
    pub fn oidc_client(mut self, id: &str, credentials: OidcClientCredentials) -> Self {
        self.oidc_clients.insert(id.to_owned(), credentials);
        self
    }

    /// Checks every setting as [`build`](Self::build) does, then discovers every present
    /// OpenID Connect provider (its `/.well-known/openid-configuration` and key set) and
    /// checks every present plain OAuth 2 provider's endpoints. A
    /// provider is present when its client id is given ([`oidc_client`](Self::oidc_client)
    /// or `AUTH_<ID>_ID`); a missing secret or issuer, a required provider without its
    /// variables, or a failed discovery is an error here, never at the first request.
    ///
    /// With no [`shared_store`](Self::shared_store) given and `AUTH_REDIS_URL` set, it also
    /// connects to that Redis (auth-runtime's `redis` feature), and every shared record goes
    /// there; an unreachable Redis is an error here.
    pub async fn build_async(mut self) -> Result<Auth<C>, AuthError> {
        if self.shared_store.is_none() {
            self.shared_store = shared_store_from_env().await?;
        }
        let clients = std::mem::take(&mut self.oidc_clients);
        let mut auth = self.build_without_discovery()?;
        let oidc = discover_providers(
            C::OIDC_PROVIDERS,
            C::OAUTH_PROVIDERS,
            &clients,
            true,
            |id| auth.url_of(&format!("/callback/{id}")),
        )
        .await?;
        if let Some(inner) = Arc::get_mut(&mut auth.inner) {
            inner.refreshes = C::OIDC_PROVIDERS
                .iter()
                .map(|settings| (settings.id, settings.refresh))
                .chain(
                    C::OAUTH_PROVIDERS
                        .iter()
                        .map(|settings| (settings.id, settings.refresh)),
                )
                .any(|(id, refresh)| refresh && oidc.get_any(id).is_some());
            inner.oidc = oidc;
        }
        Ok(auth)
    }

    /// Where refreshes of provider access tokens are recorded, replacing the default
    /// [`MemoryRefreshFlights`]: requests carrying the same expiring token share one
    /// refresh-token grant, and one arriving just after gets its outcome. Give a record over a
    /// shared store when several processes serve the same users.
    #[must_use]
    pub fn refresh_flights(mut self, flights: impl RefreshFlights) -> Self {
        self.refresh_flights = Some(Arc::new(flights));
        self
    }

    /// The store every instance of the app shares: the sign-in rate limit, the update-race
    /// record, provider refreshes and revocations all go there instead of this process's
    /// memory (a limiter or refresh record given explicitly is kept). Without it (and without
    /// `AUTH_REDIS_URL` for [`build_async`](Self::build_async)) each process keeps its own.
    #[must_use]
    pub fn shared_store(mut self, store: impl SharedStore) -> Self {
        self.shared_store = Some(Arc::new(store));
        self
    }

    /// Turns revocation on: every session gets a session id and generation at sign-in, every
    /// read checks them against the revocation store (the shared store's, else this
    /// process's), and [`Auth::revoke_session`], [`Auth::sign_out_everywhere`] and
    /// `POST /signout/others` work. Off by default: the stateless path then asks no store.
    #[must_use]
    pub fn revocation(mut self, settings: Revocation) -> Self {
        self.revocation = Some(settings);
        self
    }

    /// The keys of bearer tokens (`tokens(bearer(...))`), instead of `AUTH_BEARER_KEYS`: the
    /// first signs (a private key or secret of the declared algorithm), every one verifies.
    #[must_use]
    pub fn bearer_keys(mut self, keys: BearerKeys) -> Self {
        self.bearer_keys = Some(keys);
        self
    }

    /// The secrets, newest first (required).
    #[must_use]
    pub fn secrets(mut self, secrets: Secrets) -> Self {
        self.secrets = Some(secrets);
        self
    }

    /// The public URL of the site (`AUTH_URL`), e.g. `https://app.example`. Its origin is where
    /// redirects lead; an `https` URL selects the `__Secure-`/`__Host-` cookie names and the
    /// `Secure` attribute. A path is allowed only if it is `/` or the base path.
    /// Default: [`DEFAULT_PUBLIC_URL`].
    #[must_use]
    pub fn public_url(mut self, url: &str) -> Self {
        self.public_url = Some(url.to_owned());
        self
    }

    /// The clock for token times (a `FixedClock` in tests).
    #[must_use]
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// Other origins (`https://docs.example`) that callback URLs may lead to, besides the
    /// site's own. Only exact origins: scheme, host and port must all match.
    #[must_use]
    pub fn redirect_origins<I, S>(mut self, origins: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.redirect_origins
            .extend(origins.into_iter().map(|origin| origin.as_ref().to_owned()));
        self
    }

    /// Where failed sign-in attempts are counted, replacing the default: a [`MemoryLimiter`]
    /// for the schema's [`SIGN_IN_RATE_LIMIT`](AuthSchema::SIGN_IN_RATE_LIMIT), or no limiting
    /// when the schema sets none. Give a limiter over a shared store when several processes
    /// serve the same users.
    #[must_use]
    pub fn sign_in_limiter(mut self, limiter: impl SignInLimiter) -> Self {
        self.limiter = Some(Arc::new(limiter));
        self
    }

    /// The reverse proxies in front of the server. When a request's peer is one of them, the
    /// client is the right-most `X-Forwarded-For` hop that is not; from any other peer,
    /// `X-Forwarded-For`, `X-Real-IP` and `Forwarded` are ignored. Default: none, so the
    /// socket peer is always the client.
    #[must_use]
    pub fn trusted_proxies(mut self, proxies: impl IntoIterator<Item = IpAddr>) -> Self {
        self.trusted_proxies
            .extend(proxies.into_iter().map(|proxy| proxy.to_canonical()));
        self
    }

    /// Allows a plain `http://` public URL on a host other than loopback, for a closed test
    /// network. Without it such a URL is a start-up error: session cookies would cross the
    /// network unencrypted and without `Secure`.
    #[must_use]
    pub fn allow_insecure_http(mut self) -> Self {
        self.allow_insecure_http = true;
        self
    }

    /// Checks every setting, derives the session keys and returns the configuration. An
    /// OAuth provider that is configured needs discovery (or its endpoints checked): then
    /// this is [`AuthError::DiscoveryNeeded`], and [`build_async`](Self::build_async) is the
    /// way.
    pub fn build(self) -> Result<Auth<C>, AuthError> {
        if self.shared_store.is_none() && std::env::var_os(REDIS_URL_VARIABLE).is_some() {
            return Err(AuthError::SharedStoreNotAvailable {
                variable: REDIS_URL_VARIABLE,
                reason: "`build` cannot connect to it: build with `build_async`",
            });
        }
        for settings in C::OIDC_PROVIDERS {
            if crate::oauth::credentials_for(settings, &self.oidc_clients, true)?.is_some() {
                return Err(AuthError::DiscoveryNeeded {
                    provider: settings.id.to_owned(),
                });
            }
        }
        for settings in C::OAUTH_PROVIDERS {
            if crate::oauth::credentials_for(settings, &self.oidc_clients, true)?.is_some() {
                return Err(AuthError::DiscoveryNeeded {
                    provider: settings.id.to_owned(),
                });
            }
        }
        self.build_without_discovery()
    }

    fn build_without_discovery(self) -> Result<Auth<C>, AuthError> {
        check_schema::<C>()?;
        let secrets = self.secrets.ok_or(AuthError::MissingSecret {
            variable: SECRET_VARIABLE,
        })?;
        let public_url = match &self.public_url {
            Some(url) => url.as_str(),
            None => {
                tracing::warn!(
                    default = DEFAULT_PUBLIC_URL,
                    "no public URL configured (AUTH_URL); assuming the loopback default"
                );
                DEFAULT_PUBLIC_URL
            }
        };
        let (origin, path) = Origin::parse_with_path(public_url)?;
        if !origin.is_https() && !origin.is_loopback() && !self.allow_insecure_http {
            return Err(AuthError::InsecurePublicUrl {
                url: public_url.to_owned(),
            });
        }
        let path = path.strip_suffix('/').unwrap_or(path);
        if !path.is_empty() && path != C::BASE_PATH {
            return Err(AuthError::PublicUrlPath {
                url: public_url.to_owned(),
                base_path: C::BASE_PATH.to_owned(),
            });
        }
        let allowed = self
            .redirect_origins
            .iter()
            .map(|url| Origin::parse(url))
            .collect::<Result<Vec<_>, _>>()?;

        let redirects = RedirectPolicy::new(origin, allowed);
        let shared = self.shared_store;
        let limiter = self.limiter.or_else(|| {
            C::SIGN_IN_RATE_LIMIT.map(|limit| match &shared {
                Some(store) => store.limiter(limit),
                None => Arc::new(MemoryLimiter::new(limit)) as Arc<dyn SignInLimiter>,
            })
        });
        let revocation = match self.revocation {
            None => None,
            Some(_) if !<C::Token as crate::schema::TokenClaims>::SESSION_IDS => {
                return Err(AuthError::RevocationUnsupported);
            }
            Some(settings) => {
                let store: Arc<dyn Revocations> = match &shared {
                    Some(store) => store.revocations(),
                    None => Arc::new(MemoryRevocations::new()),
                };
                Some(RevocationCheck::new(settings, store))
            }
        };

        let names = CookieNames::for_https(redirects.origin().is_https());
        let keyring = Keyring::new(secrets);
        let clock: Arc<dyn Clock> = self.clock.unwrap_or_else(|| Arc::new(SystemClock));
        let bearer = match C::BEARER {
            Some(settings) => Some(
                bearer_verifier::<C>(&settings, self.bearer_keys, redirects.origin())?
                    .with_shared_clock(Arc::clone(&clock)),
            ),
            None => {
                if self.bearer_keys.is_some() {
                    tracing::warn!(
                        "bearer keys given, but the schema declares no `tokens(bearer(...))`; \
                         they are not used"
                    );
                }
                None
            }
        };
        let sealer = Sealer::new(
            TokenCodec::new(keyring.keys_for(SEALED_SALT))
                .with_clock(SharedClock(Arc::clone(&clock))),
        );
        let codec = TokenCodec::new(keyring.keys_for(names.session)).with_clock(SharedClock(clock));
        let checks = CheckCodecs::new(&keyring, names, &codec);
        let refresh_flights = match (self.refresh_flights, &shared) {
            (Some(flights), _) => flights,
            (None, Some(store)) => {
                Arc::new(SharedRefreshFlights::new(store.leases(), sealer.clone()))
                    as Arc<dyn RefreshFlights>
            }
            (None, None) => Arc::new(MemoryRefreshFlights::new()),
        };
        Ok(Auth {
            inner: Arc::new(AuthInner {
                keyring,
                codec,
                names,
                redirects,
                limiter,
                trusted_proxies: self.trusted_proxies,
                updated_tokens: UpdatedTokens::new(),
                update_log: shared.as_ref().map(|store| store.updates()),
                sealer,
                revocation,
                shared_store: shared.as_ref().map(|store| store.describe()),
                checks,
                oidc: OidcProviders::default(),
                refreshes: false,
                refresh_flights,
                bearer,
                state: self.state,
            }),
        })
    }
}

/// The verifier of the declared bearer tokens: the settings checked, the keys given (else
/// `AUTH_BEARER_KEYS`), the first of them a signing key of the declared algorithm, the issuer
/// the public URL's origin and the base path.
fn bearer_verifier<C: AuthSchema>(
    settings: &BearerSettings,
    given: Option<BearerKeys>,
    origin: &Origin,
) -> Result<BearerVerifier, AuthError> {
    check_bearer_settings(settings)?;
    let keys = match given {
        Some(keys) => keys,
        None => BearerKeys::from_env()?.ok_or(AuthError::MissingBearerKeys {
            variable: BEARER_KEYS_VARIABLE,
        })?,
    };
    let first = keys.first();
    if first.algorithm() != settings.algorithm || !first.can_sign() {
        return Err(AuthError::BearerSigningKey {
            reason: "the first bearer key signs: it must be a private key (or, for HS256, a \
                     secret) of the declared `alg`",
        });
    }
    let issuer = format!("{}{}", origin.as_str(), C::BASE_PATH);
    Ok(BearerVerifier::new(keys, &issuer, settings.audience))
}

/// The shared store `AUTH_REDIS_URL` names, connected; `None` when it is not set.
#[cfg(feature = "redis")]
async fn shared_store_from_env() -> Result<Option<Arc<dyn SharedStore>>, AuthError> {
    Ok(crate::store::RedisStore::from_env()
        .await?
        .map(|store| Arc::new(store) as Arc<dyn SharedStore>))
}

/// Without the `redis` feature, `AUTH_REDIS_URL` set is a start-up error.
#[cfg(not(feature = "redis"))]
#[expect(
    clippy::unused_async,
    reason = "the same signature as with the `redis` feature"
)]
async fn shared_store_from_env() -> Result<Option<Arc<dyn SharedStore>>, AuthError> {
    if std::env::var_os(REDIS_URL_VARIABLE).is_some() {
        return Err(AuthError::SharedStoreNotAvailable {
            variable: REDIS_URL_VARIABLE,
            reason: "this build has no Redis client: enable auth-runtime's `redis` feature",
        });
    }
    Ok(None)
}

/// A clock shared between the builder and the codec.
struct SharedClock(Arc<dyn Clock>);

impl Clock for SharedClock {
    fn now(&self) -> i64 {
        self.0.now()
    }
}
