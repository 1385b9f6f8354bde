//! Custom pages (`pages(sign_in = "/login")`): where the built-in pages are replaced.

use crate::Refusal;
use crate::site_path::{is_plain_url_byte, is_safe_path_and_rest};

/// A custom page is a path on this site that the redirect check keeps as it is (`/login`,
/// `/auth/error?from=x`), with no `#fragment` (the error code is appended as a query), and
/// outside `base_path`, where it would redirect to itself or to a route that is no page.
pub fn check_page_path(path: &str, base_path: &str) -> Result<(), Refusal> {
    if !path.starts_with('/') {
        return Err(Refusal::PageNotSitePath);
    }
    if path.contains('#') {
        return Err(Refusal::PageFragment);
    }
    if !path.bytes().all(is_plain_url_byte) || !is_safe_path_and_rest(path) {
        return Err(Refusal::PageNotSitePath);
    }
    let page_path = path.split('?').next().unwrap_or(path);
    let under_base = page_path
        .strip_prefix(base_path)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
    if under_base {
        return Err(Refusal::PageUnderBasePath);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages() {
        let ok = [
            "/login",
            "/auth/error",
            "/login?from=app",
            "/api/authx",
            "/a%20b",
        ];
        for path in ok {
            assert_eq!(check_page_path(path, "/api/auth"), Ok(()), "{path}");
        }
        let refused = [
            ("login", Refusal::PageNotSitePath),
            ("https://app.example/login", Refusal::PageNotSitePath),
            ("/login#top", Refusal::PageFragment),
            ("//evil.example", Refusal::PageNotSitePath),
            ("/\\evil.example", Refusal::PageNotSitePath),
            ("/a b", Refusal::PageNotSitePath),
            ("/a%2fb", Refusal::PageNotSitePath),
            ("/é", Refusal::PageNotSitePath),
            ("/api/auth", Refusal::PageUnderBasePath),
            ("/api/auth/signin", Refusal::PageUnderBasePath),
            ("/api/auth?x=1", Refusal::PageUnderBasePath),
        ];
        for (path, refusal) in refused {
            assert_eq!(check_page_path(path, "/api/auth"), Err(refusal), "{path}");
        }
    }
}
