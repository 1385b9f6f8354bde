//! One plain OAuth 2 provider (GitHub, `oauth(...)`), on the `oauth2` crate: the
//! authorization URL (PKCE S256 and `state`; no `nonce`, no `id_token`), and the callback
//! (code exchange, then the userinfo endpoint, and for GitHub its `/user/emails`).

use std::fmt;
use std::time::Duration;

use oauth2::basic::BasicClient;
use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointNotSet,
    EndpointSet, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RefreshToken, Scope,
    TokenResponse as _, TokenUrl,
};
use serde_json::Value;

use super::client::{ProviderHttp, is_acceptable_provider_url};
use super::oidc::{
    Authorization, FlowFailure, Granted, OidcClientCredentials, SignedInProfile, exchange_failure,
    expires_at, refresh_error_kind, token_type_name,
};
use super::profile;
use crate::error::AuthError;
use crate::schema::{Account, OAuthSettings, ProfileMapping, ProviderKind, ProviderToken};

/// The `oauth2` client with its authorization and token endpoints set.
type Client = BasicClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

/// A plain OAuth 2 provider, checked at start-up.
pub(crate) struct OAuth2Provider {
    settings: OAuthSettings,
    client: Client,
    userinfo: String,
    http: ProviderHttp,
}

/// Only the id and endpoints are printed.
impl fmt::Debug for OAuth2Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuth2Provider")
            .field("id", &self.settings.id)
            .field("userinfo", &self.userinfo)
            .finish_non_exhaustive()
    }
}

