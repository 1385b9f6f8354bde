//! OAuth and OpenID Connect sign-in, below the routes: the HTTP client to providers
//! (`client`), the check cookies (`checks`), one discovered OpenID Connect provider (`oidc`),
//! one plain OAuth 2 provider (`plain`, its profile read by `profile`), the presets' data
//! (`presets`), the set of configured providers (`providers`), and the refresh of their
//! access tokens (`refresh`: the grant and the single-flight record).

mod checks;
mod client;
mod oidc;
mod plain;
pub mod presets;
mod profile;
mod providers;
mod refresh;
mod shared_flights;

pub use checks::CHECK_MAX_AGE;
pub(crate) use checks::{CheckCodecs, CheckFailure, Checks};
pub use client::{CONNECT_TIMEOUT, MAX_RESPONSE_LEN, REQUEST_TIMEOUT};
pub(crate) use oidc::FlowFailure;
pub use oidc::OidcClientCredentials;
pub(crate) use providers::{OAuthProvider, OidcProviders, credentials_for, discover_providers};
pub(crate) use refresh::refresh_grant;
pub use refresh::{
    FLIGHT_MEMORY_SECONDS, FlightKey, MemoryRefreshFlights, RefreshFlights, RefreshFuture,
};
pub(crate) use shared_flights::SharedRefreshFlights;
