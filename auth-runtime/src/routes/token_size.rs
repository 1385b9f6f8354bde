//! A warning at sign-in when the session token grows past what one cookie holds comfortably
//! (4 KB): browsers and proxies start refusing headers not much later. It names the largest
//! claims, by JSON name and size, never their values: provider tokens (an `id_token` kept as
//! a claim) are the usual cause.

use serde_json::Value;

use crate::schema::AuthSchema;

/// Past this length, in characters, a session token is worth a warning.
pub(super) const TOKEN_WARNING_LEN: usize = 4096;

/// How many claims the warning names.
const CLAIMS_NAMED: usize = 3;

/// Logs a warning when the token encoded into `encoded_len` characters is past
/// [`TOKEN_WARNING_LEN`], naming its largest claims.
pub(super) fn warn_when_large<C: AuthSchema>(token: &C::Token, encoded_len: usize) {
    if encoded_len <= TOKEN_WARNING_LEN {
        return;
    }
    let largest = largest_claims(token);
    tracing::warn!(
        encoded_len,
        largest_claims = %largest,
        "the session token is over 4 KB and is split into several cookies; keep fewer or \
         smaller claims (provider tokens are the usual cause)"
    );
}

/// `"idToken (2710 bytes), accessToken (1203 bytes)"`: the largest claims by the length of
/// their JSON, largest first.
fn largest_claims<T: serde::Serialize>(token: &T) -> String {
    let Ok(Value::Object(claims)) = serde_json::to_value(token) else {
        return String::new();
    };
    let mut sizes: Vec<(String, usize)> = claims
        .iter()
        .map(|(name, value)| (name.clone(), value.to_string().len()))
        .collect();
    sizes.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    sizes
        .into_iter()
        .take(CLAIMS_NAMED)
        .map(|(name, size)| format!("{name} ({size} bytes)"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_largest_claims_are_named_by_size_without_their_values() {
        let token = serde_json::json!({
            "sub": "u1",
            "idToken": "x".repeat(3000),
            "accessToken": "secret-access-token-value",
            "role": "admin",
        });
        let named = largest_claims(&token);
        assert!(
            named.starts_with("idToken (3002 bytes), accessToken (27 bytes)"),
            "{named}"
        );
        assert!(!named.contains("secret-access-token-value") && !named.contains("xxx"));
    }
}
