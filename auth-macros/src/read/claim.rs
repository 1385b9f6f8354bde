//! `#[claim(...)]` on a field, or a field with no attribute (an optional claim the `jwt`
//! callback sets).

use proc_macro2::{Ident, Span};
use syn::spanned::Spanned as _;
use syn::{Attribute, Expr, Field, Meta};

use super::{ReadClaim, keyed, text};
use crate::attr::{self, ACCOUNT_FIELDS, CLAIM_KEYS, SESSION_PLACES};
use crate::diag::{Errors, unknown_key};
use crate::model::{AccountField, Claim, ClaimSource, camel_case, is_option};

/// The claim a field declares.
pub(super) fn read_claim(
    field: &Field,
    ident: &Ident,
    attribute: Option<&Attribute>,
    docs: Vec<Attribute>,
    errors: &mut Errors,
) -> Option<ReadClaim> {
    let mut source: Option<ClaimSource> = None;
    let mut private = false;
    let mut private_span = None;
    let mut session = None;
    let mut update_check = None;
    let mut rename = None;
    let mut source_written = false;
    let metas = match attribute.map(|attribute| &attribute.meta) {
        Some(Meta::List(list)) => errors.take(attr::parse_list(list.tokens.clone()))?,
        _ => Vec::new(),
    };
    for (key, meta) in keyed(&metas, errors) {
        let key_span = meta.path().span();
        match key.as_str() {
            "from_user" => {
                source_written = true;
                if let Some(from) = read_from_user(meta, ident, errors) {
                    set_source(&mut source, ClaimSource::FromUser(from), key_span, errors);
                }
            }
            "from_account" => {
                source_written = true;
                if let Some(from) = read_from_account(meta, ident, errors) {
                    set_source(
                        &mut source,
                        ClaimSource::FromAccount(from),
                        key_span,
                        errors,
                    );
                }
            }
            "derive" => {
                source_written = true;
                if let Some(derived) = read_derive(meta, errors) {
                    set_source(&mut source, derived, key_span, errors);
                }
            }
            "private" => {
                private |= errors.take(attr::flag(meta, "private")).is_some();
                private_span = Some(key_span);
            }
            "session" => session = read_session(meta, errors),
            "update" => update_check = read_update(meta, field, errors),
            "rename" => rename = text(meta, "rename", "rename = \"tenantId\"", errors),
            other => errors.push(key_span, unknown_key("key", other, CLAIM_KEYS)),
        }
    }
    let (json_name, name_span) = match rename {
        Some(rename) => (rename.value, rename.span),
        None => (camel_case(&ident.to_string()), ident.span()),
    };
    let source = source.unwrap_or(ClaimSource::Unset);
    // A provider token is private unless `session = …` exposes it.
    let from_account = matches!(source, ClaimSource::FromAccount(_));
    let top = matches!(&session, Some((place, _)) if place == "top");
    let private = private || (from_account && session.is_none());
    Some(ReadClaim {
        claim: Claim {
            field: ident.clone(),
            json_name,
            ty: field.ty.clone(),
            optional: is_option(&field.ty),
            docs,
            source,
            private,
            top,
            update_check,
        },
        name_span,
        source_written,
        private_span,
        session_span: session.map(|(_, span)| span),
    })
}

/// `from_account` (the account field of the claim's name) or `from_account = access_token`.
fn read_from_account(meta: &Meta, ident: &Ident, errors: &mut Errors) -> Option<AccountField> {
    let example = "from_account = access_token";
    let (name, span) = match meta {
        Meta::Path(path) => (ident.to_string(), path.span()),
        _ => {
            let path = errors.take(attr::path_value(meta, "from_account", example))?;
            let Some(name) = path.get_ident() else {
                errors.push(
                    path.span(),
                    format!("`from_account` names one field of the account: `{example}`"),
                );
                return None;
            };
            (name.to_string(), name.span())
        }
    };
    let field = AccountField::named(&name);
    if field.is_none() {
        errors.push(span, unknown_key("account field", &name, ACCOUNT_FIELDS));
    }
    field
}

/// `session = top` or `session = user`: where an account claim goes in the session JSON.
fn read_session(meta: &Meta, errors: &mut Errors) -> Option<(String, Span)> {
    let example = "session = top";
    let path = errors.take(attr::path_value(meta, "session", example))?;
    let Some(place) = path.get_ident() else {
        errors.push(
            path.span(),
            format!("`session` is `top` or `user`: `{example}`"),
        );
        return None;
    };
    let name = place.to_string();
    if !SESSION_PLACES.contains(&name.as_str()) {
        errors.push(
            place.span(),
            unknown_key("session place", &name, SESSION_PLACES),
        );
        return None;
    }
    Some((name, place.span()))
}

/// `from_user` (the user's field of the same name) or `from_user = other_field`.
fn read_from_user(meta: &Meta, ident: &Ident, errors: &mut Errors) -> Option<Ident> {
    match meta {
        Meta::Path(_) => Some(ident.clone()),
        _ => {
            let path = errors.take(attr::path_value(
                meta,
                "from_user",
                "from_user = user_field",
            ))?;
            let from = path.get_ident().cloned();
            if from.is_none() {
                errors.push(
                    path.span(),
                    "`from_user` names one field of the user: `from_user = user_field`",
                );
            }
            from
        }
    }
}

/// `update = path::to::check`: a bare `update` has no check and is refused.
fn read_update(meta: &Meta, field: &Field, errors: &mut Errors) -> Option<syn::Path> {
    if let Meta::Path(path) = meta {
        errors.push(
            path.span(),
            format!(
                "an updatable claim needs a check that may refuse the new value: `update = \
                 path::to::check` (an `async fn(&Token, &{}, &State) -> Result<bool, \
                 CallbackError>`)",
                quote::ToTokens::to_token_stream(&field.ty)
            ),
        );
        return None;
    }
    errors.take(attr::path_value(
        meta,
        "update",
        "update = tenants::may_switch",
    ))
}

/// Records the claim's source, or an error when it already has one.
fn set_source(
    slot: &mut Option<ClaimSource>,
    source: ClaimSource,
    span: Span,
    errors: &mut Errors,
) {
    if slot.is_some() {
        errors.push(
            span,
            "a claim has one source: `from_user`, `from_account` or `derive = …`, not two",
        );
    } else {
        *slot = Some(source);
    }
}

/// `derive = Role::permissions(role)`: a function called with references to other claims,
/// each named by an identifier (`check` makes sure they are claims).
fn read_derive(meta: &Meta, errors: &mut Errors) -> Option<ClaimSource> {
    let example = "derive = Role::permissions(role)";
    let expr = errors.take(attr::expr_value(meta, "derive", example))?;
    let Expr::Call(call) = expr else {
        errors.push(
            expr.span(),
            format!("`derive` calls a function with the claims it is computed from: `{example}`"),
        );
        return None;
    };
    let Expr::Path(function) = call.func.as_ref() else {
        errors.push(
            call.func.span(),
            format!("expected a function path: `{example}`"),
        );
        return None;
    };
    let mut args = Vec::new();
    for arg in &call.args {
        match arg {
            Expr::Path(path) if path.qself.is_none() && path.path.get_ident().is_some() => {
                args.extend(path.path.get_ident().cloned());
            }
            _ => errors.push(
                arg.span(),
                "a `derive` argument names another claim of this config",
            ),
        }
    }
    Some(ClaimSource::Derived {
        function: function.path.clone(),
        args,
    })
}
