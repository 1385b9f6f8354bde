//! Where a user may be sent after signing in or out: the Auth.js default redirect rule, made
//! safe against open redirects.
//!
//! Auth.js joins a relative URL to the origin, keeps a same-origin absolute URL and sends
//! everything else to the origin. Browsers, though, read URLs more loosely than a string
//! comparison does: `//evil.example` and `/\evil.example` are other hosts, tabs and newlines
//! are dropped, `https://app.example@evil.example` is `evil.example`. So a URL is kept only
//! when it is plainly one of the allowed shapes, and anything unusual leads home:
//!
//! - a relative path `/x` (not `//`, no backslash, no encoded slash, backslash or percent in
//!   the path) is joined to the origin;
//! - an absolute `http(s)` URL whose scheme, host and port equal the origin's, or an allowed
//!   origin's, is kept (normalised: lower-case host, default port dropped);
//! - everything else (other hosts, schemes, ports, `javascript:`, `data:`, user info, control
//!   characters, white space, non-ASCII, backslashes, over [`MAX_REDIRECT_LEN`] bytes) becomes
//!   the origin's home page, `<origin>/`.

use auth_rules::{is_plain_url_byte, is_safe_path_and_rest};

use crate::origin::{Origin, split_absolute};

/// The longest redirect URL considered; longer ones lead home.
pub const MAX_REDIRECT_LEN: usize = 4096;

/// The site's origin and the other origins redirects may lead to.
#[derive(Debug, Clone)]
pub struct RedirectPolicy {
    origin: Origin,
    allowed: Vec<Origin>,
}

impl RedirectPolicy {
    /// A policy sending users to `origin` or to one of `allowed`.
    pub fn new(origin: Origin, allowed: Vec<Origin>) -> Self {
        Self { origin, allowed }
    }

    /// The site's own origin.
    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    /// The other origins redirects may lead to.
    pub fn allowed(&self) -> &[Origin] {
        &self.allowed
    }

    /// The absolute URL to send the user to for the requested `url`: the URL itself (joined to
    /// the origin when relative) when it is safe, else the origin's home page.
    pub fn check(&self, url: &str) -> String {
        self.accept(url).unwrap_or_else(|| self.origin.home())
    }

    /// Whether `url` would be kept (not replaced by the home page).
    pub fn is_allowed(&self, url: &str) -> bool {
        self.accept(url).is_some()
    }

