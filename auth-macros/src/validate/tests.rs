//! `validate` on inputs built with `quote!`: error counts and texts, no compiler run.

use super::*;
use quote::quote;

fn run(args: proc_macro2::TokenStream, item: proc_macro2::TokenStream) -> Errors {
    let mut errors = Errors::default();
    if let Ok(input) = Input::parse(args, item, &mut errors) {
        let _ = validate(input, &mut errors);
    }
    errors
}

#[test]
fn three_independent_mistakes_give_three_errors() {
    let errors = run(
        quote!(user = User, sesion(max_age = "7d"), base_path = "api"),
        quote!(
            struct AppAuth {
                #[claim(from_user)]
                exp: i64,
            }
        ),
    );
    assert_eq!(errors.len(), 3, "{:?}", errors.messages());
    let messages = errors.messages();
    assert!(messages[0].contains("did you mean `session`"));
    assert!(messages[1].contains("invalid base path `api`"));
    assert!(messages[2].contains("claim name `exp`"));
}

/// CF-07: every reserved JSON name is refused as a claim, whether it is the field's own
/// name or a `rename`, one error each.
#[test]
fn every_reserved_claim_name_is_refused() {
    for reserved in auth_rules::RESERVED_CLAIM_NAMES {
        let renamed = run(
            quote!(user = User),
            quote!(
                struct AppAuth {
                    #[claim(from_user, rename = #reserved)]
                    field: String,
                }
            ),
        );
        assert_eq!(renamed.len(), 1, "{reserved}: {:?}", renamed.messages());
        assert!(
            renamed.messages()[0].contains(&format!("claim name `{reserved}`")),
            "{:?}",
            renamed.messages()
        );
    }
    for field in ["iat", "jti", "nbf", "iss", "aud"] {
        let field = syn::Ident::new(field, proc_macro2::Span::call_site());
        let named = run(
            quote!(user = User),
            quote!(
                struct AppAuth {
                    #[claim(from_user)]
                    #field: i64,
                }
            ),
        );
        assert_eq!(named.len(), 1, "{field}: {:?}", named.messages());
        assert!(named.messages()[0].contains(&format!("claim name `{field}` is reserved")));
    }
    // Renamed, a field still may not take the Rust name of one of the token's own fields.
    for field in ["sid", "jti", "other_claims"] {
        let field = syn::Ident::new(field, proc_macro2::Span::call_site());
        let renamed = run(
            quote!(user = User),
            quote!(
                struct AppAuth {
                    #[claim(from_user, rename = "sessionKey")]
                    #field: String,
                }
            ),
        );
        assert_eq!(renamed.len(), 1, "{field}: {:?}", renamed.messages());
        assert!(
            renamed.messages()[0].contains(&format!("field name `{field}` is one the token")),
            "{:?}",
            renamed.messages()
        );
    }
}

#[test]
fn rate_limits_and_pages_are_checked() {
    let errors = run(
        quote!(
            user = User,
            pages(sign_in = "login", eror = "/e"),
            rate_limit(sign_in = "5")
        ),
        quote!(
            struct AppAuth {}
        ),
    );
    assert_eq!(
        errors.messages(),
        [
            "unknown page `eror`; did you mean `error`?",
            "invalid rate limit `5`: write attempts per window, like \"5 per 15m\"",
            "invalid page `login`: a page is a path on this site starting with `/`, like \
             \"/login\": not `//host`, and no backslash, space, control or non-ASCII character, \
             encoded slash, backslash or percent sign",
        ]
    );
}

