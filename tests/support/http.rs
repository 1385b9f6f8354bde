//! A real server on a loopback port and a browser-like client with a cookie jar, and the
//! client's side of an OAuth sign-in (its start, the callback URL, the check cookies).

use std::net::SocketAddr;

use poem::listener::{Acceptor as _, Listener as _, TcpAcceptor, TcpListener};
use poem::{Endpoint, IntoEndpoint, Server};
use reqwest::header::HeaderMap;
use serde_json::Value;
use tokio::sync::oneshot;

/// A server bound to `127.0.0.1` on a free port, stopped when dropped.
pub(crate) struct TestServer {
    pub(crate) addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
}

impl TestServer {
    /// Serves `app` on a fresh loopback port.
    pub(crate) async fn start(app: impl IntoEndpoint<Endpoint: Endpoint + 'static>) -> Self {
        Self::bind().await.serve(app)
    }

    /// Binds a fresh loopback port without serving yet, for an app that must know its own
    /// origin (its public URL) before it is built.
    pub(crate) async fn bind() -> BoundPort {
        let acceptor = TcpListener::bind("127.0.0.1:0")
            .into_acceptor()
            .await
            .expect("bind a loopback port");
        let addr = acceptor.local_addr()[0]
            .as_socket_addr()
            .copied()
            .expect("a TCP address");
        BoundPort { acceptor, addr }
    }

    /// `http://127.0.0.1:<port><path>`.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

/// A loopback port bound by [`TestServer::bind`]: connections queue until [`BoundPort::serve`].
pub(crate) struct BoundPort {
    acceptor: TcpAcceptor,
    addr: SocketAddr,
}

impl BoundPort {
    /// `http://127.0.0.1:<port>`, the origin the app will be served at.
    pub(crate) fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Serves `app` on this port until the returned server is dropped.
    pub(crate) fn serve(self, app: impl IntoEndpoint<Endpoint: Endpoint + 'static>) -> TestServer {
        let Self { acceptor, addr } = self;
        let (stop, stopped) = oneshot::channel::<()>();
        let app = app.into_endpoint();
        tokio::spawn(async move {
            Server::new_with_acceptor(acceptor)
                .run_with_graceful_shutdown(
                    app,
                    async {
                        let _ = stopped.await;
                    },
                    None,
                )
                .await
        });
        TestServer {
            addr,
            stop: Some(stop),
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A client that keeps cookies like a browser and does not follow redirects, so that tests
/// see each `Location`.
pub(crate) fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
}

/// A [`browser`] whose cookie jar the test can read (see [`jar_cookie`]).
pub(crate) fn browser_with_jar() -> (reqwest::Client, std::sync::Arc<reqwest::cookie::Jar>) {
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    let client = reqwest::Client::builder()
        .cookie_provider(std::sync::Arc::clone(&jar))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");
    (client, jar)
}

/// The value of the cookie `name` that `jar` would send to `server`.
pub(crate) fn jar_cookie(
    jar: &reqwest::cookie::Jar,
    server: &TestServer,
    name: &str,
) -> Option<String> {
    use reqwest::cookie::CookieStore as _;
    let url = reqwest::Url::parse(&server.url("/")).expect("a URL");
    let header = jar.cookies(&url)?;
    header
        .to_str()
        .ok()?
        .split("; ")
        .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
        .map(str::to_owned)
}

/// The `Location` header of a redirect.
pub(crate) fn location(headers: &HeaderMap) -> String {
    headers
        .get(reqwest::header::LOCATION)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// Every `Set-Cookie` header of a response.
pub(crate) fn set_cookies(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok().map(str::to_owned))
        .collect()
}

/// The status of `GET path`.
pub(crate) async fn get_status(
    client: &reqwest::Client,
    server: &TestServer,
    path: &str,
) -> reqwest::StatusCode {
    client
        .get(server.url(path))
        .send()
        .await
        .expect("GET")
        .status()
}

/// `GET <base>/csrf` and the token it answers (the cookie goes into the jar).
pub(crate) async fn csrf_token(
    client: &reqwest::Client,
    server: &TestServer,
    base: &str,
) -> String {
    let body: Value = client
        .get(server.url(&format!("{base}/csrf")))
        .send()
        .await
        .expect("GET /csrf")
        .json()
        .await
        .expect("JSON");
    body["csrfToken"].as_str().expect("a CSRF token").to_owned()
}

/// `url` with the query parameter `name` set to `value` (or removed when `None`).
pub(crate) fn with_param(url: &str, name: &str, value: Option<&str>) -> String {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let mut pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .filter(|(key, _)| key != name)
        .collect();
    if let Some(value) = value {
        pairs.push((name.to_owned(), value.to_owned()));
    }
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    format!("{path}?{query}")
}

/// A cookie header for our origin with `cookies` only, replacing the jar: a fresh browser
/// carrying exactly these cookies.
pub(crate) fn browser_with(cookies: &[(&str, &str)]) -> reqwest::Client {
    let header = cookies
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join("; ");
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::COOKIE,
        header.parse().expect("a cookie header"),
    );
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .expect("a client")
}

/// The value of the cookie `name` among `Set-Cookie` lines.
pub(crate) fn cookie_value<'a>(set_cookies: &'a [String], name: &str) -> &'a str {
    set_cookies
        .iter()
        .find_map(|line| line.strip_prefix(&format!("{name}=")))
        .and_then(|rest| rest.split(';').next())
        .expect("the cookie is set")
}

/// `POST <server>/api/auth/signin/<provider>` with the CSRF token (and `callback_url`): the
/// provider's authorization URL and the check cookies set.
pub(crate) async fn begin_sign_in(
    client: &reqwest::Client,
    server: &TestServer,
    provider: &str,
    callback_url: Option<&str>,
) -> (String, Vec<String>) {
    let token = csrf_token(client, server, "/api/auth").await;
    let mut form = vec![("csrfToken", token.as_str())];
    if let Some(callback_url) = callback_url {
        form.push(("callbackUrl", callback_url));
    }
    let response = client
        .post(server.url(&format!("/api/auth/signin/{provider}")))
        .form(&form)
        .send()
        .await
        .expect("POST /signin");
    assert_eq!(response.status(), reqwest::StatusCode::FOUND);
    (
        location(response.headers()),
        set_cookies(response.headers()),
    )
}

/// `GET <server>/api/auth/session` as JSON.
pub(crate) async fn session_json(client: &reqwest::Client, server: &TestServer) -> Value {
    client
        .get(server.url("/api/auth/session"))
        .send()
        .await
        .expect("GET /session")
        .json()
        .await
        .expect("JSON")
}
