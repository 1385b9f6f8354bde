//! Provider ids: the `<id>` of `/signin/<id>` and `/callback/<id>`, and the stem of the
//! `AUTH_<ID>_ID` environment variables.

use crate::Refusal;

/// A provider id is non-empty and made of lower-case ASCII letters, digits, `-` and `_`, as
/// Auth.js's own ids are (`github`, `microsoft-entra-id`): safe in a URL path unescaped, and
/// one spelling per provider, so `GitHub` and `github` cannot be two providers.
pub fn check_provider_id(id: &str) -> Result<(), Refusal> {
    if id.is_empty() {
        return Err(Refusal::EmptyProviderId);
    }
    if !id.bytes().all(|byte| {
        byte.is_ascii_lowercase() || byte.is_ascii_digit() || matches!(byte, b'-' | b'_')
    }) {
        return Err(Refusal::ProviderIdCharacter);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_ids() {
        assert_eq!(check_provider_id("github"), Ok(()));
        assert_eq!(check_provider_id("microsoft-entra-id"), Ok(()));
        assert_eq!(check_provider_id("sso_2"), Ok(()));
        assert_eq!(check_provider_id(""), Err(Refusal::EmptyProviderId));
        assert_eq!(
            check_provider_id("GitHub"),
            Err(Refusal::ProviderIdCharacter)
        );
        assert_eq!(check_provider_id("a/b"), Err(Refusal::ProviderIdCharacter));
        assert_eq!(check_provider_id("é"), Err(Refusal::ProviderIdCharacter));
    }
}
