//! The start-up check of what a schema declares, by the rules `#[auth_config]` applies at
//! compile time (`auth-rules`, the one source of both): a schema the macro accepts starts, and
//! a schema written by hand is held to the same rules.

use std::time::Duration;

use auth_rules::{
    check_base_path, check_max_age, check_page_path, check_provider_id, check_update_age,
};

use super::auth_schema::AuthSchema;
use super::pages::Pages;
use crate::error::AuthError;
use crate::rate_limit::RateLimit;

/// What a schema declares, as plain values.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Declared<'a> {
    /// Where the auth routes are served.
    pub(crate) base_path: &'a str,
    /// The provider ids, in declaration order.
    pub(crate) provider_ids: &'a [&'a str],
    /// The custom pages.
    pub(crate) pages: Pages,
    /// The session lifetime.
    pub(crate) max_age: Duration,
    /// How old a token must be before a read re-issues it; zero when not set.
    pub(crate) update_age: Duration,
    /// The sign-in rate limit, if any.
    pub(crate) rate_limit: Option<RateLimit>,
}

/// Checks `C`'s declarations ([`check_declared`] with its consts).
pub(crate) fn check_schema<C: AuthSchema>() -> Result<(), AuthError> {
    let provider_ids: Vec<&str> = C::PROVIDERS.iter().map(|provider| provider.id).collect();
    check_declared(&Declared {
        base_path: C::BASE_PATH,
        provider_ids: &provider_ids,
        pages: C::PAGES,
        max_age: C::MAX_AGE,
        update_age: C::UPDATE_AGE,
        rate_limit: C::SIGN_IN_RATE_LIMIT,
    })
}

/// Checks what a schema declares: a base path the router can nest, provider ids that are
/// unique and safe in a URL path, custom pages on this site outside the base path, a session
/// lifetime from one minute to 400 days and an `update_age` shorter than it, a rate limit of
/// at least one attempt in at least one second. The first rule broken is the error.
pub(crate) fn check_declared(declared: &Declared<'_>) -> Result<(), AuthError> {
    let base_path = declared.base_path;
    check_base_path(base_path).map_err(|reason| AuthError::InvalidBasePath {
        path: base_path.to_owned(),
        reason,
    })?;
    for (index, id) in declared.provider_ids.iter().enumerate() {
        check_provider_id(id).map_err(|reason| AuthError::InvalidProviderId {
            id: (*id).to_owned(),
            reason,
        })?;
        if declared.provider_ids[..index].contains(id) {
            return Err(AuthError::DuplicateProviderId {
                id: (*id).to_owned(),
            });
        }
    }
    let pages = [
        ("sign_in", declared.pages.sign_in),
        ("sign_out", declared.pages.sign_out),
        ("error", declared.pages.error),
    ];
    for (page, path) in pages {
        let Some(path) = path else { continue };
        check_page_path(path, base_path).map_err(|reason| AuthError::InvalidPage {
            page,
            path: path.to_owned(),
            reason,
        })?;
    }
    check_max_age(declared.max_age).map_err(|reason| AuthError::InvalidSessionAge {
        setting: "max_age",
        value: declared.max_age,
        reason,
    })?;
    if !declared.update_age.is_zero() {
        check_update_age(declared.update_age, declared.max_age).map_err(|reason| {
            AuthError::InvalidSessionAge {
                setting: "update_age",
                value: declared.update_age,
                reason,
            }
        })?;
    }
    if let Some(limit) = declared.rate_limit {
        limit.check()?;
    }
    Ok(())
}

/// The runtime half of the agreement with the macro: every entry of the shared corpus is
/// refused here exactly when it is marked not accepted (the macro's tests read the same one).
#[cfg(test)]
mod tests {
    use auth_rules::agreement::{BASE_PATHS, PAGES, PROVIDER_IDS, RATE_LIMITS, SESSION_AGES};
    use auth_rules::parse_duration;

    use super::*;

    /// A declaration every rule accepts, to vary one value at a time.
    fn accepted() -> Declared<'static> {
        Declared {
            base_path: "/api/auth",
            provider_ids: &["credentials"],
            pages: Pages::BUILT_IN,
            max_age: Duration::from_secs(30 * 24 * 3600),
            update_age: Duration::ZERO,
            rate_limit: None,
        }
    }

    #[test]
    fn the_baseline_declaration_is_accepted() {
        assert_eq!(check_declared(&accepted()), Ok(()));
    }

    #[test]
    fn base_paths_agree_with_the_macro() {
        for (path, expected) in BASE_PATHS {
            let declared = Declared {
                base_path: path,
                ..accepted()
            };
            assert_eq!(check_declared(&declared).is_ok(), *expected, "{path:?}");
        }
    }

    #[test]
    fn provider_ids_agree_with_the_macro() {
        for (id, expected) in PROVIDER_IDS {
            let ids = [*id];
            let declared = Declared {
                provider_ids: &ids,
                ..accepted()
            };
            assert_eq!(check_declared(&declared).is_ok(), *expected, "{id:?}");
        }
        let twice = Declared {
            provider_ids: &["github", "github"],
            ..accepted()
        };
        assert!(matches!(
            check_declared(&twice),
            Err(AuthError::DuplicateProviderId { .. })
        ));
    }

    #[test]
    fn pages_agree_with_the_macro() {
        for (path, expected) in PAGES {
            for pages in [
                Pages {
                    sign_in: Some(path),
                    ..Pages::BUILT_IN
                },
                Pages {
                    sign_out: Some(path),
                    ..Pages::BUILT_IN
                },
                Pages {
                    error: Some(path),
                    ..Pages::BUILT_IN
                },
            ] {
                let declared = Declared {
                    pages,
                    ..accepted()
                };
                assert_eq!(check_declared(&declared).is_ok(), *expected, "{path:?}");
            }
        }
    }

    #[test]
    fn rate_limits_agree_with_the_macro() {
        for (text, expected) in RATE_LIMITS {
            let checked = RateLimit::parse(text).and_then(|limit| {
                check_declared(&Declared {
                    rate_limit: Some(limit),
                    ..accepted()
                })
            });
            assert_eq!(checked.is_ok(), *expected, "{text:?}");
        }
        let zero = Declared {
            rate_limit: Some(RateLimit {
                attempts: 5,
                window: Duration::from_millis(500),
            }),
            ..accepted()
        };
        assert!(matches!(
            check_declared(&zero),
            Err(AuthError::InvalidRateLimit { .. })
        ));
    }

    #[test]
    fn session_ages_agree_with_the_macro() {
        for (max_age, update_age, expected) in SESSION_AGES {
            let max_age = parse_duration(max_age).expect("the corpus's durations parse");
            let update_age = if update_age.is_empty() {
                Duration::ZERO
            } else {
                parse_duration(update_age).expect("the corpus's durations parse")
            };
            let declared = Declared {
                max_age,
                update_age,
                ..accepted()
            };
            assert_eq!(
                check_declared(&declared).is_ok(),
                *expected,
                "{max_age:?} {update_age:?}"
            );
        }
    }
}
