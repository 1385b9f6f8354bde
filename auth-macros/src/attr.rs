//! The keys our attributes accept, and readers for their values.
//!
//! Every keyword lives here, so the parser and the "did you mean" suggestions read the same
//! lists.

use proc_macro2::Span;
use syn::parse::Parser as _;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned as _;
use syn::{Expr, ExprLit, Lit, Meta, Path, Token, Type};

/// Keys of `#[auth_config(...)]`.
pub(crate) const CONFIG_KEYS: &[&str] = &[
    "base_path",
    "user",
    "state",
    "session",
    "callbacks",
    "events",
    "pages",
    "rate_limit",
    "typescript",
    "tokens",
    "crate",
];
/// Keys of `tokens(...)`: the kinds of token besides the session cookie.
pub(crate) const TOKENS_KEYS: &[&str] = &["bearer"];
/// Keys of `tokens(bearer(...))`.
pub(crate) const BEARER_KEYS: &[&str] = &["alg", "ttl", "audience", "accept"];
/// The algorithms bearer tokens are signed with, with the runtime's variant of each.
pub(crate) const BEARER_ALGORITHMS: &[(&str, &str)] =
    &[("EdDSA", "EdDsa"), ("ES256", "Es256"), ("HS256", "Hs256")];
/// The values of `tokens(bearer(accept = …))`, with the runtime's variant of each.
pub(crate) const BEARER_ACCEPT: &[(&str, &str)] =
    &[("both", "Both"), ("bearer", "Bearer"), ("cookie", "Cookie")];
/// Keys of `session(...)`.
pub(crate) const SESSION_KEYS: &[&str] = &["max_age", "update_age"];
/// Keys of `pages(...)`.
pub(crate) const PAGE_KEYS: &[&str] = &["sign_in", "sign_out", "error"];
/// Keys of `rate_limit(...)`.
pub(crate) const RATE_LIMIT_KEYS: &[&str] = &["sign_in"];
/// Keys of `callbacks(...)`.
pub(crate) const CALLBACK_KEYS: &[&str] = &["sign_in", "jwt", "session", "redirect"];
/// Provider kinds of `#[provider(<kind>(...))]`.
pub(crate) const PROVIDER_KINDS: &[&str] = &[
    "credentials",
    "oidc",
    "oauth",
    "github",
    "google",
    "gitlab",
    "entra",
];

/// The presets among the provider kinds. Their data (name, issuer or endpoints, scopes,
/// profile mapping) is the runtime's `presets` module; the macro knows only what it checks at
/// compile time: the default id (ids are checked for validity and uniqueness here), whether
/// the preset is OpenID Connect, and the names to emit.
pub(crate) const PRESETS: &[Preset] = &[
    Preset {
        keyword: "github",
        id: "github",
        oidc: false,
        konst: "GITHUB",
        check: "GitHubProviderType",
        example: "github(profile = users::from_github)",
    },
    Preset {
        keyword: "google",
        id: "google",
        oidc: true,
        konst: "GOOGLE",
        check: "GoogleProviderType",
        example: "google(profile = users::from_google)",
    },
    Preset {
        keyword: "gitlab",
        id: "gitlab",
        oidc: true,
        konst: "GITLAB",
        check: "GitLabProviderType",
        example: "gitlab(profile = users::from_gitlab)",
    },
    Preset {
        keyword: "entra",
        id: "microsoft-entra-id",
        oidc: true,
        konst: "ENTRA",
        check: "EntraProviderType",
        example: "entra(profile = users::from_entra)",
    },
];

/// A preset provider kind, as the macro sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Preset {
    /// The kind's keyword: `github` in `#[provider(github(...))]`.
    pub(crate) keyword: &'static str,
    /// The default id (Auth.js's): `github`, `microsoft-entra-id`.
    pub(crate) id: &'static str,
    /// Whether it is OpenID Connect (else plain OAuth 2).
    pub(crate) oidc: bool,
    /// Its row in `auth_runtime::__private::presets`.
    pub(crate) konst: &'static str,
    /// The trait its field's type implements.
    pub(crate) check: &'static str,
    /// A declaration to show in errors.
    pub(crate) example: &'static str,
}

/// The keys inside `#[provider(oauth(...))]` and `github(...)`.
pub(crate) const OAUTH_KEYS: &[&str] = &[
    "profile",
    "id",
    "name",
    "scopes",
    "authorization",
    "token",
    "userinfo",
    "params",
    "refresh",
    "refresh_skew",
    "required",
];

