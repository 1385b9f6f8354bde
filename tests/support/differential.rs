//! The differential suite's machinery: one scripted sequence of requests sent to two servers
//! (ours and the real `@auth/core`), each answer reduced to what must agree (status, the
//! `Location`, the `Content-Type` family, each `Set-Cookie`'s name and attributes, the JSON
//! body), with what legitimately varies between two servers normalised away: the origin, CSRF
//! tokens, cookie values and dates. Then the answers are compared step by step and every
//! difference is checked against a list of allowed ones.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::cookie::{CookieStore as _, Jar};
use reqwest::header::{CONTENT_TYPE, HeaderMap, LOCATION, SET_COOKIE};
use reqwest::{RequestBuilder, Url};
use serde_json::Value;

/// Far above what one request takes, for a loaded machine.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The session cookie's name on `http`.
const SESSION_COOKIE: &str = "authjs.session-token";

/// One server under test, with a browser-like client of its own: a cookie jar, no redirects
/// followed.
pub(crate) struct Target {
    /// `http://127.0.0.1:<port>`.
    origin: String,
    /// The auth routes' base path.
    base: String,
    jar: Arc<Jar>,
    client: reqwest::Client,
}

impl Target {
    /// A fresh client for the server at `origin`, its auth routes under `base`.
    pub(crate) fn new(origin: &str, base: &str) -> Self {
        let jar = Arc::new(Jar::default());
        let client = reqwest::Client::builder()
            .cookie_provider(Arc::clone(&jar))
            .redirect(reqwest::redirect::Policy::none())
            .timeout(REQUEST_TIMEOUT)
            .build()
            .expect("a client");
        Self {
            origin: origin.to_owned(),
            base: base.to_owned(),
            jar,
            client,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}{path}", self.origin, self.base)
    }

    /// `GET <base><path>`.
    pub(crate) fn get(&self, path: &str) -> RequestBuilder {
        self.client.get(self.url(path))
    }

    /// `POST <base><path>`.
    pub(crate) fn post(&self, path: &str) -> RequestBuilder {
        self.client.post(self.url(path))
    }

    /// `PUT <base><path>`.
    pub(crate) fn put(&self, path: &str) -> RequestBuilder {
        self.client.put(self.url(path))
    }

    /// `http://127.0.0.1:<port>`.
    pub(crate) fn origin(&self) -> &str {
        &self.origin
    }

    /// Changes one character in the middle of the ciphertext of the session cookie in the
    /// jar, as a tampering client would; the cookie's name, path and host stay.
    pub(crate) fn tamper_with_session_cookie(&self) {
        let url: Url = self.origin.parse().expect("the origin is a URL");
        let cookies = self.jar.cookies(&url).expect("cookies in the jar");
        let cookies = cookies.to_str().expect("ASCII cookies");
        let token = cookies
            .split("; ")
            .find_map(|pair| pair.strip_prefix(&format!("{SESSION_COOKIE}=")))
            .expect("a whole session cookie in the jar");
        let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
        assert_eq!(parts.len(), 5, "a compact JWE: {token}");
        let ciphertext = &mut parts[3];
        let middle = ciphertext.len() / 2;
        let changed = if &ciphertext[middle..=middle] == "A" {
            "B"
        } else {
            "A"
        };
        ciphertext.replace_range(middle..=middle, changed);
        self.set_cookie(SESSION_COOKIE, &parts.join("."));
    }

    /// Puts the cookie `name=value` in the jar (host-only, `Path=/`, as the servers set
    /// theirs), replacing any of that name.
    pub(crate) fn set_cookie(&self, name: &str, value: &str) {
        let url: Url = self.origin.parse().expect("the origin is a URL");
        self.jar
            .add_cookie_str(&format!("{name}={value}; Path=/"), &url);
    }
}

/// The answers one target gave to the script, step by step.
pub(crate) struct Run<'a> {
    target: &'a Target,
    observed: Vec<(&'static str, Observation)>,
}

impl<'a> Run<'a> {
    /// A run of the script against `target`.
    pub(crate) fn new(target: &'a Target) -> Self {
        Self {
            target,
            observed: Vec::new(),
        }
    }

    /// Sends `request` as the script's step `step`, records the normalised answer, and gives
    /// the JSON body as sent (`null` when there is none), for the script to read tokens from.
    pub(crate) async fn send(&mut self, step: &'static str, request: RequestBuilder) -> Value {
        assert!(
            self.observed.iter().all(|(seen, _)| *seen != step),
            "step names are unique: {step}"
        );
        let response = request.send().await.unwrap_or_else(|error| {
            panic!("{step}: no answer from {}: {error}", self.target.origin)
        });
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await.expect("a body");
        let (observation, raw) = Observation::of(&self.target.origin, status, &headers, &body);
        self.observed.push((step, observation));
        raw
    }

