//! The contract between `#[auth_config]` and the runtime.
//!
//! The macro turns one annotated struct into an implementation of [`AuthSchema`]: the typed
//! token, session and update types, and the user's callbacks called with exactly those types.
//! Everything else (routes, middleware, extractors, guards) is generic over this trait, so the
//! generated code stays small and the behaviour is tested once, here.

use std::collections::HashMap;
use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::time::Duration;

use serde::Serialize;

use crate::rate_limit::RateLimit;
use serde::de::DeserializeOwned;

/// What `#[auth_config]` generates for a config struct. Implemented by the macro, not by hand.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an auth configuration",
    note = "annotate the config struct with `#[auth_config(...)]` to implement `AuthSchema`"
)]
pub trait AuthSchema: Sized + Send + Sync + 'static {
    /// The application state every callback receives (`state = …`; `()` when not given).
    type State: Clone + Send + Sync + 'static;
    /// What providers produce at sign-in (`user = …`).
    type User: Send + Sync + 'static;
    /// The JWT claims (`<Name>Token`).
    type Token: TokenClaims;
    /// What `GET /session` returns and handlers receive (`<Name>Session`).
    type Session: Serialize + Send + Sync + 'static;
    /// The only fields a client's `update()` may send (`<Name>Update`).
    type Update: DeserializeOwned + Send + Sync + 'static;

    /// Where the auth routes are served, e.g. `/api/auth`.
    const BASE_PATH: &'static str;
    /// How long a session lasts from its last re-issue (sliding expiry).
    const MAX_AGE: Duration;
    /// How old a token must be before `GET /session` re-issues it (`session(update_age =
    /// …)`). Zero, the default, re-issues on every read, as Auth.js does. Whatever this says,
    /// a read re-issues a token that is under an older secret, that a newer one replaced (an
    /// update racing it), or that a `jwt` callback may change.
    const UPDATE_AGE: Duration = Duration::ZERO;
    /// Whether a `jwt` callback is configured (`callbacks(jwt = …)`). It runs on every read
    /// and may change the token, so a read then always re-issues it.
    const JWT_CALLBACK: bool = true;
    /// The configured providers, in declaration order.
    const PROVIDERS: &'static [ProviderInfo];
    /// Custom pages (`pages(...)`) replacing the built-in sign-in, sign-out and error pages.
    const PAGES: Pages = Pages::BUILT_IN;
    /// The sign-in rate limit (`rate_limit(sign_in = "5 per 15m")`), if any.
    const SIGN_IN_RATE_LIMIT: Option<RateLimit> = None;

    /// Runs the credentials provider `provider`'s `authorize` on the submitted form.
    /// `Ok(None)` means the credentials are wrong (`CredentialsSignin`).
    fn authorize<'a>(
        provider: &'a str,
        form: &'a FormFields,
        state: &'a Self::State,
    ) -> impl Future<Output = Result<Option<Self::User>, CallbackError>> + Send + 'a;

    /// The `sign_in` callback: may the user sign in?
    fn sign_in<'a>(
        user: &'a Self::User,
        account: &'a Account,
        state: &'a Self::State,
    ) -> impl Future<Output = Result<SignIn, CallbackError>> + Send + 'a;

    /// The token for a user who just signed in: the standard claims, every `from_user` claim
    /// copied from the user, every `derive` claim computed.
    fn new_token(user: &Self::User, account: &Account) -> Self::Token;

    /// The `jwt` callback, run at sign-in, after an accepted update and on every refresh.
    fn jwt<'a>(
        token: &'a mut Self::Token,
        trigger: JwtTrigger<'a, Self>,
        state: &'a Self::State,
    ) -> impl Future<Output = Result<TokenAction, CallbackError>> + Send + 'a;

    /// The session JSON for `token`, written straight from it, when no `session` callback
    /// could change it: what serialising [`AuthSchema::session`]'s answer gives, without
    /// building it. `None` when a callback is configured, or the token does not serialise
    /// (the caller then takes the general way, which reports the error).
    fn session_json(token: &Self::Token, expires: &str) -> Option<String> {
        let _ = (token, expires);
        None
    }

    /// The session for a token (public claims only), shaped by the `session` callback.
    /// `expires` is the ISO 8601 instant the session ends.
    fn session<'a>(
        token: &'a Self::Token,
        expires: String,
        state: &'a Self::State,
    ) -> impl Future<Output = Result<Self::Session, CallbackError>> + Send + 'a;

    /// Applies a client's update: every field present is checked by its claim's check, then
    /// set, then derived claims are recomputed. Nothing changes unless every check allows.
    fn apply_update<'a>(
        token: &'a mut Self::Token,
        update: Self::Update,
        state: &'a Self::State,
    ) -> impl Future<Output = Result<(), UpdateError>> + Send + 'a;

    /// The `redirect` callback: where to send the user after sign-in or sign-out, given the
    /// requested `url` and the site's `base_url`. Whatever it answers still passes the
    /// runtime's redirect check (same origin or an allowed origin), so it cannot open a
    /// redirect. The default keeps the requested URL.
    fn redirect<'a>(
        url: &'a str,
        base_url: &'a str,
        state: &'a Self::State,
    ) -> impl Future<Output = Result<String, CallbackError>> + Send + 'a {
        let _ = (base_url, state);
        async move { Ok(url.to_owned()) }
    }

    /// Delivers an event to the `events` handler (or to `tracing` by default).
    fn on_event<'a>(
        event: AuthEvent<'a, Self>,
        state: &'a Self::State,
    ) -> impl Future<Output = ()> + Send + 'a;
}

