//! The HTTP client of the OAuth flows: it follows no redirects, gives up after a connect and
//! a total timeout, and refuses a response larger than [`MAX_RESPONSE_LEN`]. TLS is rustls
//! with its default provider (aws-lc-rs), or the
//! process-wide one an application installed. It implements `openidconnect`'s `AsyncHttpClient`.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use openidconnect::{AsyncHttpClient, HttpRequest, HttpResponse};

use crate::origin::Origin;

/// The longest response body read from a provider: 1 MiB (discovery documents, key sets and
/// tokens are a few KiB).
pub const MAX_RESPONSE_LEN: usize = 1 << 20;
/// How long connecting to a provider may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long one request to a provider may take in all.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// The `User-Agent` of every request to a provider (GitHub's API refuses a request without
/// one).
const USER_AGENT: &str = concat!("auth-runtime/", env!("CARGO_PKG_VERSION"));

/// Why a request to a provider failed. The text names the step, never a body or a secret.
#[derive(Debug, thiserror::Error)]
pub(crate) enum HttpError {
    /// The client could not be built (no TLS provider).
    #[error("the HTTP client could not be built")]
    Build,
    /// The request could not be sent, or timed out.
    #[error("the request failed: {0}")]
    Send(&'static str),
    /// The body was larger than [`MAX_RESPONSE_LEN`].
    #[error("the response was larger than {MAX_RESPONSE_LEN} bytes")]
    TooLarge,
}

/// The HTTP client used to talk to providers.
#[derive(Clone, Debug)]
pub(crate) struct ProviderHttp {
    client: reqwest::Client,
}

impl ProviderHttp {
    /// A client without redirects, with timeouts, over rustls.
    pub(crate) fn new() -> Result<Self, HttpError> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .no_proxy()
            .user_agent(USER_AGENT)
            .build()
            .map_err(|_| HttpError::Build)?;
        Ok(Self { client })
    }

    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, HttpError> {
        let (parts, body) = request.into_parts();
        let url = parts.uri.to_string();
        let mut builder = self
            .client
            .request(parts.method, url)
            .headers(parts.headers)
            .body(body);
        builder = builder.header(reqwest::header::ACCEPT_ENCODING, "identity");
        let mut response = builder
            .send()
            .await
            .map_err(|error| HttpError::Send(send_error_kind(&error)))?;
        if response
            .content_length()
            .is_some_and(|len| len > MAX_RESPONSE_LEN as u64)
        {
            return Err(HttpError::TooLarge);
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|error| HttpError::Send(send_error_kind(&error)))?
        {
            if body.len() + chunk.len() > MAX_RESPONSE_LEN {
                return Err(HttpError::TooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        let mut out = HttpResponse::new(body);
        *out.status_mut() = response.status();
        *out.headers_mut() = response.headers().clone();
        Ok(out)
    }
}

impl ProviderHttp {
    /// `GET url` with the access token as a bearer and `accept`: the JSON body of a 2xx
    /// answer, else why not (a fixed description, never the body).
    pub(crate) async fn get_json(
        &self,
        url: &str,
        access_token: &str,
        accept: &'static str,
    ) -> Result<serde_json::Value, &'static str> {
        let mut request = HttpRequest::new(Vec::new());
        *request.uri_mut() = url.parse().map_err(|_| "the URL is not valid")?;
        let headers = request.headers_mut();
        let bearer = format!("Bearer {access_token}");
        let bearer = openidconnect::http::HeaderValue::from_str(&bearer)
            .map_err(|_| "the access token is not a header value")?;
        headers.insert(openidconnect::http::header::AUTHORIZATION, bearer);
        headers.insert(
            openidconnect::http::header::ACCEPT,
            openidconnect::http::HeaderValue::from_static(accept),
        );
        let response = self.send(request).await.map_err(|_| "the request failed")?;
        if !response.status().is_success() {
            return Err("the provider answered with an error status");
        }
        serde_json::from_slice(response.body()).map_err(|_| "the answer is not JSON")
    }
}

/// A fixed word for a reqwest error: its `Display` may carry the URL, which is logged
/// elsewhere, but never a query with a code.
fn send_error_kind(error: &reqwest::Error) -> &'static str {
    if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else if error.is_body() || error.is_decode() {
        "the body could not be read"
    } else {
        "the request could not be sent"
    }
}

impl<'c> AsyncHttpClient<'c> for ProviderHttp {
    type Error = HttpError;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, HttpError>> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(self.send(request))
    }
}

/// Whether `url` may be a provider's URL: the rule the macro applies to URLs in the config
/// (`auth_rules::check_provider_url`: https, or plain http on a loopback address), and a URL
/// our origin parser reads.
pub(crate) fn is_acceptable_provider_url(url: &str) -> bool {
    auth_rules::check_provider_url(url).is_ok() && Origin::parse_with_path(url).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_accepted_only_on_loopback() {
        assert!(is_acceptable_provider_url("https://id.example.com/realm"));
        assert!(is_acceptable_provider_url("http://127.0.0.1:4000/oidc"));
        assert!(is_acceptable_provider_url("http://localhost:4000"));
        assert!(!is_acceptable_provider_url("http://id.example.com"));
        assert!(!is_acceptable_provider_url("ftp://id.example.com"));
        assert!(!is_acceptable_provider_url("not a url"));
    }
}
