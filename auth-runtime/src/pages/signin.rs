//! The built-in sign-in page: one section per provider, a form for each credentials provider.

use std::fmt::Write as _;

use super::error_code::ErrorCode;
use super::layout::{escape, hidden_input, page};
use crate::schema::{CredentialField, ProviderInfo, ProviderKind};

/// What the sign-in page shows.
pub(crate) struct SignInPage<'a> {
    /// The absolute URL of the auth routes (`https://app.example/api/auth`).
    pub(crate) base_url: &'a str,
    /// The providers, in declaration order.
    pub(crate) providers: &'a [ProviderInfo],
    /// The CSRF token for the forms.
    pub(crate) csrf_token: &'a str,
    /// Where to go after signing in, already checked; no field when `None`.
    pub(crate) callback_url: Option<&'a str>,
    /// The `error` query parameter as given. Only ever mapped to a fixed message, never shown.
    pub(crate) error: Option<&'a str>,
}

/// The message for the `error` query parameter: fixed per known code, generic otherwise.
fn error_message(error: &str) -> &'static str {
    match ErrorCode::from_query(error) {
        Some(ErrorCode::CredentialsSignin) => {
            "Sign in failed. Check the details you provided are correct."
        }
        Some(ErrorCode::MissingCsrf) => "The sign-in form expired. Please try again.",
        Some(ErrorCode::AccessDenied) => "You do not have permission to sign in.",
        Some(ErrorCode::RateLimited) => "Too many attempts. Try again later.",
        Some(ErrorCode::OAuthAccountNotLinked | ErrorCode::AccountNotLinked) => {
            "To confirm your identity, sign in with the same account you used originally."
        }
        Some(ErrorCode::OAuthCallbackError) => "Try signing in with a different account.",
        _ => "Unable to sign in.",
    }
}

/// The page's HTML.
pub(crate) fn render(view: &SignInPage<'_>) -> String {
    let mut main = String::from("<h1>Sign in</h1>\n");
    if let Some(error) = view.error {
        let _ = writeln!(
            main,
            "<p class=\"error\" role=\"alert\">{}</p>",
            escape(error_message(error))
        );
    }
    for provider in view.providers {
        main.push_str("<section>\n");
        match provider.kind {
            ProviderKind::Credentials => credentials_form(&mut main, view, provider),
            ProviderKind::Oidc | ProviderKind::OAuth => provider_button(&mut main, view, provider),
        }
        main.push_str("</section>\n");
    }
    page("Sign in", &main)
}

/// A button starting an OAuth provider's sign-in: a form POST to `<base>/signin/<id>` with
/// the CSRF token, no script.
fn provider_button(html: &mut String, view: &SignInPage<'_>, provider: &ProviderInfo) {
    let action = format!("{}/signin/{}", view.base_url, provider.id);
    let _ = writeln!(
        html,
        "<form method=\"post\" action=\"{}\">",
        escape(&action)
    );
    hidden_input(html, "csrfToken", view.csrf_token);
    if let Some(callback_url) = view.callback_url {
        hidden_input(html, "callbackUrl", callback_url);
    }
    let _ = writeln!(
        html,
        "<button type=\"submit\">Sign in with {}</button>\n</form>",
        escape(provider.name)
    );
}

/// A form posting the provider's fields to `<base>/callback/<id>`.
fn credentials_form(html: &mut String, view: &SignInPage<'_>, provider: &ProviderInfo) {
    let action = format!("{}/callback/{}", view.base_url, provider.id);
    let _ = writeln!(
        html,
        "<form method=\"post\" action=\"{}\">",
        escape(&action)
    );
    hidden_input(html, "csrfToken", view.csrf_token);
    if let Some(callback_url) = view.callback_url {
        hidden_input(html, "callbackUrl", callback_url);
    }
    let identifier = provider.fields.iter().find(|field| !field.secret);
    for field in provider.fields {
        let is_identifier = identifier.is_some_and(|first| first.name == field.name);
        field_input(html, provider, field, is_identifier);
    }
    let _ = writeln!(
        html,
        "<button type=\"submit\">Sign in with {}</button>\n</form>",
        escape(provider.name)
    );
}

