//! The base path the auth routes are mounted under.

use crate::Refusal;

/// Where next-auth mounts its routes, and ours by default.
pub const DEFAULT_BASE_PATH: &str = "/api/auth";

/// `/api/auth`: a leading `/`, no trailing one, only letters, digits, `-`, `_`, `.` and `/`,
/// no empty, `.` or `..` segment.
pub fn check_base_path(path: &str) -> Result<(), Refusal> {
    if !path.starts_with('/') {
        return Err(Refusal::NoLeadingSlash);
    }
    if path == "/" {
        return Err(Refusal::RootBasePath);
    }
    if path.ends_with('/') {
        return Err(Refusal::TrailingSlash);
    }
    if !path
        .bytes()
        .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'/' | b'-' | b'_' | b'.'))
    {
        return Err(Refusal::BasePathCharacter);
    }
    if path
        .split('/')
        .skip(1)
        .any(|segment| segment.is_empty() || segment == "." || segment == "..")
    {
        return Err(Refusal::BasePathSegment);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths() {
        assert_eq!(check_base_path("/api/auth"), Ok(()));
        assert_eq!(check_base_path("/auth.v2/x_y-z"), Ok(()));
        assert_eq!(check_base_path("api/auth"), Err(Refusal::NoLeadingSlash));
        assert_eq!(check_base_path(""), Err(Refusal::NoLeadingSlash));
        assert_eq!(check_base_path("/"), Err(Refusal::RootBasePath));
        assert_eq!(check_base_path("/api/"), Err(Refusal::TrailingSlash));
        assert_eq!(
            check_base_path("/api auth"),
            Err(Refusal::BasePathCharacter)
        );
        assert_eq!(check_base_path("/api//auth"), Err(Refusal::BasePathSegment));
        assert_eq!(
            check_base_path("/api/./auth"),
            Err(Refusal::BasePathSegment)
        );
        assert_eq!(check_base_path("/api/.."), Err(Refusal::BasePathSegment));
    }
}