    fn accept(&self, url: &str) -> Option<String> {
        if url.is_empty() || url.len() > MAX_REDIRECT_LEN || !url.bytes().all(is_plain_url_byte) {
            return None;
        }
        if url.starts_with('/') {
            return is_safe_path_and_rest(url).then(|| format!("{}{url}", self.origin.as_str()));
        }
        let (origin, rest) = split_absolute(url)?;
        let known = origin == self.origin || self.allowed.contains(&origin);
        if !known || (!rest.is_empty() && !is_safe_path_and_rest(rest)) {
            return None;
        }
        let rest = if rest.is_empty() { "/" } else { rest };
        Some(format!("{}{rest}", origin.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOME: &str = "https://app.example/";

    fn policy() -> RedirectPolicy {
        let origin = Origin::parse("https://app.example").unwrap();
        let docs = Origin::parse("https://docs.example").unwrap();
        RedirectPolicy::new(origin, vec![docs])
    }

    fn assert_home(urls: &[&str]) {
        let policy = policy();
        for url in urls {
            assert_eq!(policy.check(url), HOME, "{url:?} must lead home");
        }
    }

    #[test]
    fn relative_urls_are_joined_to_the_origin() {
        let policy = policy();
        assert_eq!(policy.check("/"), HOME);
        assert_eq!(
            policy.check("/dashboard?tab=1#top"),
            "https://app.example/dashboard?tab=1#top"
        );
        assert_eq!(
            policy.check("/search?next=%2Fhome"),
            "https://app.example/search?next=%2Fhome"
        );
    }

    #[test]
    fn same_origin_absolute_urls_are_kept_normalised() {
        let policy = policy();
        assert_eq!(
            policy.check("https://app.example/x"),
            "https://app.example/x"
        );
        assert_eq!(
            policy.check("https://APP.example/x"),
            "https://app.example/x"
        );
        assert_eq!(
            policy.check("HTTPS://app.example:443/x"),
            "https://app.example/x"
        );
        assert_eq!(policy.check("https://app.example"), HOME);
    }

    /// RD-01
    #[test]
    fn rd01_other_hosts_lead_home() {
        assert_home(&["https://evil.example/x", "https://evil.example"]);
    }

    /// RD-02
    #[test]
    fn rd02_protocol_relative_urls_lead_home() {
        assert_home(&["//evil.example", "///evil.example", "/\\/evil.example"]);
    }

    /// RD-03
    #[test]
    fn rd03_backslashes_and_control_characters_lead_home() {
        assert_home(&[
            "/\\evil.example",
            "\\\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "/\0/evil.example",
            "/ /evil.example",
            "https://app.example/\t",
        ]);
    }

    /// RD-04
    #[test]
    fn rd04_script_and_data_schemes_lead_home() {
        assert_home(&[
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "\u{1}javascript:alert(1)",
            "\tjavascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)",
            "ftp://app.example/x",
        ]);
    }

    /// RD-05
    #[test]
    fn rd05_percent_encoded_slashes_and_controls_lead_home() {
        assert_home(&[
            "%2F%2Fevil.example",
            "/%2F/evil.example",
            "/%2f/evil.example",
            "/%5Cevil.example",
            "%252F%252Fevil.example",
            "/%252F%252Fevil.example",
            "%09/evil.example",
            "/%09/evil.example",
            "/%0a/evil.example",
            "/%7f",
            "/%zz",
            "/%2",
            "https://app.example/%2F%2Fevil.example",
        ]);
    }

    /// RD-06
    #[test]
    fn rd06_user_info_tricks_lead_home() {
        assert_home(&[
            "https://app.example@evil.example",
            "https://app.example%40evil.example",
            "https://evil.example\\@app.example",
            "https://user:pass@app.example/",
            "https://@app.example/",
        ]);
    }

    /// RD-07
    #[test]
    fn rd07_other_schemes_ports_and_lookalike_hosts_lead_home() {
        assert_home(&[
            "https://app.example.evil.example",
            "http://app.example",
            "http://app.example/x",
            "https://app.example:8443/x",
            "https://аpp.example/x",
            "https://xn--pp-8cd.example/x",
            "https://app.example./x",
            "https://app.example:/x",
            "https://app.example:0/x",
            "https://app.example:99999/x",
        ]);
    }

    /// RD-08
    #[test]
    fn rd08_only_exact_allowlisted_origins_are_kept() {
        let policy = policy();
        assert_eq!(
            policy.check("https://docs.example/guide"),
            "https://docs.example/guide"
        );
        assert_home(&[
            "https://docs.example.evil",
            "https://evil/docs.example",
            "http://docs.example/guide",
            "https://docs.example@evil.example",
        ]);
    }

    #[test]
    fn rd09_unparsable_or_huge_urls_lead_home() {
        let huge = format!("/{}", "a".repeat(10 * 1024));
        assert_home(&[
            "http://[::1",
            "https://%zz",
            "https://",
            "https:///x",
            "",
            "dashboard",
            "?x=1",
            &huge,
        ]);
    }

    #[test]
    fn configured_urls_parse_with_their_path() {
        let (origin, path) = Origin::parse_with_path("http://127.0.0.1:3000/api/auth").unwrap();
        assert_eq!(origin.as_str(), "http://127.0.0.1:3000");
        assert_eq!(path, "/api/auth");
        assert!(!origin.is_https());
        assert!(Origin::parse("https://app.example/").unwrap().is_https());
        assert!(Origin::parse("https://app.example/x").is_err());
        assert!(Origin::parse("https://u@app.example").is_err());
        assert!(Origin::parse("app.example").is_err());
        assert_eq!(
            Origin::parse("http://[::1]:8080").unwrap().as_str(),
            "http://[::1]:8080"
        );
    }
}
