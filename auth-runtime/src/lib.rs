//! The runtime of an Auth.js-compatible authentication library for Poem.
//!
//! This crate does the token, cookie and CSRF work; the `#[auth_config]` macro generates typed
//! claims and handlers on top of it. The session cookie is wire-compatible with Auth.js v5
//! (`@auth/core`): a token written here opens in a Next.js front end under the same secret, and
//! the other way round.
//!
//! The modules are private; everything a user needs is re-exported here, and a config module
//! needs only the [`prelude`]. Inside, one concept per file:
//!
//! - `secret`: the secrets and their rotation list; `keys`: key derivation (HKDF-SHA-256, as
//!   Auth.js), RFC 7638 key ids, the per-salt cache; `cbc_hs512`: the content cipher;
//! - `jwe`: compact JWE `dir` + A256CBC-HS512 (A256GCM accepted on decode); `json`: the strict
//!   JSON reader; `token`: claims with `iat`/`exp`/`jti`, checked against an injectable
//!   `clock`;
//! - `cookies`: Auth.js cookie names, `Set-Cookie` rendering, `Cookie` parsing, session
//!   chunks; `csrf`: the double-submit CSRF cookie;
//! - `bearer`: signed bearer tokens (JWS, on `jsonwebtoken`): keys, the key set, signing,
//!   verification, the `Authorization` header; `bearer_session`: a request's bearer token;
//! - `schema`: the [`AuthSchema`] contract `#[auth_config]` implements, and its start-up check;
//! - `auth`: [`Auth`], the runtime configuration, built and checked at start-up;
//! - `middleware`, `loaded_session`, `extract`, `guard`: the session in Poem
//!   ([`AuthMiddleware`], the request's [`LoadedSession`], the [`Session`] extractor,
//!   [`Guard`]);
//! - `routes`: the Auth.js routes (`/session`, `/csrf`, `/providers`, `/signin`,
//!   `/callback/…`, `/signout`, `/error`), added by [`Auth::mount`]; `pages`: the built-in HTML
//!   pages; `origin`: web origins; `redirect`: the callback-URL check; `client_addr`: the
//!   client's address; `rate_limit`: the sign-in rate limit.
//!
//! ```
//! use std::time::Duration;
//! use auth_runtime::{CookieNames, Keyring, Secrets, TokenCodec};
//!
//! let secrets = Secrets::new(["a-long-random-secret-of-at-least-32-bytes"])?;
//! let keyring = Keyring::new(secrets);
//! let codec = TokenCodec::new(keyring.keys_for(CookieNames::HTTP.session));
//!
//! let mut claims = auth_runtime::Claims::new();
//! claims.insert("sub".into(), "user-1".into());
//! let token = codec.encode(claims, Duration::from_secs(3600))?;
//! assert_eq!(codec.decode(&token)?["sub"], "user-1");
//! # Ok::<(), auth_runtime::AuthError>(())
//! ```

