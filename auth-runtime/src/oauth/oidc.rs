//! One OpenID Connect provider, discovered at start-up: its metadata and key set, the client
//! credentials, and the two halves of the flow: the authorization URL (PKCE S256, `state`,
//! `nonce`) and the callback (code exchange, `id_token` verification, userinfo).

use std::fmt;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreIdTokenClaims, CoreJsonWebKeySet,
    CoreJwsSigningAlgorithm, CoreProviderMetadata, CoreUserInfoClaims,
};
use openidconnect::{
    AccessToken, AuthUrl, AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret,
    CsrfToken, IssuerUrl, Nonce, OAuth2TokenResponse as _, PkceCodeChallenge, PkceCodeVerifier,
    RedirectUrl, RefreshToken, Scope, SignatureVerificationError, TokenResponse as _, TokenUrl,
    UserInfoUrl,
};
use serde_json::{Map, Value};

use super::client::{ProviderHttp, is_acceptable_provider_url};
use crate::error::AuthError;
use crate::schema::{Account, OAuthProfile, OidcSettings, ProviderKind, ProviderToken};

/// The least time between two key set fetches caused by an unknown `kid`.
const JWKS_REFETCH_INTERVAL: Duration = Duration::from_secs(60);

/// A provider's client id and secret (and issuer, when not in the config), for an OpenID
/// Connect or a plain OAuth 2 provider.
#[derive(Clone)]
pub struct OidcClientCredentials {
    pub(crate) client_id: String,
    pub(crate) client_secret: String,
    pub(crate) issuer: Option<String>,
    pub(crate) endpoints: Option<[String; 3]>,
}

impl OidcClientCredentials {
    /// The client id and secret the provider issued; `issuer` overrides the config's.
    pub fn new(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        issuer: Option<String>,
    ) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            issuer,
            endpoints: None,
        }
    }

    /// For a plain OAuth 2 provider: its authorization, token and userinfo endpoints, chosen
    /// at start-up instead of the config's (a GitHub Enterprise host known only to the
    /// deployment, a test's stand-in). Checked as the config's are: https, plain http only
    /// on loopback. An OpenID Connect provider ignores them (its issuer is the override).
    #[must_use]
    pub fn with_endpoints(
        mut self,
        authorization: impl Into<String>,
        token: impl Into<String>,
        userinfo: impl Into<String>,
    ) -> Self {
        self.endpoints = Some([authorization.into(), token.into(), userinfo.into()]);
        self
    }
}

/// The secret is never printed.
impl fmt::Debug for OidcClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OidcClientCredentials")
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .field("issuer", &self.issuer)
            .field("endpoints", &self.endpoints)
            .finish()
    }
}

/// A discovered OpenID Connect provider.
pub(crate) struct OidcProvider {
    settings: OidcSettings,
    issuer: String,
    client_id: String,
    client_secret: String,
    redirect_uri: String,
    metadata: RwLock<CoreProviderMetadata>,
    /// When an unknown `kid` last made us fetch the key set; `None` until the first one, so
    /// that a key rotated in right after start-up is fetched at once.
    last_jwks_refetch: RwLock<Option<Instant>>,
    http: ProviderHttp,
}

/// Only the id and issuer are printed.
impl fmt::Debug for OidcProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OidcProvider")
            .field("id", &self.settings.id)
            .field("issuer", &self.issuer)
            .finish_non_exhaustive()
    }
}

/// The start of a sign-in: where to send the user, and what to keep in the check cookies.
pub(crate) struct Authorization {
    /// The provider's authorization URL with every parameter.
    pub(crate) url: String,
    /// The PKCE verifier.
    pub(crate) pkce_verifier: String,
    /// The `state`.
    pub(crate) state: String,
    /// The `nonce` (OpenID Connect only).
    pub(crate) nonce: Option<String>,
}

/// What a successful callback yields: the account, with its tokens and the user's profile.
pub(crate) struct SignedInProfile {
    /// The account, `profile` set.
    pub(crate) account: Account,
}

