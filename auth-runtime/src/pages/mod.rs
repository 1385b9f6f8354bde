//! The built-in HTML pages: sign-in, sign-out confirmation and error.
//!
//! Each page is a pure function of what it shows (providers, the CSRF token, a checked
//! callback URL, an error code) to an HTML string; the routes read the request, decide between
//! the built-in page and a custom one ([`AuthSchema::PAGES`](crate::schema::AuthSchema::PAGES)),
//! and send the page with its security headers. Every dynamic value is HTML-escaped, no page
//! needs JavaScript, and an error code reaches a page only as one of the fixed
//! [`ErrorCode`]s: whatever else a query string says is never shown.

mod error;
mod error_code;
mod layout;
mod signin;
mod signout;

pub use error_code::ErrorCode;

pub(crate) use error::render as render_error;
pub(crate) use layout::content_security_policy;
pub(crate) use signin::{SignInPage, render as render_sign_in};
pub(crate) use signout::{SignOutPage, render as render_sign_out};
