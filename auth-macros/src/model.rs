//! The meaning of a valid configuration: what `validate` produces and `expand` consumes.

pub(crate) use crate::attr::Preset;
use proc_macro2::Ident;
use syn::{Attribute, Path, Type, Visibility};

/// A whole `#[auth_config]` configuration.
pub(crate) struct Config {
    /// The config struct's name, e.g. `AppAuth`.
    pub(crate) name: Ident,
    pub(crate) vis: Visibility,
    /// The struct's own attributes (docs and others), carried over.
    pub(crate) attrs: Vec<Attribute>,
    /// The path to the runtime crate (`::auth_runtime` unless `crate = …`).
    pub(crate) krate: Path,
    pub(crate) base_path: String,
    pub(crate) user: Type,
    pub(crate) state: Type,
    pub(crate) max_age_secs: u64,
    /// How old a token must be before a read re-issues it; 0: on every read.
    pub(crate) update_age_secs: u64,
    pub(crate) callbacks: Callbacks,
    pub(crate) events: Option<Path>,
    pub(crate) pages: Pages,
    /// Failed sign-ins allowed per window: (attempts, window in seconds).
    pub(crate) sign_in_rate_limit: Option<(u32, u64)>,
    pub(crate) providers: Vec<Provider>,
    pub(crate) claims: Vec<Claim>,
    /// Fields of the session only (`#[session_field]`), filled by the `session` callback.
    pub(crate) session_fields: Vec<SessionField>,
    /// `typescript`: the generated types derive ts-rs's `TS` and `TypeScriptSchema` is
    /// implemented.
    pub(crate) typescript: bool,
    /// `tokens(bearer(...))`: signed bearer tokens, if declared.
    pub(crate) bearer: Option<Bearer>,
}

/// `tokens(bearer(...))`, with its defaults filled in.
pub(crate) struct Bearer {
    /// The runtime's `BearerAlgorithm` variant, e.g. `EdDsa`.
    pub(crate) algorithm: &'static str,
    pub(crate) ttl_secs: u64,
    pub(crate) audience: String,
    /// The runtime's `BearerAccept` variant, e.g. `Both`.
    pub(crate) accept: &'static str,
}

/// Custom page paths; `None` means the built-in page.
#[derive(Default)]
pub(crate) struct Pages {
    pub(crate) sign_in: Option<String>,
    pub(crate) sign_out: Option<String>,
    pub(crate) error: Option<String>,
}

impl Pages {
    pub(crate) fn is_built_in(&self) -> bool {
        self.sign_in.is_none() && self.sign_out.is_none() && self.error.is_none()
    }
}

/// The user's callbacks; `None` means the runtime default.
#[derive(Default)]
pub(crate) struct Callbacks {
    pub(crate) sign_in: Option<Path>,
    pub(crate) jwt: Option<Path>,
    pub(crate) session: Option<Path>,
    pub(crate) redirect: Option<Path>,
}

/// One provider field.
pub(crate) struct Provider {
    /// The id in URLs, e.g. `credentials`.
    pub(crate) id: String,
    /// The name on the sign-in page; `None`: the preset's.
    pub(crate) name: Option<String>,
    /// The field's type, checked to be the kind's marker type.
    pub(crate) ty: Type,
    pub(crate) kind: ProviderKind,
}

pub(crate) enum ProviderKind {
    Credentials {
        authorize: Path,
        /// The form type generated for it, e.g. `AppAuthCredentialsForm`.
        form: Ident,
        fields: Vec<CredentialField>,
    },
    /// `oidc(...)`, or an OpenID Connect preset (`google(...)`, …).
    Oidc {
        /// The function from `&OAuthProfile` (and the state) to the user.
        profile: Path,
        /// The issuer, unless it comes from the preset or `AUTH_<ID>_ISSUER`.
        issuer: Option<String>,
        /// The scopes, space-separated; `None`: the preset's.
        scopes: Option<String>,
        /// Endpoint overrides.
        endpoints: OidcEndpoints,
        /// Extra authorization parameters: `params(access_type = "offline")`.
        params: Vec<(String, String)>,
        /// `refresh`: the access token refreshed this many seconds before it expires
        /// (`refresh_skew`); `None`: not refreshed.
        refresh: Option<u64>,
        /// Whether start-up fails without its variables.
        required: bool,
        /// The preset it starts from, if any.
        preset: Option<Preset>,
    },
    /// `oauth(...)`, or a plain OAuth 2 preset (`github(...)`).
    OAuth {
        /// The function from `&OAuthProfile` (and the state) to the user.
        profile: Path,
        /// The scopes, space-separated; `None`: the preset's (or none).
        scopes: Option<String>,
        /// The endpoints (all three given for `oauth(...)`; overrides of a preset's).
        endpoints: OidcEndpoints,
        /// Extra authorization parameters.
        params: Vec<(String, String)>,
        /// `refresh`: the access token refreshed this many seconds before it expires
        /// (`refresh_skew`); `None`: not refreshed.
        refresh: Option<u64>,
        /// Whether start-up fails without its variables.
        required: bool,
        /// The preset it starts from, if any.
        preset: Option<Preset>,
    },
}

