//! The Auth.js routes, under the schema's
//! [`BASE_PATH`](crate::schema::AuthSchema::BASE_PATH): [`Auth::mount`](crate::Auth::mount)
//! adds them to an app's router at their full paths, [`Auth::routes`](crate::Auth::routes)
//! gives them to be nested. `router` says which path goes where:
//!
//! | route | module |
//! |---|---|
//! | `GET /providers` | `providers` |
//! | `GET /csrf` | `csrf` |
//! | `GET`, `POST /session` | `session` |
//! | `GET /signin` (the sign-in page), `POST /signin/<provider>` | `signin` |
//! | `POST /callback/<provider>` (rate limited by `throttle`) | `callback` |
//! | `POST /signin/<oauth>`, `GET`/`POST /callback/<oauth>` (OAuth 2, OpenID Connect) | `oauth` |
//! | `GET` (confirmation page), `POST /signout` | `signout` |
//! | `GET /error` (the error page) | `error` |
//! | `GET /jwks`, `POST /token` (with `tokens(bearer(...))` only) | `jwks`, `token` |
//! | `POST /signout/others` (with revocation on) | `revoke` |
//! | anything else | 400 `"Bad request."` |
//!
//! Each handler takes the [`Auth`](crate::Auth) and the request and answers every method
//! itself, so a method it does not serve gets Auth.js's 400 rather than a 405. The pages'
//! HTML is built by [`pages`](crate::pages); where pages and errors send the user is decided
//! in one place, `respond`; a session is written into its cookies in `issue` (with a warning
//! from `token_size` when it grows past 4 KB); a provider's access token is refreshed on the
//! way by `refresh`, for `session` and for the middleware. `reissue` is the server-side
//! update an app's handler makes ([`Auth::reissue`](crate::Auth::reissue)); `race` reads and
//! records updates for the update race, in this process or the shared store; `revoke` holds
//! [`Auth::revoke_session`](crate::Auth::revoke_session) and
//! [`Auth::sign_out_everywhere`](crate::Auth::sign_out_everywhere) beside the route.

mod callback;
mod complete;
mod csrf;
mod error;
mod issue;
mod jwks;
mod oauth;
mod providers;
mod race;
mod refresh;
mod reissue;
mod request;
mod respond;
mod revoke;
mod router;
mod session;
mod signin;
mod signout;
mod throttle;
mod token;
mod token_size;

pub(crate) use refresh::refresh_request_session;
pub use reissue::ReissuedSession;
pub use router::routes;
