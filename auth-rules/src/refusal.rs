//! [`Refusal`]: why a configured value breaks a rule, as a sentence both crates print.

use std::fmt;

/// Why a value breaks its rule. The text (its `Display`) is a lower-case clause that says
/// what to write instead; the caller names the value and where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Refusal {
    /// A base path that does not start with `/`.
    NoLeadingSlash,
    /// A base path ending with `/`.
    TrailingSlash,
    /// The base path `/`: the auth routes need a prefix of their own.
    RootBasePath,
    /// A base path with a character outside letters, digits, `-`, `_`, `.` and `/`.
    BasePathCharacter,
    /// A base path with an empty, `.` or `..` segment.
    BasePathSegment,
    /// An empty provider id.
    EmptyProviderId,
    /// A provider id with a character outside lower-case letters, digits, `-` and `_`.
    ProviderIdCharacter,
    /// A page that is not a plain path on this site (no leading `/`, `//host`, a backslash, white space, a
    /// control or non-ASCII character, an encoded slash, backslash or percent sign).
    PageNotSitePath,
    /// A page with a `#fragment`.
    PageFragment,
    /// A page under the base path, where it would redirect to itself or to a route that is
    /// no page.
    PageUnderBasePath,
    /// A duration that is not a number and a unit.
    DurationSyntax,
    /// A session `max_age` outside 1 minute ..= 400 days.
    MaxAgeRange,
    /// An `update_age` not shorter than the `max_age`.
    UpdateAgeNotShorter,
    /// A rate limit not of the form `"<attempts> per <duration>"`.
    RateLimitSyntax,
    /// A rate limit of zero attempts or an empty window.
    RateLimitZero,
    /// A claim whose JSON name the token already uses.
    ReservedClaimName,
    /// A provider URL that is neither https nor plain http on a loopback address.
    ProviderUrl,
    /// A bearer token lifetime outside 1 minute ..= 1 day.
    BearerTtlRange,
    /// A bearer audience that is empty or has white space or control characters.
    BearerAudience,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NoLeadingSlash => "it must start with `/`, like \"/api/auth\"",
            Self::TrailingSlash => "it must not end with `/`",
            Self::RootBasePath => "the auth routes need their own prefix, like \"/api/auth\"",
            Self::BasePathCharacter => "only letters, digits, `-`, `_`, `.` and `/` are allowed",
            Self::BasePathSegment => "it has an empty, `.` or `..` segment",
            Self::EmptyProviderId => "a provider id must not be empty",
            Self::ProviderIdCharacter => {
                "a provider id is lower-case letters, digits, `-` and `_`, like \"github\" \
                 (it is a URL path segment and an environment variable stem)"
            }
            Self::PageNotSitePath => {
                "a page is a path on this site starting with `/`, like \"/login\": not \
                 `//host`, and no backslash, space, control or non-ASCII character, encoded \
                 slash, backslash or percent sign"
            }
            Self::PageFragment => "a page must not have a `#fragment`",
            Self::PageUnderBasePath => {
                "a page must not be under the base path, where it would redirect to itself"
            }
            Self::DurationSyntax => "write a number and a unit, like \"30d\", \"12h\" or \"90m\"",
            Self::MaxAgeRange => {
                "a session lasts from 1 minute to 400 days (browsers cap cookies there)"
            }
            Self::UpdateAgeNotShorter => {
                "it must be shorter than the session's `max_age`: a token is re-issued once \
                 it is `update_age` old, and one never re-issued would expire while in use"
            }
            Self::RateLimitSyntax => "write attempts per window, like \"5 per 15m\"",
            Self::RateLimitZero => "a rate limit needs at least one attempt in a non-empty window",
            Self::ReservedClaimName => {
                "the token already has a claim of this name; rename the field or give it \
                 `rename = \"…\"`"
            }
            Self::ProviderUrl => {
                "a provider URL is https, like \"https://id.example.com\"; plain http only \
                 on a loopback address (127.0.0.1, [::1], localhost)"
            }
            Self::BearerTtlRange => {
                "a bearer token lives from 1 minute to 1 day: it cannot be revoked, so keep \
                 it short, like \"15m\""
            }
            Self::BearerAudience => {
                "an audience names the API the tokens are for, like \"https://api.example\": \
                 not empty, no white space or control characters"
            }
        })
    }
}

impl std::error::Error for Refusal {}