impl ProviderKind {
    /// Whether the provider refreshes its access tokens (`refresh`).
    pub(crate) fn refreshes(&self) -> bool {
        match self {
            Self::Credentials { .. } => false,
            Self::Oidc { refresh, .. } | Self::OAuth { refresh, .. } => refresh.is_some(),
        }
    }
}

/// The endpoints an OAuth provider gives or overrides.
#[derive(Default)]
pub(crate) struct OidcEndpoints {
    pub(crate) authorization: Option<String>,
    pub(crate) token: Option<String>,
    pub(crate) userinfo: Option<String>,
}

#[derive(Clone)]
pub(crate) struct CredentialField {
    pub(crate) name: Ident,
    pub(crate) label: String,
    /// A `password` field: typed `Password`, masked and never logged.
    pub(crate) secret: bool,
}

/// One declared claim.
pub(crate) struct Claim {
    /// The Rust field name, e.g. `tenant_id`.
    pub(crate) field: Ident,
    /// The JSON name, e.g. `tenantId`.
    pub(crate) json_name: String,
    pub(crate) ty: Type,
    /// Whether `ty` is `Option<_>`: absent in JSON means `None`.
    pub(crate) optional: bool,
    pub(crate) docs: Vec<Attribute>,
    pub(crate) source: ClaimSource,
    /// Kept in the token, never in the session.
    pub(crate) private: bool,
    /// At the top level of the session JSON (`session = top`), not in its `user`.
    pub(crate) top: bool,
    /// The check that guards client updates of this claim.
    pub(crate) update_check: Option<Path>,
}

/// A session-only field (`#[session_field]`): in the session the `session` callback shapes,
/// starting from its type's `Default` on every read, never in the token.
pub(crate) struct SessionField {
    /// The Rust field name, e.g. `features`.
    pub(crate) field: Ident,
    /// The JSON name, e.g. `features`.
    pub(crate) json_name: String,
    pub(crate) ty: Type,
    /// Whether `ty` is `Option<_>`: left out of the JSON when `None`.
    pub(crate) optional: bool,
    pub(crate) docs: Vec<Attribute>,
    /// At the top level of the session JSON (`#[session_field(top)]`), not in its `user`.
    pub(crate) top: bool,
}

pub(crate) enum ClaimSource {
    /// Copied from this field of the user at sign-in.
    FromUser(Ident),
    /// Computed by `function(&arg, …)` from other claims, at sign-in and after updates.
    Derived { function: Path, args: Vec<Ident> },
    /// Copied from the account at sign-in (`from_account = access_token`), and kept current
    /// by a refresh.
    FromAccount(AccountField),
    /// Starts as `None`; set by the `jwt` callback or an update.
    Unset,
}

/// An account field a claim copies (`from_account = …`), named as in `attr::ACCOUNT_FIELDS`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum AccountField {
    AccessToken,
    RefreshToken,
    ExpiresAt,
    IdToken,
    Scope,
    Provider,
}

impl AccountField {
    /// The field named `name`, one of `attr::ACCOUNT_FIELDS`.
    pub(crate) fn named(name: &str) -> Option<Self> {
        Some(match name {
            "access_token" => Self::AccessToken,
            "refresh_token" => Self::RefreshToken,
            "expires_at" => Self::ExpiresAt,
            "id_token" => Self::IdToken,
            "scope" => Self::Scope,
            "provider" => Self::Provider,
            _ => return None,
        })
    }

    /// Its name: the function of `__private::account_claim` that reads it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::AccessToken => "access_token",
            Self::RefreshToken => "refresh_token",
            Self::ExpiresAt => "expires_at",
            Self::IdToken => "id_token",
            Self::Scope => "scope",
            Self::Provider => "provider",
        }
    }

    /// Whether a refresh changes it (the function of `__private::refresh_claim` that does).
    pub(crate) fn refreshed(self) -> bool {
        matches!(
            self,
            Self::AccessToken | Self::RefreshToken | Self::ExpiresAt
        )
    }

    /// The claim type it fills.
    pub(crate) fn type_text(self) -> &'static str {
        match self {
            Self::ExpiresAt => "Option<i64>",
            _ => "Option<String>",
        }
    }
}

impl Config {
    /// The name of a generated type: `<Name><suffix>`, spanned at the struct's name.
    pub(crate) fn type_name(&self, suffix: &str) -> Ident {
        Ident::new(&format!("{}{suffix}", self.name), self.name.span())
    }

    /// The claims that go to the browser in the session's `user`.
    pub(crate) fn public_claims(&self) -> impl Iterator<Item = &Claim> {
        self.claims
            .iter()
            .filter(|claim| !claim.private && !claim.top)
    }

    /// The claims that go to the browser at the top level of the session (`session = top`).
    pub(crate) fn top_claims(&self) -> impl Iterator<Item = &Claim> {
        self.claims.iter().filter(|claim| claim.top)
    }

