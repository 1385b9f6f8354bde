//! `#[provider(<kind>(...))]` on a field: the `credentials` kind here, the OAuth kinds
//! (`oidc`, `oauth` and the presets) in `oidc`.

use proc_macro2::Ident;
use syn::spanned::Spanned as _;
use syn::{Attribute, Field, Meta, Type};

use super::{ReadProvider, keyed, text};
use crate::attr::{self, CREDENTIALS_KEYS, PROVIDER_KINDS};
use crate::diag::{Errors, unknown_key};
use crate::model::{CredentialField, Provider, ProviderKind, pascal_case};

/// The provider a field declares.
pub(super) fn read_provider(
    config: &Ident,
    field: &Field,
    ident: &Ident,
    attribute: &Attribute,
    errors: &mut Errors,
) -> Option<ReadProvider> {
    let example = "#[provider(credentials(authorize = users::authorize))]";
    let kinds = match &attribute.meta {
        Meta::List(list) => errors.take(attr::parse_list(list.tokens.clone()))?,
        other => {
            errors.push(
                other.span(),
                format!("a provider names its kind: `{example}`"),
            );
            return None;
        }
    };
    let [kind] = kinds.as_slice() else {
        errors.push(
            attribute.span(),
            format!("a provider field declares exactly one provider: `{example}`"),
        );
        return None;
    };
    let kind_name = errors.take(attr::key_of(kind))?;
    match kind_name.as_str() {
        "credentials" => read_credentials(config, ident, &field.ty, kind, errors),
        other => {
            if let Some(oauth) = super::oidc::Kind::of(other) {
                return super::oidc::read_oauth_kind(oauth, ident, &field.ty, kind, errors);
            }
            errors.push(
                kind.path().span(),
                unknown_key("provider kind", other, PROVIDER_KINDS),
            );
            None
        }
    }
}

/// `credentials(authorize = …, id = "…", name = "…", fields(…))`.
fn read_credentials(
    config: &Ident,
    ident: &Ident,
    ty: &Type,
    meta: &Meta,
    errors: &mut Errors,
) -> Option<ReadProvider> {
    let example = "credentials(authorize = users::authorize)";
    let mut authorize = None;
    let mut id = None;
    let mut name = None;
    let mut fields = None;
    let list = errors.take(attr::nested(meta, "credentials", example))?;
    for (key, inner) in keyed(&list, errors) {
        match key.as_str() {
            "authorize" => {
                authorize = errors.take(attr::path_value(inner, "authorize", example));
            }
            "id" => id = text(inner, "id", "id = \"credentials\"", errors),
            "name" => {
                name = text(inner, "name", "name = \"Email and password\"", errors)
                    .map(|name| name.value);
            }
            "fields" => fields = read_form_fields(inner, errors),
            other => errors.push(
                inner.path().span(),
                unknown_key("key", other, CREDENTIALS_KEYS),
            ),
        }
    }
    let Some(authorize) = authorize else {
        errors.push(
            meta.span(),
            format!("a credentials provider needs `authorize = …`: `{example}`"),
        );
        return None;
    };
    let form = form_name(config, ident);
    let id_is_field_name = id.is_none();
    let (id, id_span) = id.map_or_else(
        || (ident.to_string(), ident.span()),
        |id| (id.value, id.span),
    );
    Some(ReadProvider {
        provider: Provider {
            id,
            name: Some(name.unwrap_or_else(|| "Credentials".to_owned())),
            ty: ty.clone(),
            kind: ProviderKind::Credentials {
                authorize,
                form,
                fields: fields.unwrap_or_else(|| default_form_fields(ident)),
            },
        },
        field: ident.clone(),
        id_span,
        id_is_field_name,
        refresh_span: None,
    })
}

/// `<Config><Field>Form`, e.g. `AppAuthCredentialsForm`: the typed form of a credentials
/// provider.
pub(crate) fn form_name(config: &Ident, field: &Ident) -> Ident {
    Ident::new(
        &format!("{config}{}Form", pascal_case(&field.to_string())),
        field.span(),
    )
}

/// `email` and `password`, as Auth.js's credentials provider asks by default.
pub(crate) fn default_form_fields(ident: &Ident) -> Vec<CredentialField> {
    vec![
        CredentialField {
            name: Ident::new("email", ident.span()),
            label: "Email".to_owned(),
            secret: false,
        },
        CredentialField {
            name: Ident::new("password", ident.span()),
            label: "Password".to_owned(),
            secret: true,
        },
    ]
}

/// `fields(email = "Email", password = "Password")`: the form's fields and labels.
fn read_form_fields(meta: &Meta, errors: &mut Errors) -> Option<Vec<CredentialField>> {
    let example = "fields(email = \"Email\", password = \"Password\")";
    let mut fields: Vec<CredentialField> = Vec::new();
    for inner in errors.take(attr::nested(meta, "fields", example))? {
        let Some(ident) = inner.path().get_ident().cloned() else {
            errors.push(
                inner.path().span(),
                "a form field is named by an identifier",
            );
            continue;
        };
        let Some(label) = text(&inner, "fields", example, errors) else {
            continue;
        };
        if fields.iter().any(|field| field.name == ident) {
            errors.push(
                ident.span(),
                format!("duplicate form field `{ident}`: give it once"),
            );
            continue;
        }
        fields.push(CredentialField {
            secret: ident == "password",
            name: ident,
            label: label.value,
        });
    }
    if fields.is_empty() {
        errors.push(
            meta.span(),
            format!("a credentials form needs fields: `{example}`"),
        );
        return None;
    }
    Some(fields)
}