/// The JWT claims type the macro generates.
pub trait TokenClaims:
    Serialize + DeserializeOwned + Clone + Send + Sync + fmt::Debug + 'static
{
    /// The `sub` claim: the user's stable id.
    fn subject(&self) -> &str;

    /// Sets the registered claims a re-issue stamps (`iat`, `exp`, `jti`) and returns `true`
    /// when the token now serialises, as it is, to the JSON object to encrypt: one object whose
    /// members have distinct names, with exactly these `iat`, `exp` and `jti`. The encoder then
    /// writes it straight to bytes ([`TokenCodec::encode_stamped`]).
    ///
    /// The default returns `false` and changes nothing: the token is then converted to a JSON
    /// map and the claims are set there ([`TokenCodec::encode`]), which also keeps the last of
    /// two equal member names. The generated token returns `false` when one of its undeclared
    /// claims has the name of a field, for the same reason.
    ///
    /// [`TokenCodec::encode_stamped`]: crate::TokenCodec::encode_stamped
    /// [`TokenCodec::encode`]: crate::TokenCodec::encode
    fn set_registered(&mut self, iat: i64, exp: i64, jti: String) -> bool {
        let _ = (iat, exp, jti);
        false
    }
}

/// One configured provider, as `GET /providers` lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProviderInfo {
    /// The provider id in URLs (`/callback/<id>`).
    pub id: &'static str,
    /// The name shown on the sign-in page.
    pub name: &'static str,
    /// `credentials`, `oauth` or `oidc`.
    pub kind: ProviderKind,
    /// The form fields of a credentials provider: (name, label, is secret).
    pub fields: &'static [CredentialField],
}

/// A credentials provider's form field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CredentialField {
    /// The form field name.
    pub name: &'static str,
    /// The label shown on the sign-in page.
    pub label: &'static str,
    /// Whether it is a password (never logged, masked in forms).
    pub secret: bool,
}

/// The kind of a provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProviderKind {
    /// A form posted to `/callback/<id>`, checked by an `authorize` function.
    Credentials,
}

impl ProviderKind {
    /// The Auth.js `type` string.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Credentials => "credentials",
        }
    }
}

/// The account a user signed in with: which provider, of which kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The provider id.
    pub provider: String,
    /// The provider kind.
    pub kind: ProviderKind,
}

/// The fields of a submitted form (or JSON object of strings), as sent.
///
/// Held in a `HashMap` with the standard library's randomly keyed hasher: the form arrives
/// before the CSRF check, from anyone, so reading it costs time linear in its size and no
/// crafted set of names can make the lookups collide.
#[derive(Default, Clone)]
pub struct FormFields(HashMap<String, String>);

impl FormFields {
    /// Fields from name/value pairs. A name given twice keeps only its first value.
    pub fn new(pairs: impl IntoIterator<Item = (String, String)>) -> Self {
        let mut fields = HashMap::new();
        for (name, value) in pairs {
            fields.entry(name).or_insert(value);
        }
        Self(fields)
    }

    /// Fields from name/value pairs in which no name repeats; `None` when one does.
    pub fn distinct(pairs: impl IntoIterator<Item = (String, String)>) -> Option<Self> {
        let mut fields = HashMap::new();
        for (name, value) in pairs {
            if fields.insert(name, value).is_some() {
                return None;
            }
        }
        Some(Self(fields))
    }

    /// The value of field `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }
}

/// Values are never printed: a form carries passwords. Names are listed in order.
impl fmt::Debug for FormFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names: Vec<&String> = self.0.keys().collect();
        names.sort_unstable();
        f.debug_list().entries(names).finish()
    }
}

/// The answer of a `sign_in` callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignIn {
    /// Sign the user in.
    Allow,
    /// Refuse: the user lands on the error page with `AccessDenied`.
    Deny,
    /// Refuse and send the user to this URL (checked like every redirect).
    Redirect(String),
}

/// What a `jwt` callback decides about the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenAction {
    /// Keep (and re-issue) the token.
    Keep,
    /// Sign the user out: every session cookie is cleared.
    SignOut,
}