    /// The recorded answers, in script order.
    pub(crate) fn finish(self) -> Vec<(&'static str, Observation)> {
        self.observed
    }
}

/// What a response says that must agree between the two servers.
#[derive(Debug)]
pub(crate) struct Observation {
    status: u16,
    location: Option<String>,
    content_type: Option<String>,
    /// Each cookie name set, with the shape of every `Set-Cookie` for it.
    cookies: BTreeMap<String, Vec<CookieShape>>,
    /// The JSON body, normalised; `None` for any other body (pages are compared by status
    /// and content type only).
    json: Option<Value>,
}

impl Observation {
    fn of(origin: &str, status: u16, headers: &HeaderMap, body: &[u8]) -> (Self, Value) {
        let header = |name| {
            headers
                .get(name)
                .map(|value: &reqwest::header::HeaderValue| {
                    String::from_utf8_lossy(value.as_bytes()).into_owned()
                })
        };
        let content_type = header(CONTENT_TYPE).map(|value| {
            value
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        });
        let mut cookies: BTreeMap<String, Vec<CookieShape>> = BTreeMap::new();
        for value in headers.get_all(SET_COOKIE) {
            let (name, shape) = CookieShape::parse(&String::from_utf8_lossy(value.as_bytes()));
            cookies.entry(name).or_default().push(shape);
        }
        let raw = if content_type.as_deref() == Some("application/json") {
            serde_json::from_slice(body).unwrap_or_else(|_| {
                Value::String(format!(
                    "<not JSON: {}>",
                    String::from_utf8_lossy(body).into_owned()
                ))
            })
        } else {
            Value::Null
        };
        let json = (content_type.as_deref() == Some("application/json"))
            .then(|| normalise_json(&raw, origin, None));
        let observation = Self {
            status,
            location: header(LOCATION).map(|value| normalise_url(&value, origin)),
            content_type,
            cookies,
            json,
        };
        (observation, raw)
    }
}

/// A `Set-Cookie` reduced to what must agree: whether it carries a value, its attributes, and
/// its lifetime (a browser-session cookie, one expiring in so many days, or a deletion) with
/// the attributes that set it (`Max-Age`, `Expires`).
#[derive(Debug, PartialEq, Eq)]
struct CookieShape {
    has_value: bool,
    path: Option<String>,
    domain: Option<String>,
    http_only: bool,
    secure: bool,
    same_site: Option<String>,
    lifetime: Lifetime,
    lifetime_set_by: &'static str,
}

#[derive(Debug, PartialEq, Eq)]
enum Lifetime {
    BrowserSession,
    Days(u64),
    Deleted,
}

impl CookieShape {
    fn parse(set_cookie: &str) -> (String, Self) {
        let mut parts = set_cookie.split(';').map(str::trim);
        let (name, value) = parts
            .next()
            .and_then(|pair| pair.split_once('='))
            .unwrap_or((set_cookie, ""));
        let mut shape = Self {
            has_value: !value.is_empty() && value != "\"\"",
            path: None,
            domain: None,
            http_only: false,
            secure: false,
            same_site: None,
            lifetime: Lifetime::BrowserSession,
            lifetime_set_by: "",
        };
        let mut max_age: Option<i64> = None;
        let mut expires: Option<SystemTime> = None;
        for attribute in parts {
            let (key, value) = attribute.split_once('=').unwrap_or((attribute, ""));
            match key.to_ascii_lowercase().as_str() {
                "path" => shape.path = Some(value.to_owned()),
                "domain" => shape.domain = Some(value.to_owned()),
                "httponly" => shape.http_only = true,
                "secure" => shape.secure = true,
                "samesite" => shape.same_site = Some(value.to_ascii_lowercase()),
                "max-age" => max_age = Some(value.parse().expect("a Max-Age number")),
                "expires" => {
                    expires = Some(httpdate::parse_http_date(value).expect("an HTTP date"));
                }
                other => panic!("unexpected cookie attribute `{other}` in {set_cookie}"),
            }
        }
        let now = SystemTime::now();
        let seconds_left = match (max_age, expires) {
            // Max-Age wins over Expires (RFC 6265 §5.3).
            (Some(max_age), _) => Some(max_age),
            (None, Some(expires)) => Some(match expires.duration_since(now) {
                Ok(left) => i64::try_from(left.as_secs()).expect("a sane date"),
                Err(_) => -1,
            }),
            (None, None) => None,
        };
        shape.lifetime = match seconds_left {
            None => Lifetime::BrowserSession,
            Some(left) if left <= 0 => Lifetime::Deleted,
            Some(left) => Lifetime::Days((left.unsigned_abs() + 43_200) / 86_400),
        };
        shape.lifetime_set_by = match (max_age.is_some(), expires.is_some()) {
            (true, true) => " (Max-Age, Expires)",
            (true, false) => " (Max-Age)",
            (false, true) => " (Expires)",
            (false, false) => "",
        };
        (name.to_owned(), shape)
    }
}