#[test]
fn update_age_must_be_a_duration_shorter_than_max_age() {
    let config = |session: proc_macro2::TokenStream| {
        let mut errors = Errors::default();
        let input = Input::parse(
            quote!(user = User, #session),
            quote!(
                struct AppAuth {}
            ),
            &mut errors,
        )
        .ok();
        let config = input.and_then(|input| validate(input, &mut errors).ok());
        (config.map(|c| (c.max_age_secs, c.update_age_secs)), errors)
    };
    let (ages, errors) = config(quote!(session(max_age = "7d", update_age = "1h")));
    assert!(errors.is_empty(), "{:?}", errors.messages());
    assert_eq!(ages, Some((7 * 24 * 3600, 3600)));
    // Not given: every read re-issues.
    let (ages, _) = config(quote!(session(max_age = "7d")));
    assert_eq!(ages, Some((7 * 24 * 3600, 0)));
    let (_, errors) = config(quote!(session(update_age = "30d")));
    assert_eq!(
        errors.messages(),
        [
            "invalid `update_age = \"30d\"` (the session's `max_age` is 30days): it must be \
             shorter than the session's `max_age`: a token is re-issued once it is \
             `update_age` old, and one never re-issued would expire while in use"
        ]
    );
    let (_, errors) = config(quote!(session(update_age = "soon", max_age = "1h")));
    assert_eq!(
        errors.messages(),
        ["invalid duration `soon`: write a number and a unit, like \"30d\", \"12h\" or \"90m\""]
    );
}

#[test]
fn a_valid_config_has_no_errors() {
    let errors = run(
        quote!(user = User, session(max_age = "7d")),
        quote!(
            struct AppAuth {
                #[provider(credentials(authorize = users::authorize))]
                credentials: Credentials,
                #[claim(from_user)]
                role: Role,
                #[claim(derive = Role::permissions(role))]
                permissions: Vec<Permission>,
                tenant_id: Option<String>,
            }
        ),
    );
    assert!(errors.is_empty(), "{:?}", errors.messages());
}

#[test]
fn derive_arguments_must_name_claims() {
    let errors = run(
        quote!(user = User),
        quote!(
            struct AppAuth {
                #[claim(from_user)]
                role: Role,
                #[claim(derive = Role::permissions(rol))]
                permissions: Vec<Permission>,
            }
        ),
    );
    assert_eq!(
        errors.messages(),
        ["unknown claim `rol`; did you mean `role`?"]
    );
}

/// One test per rule of `check` and per reader refusal that has no other unit test: each
/// mistake alone gives exactly its one error.
#[test]
fn each_rule_reports_its_mistake_once() {
    let cases = [
        (
            quote!(),
            quote!(
                struct AppAuth {}
            ),
            "missing `user = …`",
        ),
        (
            quote!(user = 5),
            quote!(
                struct AppAuth {}
            ),
            "`user` takes a type",
        ),
        (
            quote!(user = User, user = Other),
            quote!(
                struct AppAuth {}
            ),
            "duplicate key `user`",
        ),
        (
            quote!(user = User, pages(sign_in = "/api/auth/login")),
            quote!(
                struct AppAuth {}
            ),
            "invalid page `/api/auth/login`: a page must not be under the base path",
        ),
        (
            quote!(user = User, base_path = "/auth", pages(error = "/auth")),
            quote!(
                struct AppAuth {}
            ),
            "invalid page `/auth`: a page must not be under the base path",
        ),
        (
            quote!(user = User, pages(error = "/error#top")),
            quote!(
                struct AppAuth {}
            ),
            "invalid page `/error#top`: a page must not have a `#fragment`",
        ),
        (
            quote!(user = User, session(max_age = "10s")),
            quote!(
                struct AppAuth {}
            ),
            "`max_age = \"10s\"` is out of range",
        ),
        (
            quote!(user = User),
            quote!(
                struct AppAuth {
                    #[provider(credentials(authorize = a))]
                    credentials: Credentials,
                    #[provider(credentials(authorize = b, id = "credentials"))]
                    other: Credentials,
                }
            ),
            "duplicate provider id `credentials`: field `credentials` already uses it",
        ),
        (
            quote!(user = User),
            quote!(
                struct AppAuth {
                    #[provider(credentials(authorize = a))]
                    Staff: Credentials,
                }
            ),
            "the field name `Staff` is not a valid provider id",
        ),
        (
            quote!(user = User),
            quote!(
                struct AppAuth {
                    #[provider(credentials(authorize = a))]
                    #[claim(from_user)]
                    credentials: Credentials,
                }
            ),
            "field `credentials` cannot be both a provider and a claim",
        ),
        (
            quote!(user = User),
            quote!(
                struct AppAuth {
                    #[claim(from_user)]
                    tenant_id: String,
                    #[claim(from_user, rename = "tenantId")]
                    tenant: String,
                }
            ),
            "fields `tenant_id` and `tenant` both have the JSON name `tenantId`",
        ),
        (
            quote!(user = User),
            quote!(
                struct AppAuth {
                    #[claim(from_user)]
                    role: Role,
                    #[claim(derive = Role::permissions(role), update = checks::permissions)]
                    permissions: Vec<Permission>,
                }
            ),
            "a derived claim is recomputed from other claims and cannot be updated",
        ),
        (
            quote!(user = User),
            quote!(
                struct AppAuth {
                    #[claim(from_user)]
                    role: Role,
                    #[claim(derive = Permission::label(permissions))]
                    label: String,
                    #[claim(derive = Role::permissions(role))]
                    permissions: Vec<Permission>,
                }
            ),
            "`permissions` is derived after `label`; declare it first",
        ),
        (
            quote!(user = User),
            quote!(
                struct AppAuth {
                    #[claim(derive = Role::permissions(permissions))]
                    permissions: Vec<Permission>,
                }
            ),
            "claim `permissions` cannot be derived from itself",
        ),
        (
            quote!(user = User),
            quote!(
                struct AppAuth {
                    role: Role,
                }
            ),
            "claim `role` has no value at sign-in",
        ),
        (
            quote!(user = User),
            quote!(
                struct AppAuth {
                    #[claim(from_user = profile::role)]
                    role: Role,
                }
            ),
            "`from_user` names one field of the user",
        ),
        (
            quote!(user = User),
            quote!(
                struct AppAuth {
                    #[claim(derive = "permissions")]
                    permissions: Vec<Permission>,
                }
            ),
            "`derive` calls a function with the claims it is computed from",
        ),
    ];
    for (args, item, expected) in cases {
        let errors = run(args, item);
        assert_eq!(errors.len(), 1, "{expected}: {:?}", errors.messages());
        assert!(
            errors.messages()[0].contains(expected),
            "{expected}: {:?}",
            errors.messages()
        );
    }
}

#[test]
fn typescript_is_a_flag() {
    let errors = run(
        quote!(user = User, typescript = true),
        quote!(
            struct AppAuth;
        ),
    );
    let messages = errors.messages();
    assert!(
        messages
            .iter()
            .any(|message| message.contains("`typescript` is a flag and takes no value")),
        "{messages:?}"
    );
}

/// The key derives ts-rs's `TS` through the runtime, which has it only with its feature
/// (forwarded here): without it, one error says which feature to turn on.
#[test]
fn typescript_is_accepted_exactly_with_the_feature() {
    let errors = run(
        quote!(user = User, typescript),
        quote!(
            struct AppAuth;
        ),
    );
    if cfg!(feature = "typescript") {
        assert!(errors.is_empty(), "{:?}", errors.messages());
    } else {
        assert_eq!(errors.len(), 1, "{:?}", errors.messages());
        assert!(
            errors.messages()[0].contains("needs the `typescript` feature of auth-runtime"),
            "{:?}",
            errors.messages()
        );
    }
}