/// Why a callback failed, for the log: a fixed description, never the provider's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FlowFailure {
    /// The provider refused the code, or its token response could not be read.
    Exchange(&'static str),
    /// The token endpoint could not be reached, or did not answer within the client's
    /// timeouts.
    Unreachable(&'static str),
    /// The token response had no `id_token`.
    MissingIdToken,
    /// The `id_token` failed verification.
    IdToken(&'static str),
    /// The userinfo request failed.
    UserInfo(&'static str),
    /// The callback carried no `nonce` cookie for an OpenID Connect provider.
    MissingNonce,
}

/// What a refresh-token grant gave: a new access token, and a rotated refresh token when the
/// provider issued one. An `id_token` in the answer is not kept (it is not verified here).
pub(crate) struct Granted {
    /// The new access token.
    pub(crate) access_token: ProviderToken,
    /// The rotated refresh token; `None`: the provider keeps the old one valid.
    pub(crate) refresh_token: Option<ProviderToken>,
    /// How long the new access token lasts.
    pub(crate) expires_in: Option<Duration>,
}

impl Granted {
    /// What a token `response` (of either crate's client) gave.
    pub(super) fn from_response(response: &impl openidconnect::OAuth2TokenResponse) -> Self {
        Self {
            access_token: ProviderToken::new(response.access_token().secret()),
            refresh_token: response
                .refresh_token()
                .map(|token| ProviderToken::new(token.secret())),
            expires_in: response.expires_in(),
        }
    }
}

impl fmt::Display for FlowFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Exchange(why) => write!(f, "code exchange failed: {why}"),
            Self::Unreachable(why) => write!(f, "the provider was not reached: {why}"),
            Self::MissingIdToken => f.write_str("the token response had no id_token"),
            Self::IdToken(why) => write!(f, "id_token rejected: {why}"),
            Self::UserInfo(why) => write!(f, "userinfo failed: {why}"),
            Self::MissingNonce => f.write_str("no nonce for an OpenID Connect provider"),
        }
    }
}

impl OidcProvider {
    /// Reads `<issuer>/.well-known/openid-configuration` and the key set; `redirect_uri` is
    /// this site's `/callback/<id>`.
    pub(crate) async fn discover(
        settings: OidcSettings,
        credentials: OidcClientCredentials,
        redirect_uri: String,
        http: ProviderHttp,
    ) -> Result<Self, AuthError> {
        let provider = settings.id;
        let issuer = credentials
            .issuer
            .clone()
            .or_else(|| settings.issuer.map(str::to_owned))
            .ok_or(AuthError::MissingProviderVariable {
                provider: provider.to_owned(),
                variable: provider_variable(provider, "ISSUER"),
            })?;
        let bad = |reason: &'static str| AuthError::OidcDiscovery {
            provider: provider.to_owned(),
            reason,
        };
        if !is_acceptable_provider_url(&issuer) {
            return Err(bad(
                "the issuer must be https (plain http only on loopback)",
            ));
        }
        for url in [
            settings.authorization_endpoint,
            settings.token_endpoint,
            settings.userinfo_endpoint,
        ]
        .into_iter()
        .flatten()
        {
            if !is_acceptable_provider_url(url) {
                return Err(bad(
                    "an endpoint must be https (plain http only on loopback)",
                ));
            }
        }
        let issuer_url =
            IssuerUrl::new(issuer.clone()).map_err(|_| bad("the issuer is not a URL"))?;
        let metadata = CoreProviderMetadata::discover_async(issuer_url, &http)
            .await
            .map_err(|_| bad("the discovery document could not be read or does not match"))?;
        let urls = [
            Some(metadata.authorization_endpoint().as_str()),
            metadata.token_endpoint().map(|url| url.as_str()),
            metadata.userinfo_endpoint().map(|url| url.as_str()),
            Some(metadata.jwks_uri().as_str()),
        ];
        if urls
            .into_iter()
            .flatten()
            .any(|url| !is_acceptable_provider_url(url))
        {
            return Err(bad("a discovered endpoint is not https"));
        }
        let metadata = with_overrides(metadata, &settings).map_err(bad)?;
        if metadata.token_endpoint().is_none() {
            return Err(bad("the provider has no token endpoint"));
        }
        Ok(Self {
            settings,
            issuer,
            client_id: credentials.client_id,
            client_secret: credentials.client_secret,
            redirect_uri,
            metadata: RwLock::new(metadata),
            last_jwks_refetch: RwLock::new(None),
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
        self.metadata().authorization_endpoint().to_string()
    }

    fn metadata(&self) -> CoreProviderMetadata {
        match self.metadata.read() {
            Ok(metadata) => metadata.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// The client on the current metadata, with the endpoint overrides.
    fn client(
        &self,
        metadata: CoreProviderMetadata,
    ) -> Result<
        CoreClient<
            openidconnect::EndpointSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointMaybeSet,
            openidconnect::EndpointMaybeSet,
        >,
        &'static str,
    > {
        let redirect_uri =
            RedirectUrl::new(self.redirect_uri.clone()).map_err(|_| "redirect URI")?;
        Ok(CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(self.client_id.clone()),
            Some(ClientSecret::new(self.client_secret.clone())),
        )
        .set_redirect_uri(redirect_uri))
    }

    /// A new authorization: the URL with PKCE S256, `state` and `nonce`, and their values.
    pub(crate) fn authorize(&self) -> Result<Authorization, &'static str> {
        let client = self.client(self.metadata())?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client.authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        );
        for scope in self.settings.scopes.split_ascii_whitespace() {
            if scope != "openid" {
                request = request.add_scope(Scope::new(scope.to_owned()));
            }
        }
        for (name, value) in self.settings.params {
            request = request.add_extra_param(*name, *value);
        }
        let (url, state, nonce) = request.set_pkce_challenge(challenge).url();
        Ok(Authorization {
            url: url.to_string(),
            pkce_verifier: verifier.secret().clone(),
            state: state.secret().clone(),
            nonce: Some(nonce.secret().clone()),
        })
    }