impl fmt::Display for CookieShape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.has_value { "a value" } else { "empty" })?;
        if let Some(path) = &self.path {
            write!(f, "; Path={path}")?;
        }
        if let Some(domain) = &self.domain {
            write!(f, "; Domain={domain}")?;
        }
        if self.http_only {
            f.write_str("; HttpOnly")?;
        }
        if self.secure {
            f.write_str("; Secure")?;
        }
        if let Some(same_site) = &self.same_site {
            write!(f, "; SameSite={same_site}")?;
        }
        match self.lifetime {
            Lifetime::BrowserSession => f.write_str("; until the browser closes"),
            Lifetime::Days(days) => write!(f, "; expires in {days}d"),
            Lifetime::Deleted => f.write_str("; deleted"),
        }?;
        f.write_str(self.lifetime_set_by)
    }
}

/// An absolute URL as the WHATWG URL parser writes it (`http://host:1` and `http://host:1/`
/// are one URL), then normalised as text; anything else only as text.
fn normalise_url(text: &str, origin: &str) -> String {
    match Url::parse(text) {
        Ok(url) => normalise_text(url.as_str(), origin),
        Err(_) => normalise_text(text, origin),
    }
}

/// `text` with the server's origin (plain or percent-encoded) replaced by `<origin>`.
fn normalise_text(text: &str, origin: &str) -> String {
    let encoded: String = form_urlencoded_origin(origin);
    text.replace(origin, "<origin>")
        .replace(&encoded, "<origin>")
}

/// The origin as it appears inside a percent-encoded query value.
fn form_urlencoded_origin(origin: &str) -> String {
    origin.replace(':', "%3A").replace('/', "%2F")
}

/// `value` with what varies between servers replaced: the origin in strings (a `url` member
/// parsed as a URL first), a CSRF token's 64 hex digits, the session's `expires` date (its
/// format kept).
fn normalise_json(value: &Value, origin: &str, key: Option<&str>) -> Value {
    match value {
        Value::String(text) => {
            let is_hex =
                |text: &str| text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit());
            match key {
                Some("csrfToken") if is_hex(text) => Value::String("<64 hex digits>".into()),
                Some("expires") if is_iso_date_with_millis(text) => {
                    Value::String("<YYYY-MM-DDTHH:MM:SS.sssZ>".into())
                }
                Some("url") => Value::String(normalise_url(text, origin)),
                _ => Value::String(normalise_text(text, origin)),
            }
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| normalise_json(item, origin, None))
                .collect(),
        ),
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(name, member)| (name.clone(), normalise_json(member, origin, Some(name))))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// `2026-12-12T08:30:11.000Z`: what `Date.prototype.toISOString` writes.
fn is_iso_date_with_millis(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 24
        && bytes.iter().enumerate().all(|(at, byte)| match at {
            4 | 7 => *byte == b'-',
            10 => *byte == b'T',
            13 | 16 => *byte == b':',
            19 => *byte == b'.',
            23 => *byte == b'Z',
            _ => byte.is_ascii_digit(),
        })
}

/// JSON with object members in name order, whatever the map's order.
fn canonical_json(value: &Value) -> String {
    match value {
        Value::Object(members) => {
            let sorted: BTreeMap<&String, String> = members
                .iter()
                .map(|(name, member)| (name, canonical_json(member)))
                .collect();
            let members: Vec<String> = sorted
                .into_iter()
                .map(|(name, member)| format!("{}:{member}", Value::String(name.clone())))
                .collect();
            format!("{{{}}}", members.join(","))
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(canonical_json).collect();
            format!("[{}]", items.join(","))
        }
        other => other.to_string(),
    }
}