/// The keys inside `#[provider(oidc(...))]`.
pub(crate) const OIDC_KEYS: &[&str] = &[
    "profile",
    "issuer",
    "id",
    "name",
    "scopes",
    "authorization",
    "token",
    "userinfo",
    "params",
    "refresh",
    "refresh_skew",
    "required",
];
/// Keys of `credentials(...)`.
pub(crate) const CREDENTIALS_KEYS: &[&str] = &["authorize", "id", "name", "fields"];
/// Keys of `#[claim(...)]`.
pub(crate) const CLAIM_KEYS: &[&str] = &[
    "from_user",
    "from_account",
    "derive",
    "private",
    "session",
    "update",
    "rename",
];
/// The account fields `#[claim(from_account = …)]` copies: Auth.js's `account` names.
pub(crate) const ACCOUNT_FIELDS: &[&str] = &[
    "access_token",
    "refresh_token",
    "expires_at",
    "id_token",
    "scope",
    "provider",
];
/// Where `#[claim(from_account = …, session = …)]` places a claim in the session JSON.
pub(crate) const SESSION_PLACES: &[&str] = &["top", "user"];
/// The session JSON's own top-level members, which a `session = top` claim cannot take.
pub(crate) const SESSION_TOP_LEVEL_MEMBERS: &[&str] = &["user", "expires", "error"];
/// The standard members of the session's `user`, which a session-only field cannot take.
pub(crate) const SESSION_USER_MEMBERS: &[&str] = &["name", "email", "image"];
/// Keys of `#[session_field(...)]`.
pub(crate) const SESSION_FIELD_KEYS: &[&str] = &["top", "rename"];
/// Field attributes we read.
pub(crate) const FIELD_ATTRIBUTES: &[&str] = &["claim", "provider", "session_field"];

/// The metas of an attribute's argument list, e.g. the `a, b = 1` of `x(a, b = 1)`.
pub(crate) fn parse_list(tokens: proc_macro2::TokenStream) -> syn::Result<Vec<Meta>> {
    Punctuated::<Meta, Token![,]>::parse_terminated
        .parse2(tokens)
        .map(|list| list.into_iter().collect())
}

/// The key of a meta (`max_age` in `max_age = "7d"`), when it is a single identifier.
pub(crate) fn key_of(meta: &Meta) -> syn::Result<String> {
    meta.path()
        .get_ident()
        .map(ToString::to_string)
        .ok_or_else(|| syn::Error::new(meta.path().span(), "expected a key, not a path"))
}

/// The list inside `key(...)`.
pub(crate) fn nested(meta: &Meta, key: &str, example: &str) -> syn::Result<Vec<Meta>> {
    match meta {
        Meta::List(list) => parse_list(list.tokens.clone()),
        _ => Err(syn::Error::new(
            meta.span(),
            format!("`{key}` takes a list: `{example}`"),
        )),
    }
}

fn value_of<'a>(meta: &'a Meta, key: &str, example: &str) -> syn::Result<&'a Expr> {
    match meta {
        Meta::NameValue(name_value) => Ok(&name_value.value),
        _ => Err(syn::Error::new(
            meta.span(),
            format!("`{key}` takes a value: `{example}`"),
        )),
    }
}

/// The string of `key = "…"`, with its span.
pub(crate) fn string_value(meta: &Meta, key: &str, example: &str) -> syn::Result<(String, Span)> {
    match value_of(meta, key, example)? {
        Expr::Lit(ExprLit {
            lit: Lit::Str(string),
            ..
        }) => Ok((string.value(), string.span())),
        other => Err(syn::Error::new(
            other.span(),
            format!("`{key}` takes a string: `{example}`"),
        )),
    }
}

/// The path of `key = some::path`.
pub(crate) fn path_value(meta: &Meta, key: &str, example: &str) -> syn::Result<Path> {
    match value_of(meta, key, example)? {
        Expr::Path(path) if path.qself.is_none() => Ok(path.path.clone()),
        other => Err(syn::Error::new(
            other.span(),
            format!("`{key}` takes a path: `{example}`"),
        )),
    }
}

/// The type of `key = some::Type`.
pub(crate) fn type_value(meta: &Meta, key: &str, example: &str) -> syn::Result<Type> {
    let expr = value_of(meta, key, example)?;
    syn::parse2::<Type>(quote::ToTokens::to_token_stream(expr))
        .map_err(|_| syn::Error::new(expr.span(), format!("`{key}` takes a type: `{example}`")))
}

/// The expression of `key = …`.
pub(crate) fn expr_value<'a>(meta: &'a Meta, key: &str, example: &str) -> syn::Result<&'a Expr> {
    value_of(meta, key, example)
}

/// Checks that `key` is a bare flag (`private`, not `private = …`).
pub(crate) fn flag(meta: &Meta, key: &str) -> syn::Result<()> {
    match meta {
        Meta::Path(_) => Ok(()),
        _ => Err(syn::Error::new(
            meta.span(),
            format!("`{key}` is a flag and takes no value: write `{key}`"),
        )),
    }
}
