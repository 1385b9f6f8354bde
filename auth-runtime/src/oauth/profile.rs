//! A plain OAuth 2 provider's userinfo answer read into an [`OAuthProfile`] by its
//! [`ProfileMapping`](crate::schema::ProfileMapping): OpenID Connect's claim names, or
//! GitHub's `/user` and `/user/emails`. An email is trusted only when the provider verified
//! it; an unverified one is dropped, from the profile and from its `raw` claims.

use serde_json::{Map, Value};

use crate::schema::OAuthProfile;

/// The profile of a userinfo answer with OpenID Connect's claim names: `sub` (else `id`, a
/// string or a number), `name`, `email` with `email_verified`, `picture`.
pub(super) fn standard(
    provider: &str,
    raw: Map<String, Value>,
) -> Result<OAuthProfile, &'static str> {
    let sub = id_text(raw.get("sub"))
        .or_else(|| id_text(raw.get("id")))
        .ok_or("the userinfo answer has no user id")?;
    let text = |key: &str| raw.get(key).and_then(Value::as_str).map(str::to_owned);
    let email_verified = raw.get("email_verified").and_then(Value::as_bool) == Some(true);
    Ok(OAuthProfile {
        provider: provider.to_owned(),
        sub,
        email: text("email"),
        email_verified,
        name: text("name"),
        picture: text("picture"),
        raw,
    })
}

/// The profile of GitHub's `/user` answer and its `/user/emails` list (`None` when that
/// request failed): the numeric `id` as text, `name` falling back to `login`, `avatar_url`,
/// and the primary email only when GitHub verified it. `raw` is `/user` with its `email`
/// replaced by that verified email (or `null`): `/user`'s own `email` is the public one,
/// which GitHub does not promise is verified.
pub(super) fn github(
    provider: &str,
    mut user: Map<String, Value>,
    emails: Option<&Value>,
) -> Result<OAuthProfile, &'static str> {
    let sub = match user.get("id") {
        Some(Value::Number(id)) if id.is_u64() => id.to_string(),
        _ => return Err("GitHub's /user has no numeric id"),
    };
    let text = |key: &str| {
        user.get(key)
            .and_then(Value::as_str)
            .filter(|value| !value.is_empty())
            .map(str::to_owned)
    };
    let name = text("name").or_else(|| text("login"));
    let picture = text("avatar_url");
    let email = emails.and_then(verified_primary_email);
    user.insert(
        "email".to_owned(),
        email.clone().map_or(Value::Null, Value::String),
    );
    Ok(OAuthProfile {
        provider: provider.to_owned(),
        sub,
        email_verified: email.is_some(),
        email,
        name,
        picture,
        raw: user,
    })
}

/// The `email` of the entry of GitHub's `/user/emails` that is `primary` and `verified`.
fn verified_primary_email(emails: &Value) -> Option<String> {
    emails.as_array()?.iter().find_map(|entry| {
        let flag = |key: &str| entry.get(key).and_then(Value::as_bool) == Some(true);
        if flag("primary") && flag("verified") {
            entry.get("email")?.as_str().map(str::to_owned)
        } else {
            None
        }
    })
}

/// A user id as text: a non-empty string, or a whole number.
fn id_text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(id) if !id.is_empty() => Some(id.clone()),
        Value::Number(id) if id.is_u64() || id.is_i64() => Some(id.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn object(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    /// OA-13: GitHub's unverified primary email (or its public `/user` email) is never the
    /// profile's.
    #[test]
    fn github_uses_the_verified_primary_email_only() {
        let user = object(json!({
            "login": "octocat", "id": 583_231, "name": null,
            "email": "public@example.com", "avatar_url": "https://avatars.example/u/583231"
        }));
        let emails = json!([
            {"email": "other@example.com", "primary": false, "verified": true, "visibility": null},
            {"email": "octo@example.com", "primary": true, "verified": true, "visibility": "private"}
        ]);
        let profile = github("github", user.clone(), Some(&emails)).unwrap();
        assert_eq!(profile.sub, "583231");
        assert_eq!(
            profile.name.as_deref(),
            Some("octocat"),
            "name falls back to login"
        );
        assert_eq!(profile.verified_email(), Some("octo@example.com"));
        assert_eq!(profile.raw["email"], "octo@example.com");

        let unverified = json!([
            {"email": "octo@example.com", "primary": true, "verified": false, "visibility": "private"},
            {"email": "other@example.com", "primary": false, "verified": true, "visibility": null}
        ]);
        let profile = github("github", user.clone(), Some(&unverified)).unwrap();
        assert_eq!((profile.email, profile.email_verified), (None, false));
        assert_eq!(
            profile.raw["email"],
            Value::Null,
            "the public email is not kept"
        );

        let profile = github("github", user, None).unwrap();
        assert_eq!(profile.email, None);
    }

    #[test]
    fn github_needs_its_numeric_id() {
        let user = object(json!({"login": "octocat", "id": "583231"}));
        assert!(github("github", user, None).is_err());
    }

    /// OA-13: an email without `email_verified: true` is never `verified_email()`.
    #[test]
    fn standard_claims_trust_an_email_only_when_verified() {
        let raw = object(json!({"sub": "u-1", "email": "a@example.com", "name": "A"}));
        let profile = standard("acme", raw).unwrap();
        assert_eq!(profile.sub, "u-1");
        assert_eq!(profile.verified_email(), None);
        let raw = object(json!({"id": 42, "email": "a@example.com", "email_verified": true}));
        let profile = standard("acme", raw).unwrap();
        assert_eq!(profile.sub, "42");
        assert_eq!(profile.verified_email(), Some("a@example.com"));
        assert!(standard("acme", object(json!({"name": "no id"}))).is_err());
    }
}
