//! The runtime of an Auth.js-compatible authentication library for Poem.
//!
//! This crate does the token, cookie and CSRF work; the `#[auth_config]` macro generates typed
//! claims and handlers on top of it. The session cookie is wire-compatible with Auth.js v5
//! (`@auth/core`): a token written here opens in a Next.js front end under the same secret, and
//! the other way round.
//!
//! - [`secret`]: the secrets and their rotation list;
//! - [`keys`]: key derivation (HKDF-SHA-256, as Auth.js), RFC 7638 key ids, the per-salt cache;
//! - [`jwe`]: compact JWE `dir` + A256CBC-HS512 (A256GCM accepted on decode);
//! - [`token`]: claims with `iat`/`exp`/`jti`, checked against an injectable clock;
//! - [`cookies`]: Auth.js cookie names, `Set-Cookie` rendering, session chunking;
//! - [`csrf`]: the double-submit CSRF cookie;
//! - [`auth`]: [`Auth`], the runtime configuration, built and checked at start-up;
//! - [`middleware`], [`extract`], [`guard`]: the session in Poem (middleware, the [`Session`]
//!   extractor, [`Guard`]);
//! - [`routes`](mod@routes): the Auth.js routes (`/session`, `/csrf`, `/providers`,
//!   `/signin`, `/callback/…`, `/signout`, `/error`); [`pages`]: the built-in HTML pages;
//!   [`redirect`]: the callback-URL check; [`rate_limit`]: the sign-in rate limit.
//!
//! ```
//! use std::time::Duration;
//! use auth_runtime::{Keyring, Secrets, TokenCodec, cookies::CookieNames};
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

pub mod auth;
pub mod cookies;
pub mod csrf;
pub mod error;
pub mod extract;
pub mod guard;
mod json;
pub mod jwe;
pub mod keys;
pub mod middleware;
pub mod pages;
pub mod password;
pub mod rate_limit;
pub mod redirect;
pub mod rejection;
pub mod routes;
pub mod schema;
pub mod secret;
pub mod superseded;
pub mod token;
#[cfg(feature = "typescript")]
pub mod typescript;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use auth::{Auth, AuthBuilder};
pub use auth_macros::auth_config;
pub use error::AuthError;
pub use extract::Session;
pub use guard::Guard;
pub use keys::{KeySet, Keyring};
pub use middleware::{AuthMiddleware, LoadedSession};
pub use pages::ErrorCode;
pub use password::Password;
pub use redirect::{Origin, RedirectPolicy};
pub use rejection::AuthRejection;
pub use routes::routes;
pub use schema::{
    Account, AuthEvent, AuthSchema, AuthUser, CallbackError, Credentials, JwtTrigger, Pages,
    ProviderKind, SignIn, TokenAction, TokenClaims,
};
pub use secret::{Secret, Secrets};
pub use token::{Claims, Clock, FixedClock, Registered, SystemClock, TokenCodec};

/// What a config module needs: `use auth_runtime::prelude::*;`.
pub mod prelude {
    pub use crate::auth::Auth;
    pub use crate::auth_config;
    pub use crate::extract::Session;
    pub use crate::guard::Guard;
    pub use crate::password::Password;
    pub use crate::schema::{
        Account, AuthEvent, AuthUser, CallbackError, Credentials, JwtTrigger, ProviderKind, SignIn,
        TokenAction,
    };
}
