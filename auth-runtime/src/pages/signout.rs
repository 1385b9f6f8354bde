//! The built-in sign-out confirmation page: a POST form, since a GET must change nothing.

use std::fmt::Write as _;

use super::layout::{escape, hidden_input, page};

/// What the sign-out page shows.
pub(crate) struct SignOutPage<'a> {
    /// The absolute URL of the auth routes (`https://app.example/api/auth`).
    pub(crate) base_url: &'a str,
    /// The CSRF token for the form.
    pub(crate) csrf_token: &'a str,
    /// Where to go after signing out, already checked; no field when `None`.
    pub(crate) callback_url: Option<&'a str>,
}

/// The page's HTML.
pub(crate) fn render(view: &SignOutPage<'_>) -> String {
    let mut main = String::from("<h1>Sign out</h1>\n<p>Are you sure you want to sign out?</p>\n");
    let action = format!("{}/signout", view.base_url);
    let _ = writeln!(
        main,
        "<form method=\"post\" action=\"{}\">",
        escape(&action)
    );
    hidden_input(&mut main, "csrfToken", view.csrf_token);
    if let Some(callback_url) = view.callback_url {
        hidden_input(&mut main, "callbackUrl", callback_url);
    }
    main.push_str("<button type=\"submit\">Sign out</button>\n</form>\n");
    page("Sign out", &main)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_posts_the_csrf_token_and_callback_url() {
        let html = render(&SignOutPage {
            base_url: "https://app.example/api/auth",
            csrf_token: "abc",
            callback_url: Some("https://app.example/bye"),
        });
        assert!(html.contains("Are you sure you want to sign out?"));
        assert!(
            html.contains("<form method=\"post\" action=\"https://app.example/api/auth/signout\">")
        );
        assert!(html.contains("name=\"csrfToken\" value=\"abc\""));
        assert!(html.contains("name=\"callbackUrl\" value=\"https://app.example/bye\""));
    }
}