    /// The callback's work after the checks: exchanges `code` with the PKCE verifier,
    /// verifies the `id_token` against `nonce`, reads userinfo.
    pub(crate) async fn finish(
        &self,
        code: String,
        pkce_verifier: String,
        nonce: String,
    ) -> Result<SignedInProfile, FlowFailure> {
        let client = self
            .client(self.metadata())
            .map_err(FlowFailure::Exchange)?;
        let response = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|_| FlowFailure::Exchange("no token endpoint"))?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier))
            .request_async(&self.http)
            .await
            .map_err(|error| match &error {
                // The token response could not be read because of its `id_token` (a claim
                // missing, of the wrong type, or twice): the id_token is refused, not the
                // provider's answer.
                openidconnect::RequestTokenError::Parse(_, body) if names_an_id_token(body) => {
                    FlowFailure::IdToken("the id_token could not be read")
                }
                _ => exchange_failure(&error),
            })?;
        let id_token = response.id_token().ok_or(FlowFailure::MissingIdToken)?;
        let nonce = Nonce::new(nonce);
        let claims = match self.verify(&client, id_token, &nonce) {
            Err(ClaimsVerificationError::SignatureVerification(
                SignatureVerificationError::NoMatchingKey,
            )) if self.refetch_keys().await => {
                let client = self
                    .client(self.metadata())
                    .map_err(FlowFailure::Exchange)?;
                self.verify(&client, id_token, &nonce)
            }
            other => other,
        }
        .map_err(|error| FlowFailure::IdToken(claims_error_kind(&error)))?;
        let mut raw = claims_map(&claims).map_err(FlowFailure::IdToken)?;
        let access_token: AccessToken = response.access_token().clone();
        if let Ok(request) = client.user_info(access_token, Some(claims.subject().clone())) {
            let userinfo: CoreUserInfoClaims = request
                .request_async(&self.http)
                .await
                .map_err(|_| FlowFailure::UserInfo("the userinfo response was refused"))?;
            if let Ok(Value::Object(extra)) = serde_json::to_value(&userinfo) {
                for (key, value) in extra {
                    raw.entry(key).or_insert(value);
                }
            }
        }
        let profile = profile_from(self.settings.id, claims.subject().as_str(), raw);
        let mut account = Account::new(self.settings.id, ProviderKind::Oidc, profile.sub.clone());
        account.access_token = Some(ProviderToken::new(response.access_token().secret()));
        account.refresh_token = response
            .refresh_token()
            .map(|token| ProviderToken::new(token.secret()));
        account.id_token = Some(ProviderToken::new(id_token.to_string()));
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
        let client = self.client(self.metadata())?;
        let refresh_token = RefreshToken::new(refresh_token.to_owned());
        let response = client
            .exchange_refresh_token(&refresh_token)
            .map_err(|_| "no token endpoint")?
            .request_async(&self.http)
            .await
            .map_err(|error| refresh_error_kind(&error))?;
        Ok(Granted::from_response(&response))
    }

    fn verify(
        &self,
        client: &CoreClient<
            openidconnect::EndpointSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointMaybeSet,
            openidconnect::EndpointMaybeSet,
        >,
        id_token: &openidconnect::core::CoreIdToken,
        nonce: &Nonce,
    ) -> Result<CoreIdTokenClaims, ClaimsVerificationError> {
        let algs = self.allowed_algs();
        let verifier = client
            .id_token_verifier()
            .set_allowed_algs(algs)
            .set_issue_time_verifier_fn(|issued| {
                // `iat` in the future past the leeway is refused (OA-08).
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |now| now.as_secs());
                let latest = now.saturating_add(crate::token::CLOCK_TOLERANCE.as_secs());
                match u64::try_from(issued.timestamp()) {
                    Ok(issued) if issued <= latest => Ok(()),
                    _ => Err("issued in the future".to_owned()),
                }
            });
        let claims = id_token.claims(&verifier, nonce)?;
        // An `azp` must name this client (OpenID Connect Core 3.1.3.7, step 5, as Auth.js's
        // oauth4webapi checks it; `openidconnect` leaves it out). Another audience beside
        // ours is refused by the verifier already, with or without `azp` (OA-07).
        if claims
            .authorized_party()
            .is_some_and(|azp| azp.as_str() != self.client_id)
        {
            return Err(ClaimsVerificationError::InvalidAudience(
                "the authorized party is another client".to_owned(),
            ));
        }
        Ok(claims.clone())
    }

    /// The provider's signing algorithms for id_tokens, without `none` and the HMAC ones (an
    /// HMAC id_token would be keyed by the client secret).
    fn allowed_algs(&self) -> Vec<CoreJwsSigningAlgorithm> {
        let metadata = self.metadata();
        let algs: Vec<_> = metadata
            .id_token_signing_alg_values_supported()
            .iter()
            .filter(|alg| {
                !matches!(
                    alg,
                    CoreJwsSigningAlgorithm::None
                        | CoreJwsSigningAlgorithm::HmacSha256
                        | CoreJwsSigningAlgorithm::HmacSha384
                        | CoreJwsSigningAlgorithm::HmacSha512
                )
            })
            .cloned()
            .collect();
        if algs.is_empty() {
            vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256]
        } else {
            algs
        }
    }

    /// Fetches the key set again after an unknown `kid`: the first time at once, then at most
    /// once a minute (OA-10); whether a new set was stored.
    async fn refetch_keys(&self) -> bool {
        {
            let Ok(mut last) = self.last_jwks_refetch.write() else {
                return false;
            };
            if last.is_some_and(|last| last.elapsed() < JWKS_REFETCH_INTERVAL) {
                return false;
            }
            *last = Some(Instant::now());
        }
        let jwks_uri = self.metadata().jwks_uri().clone();
        let Ok(jwks) = CoreJsonWebKeySet::fetch_async(&jwks_uri, &self.http).await else {
            tracing::warn!(
                provider = self.settings.id,
                "the key set could not be fetched again"
            );
            return false;
        };
        match self.metadata.write() {
            Ok(mut metadata) => {
                *metadata = metadata.clone().set_jwks(jwks);
                true
            }
            Err(_) => false,
        }
    }
}

