//! [`Pages`]: the custom pages replacing the built-in sign-in, sign-out and error pages.

/// Where the sign-in, sign-out and error pages live: `None` serves the built-in page, a URL
/// (a path on this site, like `/login`) redirects there instead.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pages {
    /// Replaces `GET <base>/signin`; errors of sign-in go there as `?error=…`.
    pub sign_in: Option<&'static str>,
    /// Replaces `GET <base>/signout`.
    pub sign_out: Option<&'static str>,
    /// Replaces `GET <base>/error`, which receives `?error=<code>`.
    pub error: Option<&'static str>,
}

impl Pages {
    /// Every page built in.
    pub const BUILT_IN: Self = Self {
        sign_in: None,
        sign_out: None,
        error: None,
    };
}