/// One way a step's answers differ: the aspect, and what each server said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Difference {
    pub(crate) step: &'static str,
    pub(crate) aspect: String,
    pub(crate) ours: String,
    pub(crate) authjs: String,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: ours `{}`, Auth.js `{}`",
            self.step, self.aspect, self.ours, self.authjs
        )
    }
}

/// Every difference between our answers and Auth.js's, step by step.
pub(crate) fn differences(
    ours: &[(&'static str, Observation)],
    authjs: &[(&'static str, Observation)],
) -> Vec<Difference> {
    let steps =
        |run: &[(&'static str, Observation)]| run.iter().map(|(step, _)| *step).collect::<Vec<_>>();
    assert_eq!(steps(ours), steps(authjs), "both ran the same script");
    let mut found = Vec::new();
    for ((step, ours), (_, authjs)) in ours.iter().zip(authjs) {
        let mut differ = |aspect: &str, ours: String, authjs: String| {
            if ours != authjs {
                found.push(Difference {
                    step,
                    aspect: aspect.to_owned(),
                    ours,
                    authjs,
                });
            }
        };
        let or_none = |value: &Option<String>| value.clone().unwrap_or_else(|| "none".into());
        differ("status", ours.status.to_string(), authjs.status.to_string());
        differ(
            "Location",
            or_none(&ours.location),
            or_none(&authjs.location),
        );
        differ(
            "Content-Type",
            or_none(&ours.content_type),
            or_none(&authjs.content_type),
        );
        let names: std::collections::BTreeSet<&String> =
            ours.cookies.keys().chain(authjs.cookies.keys()).collect();
        for name in names {
            let render = |cookies: &BTreeMap<String, Vec<CookieShape>>| match cookies.get(name) {
                None => "not set".to_owned(),
                Some(shapes) => shapes
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(" + "),
            };
            differ(
                &format!("Set-Cookie {name}"),
                render(&ours.cookies),
                render(&authjs.cookies),
            );
        }
        let body = |json: &Option<Value>| {
            json.as_ref()
                .map_or_else(|| "not JSON".to_owned(), canonical_json)
        };
        differ("JSON body", body(&ours.json), body(&authjs.json));
    }
    found
}

/// A difference the suite accepts, with why: the steps it occurs at (it must occur at each),
/// the aspect, what each server says (as [`Difference`] renders it), and the reason, which
/// points to the README's "Where we are stricter than Auth.js" section.
pub(crate) struct Allowed {
    pub(crate) steps: &'static [&'static str],
    pub(crate) aspect: &'static str,
    pub(crate) ours: &'static str,
    pub(crate) authjs: &'static str,
    pub(crate) reason: &'static str,
}

impl Allowed {
    fn covers(&self, difference: &Difference) -> bool {
        self.steps.contains(&difference.step)
            && self.aspect == difference.aspect
            && self.ours == difference.ours
            && self.authjs == difference.authjs
    }
}

/// The outcome of checking the differences found against the allowed list.
pub(crate) struct Verdict<'a> {
    /// Each allowed entry with the steps it was met at, in the list's order.
    pub(crate) met: Vec<(&'a Allowed, Vec<&'static str>)>,
    /// Differences on no list: each is a failure.
    pub(crate) unexpected: Vec<Difference>,
    /// Allowed differences (step, aspect) that did not occur: the list is out of date.
    pub(crate) not_met: Vec<(&'static str, &'static str)>,
}

impl Verdict<'_> {
    /// How many differences were allowed.
    pub(crate) fn allowed_count(&self) -> usize {
        self.met.iter().map(|(_, steps)| steps.len()).sum()
    }
}

/// Sorts `found` into allowed and unexpected differences, and lists the allowed ones that did
/// not occur.
pub(crate) fn judge(found: Vec<Difference>, allowed: &[Allowed]) -> Verdict<'_> {
    let mut met: Vec<(&Allowed, Vec<&'static str>)> =
        allowed.iter().map(|entry| (entry, Vec::new())).collect();
    let mut unexpected = Vec::new();
    for difference in found {
        match met.iter_mut().find(|(entry, _)| entry.covers(&difference)) {
            Some((_, steps)) => steps.push(difference.step),
            None => unexpected.push(difference),
        }
    }
    let not_met = met
        .iter()
        .flat_map(|(entry, steps)| {
            entry
                .steps
                .iter()
                .filter(|step| !steps.contains(step))
                .map(|step| (*step, entry.aspect))
        })
        .collect();
    Verdict {
        met,
        unexpected,
        not_met,
    }
}
