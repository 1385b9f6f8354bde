//! The names of the cookies Auth.js sets, for plain http and for https.

/// The names of every cookie Auth.js sets, for plain http or for https.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CookieNames {
    /// The session token (and the salt of its key).
    pub session: &'static str,
    /// The URL to return to after sign-in.
    pub callback_url: &'static str,
    /// The CSRF double-submit cookie.
    pub csrf: &'static str,
    /// The OAuth PKCE code verifier.
    pub pkce_verifier: &'static str,
    /// The OAuth state.
    pub state: &'static str,
    /// The OpenID Connect nonce.
    pub nonce: &'static str,
    /// Whether these are the https names, whose cookies carry `Secure`.
    pub secure: bool,
}

impl CookieNames {
    /// The names for plain http (`authjs.*`).
    pub const HTTP: Self = Self {
        session: "authjs.session-token",
        callback_url: "authjs.callback-url",
        csrf: "authjs.csrf-token",
        pkce_verifier: "authjs.pkce.code_verifier",
        state: "authjs.state",
        nonce: "authjs.nonce",
        secure: false,
    };

    /// The names for https (`__Secure-authjs.*`, and `__Host-authjs.csrf-token`).
    pub const HTTPS: Self = Self {
        session: "__Secure-authjs.session-token",
        callback_url: "__Secure-authjs.callback-url",
        csrf: "__Host-authjs.csrf-token",
        pkce_verifier: "__Secure-authjs.pkce.code_verifier",
        state: "__Secure-authjs.state",
        nonce: "__Secure-authjs.nonce",
        secure: true,
    };

    /// The names for a site served over https (`true`) or plain http.
    pub fn for_https(https: bool) -> &'static Self {
        if https { &Self::HTTPS } else { &Self::HTTP }
    }
}
