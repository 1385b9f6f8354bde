//! OAuth and OpenID Connect sign-in, below the routes: the HTTP client to providers
//! (`client`), the check cookies (`checks`), one discovered OpenID Connect provider (`oidc`),
//! one plain OAuth 2 provider (`plain`, its profile read by `profile`), the presets' data
//! (`presets`), and the set of configured providers (`providers`).

mod checks;
mod client;
mod oidc;
mod plain;
pub mod presets;
mod profile;
mod providers;

pub use checks::CHECK_MAX_AGE;
pub(crate) use checks::{CheckCodecs, CheckFailure, Checks};
pub use client::{CONNECT_TIMEOUT, MAX_RESPONSE_LEN, REQUEST_TIMEOUT};
pub use oidc::OidcClientCredentials;
pub(crate) use oidc::{FlowFailure, OidcProvider};
pub(crate) use providers::{OAuthProvider, OidcProviders, credentials_for, discover_providers};