    /// The session-only fields in the session's `user`.
    pub(crate) fn user_session_fields(&self) -> impl Iterator<Item = &SessionField> {
        self.session_fields.iter().filter(|field| !field.top)
    }

    /// The session-only fields at the top level of the session (`#[session_field(top)]`).
    pub(crate) fn top_session_fields(&self) -> impl Iterator<Item = &SessionField> {
        self.session_fields.iter().filter(|field| field.top)
    }

    /// The claims copied from the account at sign-in.
    pub(crate) fn account_claims(&self) -> impl Iterator<Item = (&Claim, AccountField)> {
        self.claims.iter().filter_map(|claim| match claim.source {
            ClaimSource::FromAccount(field) => Some((claim, field)),
            _ => None,
        })
    }

    /// Whether a provider refreshes its access tokens: the token keeps them, and the session
    /// may carry `error`.
    pub(crate) fn refreshes(&self) -> bool {
        self.providers
            .iter()
            .any(|provider| provider.kind.refreshes())
    }

    /// The claims a client may update.
    pub(crate) fn updatable_claims(&self) -> impl Iterator<Item = (&Claim, &Path)> {
        self.claims
            .iter()
            .filter_map(|claim| claim.update_check.as_ref().map(|check| (claim, check)))
    }

    /// The claim named `role`, which gets a `require_role` guard.
    pub(crate) fn role_claim(&self) -> Option<&Claim> {
        self.claims.iter().find(|claim| claim.field == "role")
    }

    /// The claim named `permissions` and its element type, which get a `require` guard.
    pub(crate) fn permissions_claim(&self) -> Option<(&Claim, &Type)> {
        let claim = self
            .claims
            .iter()
            .find(|claim| claim.field == "permissions")?;
        vec_element(&claim.ty).map(|element| (claim, element))
    }
}

/// `T` of a `Vec<T>` type, read syntactically.
pub(crate) fn vec_element(ty: &Type) -> Option<&Type> {
    generic_argument_of(ty, "Vec")
}

/// Whether a type is written `Option<…>`.
pub(crate) fn is_option(ty: &Type) -> bool {
    generic_argument_of(ty, "Option").is_some()
}

fn generic_argument_of<'a>(ty: &'a Type, wrapper: &str) -> Option<&'a Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != wrapper {
        return None;
    }
    let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return None;
    };
    match arguments.args.first()? {
        syn::GenericArgument::Type(inner) if arguments.args.len() == 1 => Some(inner),
        _ => None,
    }
}

/// `tenant_id` → `tenantId`, the JavaScript convention for JSON names.
pub(crate) fn camel_case(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut upper = false;
    for c in field.trim_start_matches("r#").chars() {
        if c == '_' {
            upper = !out.is_empty();
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `tenant_id` → `TenantId`, for generated type names.
pub(crate) fn pascal_case(field: &str) -> String {
    let camel = camel_case(field);
    let mut chars = camel.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// What can still be said about a configuration with errors: the names user code refers to,
/// so that `expand::fallback` can emit them and one mistake stays one error.
pub(crate) struct Outline {
    pub(crate) name: Ident,
    pub(crate) vis: Visibility,
    /// The struct's doc attributes, carried over.
    pub(crate) docs: Vec<Attribute>,
    pub(crate) krate: Path,
    /// `user = …`, if it could be read.
    pub(crate) user: Option<Type>,
    /// `state = …`, if it could be read.
    pub(crate) state: Option<Type>,
    /// The base path as written, if it could be read.
    pub(crate) base_path: Option<String>,
    /// Every field that is not a provider, as declared: the claims.
    pub(crate) claims: Vec<(Ident, Type)>,
    /// The claims written with `session = top`, as declared: also on the session itself.
    pub(crate) top_claims: Vec<(Ident, Type)>,
    /// The session-only fields (`#[session_field]`), as declared, and whether each is `top`.
    pub(crate) session_fields: Vec<(Ident, Type, bool)>,
    /// The form of every provider field, with its fields where they could be read.
    pub(crate) forms: Vec<(Ident, Vec<CredentialField>)>,
    /// Whether `typescript` is written.
    pub(crate) typescript: bool,
}

impl Outline {
    /// The outline of an item that has a name and nothing else we can read.
    pub(crate) fn bare(name: Ident, vis: Visibility) -> Self {
        Self {
            name,
            vis,
            docs: Vec::new(),
            krate: syn::parse_quote!(::auth_runtime),
            user: None,
            state: None,
            base_path: None,
            claims: Vec::new(),
            top_claims: Vec::new(),
            session_fields: Vec::new(),
            forms: Vec::new(),
            typescript: false,
        }
    }

    /// The name of a generated type: `<Name><suffix>`, spanned at the struct's name.
    pub(crate) fn type_name(&self, suffix: &str) -> Ident {
        Ident::new(&format!("{}{suffix}", self.name), self.name.span())
    }
}
