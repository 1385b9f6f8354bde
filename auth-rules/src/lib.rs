//! The configuration rules that `#[auth_config]` checks at compile time and `auth-runtime`
//! checks again at start-up (for schemas written by hand), written once so that the two
//! cannot drift: a value the macro accepts is one the runtime accepts, and the other way
//! round.
//!
//! Each rule is a function returning `Ok` or the [`Refusal`] that says what is wrong; the
//! caller adds what it knows (the span of the key in the macro, the setting's name at
//! start-up). Nothing here knows about syn, poem or the schema trait.
//!
//! Not public API: `auth-runtime` and `auth-macros` pin this crate with `=` and it changes
//! without notice.

#[cfg(feature = "_agreement")]
#[doc(hidden)]
pub mod agreement;
mod base_path;
mod bearer;
mod claim_name;
mod duration;
mod page;
mod provider_id;
mod provider_url;
mod rate_limit;
mod refusal;
mod site_path;

pub use base_path::{DEFAULT_BASE_PATH, check_base_path};
pub use bearer::{
    DEFAULT_BEARER_TTL, LONGEST_BEARER_TTL, SHORTEST_BEARER_TTL, check_bearer_audience,
    check_bearer_ttl,
};
pub use claim_name::{RESERVED_CLAIM_NAMES, check_claim_name};
pub use duration::{
    DEFAULT_MAX_AGE, LONGEST_MAX_AGE, SHORTEST_MAX_AGE, check_max_age, check_update_age,
    parse_duration,
};
pub use page::check_page_path;
pub use provider_id::check_provider_id;
pub use provider_url::check_provider_url;
pub use rate_limit::{RateLimitSpec, parse_rate_limit};
pub use refusal::Refusal;
pub use site_path::{is_plain_url_byte, is_safe_path_and_rest};
