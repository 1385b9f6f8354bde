//! Passwords: the submitted value (zeroized, never printed) and argon2id hashes verified off
//! the async executor.
//!
//! Verification costs tens of milliseconds of CPU by design, so it runs in
//! `spawn_blocking`, and at most one verification per core runs at a time: a burst of
//! sign-ins queues instead of starving every other request of threads.

use std::fmt;
use std::sync::{Arc, LazyLock};

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _, SaltString};
use tokio::sync::Semaphore;
use zeroize::Zeroizing;

use crate::error::AuthError;

/// Longest password accepted for verification, in bytes. Longer ones are refused without
/// hashing, so a megabyte "password" costs nothing.
pub const MAX_PASSWORD_LEN: usize = 1024;

/// A submitted password. `Debug` prints `[redacted]`; there is no `Display`.
#[derive(Clone, Default)]
pub struct Password(Zeroizing<String>);

impl Password {
    /// Wraps a submitted password.
    pub fn new(password: impl Into<String>) -> Self {
        Self(Zeroizing::new(password.into()))
    }

    /// The password, for verification against a stored hash.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Its length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether this password matches `hash`. Runs on the blocking pool, at most one per core
    /// at a time. A password over [`MAX_PASSWORD_LEN`] bytes never matches and is not hashed.
    pub async fn verify(&self, hash: &PasswordHash) -> bool {
        if self.len() > MAX_PASSWORD_LEN {
            return false;
        }
        let password = self.clone();
        let hash = hash.clone();
        run_bounded(move || {
            argon2::PasswordHash::new(&hash.0)
                .map(|parsed| {
                    Argon2::default()
                        .verify_password(password.expose().as_bytes(), &parsed)
                        .is_ok()
                })
                .unwrap_or(false)
        })
        .await
        .unwrap_or(false)
    }

    /// Spends the time of one verification and returns `false`: for an unknown user, so that
    /// "no such user" and "wrong password" take the same time.
    pub async fn verify_against_nothing(&self) -> bool {
        static DUMMY: LazyLock<Option<PasswordHash>> =
            LazyLock::new(|| PasswordHash::of_blocking(&Password::new("dummy")).ok());
        if let Some(dummy) = DUMMY.as_ref() {
            let _ = self.verify(dummy).await;
        }
        false
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password([redacted])")
    }
}

impl From<String> for Password {
    fn from(password: String) -> Self {
        Self::new(password)
    }
}

/// A stored argon2id password hash, in PHC string format (`$argon2id$v=19$…`).
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl PasswordHash {
    /// Reads a stored PHC string; an unreadable one is an error at start-up, not a failed
    /// sign-in later.
    pub fn parse(phc: &str) -> Result<Self, AuthError> {
        argon2::PasswordHash::new(phc)
            .map(|_| Self(phc.to_owned()))
            .map_err(|error| AuthError::InvalidPasswordHash(error.to_string()))
    }

    /// Hashes `password` with argon2id (OWASP parameters: 19 MiB, 2 passes) and a random
    /// salt, blocking the current thread: for start-up and scripts.
    pub fn of_blocking(password: &Password) -> Result<Self, AuthError> {
        let salt_bytes: [u8; 16] = rand::random();
        let salt = SaltString::encode_b64(&salt_bytes).map_err(|error| {
            AuthError::PasswordHashing(format!("salt encoding failed: {error}"))
        })?;
        Argon2::default()
            .hash_password(password.expose().as_bytes(), &salt)
            .map(|hash| Self(hash.to_string()))
            .map_err(|error| AuthError::PasswordHashing(error.to_string()))
    }

    /// As [`PasswordHash::of_blocking`], on the blocking pool.
    pub async fn of(password: &Password) -> Result<Self, AuthError> {
        let password = password.clone();
        run_bounded(move || Self::of_blocking(&password))
            .await
            .unwrap_or_else(|| Err(AuthError::PasswordHashing("cancelled".into())))
    }

    /// The PHC string, for storage.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordHash([redacted])")
    }
}

/// How many hashes may run at once: one per core.
fn hashing_permits() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// One permit per core: how many hashes may run at once.
static HASHING_PERMITS: LazyLock<Arc<Semaphore>> =
    LazyLock::new(|| Arc::new(Semaphore::new(hashing_permits())));

/// Runs `work` on the blocking pool once a hashing permit is free; `None` if the task was
/// cancelled or panicked.
async fn run_bounded<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let permit = Arc::clone(&HASHING_PERMITS).acquire_owned().await.ok()?;
    tokio::task::spawn_blocking(move || {
        #[cfg(feature = "_test-internals")]
        let running = observed::Running::start();
        let result = work();
        #[cfg(feature = "_test-internals")]
        drop(running);
        drop(permit);
        result
    })
    .await
    .ok()
}

/// How many hashes may run at once, for the DS-04 test: behind the internal `_test-internals`
/// feature. Not public API.
#[cfg(feature = "_test-internals")]
#[doc(hidden)]
pub fn __hashing_permits_for_tests() -> usize {
    hashing_permits()
}

/// The most hashes that ever ran at once in this process, for the DS-04 test: behind the
/// internal `_test-internals` feature. Not public API.
#[cfg(feature = "_test-internals")]
#[doc(hidden)]
pub fn __peak_concurrent_hashes_for_tests() -> usize {
    observed::PEAK.load(std::sync::atomic::Ordering::SeqCst)
}

/// The count of hashes running inside their permits, kept only for tests (`_test-internals`).
#[cfg(feature = "_test-internals")]
mod observed {
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Hashes running now.
    static RUNNING: AtomicUsize = AtomicUsize::new(0);
    /// The most that ever ran at once.
    pub(super) static PEAK: AtomicUsize = AtomicUsize::new(0);

    /// One hash running, counted from `start` until dropped.
    pub(super) struct Running;

    impl Running {
        pub(super) fn start() -> Self {
            let now = RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
            PEAK.fetch_max(now, Ordering::SeqCst);
            Self
        }
    }

    impl Drop for Running {
        fn drop(&mut self) {
            RUNNING.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let hash = PasswordHash::of(&Password::new("correct-horse"))
            .await
            .unwrap();
        assert!(hash.as_str().starts_with("$argon2id$"));
        assert!(Password::new("correct-horse").verify(&hash).await);
        assert!(!Password::new("correct-hors").verify(&hash).await);
        let parsed = PasswordHash::parse(hash.as_str()).unwrap();
        assert!(Password::new("correct-horse").verify(&parsed).await);
    }

    /// DS-03, at the primitive: a password over 1 KiB never matches, and an unknown user is
    /// checked against the dummy hash.
    #[tokio::test]
    async fn overlong_and_unknown_user_passwords_never_match() {
        // Even the password the hash was made from: over the limit, it is not checked at all.
        let long = Password::new("x".repeat(MAX_PASSWORD_LEN + 1));
        let hash = PasswordHash::of_blocking(&long).unwrap();
        assert!(!long.verify(&hash).await);
        let longest = Password::new("x".repeat(MAX_PASSWORD_LEN));
        let hash = PasswordHash::of_blocking(&longest).unwrap();
        assert!(longest.verify(&hash).await);
        assert!(!Password::new("x").verify_against_nothing().await);
    }

    #[test]
    fn unreadable_hashes_are_configuration_errors_and_nothing_prints() {
        assert!(matches!(
            PasswordHash::parse("plaintext"),
            Err(AuthError::InvalidPasswordHash(_))
        ));
        let printed = format!("{:?}", Password::new("hunter2"));
        assert_eq!(printed, "Password([redacted])");
    }
}