/// The discovered metadata with the config's endpoint overrides.
fn with_overrides(
    mut metadata: CoreProviderMetadata,
    settings: &OidcSettings,
) -> Result<CoreProviderMetadata, &'static str> {
    if let Some(url) = settings.authorization_endpoint {
        let url =
            AuthUrl::new(url.to_owned()).map_err(|_| "the authorization endpoint is not a URL")?;
        metadata = metadata.set_authorization_endpoint(url);
    }
    if let Some(url) = settings.token_endpoint {
        let url = TokenUrl::new(url.to_owned()).map_err(|_| "the token endpoint is not a URL")?;
        metadata = metadata.set_token_endpoint(Some(url));
    }
    if let Some(url) = settings.userinfo_endpoint {
        let url =
            UserInfoUrl::new(url.to_owned()).map_err(|_| "the userinfo endpoint is not a URL")?;
        metadata = metadata.set_userinfo_endpoint(Some(url));
    }
    Ok(metadata)
}

/// `AUTH_<ID>_<SUFFIX>`: the provider id upper-cased, `-` turned into `_`.
pub(crate) fn provider_variable(provider: &str, suffix: &str) -> String {
    let id: String = provider
        .chars()
        .map(|c| {
            if c == '-' {
                '_'
            } else {
                c.to_ascii_uppercase()
            }
        })
        .collect();
    format!("AUTH_{id}_{suffix}")
}