mod auth;
mod base64url;
mod bearer;
mod bearer_session;
mod cbc_hs512;
mod client_addr;
mod clock;
mod cookies;
mod csrf;
mod error;
mod expires;
mod extract;
mod guard;
mod json;
mod jwe;
mod keys;
mod loaded_session;
mod middleware;
mod oauth;
mod origin;
mod pages;
mod password;
mod rate_limit;
mod redirect;
mod rejection;
mod revocation;
mod routes;
mod schema;
mod sealed;
mod secret;
mod session_callback;
mod store;
mod superseded;
mod token;
#[cfg(feature = "typescript")]
pub mod typescript;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use auth::{Auth, AuthBuilder, DEFAULT_PUBLIC_URL, URL_VARIABLE};
pub use auth_macros::auth_config;
pub use bearer::{
    BEARER_KEYS_VARIABLE, BearerAlgorithm, BearerKey, BearerKeys, BearerVerifier,
    JWKS_MAX_AGE_SECONDS, KeyRefusal, MAX_BEARER_TOKEN_LEN, MIN_HMAC_SECRET_LEN, MIN_RSA_BITS,
    jwks_json, sign_claims,
};
pub use clock::{Clock, FixedClock, SystemClock};
pub use cookies::{
    CHUNK_SIZE, CookieLifetime, CookieNames, MAX_CHUNKS, MAX_COOKIE_HEADER_LEN, SessionCookie,
    SessionCookieNames, SetCookie, clear_session_cookies, decode_cookie_value, parse_cookie_header,
    session_set_cookies, split_into_chunks,
};
pub use csrf::CsrfToken;
pub use error::AuthError;
pub use extract::Session;
pub use guard::{Guard, GuardEndpoint};
pub use jwe::{ContentEncryption, ProtectedHeader, read_protected_header};
pub use keys::{DerivedKey, KeySet, Keyring};
pub use loaded_session::LoadedSession;
pub use middleware::{AuthMiddleware, AuthMiddlewareEndpoint};
pub use oauth::presets;
pub use oauth::{
    CHECK_MAX_AGE, CONNECT_TIMEOUT, FLIGHT_MEMORY_SECONDS, FlightKey, MAX_RESPONSE_LEN,
    MemoryRefreshFlights, OidcClientCredentials, REQUEST_TIMEOUT, RefreshFlights, RefreshFuture,
};
pub use origin::Origin;
pub use pages::ErrorCode;
pub use password::{MAX_PASSWORD_LEN, Password, PasswordHash};
pub use rate_limit::{MemoryLimiter, RateLimit, SignInLimiter, normalize_identifier};
pub use redirect::{MAX_REDIRECT_LEN, RedirectPolicy};
pub use rejection::AuthRejection;
pub use revocation::{Revocation, RevocationFailure};
pub use routes::ReissuedSession;
pub use schema::MAX_USER_AGENT_LEN;
pub use schema::{
    Account, AuthEvent, AuthSchema, AuthUser, BearerAccept, BearerSettings, CallbackError,
    CredentialField, Credentials, CredentialsProviderType, Entra, EntraProviderType, FormFields,
    GitHub, GitHubProviderType, GitLab, GitLabProviderType, Google, GoogleProviderType, JwtTrigger,
    OAuth, OAuthProfile, OAuthProviderType, OAuthSettings, Oidc, OidcProviderType, OidcSettings,
    PROVIDER_REFRESH_CLAIM, Pages, ProfileMapping, ProviderInfo, ProviderKind, ProviderRefresh,
    ProviderToken, RequestContext, SessionAction, SessionError, SignIn, TokenAction, TokenClaims,
    UpdateError,
};
pub use secret::{MIN_SECRET_LEN, ROTATED_SECRET_VARIABLES, SECRET_VARIABLE, Secret, Secrets};
#[cfg(feature = "redis")]
pub use store::RedisStore;
pub use store::{
    MemoryRevocations, REDIS_PREFIX_VARIABLE, REDIS_URL_VARIABLE, RecordedUpdate, RefreshLeases,
    Revocations, STORE_TIMEOUT, SessionStanding, SharedStore, StoreError, StoreFuture, UpdateLog,
};
pub use token::{
    CLOCK_TOLERANCE, Claims, DEFAULT_MAX_AGE, MAX_TOKEN_LEN, Registered, TokenCodec, parse_claims,
};

/// Encrypts with a caller-chosen IV, for known-answer tests: behind the internal
/// `_test-internals` feature, which only this workspace's tests enable. Not public API.
#[cfg(feature = "_test-internals")]
#[doc(hidden)]
pub use jwe::encrypt_with_iv;

/// The primitives the standard vectors (RFC 7518, RFC 7516, RFC 5869, Wycheproof) and the DS-04
/// test reach: behind the internal `_test-internals` feature. Not public API.
#[cfg(feature = "_test-internals")]
#[doc(hidden)]
pub use {
    jwe::{
        __a256cbc_hs512_open_for_tests, __a256cbc_hs512_seal_for_tests, __a256gcm_open_for_tests,
    },
    keys::__hkdf_sha256_for_tests,
    password::{__hashing_permits_for_tests, __peak_concurrent_hashes_for_tests},
};

/// What a config module needs: `use auth_runtime::prelude::*;`.
pub mod prelude {
    pub use crate::auth_config;
    pub use crate::{
        Account, Auth, AuthError, AuthEvent, AuthUser, CallbackError, Credentials, Entra, GitHub,
        GitLab, Google, Guard, JwtTrigger, OAuth, OAuthProfile, Oidc, Password, ProviderKind,
        Secrets, Session, SessionAction, SignIn, TokenAction,
    };
}
