//! The built-in error page: a fixed heading and message per known code, a generic one
//! otherwise, and a link back to the sign-in page.

use std::fmt::Write as _;

use super::error_code::ErrorCode;
use super::layout::{escape, page};

/// The heading and message for `code`; `None` (no code, or one not known) is generic.
fn heading_and_message(code: Option<ErrorCode>) -> (&'static str, &'static str) {
    match code {
        Some(ErrorCode::Configuration) => (
            "Server error",
            "There is a problem with the server configuration. Check the server logs for more \
             information.",
        ),
        Some(ErrorCode::AccessDenied) => {
            ("Access denied", "You do not have permission to sign in.")
        }
        Some(ErrorCode::Verification) => (
            "Unable to sign in",
            "The sign-in link is no longer valid. It may have been used already or it may have \
             expired.",
        ),
        Some(ErrorCode::RateLimited) => {
            ("Too many attempts", "Too many attempts. Try again later.")
        }
        Some(ErrorCode::Unavailable) => (
            "Sign-in unavailable",
            "Sign-in is unavailable for a moment. Try again shortly.",
        ),
        _ => ("Error", "Unable to sign in."),
    }
}

/// The page's HTML for `code`, linking to `sign_in_url` (an absolute URL on this site).
pub(crate) fn render(code: Option<ErrorCode>, sign_in_url: &str) -> String {
    let (heading, message) = heading_and_message(code);
    let mut main = String::new();
    let _ = writeln!(
        main,
        "<h1>{}</h1>\n<p>{}</p>\n<p><a href=\"{}\">Sign in</a></p>",
        escape(heading),
        escape(message),
        escape(sign_in_url)
    );
    page(heading, &main)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_have_their_messages_and_others_a_generic_one() {
        let html = render(
            Some(ErrorCode::RateLimited),
            "https://app.example/api/auth/signin",
        );
        assert!(html.contains("<h1>Too many attempts</h1>"));
        assert!(html.contains("<a href=\"https://app.example/api/auth/signin\">Sign in</a>"));
        let html = render(None, "/signin");
        assert!(html.contains("<h1>Error</h1>") && html.contains("Unable to sign in."));
    }
}