/// `expires_in` from now, in seconds since the Unix epoch.
pub(super) fn expires_at(expires_in: Duration) -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |now| now.as_secs());
    i64::try_from(now.saturating_add(expires_in.as_secs())).unwrap_or(i64::MAX)
}

/// The token type's name, lower-case (`bearer`).
pub(super) fn token_type_name(token_type: &openidconnect::core::CoreTokenType) -> String {
    match serde_json::to_value(token_type) {
        Ok(Value::String(name)) => name.to_ascii_lowercase(),
        _ => "bearer".to_owned(),
    }
}

fn claims_map(claims: &CoreIdTokenClaims) -> Result<Map<String, Value>, &'static str> {
    match serde_json::to_value(claims) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err("the claims could not be read"),
    }
}

/// The typed profile from the merged claims.
fn profile_from(provider: &str, sub: &str, raw: Map<String, Value>) -> OAuthProfile {
    let text = |key: &str| raw.get(key).and_then(Value::as_str).map(str::to_owned);
    OAuthProfile {
        provider: provider.to_owned(),
        sub: sub.to_owned(),
        email: text("email"),
        email_verified: raw.get("email_verified").and_then(Value::as_bool) == Some(true),
        name: text("name"),
        picture: text("picture"),
        raw,
    }
}

/// Whether a token response `body` that could not be read has an `id_token` member.
fn names_an_id_token(body: &[u8]) -> bool {
    serde_json::from_slice::<Map<String, Value>>(body)
        .is_ok_and(|response| response.contains_key("id_token"))
}

/// A failed code exchange: the provider not reached or not answering in time
/// ([`FlowFailure::Unreachable`]), or its answer an error or unreadable
/// ([`FlowFailure::Exchange`]).
pub(super) fn exchange_failure<E: std::error::Error + 'static, R: openidconnect::ErrorResponse>(
    error: &openidconnect::RequestTokenError<E, R>,
) -> FlowFailure {
    match error {
        openidconnect::RequestTokenError::ServerResponse(_) => {
            FlowFailure::Exchange("the provider refused the code")
        }
        openidconnect::RequestTokenError::Request(_) => {
            FlowFailure::Unreachable("the token request failed or timed out")
        }
        openidconnect::RequestTokenError::Parse(..) => {
            FlowFailure::Exchange("the response could not be read")
        }
        openidconnect::RequestTokenError::Other(_) => FlowFailure::Exchange("unexpected response"),
    }
}

/// Why a refresh-token grant failed, in our words.
pub(super) fn refresh_error_kind<
    E: std::error::Error + 'static,
    R: openidconnect::ErrorResponse,
>(
    error: &openidconnect::RequestTokenError<E, R>,
) -> &'static str {
    match error {
        openidconnect::RequestTokenError::ServerResponse(_) => {
            "the provider refused the refresh token"
        }
        openidconnect::RequestTokenError::Request(_) => "the refresh request failed or timed out",
        openidconnect::RequestTokenError::Parse(..) => "the response could not be read",
        openidconnect::RequestTokenError::Other(_) => "unexpected response",
    }
}

fn claims_error_kind(error: &ClaimsVerificationError) -> &'static str {
    match error {
        ClaimsVerificationError::Expired(_) => "expired",
        ClaimsVerificationError::InvalidAudience(_) => "wrong audience",
        ClaimsVerificationError::InvalidIssuer(_) => "wrong issuer",
        ClaimsVerificationError::InvalidNonce(_) => "wrong nonce",
        ClaimsVerificationError::InvalidSubject(_) => "wrong subject",
        ClaimsVerificationError::SignatureVerification(_) => "bad signature",
        ClaimsVerificationError::Unsupported(_) => "unsupported",
        _ => "invalid claims",
    }
}
