//! [`StoreError`] and [`StoreFuture`]: what every shared-state call returns.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// The longest any request waits on a shared store, per call, unless the store is built
/// with another bound. A call that takes longer fails with [`StoreError::Timeout`] and the
/// request goes on under the failure policy of what it asked.
pub const STORE_TIMEOUT: Duration = Duration::from_millis(250);

/// A boxed future of a store call, so that stores can be trait objects.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// Why a shared store did not answer. Never carries a key's value, a token or the store's
/// password: only what kind of failure it was.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The store did not answer within its bound.
    #[error("the shared store did not answer within {0:?}")]
    Timeout(Duration),
    /// The store cannot be reached, or refused the call.
    #[error("the shared store is unavailable: {0}")]
    Unavailable(String),
    /// The store answered something this version does not read (another app under the same
    /// key prefix, or a value written by a newer version).
    #[error("the shared store answered an unexpected value: {0}")]
    Corrupt(&'static str),
}