/// A label and its input: a password input for secret fields, an email input for a field
/// named `email`, text otherwise. The identifier (first non-secret field) autocompletes as
/// the username, a secret as the current password.
fn field_input(
    html: &mut String,
    provider: &ProviderInfo,
    field: &CredentialField,
    is_identifier: bool,
) {
    let id = format!("{}-{}", provider.id, field.name);
    let (kind, autocomplete) = if field.secret {
        ("password", Some("current-password"))
    } else if field.name == "email" {
        ("email", is_identifier.then_some("username"))
    } else {
        ("text", is_identifier.then_some("username"))
    };
    let _ = writeln!(
        html,
        "<label for=\"{id}\">{label}</label>",
        id = escape(&id),
        label = escape(field.label)
    );
    let _ = write!(
        html,
        "<input id=\"{id}\" name=\"{name}\" type=\"{kind}\"",
        id = escape(&id),
        name = escape(field.name)
    );
    if let Some(autocomplete) = autocomplete {
        let _ = write!(html, " autocomplete=\"{autocomplete}\"");
    }
    html.push_str(">\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIELDS: &[CredentialField] = &[
        CredentialField {
            name: "email",
            label: "Email <address>",
            secret: false,
        },
        CredentialField {
            name: "password",
            label: "Password",
            secret: true,
        },
    ];

    const PROVIDERS: &[ProviderInfo] = &[ProviderInfo {
        id: "credentials",
        name: "Email & password",
        kind: ProviderKind::Credentials,
        fields: FIELDS,
    }];

    fn view(error: Option<&'static str>) -> SignInPage<'static> {
        SignInPage {
            base_url: "https://app.example/api/auth",
            providers: PROVIDERS,
            csrf_token: "0123abcd",
            callback_url: Some("https://app.example/x?a=1&b=\"2\""),
            error,
        }
    }

    #[test]
    fn credentials_form_has_typed_fields_csrf_and_callback() {
        let html = render(&view(None));
        assert!(html.contains(
            "<form method=\"post\" action=\"https://app.example/api/auth/callback/credentials\">"
        ));
        assert!(html.contains("<input type=\"hidden\" name=\"csrfToken\" value=\"0123abcd\">"));
        assert!(html.contains(
            "name=\"callbackUrl\" value=\"https://app.example/x?a=1&amp;b=&quot;2&quot;\""
        ));
        assert!(html.contains(
            "<input id=\"credentials-email\" name=\"email\" type=\"email\" autocomplete=\"username\">"
        ));
        assert!(
            html.contains("name=\"password\" type=\"password\" autocomplete=\"current-password\">")
        );
        assert!(html.contains("<label for=\"credentials-email\">Email &lt;address&gt;</label>"));
        assert!(html.contains("Sign in with Email &amp; password</button>"));
        assert!(!html.contains("class=\"error\""));
    }

    #[test]
    fn an_oidc_provider_is_a_button_posting_the_csrf_token() {
        let providers = [ProviderInfo {
            id: "corp",
            name: "Corp <SSO>",
            kind: ProviderKind::Oidc,
            fields: &[],
        }];
        let html = render(&SignInPage {
            providers: &providers,
            ..view(None)
        });
        assert!(html.contains(
            "<form method=\"post\" action=\"https://app.example/api/auth/signin/corp\">"
        ));
        assert!(html.contains("<input type=\"hidden\" name=\"csrfToken\" value=\"0123abcd\">"));
        assert!(html.contains("Sign in with Corp &lt;SSO&gt;</button>"));
        assert!(!html.contains("<script"));
    }

    #[test]
    fn errors_show_fixed_messages_only() {
        let html = render(&view(Some("CredentialsSignin")));
        assert!(html.contains("Sign in failed. Check the details you provided are correct."));
        for unknown in ["<script>alert(1)</script>", "SomethingElse"] {
            let html = render(&view(Some(unknown)));
            assert!(html.contains("Unable to sign in."));
            assert!(!html.contains("script>alert") && !html.contains("SomethingElse"));
        }
    }
}