/// Why the `jwt` callback runs.
pub enum JwtTrigger<'a, C: AuthSchema> {
    /// A user just signed in.
    SignIn {
        /// The user the provider produced.
        user: &'a C::User,
        /// The account used.
        account: &'a Account,
    },
    /// A client's update was checked and applied to the token.
    Update {
        /// The update as the client sent it (only whitelisted fields exist).
        update: &'a C::Update,
    },
    /// The session was read (`GET`/`POST /session`) and is being re-issued.
    Refresh,
}

impl<C: AuthSchema> fmt::Debug for JwtTrigger<'_, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::SignIn { .. } => "SignIn",
            Self::Update { .. } => "Update",
            Self::Refresh => "Refresh",
        })
    }
}

/// An update refused by [`AuthSchema::apply_update`].
#[derive(Debug)]
pub enum UpdateError {
    /// The claim's check refused the proposed value (`403`).
    Refused {
        /// The claim's JSON name.
        claim: &'static str,
    },
    /// A check failed with an error (logged; `403`).
    Check {
        /// The claim's JSON name.
        claim: &'static str,
        /// What went wrong.
        error: CallbackError,
    },
}

/// Something that happened, for audit logs, analytics and feature flags.
#[non_exhaustive]
pub enum AuthEvent<'a, C: AuthSchema> {
    /// A user signed in.
    SignedIn {
        /// The user's token as issued.
        token: &'a C::Token,
        /// The account used.
        account: &'a Account,
    },
    /// A sign-in was refused by the provider or the `sign_in` callback.
    SignInDenied {
        /// The provider tried.
        provider: &'a str,
    },
    /// A sign-in attempt was rate limited.
    RateLimited {
        /// The provider tried.
        provider: &'a str,
    },
    /// A user signed out.
    SignedOut {
        /// The token, if the session was still valid.
        token: Option<&'a C::Token>,
    },
    /// A client's update was applied.
    SessionUpdated {
        /// The token after the update.
        token: &'a C::Token,
    },
    /// A client's update was refused.
    UpdateRefused {
        /// The token, unchanged.
        token: &'a C::Token,
        /// The claim whose check refused.
        claim: &'static str,
    },
}

impl<C: AuthSchema> AuthEvent<'_, C> {
    /// A short stable name: `signed_in`, `sign_in_denied`, …
    pub fn name(&self) -> &'static str {
        match self {
            Self::SignedIn { .. } => "signed_in",
            Self::SignInDenied { .. } => "sign_in_denied",
            Self::RateLimited { .. } => "rate_limited",
            Self::SignedOut { .. } => "signed_out",
            Self::SessionUpdated { .. } => "session_updated",
            Self::UpdateRefused { .. } => "update_refused",
        }
    }
}

/// An error from a user callback. Logged without secrets; the client only ever sees an
/// error code. Any `std::error::Error` converts into it with `?`.
pub struct CallbackError(Box<dyn StdError + Send + Sync + 'static>);

impl CallbackError {
    /// An error with a message.
    pub fn msg(message: impl fmt::Display) -> Self {
        Self(message.to_string().into())
    }
}

impl<E: StdError + Send + Sync + 'static> From<E> for CallbackError {
    fn from(error: E) -> Self {
        Self(Box::new(error))
    }
}

impl fmt::Debug for CallbackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for CallbackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// What the configured `user = …` type tells the runtime: the standard claims of a new token.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is used as the `user` of an auth configuration but does not implement `AuthUser`",
    label = "implement `auth_runtime::AuthUser` for this type",
    note = "`AuthUser` names the user's stable id (`sub`) and, optionally, name, email and image"
)]
pub trait AuthUser {
    /// The user's stable id, stored as `sub`.
    fn subject(&self) -> String;
    /// The display name (`name`).
    fn name(&self) -> Option<String> {
        None
    }
    /// The email address (`email`).
    fn email(&self) -> Option<String> {
        None
    }
    /// The avatar URL (`picture` in the token, `image` in the session).
    fn image(&self) -> Option<String> {
        None
    }
}

/// The type of a credentials provider field in an `#[auth_config]` struct:
/// `#[provider(credentials(authorize = …))] credentials: Credentials`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Credentials;

/// Implemented by the types a credentials provider field may have: [`Credentials`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a credentials provider type",
    label = "a `credentials(...)` provider field has type `auth_runtime::Credentials`"
)]
pub trait CredentialsProviderType {}

impl CredentialsProviderType for Credentials {}

/// Where the sign-in, sign-out and error pages live: `None` serves the built-in page, a URL
/// (a path on this site, like `/login`) redirects there instead.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pages {
    /// Replaces `GET <base>/signin`; errors of sign-in go there as `?error=…`.
    pub sign_in: Option<&'static str>,
    /// Replaces `GET <base>/signout`.
    pub sign_out: Option<&'static str>,
    /// Replaces `GET <base>/error`, which receives `?error=<code>`.
    pub error: Option<&'static str>,
}

impl Pages {
    /// Every page built in.
    pub const BUILT_IN: Self = Self {
        sign_in: None,
        sign_out: None,
        error: None,
    };
}