impl OAuth2Provider {
    /// Checks the endpoints (https, plain http only on loopback) and builds the client;
    /// `redirect_uri` is this site's `/callback/<id>`.
    pub(crate) fn new(
        settings: OAuthSettings,
        credentials: OidcClientCredentials,
        redirect_uri: String,
        http: ProviderHttp,
    ) -> Result<Self, AuthError> {
        let bad = |reason: &'static str| AuthError::OidcDiscovery {
            provider: settings.id.to_owned(),
            reason,
        };
        let [authorization, token, userinfo] = match credentials.endpoints {
            Some([authorization, token, userinfo]) => {
                [Some(authorization), Some(token), Some(userinfo)]
            }
            None => [
                settings.authorization_endpoint,
                settings.token_endpoint,
                settings.userinfo_endpoint,
            ]
            .map(|url| url.map(str::to_owned)),
        };
        let endpoint = |url: Option<String>, missing: &'static str| {
            let url = url.ok_or_else(|| bad(missing))?;
            if is_acceptable_provider_url(&url) {
                Ok(url)
            } else {
                Err(bad(
                    "an endpoint must be https (plain http only on loopback)",
                ))
            }
        };
        let authorization = endpoint(authorization, "the provider has no authorization endpoint")?;
        let token = endpoint(token, "the provider has no token endpoint")?;
        let userinfo = endpoint(userinfo, "the provider has no userinfo endpoint")?;
        let client = BasicClient::new(ClientId::new(credentials.client_id))
            .set_client_secret(ClientSecret::new(credentials.client_secret))
            .set_auth_uri(
                AuthUrl::new(authorization)
                    .map_err(|_| bad("the authorization endpoint is not a URL"))?,
            )
            .set_token_uri(
                TokenUrl::new(token).map_err(|_| bad("the token endpoint is not a URL"))?,
            )
            .set_redirect_uri(
                RedirectUrl::new(redirect_uri).map_err(|_| bad("the redirect URI is not a URL"))?,
            )
            // The client secret in the form body, as GitHub documents it (and most plain
            // OAuth 2 providers accept).
            .set_auth_type(AuthType::RequestBody);
        Ok(Self {
            settings,
            client,
            userinfo,
            http,
        })
    }

    /// How long before its expiry an access token is refreshed; `None` without `refresh`.
    pub(crate) fn refresh_skew(&self) -> Option<Duration> {
        self.settings.refresh.then_some(self.settings.refresh_skew)
    }

    /// The provider id.
    pub(crate) fn id(&self) -> &'static str {
        self.settings.id
    }

    /// The authorization endpoint, where a sign-in form's redirect leads.
    pub(crate) fn authorization_endpoint(&self) -> String {
        self.client.auth_uri().to_string()
    }

    /// A new authorization: the URL with PKCE S256 and `state`, and their values.
    pub(crate) fn authorize(&self) -> Authorization {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = self.client.authorize_url(CsrfToken::new_random);
        for scope in self.settings.scopes.split_ascii_whitespace() {
            request = request.add_scope(Scope::new(scope.to_owned()));
        }
        for (name, value) in self.settings.params {
            request = request.add_extra_param(*name, *value);
        }
        let (url, state) = request.set_pkce_challenge(challenge).url();
        Authorization {
            url: url.to_string(),
            pkce_verifier: verifier.secret().clone(),
            state: state.secret().clone(),
            nonce: None,
        }
    }

    /// The callback's work after the checks: exchanges `code` with the PKCE verifier, reads
    /// the userinfo endpoint (and GitHub's emails).
    pub(crate) async fn finish(
        &self,
        code: String,
        pkce_verifier: String,
    ) -> Result<SignedInProfile, FlowFailure> {
        let response = self
            .client
            .exchange_code(AuthorizationCode::new(code))
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier))
            .request_async(&self.http)
            .await
            .map_err(|error| exchange_failure(&error))?;
        let access_token = response.access_token().secret();
        let accept = match self.settings.profile {
            ProfileMapping::GitHub => "application/vnd.github+json",
            ProfileMapping::Standard => "application/json",
        };
        let user = match self
            .http
            .get_json(&self.userinfo, access_token, accept)
            .await
            .map_err(FlowFailure::UserInfo)?
        {
            Value::Object(user) => user,
            _ => return Err(FlowFailure::UserInfo("the answer is not a JSON object")),
        };
        let profile = match self.settings.profile {
            ProfileMapping::Standard => profile::standard(self.settings.id, user),
            ProfileMapping::GitHub => {
                let url = format!("{}/emails", self.userinfo.trim_end_matches('/'));
                let emails = self.http.get_json(&url, access_token, accept).await;
                if let Err(why) = emails {
                    // Without the list (no `user:email` scope granted) there is no verified
                    // email: the user signs in without one.
                    tracing::info!(
                        provider = self.settings.id,
                        why,
                        "GitHub's emails could not be read"
                    );
                }
                profile::github(self.settings.id, user, emails.ok().as_ref())
            }
        }
        .map_err(FlowFailure::UserInfo)?;
        let mut account = Account::new(self.settings.id, ProviderKind::OAuth, profile.sub.clone());
        account.access_token = Some(ProviderToken::new(access_token));
        account.refresh_token = response
            .refresh_token()
            .map(|token| ProviderToken::new(token.secret()));
        account.expires_at = response.expires_in().map(expires_at);
        account.scope = response.scopes().map(|scopes| {
            scopes
                .iter()
                .map(|scope| scope.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        });
        account.token_type = Some(token_type_name(response.token_type()));
        account.profile = Some(profile);
        Ok(SignedInProfile { account })
    }

    /// The refresh-token grant at the token endpoint; `Err` says why it failed, never with
    /// the provider's text.
    pub(crate) async fn refresh_grant(&self, refresh_token: &str) -> Result<Granted, &'static str> {
        let refresh_token = RefreshToken::new(refresh_token.to_owned());
        let response = self
            .client
            .exchange_refresh_token(&refresh_token)
            .request_async(&self.http)
            .await
            .map_err(|error| refresh_error_kind(&error))?;
        Ok(Granted::from_response(&response))
    }
}

#[cfg(test)]
mod tests {
    use oauth2::{PkceCodeChallenge, PkceCodeVerifier};

    /// RFC 7636 App. B: the `S256` challenge of the RFC's verifier, made as both provider
    /// kinds make theirs (`oauth2`'s `PkceCodeChallenge`, the SHA-256 of the verifier in
    /// base64url without padding).
    #[test]
    fn rfc7636_appendix_b_s256_challenge() {
        let verifier =
            PkceCodeVerifier::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".to_owned());
        let challenge = PkceCodeChallenge::from_code_verifier_sha256(&verifier);
        assert_eq!(
            challenge.as_str(),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        assert_eq!(challenge.method().as_str(), "S256");
    }
}
