//! The inputs the macro and the runtime are both fed, with the verdict each must reach: the
//! proof that a configuration compiles exactly when it also starts. Used by the tests of
//! `auth-macros` (through `validate`) and of `auth-runtime` (through the start-up check); enabled
//! by the internal `_agreement` feature.

/// `(base path, accepted)`.
pub const BASE_PATHS: &[(&str, bool)] = &[
    ("/api/auth", true),
    ("/auth", true),
    ("/v1.2/auth_x-y", true),
    ("api/auth", false),
    ("/", false),
    ("", false),
    ("/api/auth/", false),
    ("/api//auth", false),
    ("/api/./auth", false),
    ("/api/../auth", false),
    ("/api/..", false),
    ("/api auth", false),
    ("/api/auth?x", false),
    ("/api/aüth", false),
];

/// `(provider id, accepted)`.
pub const PROVIDER_IDS: &[(&str, bool)] = &[
    ("credentials", true),
    ("github", true),
    ("microsoft-entra-id", true),
    ("sso_2", true),
    ("", false),
    ("GitHub", false),
    ("Credentials", false),
    ("a/b", false),
    ("a b", false),
    ("é", false),
];

/// `(page path, accepted)`, under the base path `/api/auth`.
pub const PAGES: &[(&str, bool)] = &[
    ("/login", true),
    ("/auth/error", true),
    ("/login?from=app", true),
    ("/api/authentic", true),
    ("/api/auth", false),
    ("/api/auth/signin", false),
    ("/api/auth?x=1", false),
    ("/login#top", false),
    ("login", false),
    ("//evil.example/login", false),
    ("/\\evil.example", false),
    ("/a b", false),
    ("/a%2Fb", false),
    ("/é", false),
    ("https://app.example/login", false),
];

/// `(rate limit, accepted)`.
pub const RATE_LIMITS: &[(&str, bool)] = &[
    ("5 per 15m", true),
    ("100 per 1h", true),
    ("1 per 1s", true),
    ("0 per 15m", false),
    ("5 per 0s", false),
    ("5 per 500ms", false),
    ("5/15m", false),
    ("five per 15m", false),
    ("5 per fortnight", false),
];

/// `(bearer ttl, bearer audience, accepted)`, as `tokens(bearer(ttl = …, audience = …))`.
pub const BEARER_SETTINGS: &[(&str, &str, bool)] = &[
    ("15m", "https://api.example", true),
    ("1m", "orders", true),
    ("1d", "urn:example:api", true),
    ("59s", "https://api.example", false),
    ("25h", "https://api.example", false),
    ("30d", "https://api.example", false),
    ("15m", "", false),
    ("15m", "my api", false),
    ("15m", "api\t2", false),
];

/// `(max_age, update_age, accepted)`; `update_age` empty when not set.
pub const SESSION_AGES: &[(&str, &str, bool)] = &[
    ("30d", "", true),
    ("1m", "", true),
    ("400d", "", true),
    ("59s", "", false),
    ("401d", "", false),
    ("30d", "1h", true),
    ("1h", "59m", true),
    ("1h", "1h", false),
    ("1h", "2h", false),
];
