//! [`ErrorCode`]: the error codes that may appear in a URL (`?error=…`).

use std::fmt;

use poem::http::StatusCode;

/// An error code the auth routes put in a URL, as Auth.js names it. Only these reach a URL
/// or a page: a code read from a query string is one of them or is not shown at all.
///
/// Sign-in errors ([`ErrorCode::is_sign_in_error`]) are shown on the sign-in page, the others
/// on the error page.
///
/// As in Auth.js v5, an OAuth sign-in's codes are `OAuthCallbackError` (the provider answered
/// the callback with an error, or refused the code) and `Configuration` (the sign-in could not
/// start, a check cookie or the `id_token` was refused, the provider was not reached). The v4
/// codes `OAuthSignin`, `OAuthCallback`, `OAuthCreateAccount` and `Callback` are never sent,
/// and are not shown when a URL carries them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// The server is misconfigured, or something failed that the user cannot fix (500).
    Configuration,
    /// The `sign_in` or `jwt` callback refused the user (403).
    AccessDenied,
    /// A verification token (email link) is invalid or used up (403).
    Verification,
    /// The credentials provider refused the credentials (sign-in page).
    CredentialsSignin,
    /// A POST without a valid CSRF token (sign-in page).
    MissingCsrf,
    /// An OAuth provider answered with an error (sign-in page).
    OAuthCallbackError,
    /// The email belongs to an account linked to another provider (sign-in page).
    OAuthAccountNotLinked,
    /// The account is not linked to the user (sign-in page).
    AccountNotLinked,
    /// Too many failed sign-in attempts (429). Not an Auth.js code: this library's own.
    RateLimited,
    /// The shared store (Redis) that counts sign-in attempts did not answer, so the attempt
    /// was refused rather than let through unlimited (503). Not an Auth.js code.
    Unavailable,
}

impl ErrorCode {
    /// Every code, for tests and documentation.
    pub const ALL: [Self; 10] = [
        Self::Configuration,
        Self::AccessDenied,
        Self::Verification,
        Self::CredentialsSignin,
        Self::MissingCsrf,
        Self::OAuthCallbackError,
        Self::OAuthAccountNotLinked,
        Self::AccountNotLinked,
        Self::RateLimited,
        Self::Unavailable,
    ];

    /// The code as it appears in a URL: `CredentialsSignin`, `MissingCSRF`, …
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Configuration => "Configuration",
            Self::AccessDenied => "AccessDenied",
            Self::Verification => "Verification",
            Self::CredentialsSignin => "CredentialsSignin",
            Self::MissingCsrf => "MissingCSRF",
            Self::OAuthCallbackError => "OAuthCallbackError",
            Self::OAuthAccountNotLinked => "OAuthAccountNotLinked",
            Self::AccountNotLinked => "AccountNotLinked",
            Self::RateLimited => "RateLimited",
            Self::Unavailable => "Unavailable",
        }
    }

    /// The code named exactly `text` (case-sensitive), or `None` for anything else.
    pub fn from_query(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|code| code.as_str() == text)
    }

    /// Whether the code belongs on the sign-in page (`/signin?error=…`) rather than on the
    /// error page (`/error?error=…`).
    pub fn is_sign_in_error(self) -> bool {
        matches!(
            self,
            Self::CredentialsSignin
                | Self::MissingCsrf
                | Self::OAuthCallbackError
                | Self::OAuthAccountNotLinked
                | Self::AccountNotLinked
        )
    }

    /// The status of the built-in error page for this code: 500 for `Configuration`, 403 for
    /// `AccessDenied` and `Verification`, 429 for `RateLimited`, 503 for `Unavailable`, else 200.
    pub fn status(self) -> StatusCode {
        match self {
            Self::Configuration => StatusCode::INTERNAL_SERVER_ERROR,
            Self::AccessDenied | Self::Verification => StatusCode::FORBIDDEN,
            Self::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::OK,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_nothing_else_parses() {
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::from_query(code.as_str()), Some(code));
        }
        for other in [
            "",
            "configuration",
            "MissingCsrf",
            "<script>",
            "Configuration ",
            "OAuthSignin",
            "OAuthCallback",
        ] {
            assert_eq!(ErrorCode::from_query(other), None, "{other:?}");
        }
    }

    #[test]
    fn statuses_follow_auth_js_and_rate_limits_are_429() {
        assert_eq!(ErrorCode::Configuration.status(), 500);
        assert_eq!(ErrorCode::AccessDenied.status(), 403);
        assert_eq!(ErrorCode::Verification.status(), 403);
        assert_eq!(ErrorCode::RateLimited.status(), 429);
        assert_eq!(ErrorCode::Unavailable.status(), 503);
        assert_eq!(ErrorCode::CredentialsSignin.status(), 200);
    }
}
