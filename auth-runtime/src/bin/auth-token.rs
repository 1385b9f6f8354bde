//! `auth-token`: decode, encode and inspect Auth.js-compatible session tokens; sign and verify
//! bearer tokens (JWS).
//!
//! Secrets come from the environment only (`AUTH_SECRET`, then `AUTH_SECRET_1` …
//! `AUTH_SECRET_3` for rotation; `AUTH_BEARER_KEYS` for signing bearer tokens), never from
//! arguments, so they stay out of shell history and
//! process listings. Claims whose names look like credentials (`accessToken`, `refresh_token`,
//! `password`, …) are masked in the output unless `--reveal` asks for every claim as stored;
//! keys and undecryptable input are never printed.
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line tool talks through stdout and stderr"
)]

use std::io::Read as _;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use auth_runtime::read_protected_header;
use auth_runtime::{AuthError, Claims, FixedClock, KeySet, Secrets, TokenCodec};
use auth_runtime::{BEARER_KEYS_VARIABLE, BearerKeys, BearerVerifier, sign_claims};
use auth_runtime::{CHUNK_SIZE, CookieNames, SessionCookie, parse_cookie_header};
use auth_runtime::{DEFAULT_MAX_AGE, parse_claims};
use lexopt::ValueExt as _;
use serde_json::Value;

const USAGE: &str = "\
usage:
  auth-token decode [--salt NAME | --https] [--now UNIX_SECONDS] [--reveal] TOKEN
  auth-token encode [--salt NAME | --https] [--max-age SECONDS] [--now UNIX_SECONDS]
                                                  (claims JSON on stdin)
  auth-token inspect [--salt NAME | --https] TOKEN
  auth-token sign [--ttl SECONDS] [--now UNIX_SECONDS]   (claims JSON on stdin)
  auth-token verify --jwks FILE_OR_URL [--issuer ISS] [--audience AUD] [--now UNIX_SECONDS]
                    [--reveal] TOKEN

TOKEN is a token, `-` to read it from stdin, or a whole Cookie header value (its session
chunks are reassembled). --salt defaults to authjs.session-token; --https means
__Secure-authjs.session-token. Secrets are read from AUTH_SECRET and, for rotation,
AUTH_SECRET_1 .. AUTH_SECRET_3 (newest first). decode prints claims named like credentials
(accessToken, refresh_token, password, ...) as [redacted]; --reveal prints every claim as
stored, for the moment you need to see which access token the cookie holds.

sign signs the claims (iat, exp = iat + --ttl, default 900, and jti set) as a bearer token
with the first key of AUTH_BEARER_KEYS (PEM blocks or a JWK set). verify checks a bearer
token against a key set (a file, or an http(s) URL such as <base>/jwks): its header, kid,
algorithm, signature and times, and iss and aud when --issuer and --audience are given
(without them, the token's own values are taken, and a note says they were not checked).";

/// The longest key set `verify` reads from a URL.
const MAX_JWKS_LEN: usize = 1024 * 1024;

/// A bearer token's lifetime when `sign` is given none: 15 minutes.
const DEFAULT_BEARER_TTL: Duration = Duration::from_secs(15 * 60);

/// Above this size a session cookie no longer fits in one cookie in most browsers.
const COOKIE_WARNING_BYTES: usize = 4096;

enum Command {
    Decode {
        salt: String,
        now: Option<i64>,
        /// Print credential-like claims as stored instead of `"[redacted]"`.
        reveal: bool,
        token: String,
    },
    Encode {
        salt: String,
        max_age: Duration,
        /// Issue as if it were this time (`iat`, and `exp` from it).
        now: Option<i64>,
    },
    Inspect {
        salt: Option<String>,
        token: String,
    },
    Sign {
        ttl: Duration,
        now: Option<i64>,
    },
    Verify {
        jwks: String,
        issuer: Option<String>,
        audience: Option<String>,
        now: Option<i64>,
        reveal: bool,
        token: String,
    },
    Help,
}

/// Why the tool stopped: a usage mistake (exit 2) or a failure (exit 1).
enum Failure {
    Usage(String),
    Failed(String),
}

impl From<lexopt::Error> for Failure {
    fn from(error: lexopt::Error) -> Self {
        Self::Usage(error.to_string())
    }
}

impl From<AuthError> for Failure {
    fn from(error: AuthError) -> Self {
        Self::Failed(describe(&error))
    }
}

fn main() -> ExitCode {
    let outcome = parse_arguments(lexopt::Parser::from_env()).and_then(run);
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            eprintln!("auth-token: {message}\n\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::Failed(message)) => {
            eprintln!("auth-token: {message}");
            ExitCode::FAILURE
        }
    }
}

fn parse_arguments(mut parser: lexopt::Parser) -> Result<Command, Failure> {
    use lexopt::Arg::{Long, Short, Value};

    let mut subcommand: Option<String> = None;
    let mut salt: Option<String> = None;
    let mut https = false;
    let mut now = None;
    let mut max_age = None;
    let mut reveal = false;
    let mut token = None;
    let mut ttl = None;
    let mut jwks = None;
    let mut issuer = None;
    let mut audience = None;
    while let Some(arg) = parser.next()? {
        match arg {
            Short('h') | Long("help") => return Ok(Command::Help),
            Long("salt") => salt = Some(parser.value()?.string()?),
            Long("https") => https = true,
            Long("reveal") => reveal = true,
            Long("now") => now = Some(parser.value()?.parse::<i64>()?),
            Long("max-age") => max_age = Some(Duration::from_secs(parser.value()?.parse()?)),
            Long("ttl") => ttl = Some(Duration::from_secs(parser.value()?.parse()?)),
            Long("jwks") => jwks = Some(parser.value()?.string()?),
            Long("issuer") => issuer = Some(parser.value()?.string()?),
            Long("audience") => audience = Some(parser.value()?.string()?),
            Value(value) if subcommand.is_none() => subcommand = Some(value.string()?),
            Value(value) if token.is_none() => token = Some(value.string()?),
            other => return Err(other.unexpected().into()),
        }
    }
    if salt.is_some() && https {
        return Err(Failure::Usage("give --salt or --https, not both".into()));
    }
    let salt = salt.or_else(|| https.then(|| CookieNames::HTTPS.session.to_owned()));
    let needs_token = |token: Option<String>| {
        token.ok_or_else(|| Failure::Usage("missing TOKEN (use `-` to read stdin)".into()))
    };
    let refuse = |flag: &str, given: bool| match given {
        true => Err(Failure::Usage(format!("{flag} does not apply here"))),
        false => Ok(()),
    };
    let bearer_flags = ttl.is_some() || jwks.is_some() || issuer.is_some() || audience.is_some();
    if !matches!(subcommand.as_deref(), Some("sign" | "verify")) {
        refuse("--ttl, --jwks, --issuer and --audience", bearer_flags)?;
    }
    match subcommand.as_deref() {
        Some("sign") => {
            refuse("TOKEN", token.is_some())?;
            refuse("--reveal", reveal)?;
            refuse("--max-age", max_age.is_some())?;
            refuse("--salt and --https", salt.is_some())?;
            refuse(
                "--jwks, --issuer and --audience",
                jwks.is_some() || issuer.is_some() || audience.is_some(),
            )?;
            Ok(Command::Sign {
                ttl: ttl.unwrap_or(DEFAULT_BEARER_TTL),
                now,
            })
        }
        Some("verify") => {
            refuse("--ttl", ttl.is_some())?;
            refuse("--max-age", max_age.is_some())?;
            refuse("--salt and --https", salt.is_some())?;
            Ok(Command::Verify {
                jwks: jwks
                    .ok_or_else(|| Failure::Usage("verify needs --jwks FILE_OR_URL".into()))?,
                issuer,
                audience,
                now,
                reveal,
                token: needs_token(token)?,
            })
        }
        Some("decode") => {
            refuse("--max-age", max_age.is_some())?;
            Ok(Command::Decode {
                salt: salt.unwrap_or_else(|| CookieNames::HTTP.session.to_owned()),
                now,
                reveal,
                token: needs_token(token)?,
            })
        }
        Some("encode") => {
            refuse("TOKEN", token.is_some())?;
            refuse("--reveal", reveal)?;
            Ok(Command::Encode {
                salt: salt.unwrap_or_else(|| CookieNames::HTTP.session.to_owned()),
                max_age: max_age.unwrap_or(DEFAULT_MAX_AGE),
                now,
            })
        }
        Some("inspect") => {
            refuse("--now", now.is_some())?;
            refuse("--max-age", max_age.is_some())?;
            refuse("--reveal", reveal)?;
            Ok(Command::Inspect {
                salt,
                token: needs_token(token)?,
            })
        }
        Some(other) => Err(Failure::Usage(format!("unknown command `{other}`"))),
        None => Err(Failure::Usage("missing command".into())),
    }
}

fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Help => {
            println!("{USAGE}");
            Ok(())
        }
        Command::Decode {
            salt,
            now,
            reveal,
            token,
        } => {
            let token = read_token(&token, &[salt.as_str()])?;
            let mut codec = codec_for(&salt)?;
            if let Some(now) = now {
                codec = codec.with_clock(FixedClock(now));
            }
            let mut claims = codec.decode(&token)?;
            if !reveal {
                mask_credentials(&mut claims);
            }
            println!("{}", pretty(&Value::Object(claims)));
            Ok(())
        }
        Command::Encode { salt, max_age, now } => {
            let mut input = String::new();
            std::io::stdin()
                .read_to_string(&mut input)
                .map_err(|error| Failure::Failed(format!("cannot read stdin: {error}")))?;
            let claims = parse_claims(input.as_bytes())
                .map_err(|error| Failure::Failed(format!("stdin: {error}")))?;
            let mut codec = codec_for(&salt)?;
            if let Some(now) = now {
                codec = codec.with_clock(FixedClock(now));
            }
            println!("{}", codec.encode(claims, max_age)?);
            Ok(())
        }
        Command::Sign { ttl, now } => sign(ttl, now),
        Command::Verify {
            jwks,
            issuer,
            audience,
            now,
            reveal,
            token,
        } => verify(&jwks, issuer, audience, now, reveal, &token),
        Command::Inspect { salt, token } => {
            let names: Vec<&str> = match &salt {
                Some(salt) => vec![salt.as_str()],
                None => vec![CookieNames::HTTP.session, CookieNames::HTTPS.session],
            };
            inspect(&read_token(&token, &names)?)
        }
    }
}

/// `sign`: the claims of stdin, stamped with `iat`, `exp` and `jti`, signed with the first key
/// of `AUTH_BEARER_KEYS`.
fn sign(ttl: Duration, now: Option<i64>) -> Result<(), Failure> {
    let keys = BearerKeys::from_env()?
        .ok_or_else(|| Failure::Failed(format!("no bearer key: set {BEARER_KEYS_VARIABLE}")))?;
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .map_err(|error| Failure::Failed(format!("cannot read stdin: {error}")))?;
    let mut claims = parse_claims(input.as_bytes())
        .map_err(|error| Failure::Failed(format!("stdin: {error}")))?;
    let codec_now = now.unwrap_or_else(|| auth_runtime::Clock::now(&auth_runtime::SystemClock));
    let ttl = i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX);
    let jti: [u8; 16] = rand::random();
    claims.insert("iat".into(), codec_now.into());
    claims.insert("exp".into(), codec_now.saturating_add(ttl).into());
    claims.insert(
        "jti".into(),
        jti.iter()
            .map(|byte| format!("{byte:02x}"))
            .collect::<String>()
            .into(),
    );
    println!("{}", sign_claims(&keys, &claims)?);
    Ok(())
}

/// `verify`: the token checked against the key set at `jwks` (a file, or an http(s) URL).
fn verify(
    jwks: &str,
    issuer: Option<String>,
    audience: Option<String>,
    now: Option<i64>,
    reveal: bool,
    token: &str,
) -> Result<(), Failure> {
    let token = read_token(token, &[])?;
    let set = read_jwks(jwks)?;
    let keys = BearerKeys::parse(&set, "--jwks")?;
    // Without --issuer and --audience, the token's own values (unverified) stand in for
    // them, so that the signature and times are still checked; a note says so.
    let unverified = token
        .split('.')
        .nth(1)
        .and_then(|payload| base64_simd::URL_SAFE_NO_PAD.decode_to_vec(payload).ok())
        .and_then(|payload| parse_claims(&payload).ok())
        .unwrap_or_default();
    let claimed = |name: &str| match unverified.get(name) {
        Some(Value::String(value)) => value.clone(),
        Some(Value::Array(values)) => values
            .iter()
            .find_map(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        _ => String::new(),
    };
    if issuer.is_none() || audience.is_none() {
        eprintln!(
            "auth-token: note: {} not checked (give --issuer and --audience)",
            match (&issuer, &audience) {
                (None, None) => "iss and aud were",
                (None, Some(_)) => "iss was",
                _ => "aud was",
            }
        );
    }
    let issuer = issuer.unwrap_or_else(|| claimed("iss"));
    let audience = audience.unwrap_or_else(|| claimed("aud"));
    let mut verifier = BearerVerifier::new(keys, &issuer, &audience);
    if let Some(now) = now {
        verifier = verifier.with_clock(FixedClock(now));
    }
    let mut claims = verifier.verify(&token)?;
    if !reveal {
        mask_credentials(&mut claims);
    }
    println!("{}", pretty(&Value::Object(claims)));
    Ok(())
}

/// The key set's text: a file, or the body of an http(s) URL (no redirects, 5 s to connect,
/// 15 s in all, at most 1 MiB).
fn read_jwks(location: &str) -> Result<String, Failure> {
    if !(location.starts_with("http://") || location.starts_with("https://")) {
        return std::fs::read_to_string(location)
            .map_err(|error| Failure::Failed(format!("cannot read {location}: {error}")));
    }
    let failed = |what: &str| Failure::Failed(format!("cannot fetch the key set: {what}"));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|_| failed("no runtime"))?;
    runtime.block_on(async {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(15))
            .build()
            .map_err(|_| failed("no HTTP client"))?;
        let response = client
            .get(location)
            .send()
            .await
            .map_err(|_| failed("no answer"))?;
        if !response.status().is_success() {
            return Err(failed(&format!("status {}", response.status())));
        }
        if response
            .content_length()
            .is_some_and(|length| length > MAX_JWKS_LEN as u64)
        {
            return Err(failed("over 1 MiB"));
        }
        let body = response
            .bytes()
            .await
            .map_err(|_| failed("unreadable body"))?;
        if body.len() > MAX_JWKS_LEN {
            return Err(failed("over 1 MiB"));
        }
        String::from_utf8(body.to_vec()).map_err(|_| failed("not UTF-8"))
    })
}

fn codec_for(salt: &str) -> Result<TokenCodec, Failure> {
    let secrets = Secrets::from_env()?;
    Ok(TokenCodec::new(Arc::new(KeySet::derive(&secrets, salt))))
}

/// The token an argument stands for: itself, stdin for `-`, or the session cookie (under one
/// of `names`) reassembled from a `Cookie` header value.
fn read_token(argument: &str, names: &[&str]) -> Result<String, Failure> {
    let mut input = if argument == "-" {
        let mut input = String::new();
        std::io::stdin()
            .read_to_string(&mut input)
            .map_err(|error| Failure::Failed(format!("cannot read stdin: {error}")))?;
        input
    } else {
        argument.to_owned()
    };
    input = input.trim().to_owned();
    if let Some(rest) = input
        .get(..7)
        .filter(|prefix| prefix.eq_ignore_ascii_case("cookie:"))
        .map(|_| input[7..].trim().to_owned())
    {
        input = rest;
    }
    // A compact JWE never contains `=`; a Cookie header always does.
    if !input.contains('=') {
        return Ok(input);
    }
    for name in names {
        let cookie = SessionCookie::read(parse_cookie_header(input.as_bytes()), name);
        if let Some(token) = cookie.token? {
            return Ok(token);
        }
    }
    Err(Failure::Failed(format!(
        "the Cookie header has no `{}` cookie",
        names.join("` or `")
    )))
}

fn inspect(token: &str) -> Result<(), Failure> {
    let header = read_protected_header(token)?;
    let header_json = serde_json::json!({
        "alg": "dir",
        "enc": header.enc.as_str(),
        "kid": header.kid,
    });
    println!("protected header: {}", pretty(&header_json));
    match &header.kid {
        Some(kid) => println!("kid: {kid}"),
        None => println!("kid: none (only the newest secret can open it)"),
    }
    let chunks = token.len().div_ceil(CHUNK_SIZE).max(1);
    println!("size: {} bytes", token.len());
    println!("cookie chunks: {chunks} (of {CHUNK_SIZE} characters each)");
    if token.len() > COOKIE_WARNING_BYTES {
        println!(
            "warning: the token is over 4 KB; it is split into {chunks} cookies, which some \
             proxies and browsers handle badly. Keep large data out of the token."
        );
    }
    Ok(())
}

/// One line on what went wrong, with expiry instants spelled out. Never a token or a key.
fn describe(error: &AuthError) -> String {
    let instant = |seconds: i64| {
        u64::try_from(seconds)
            .ok()
            .and_then(|seconds| UNIX_EPOCH.checked_add(Duration::from_secs(seconds)))
            .map(httpdate::fmt_http_date)
            .unwrap_or_else(|| "an invalid time".to_owned())
    };
    match error {
        AuthError::Expired { exp } => format!("expired at {} ({exp})", instant(*exp)),
        AuthError::NotYetValid { not_before } => {
            format!("not valid before {} ({not_before})", instant(*not_before))
        }
        other => other.to_string(),
    }
}

/// Replaces the values of claims named like credentials with `"[redacted]"`, at any depth.
fn mask_credentials(claims: &mut Claims) {
    for (name, value) in claims.iter_mut() {
        let folded: String = name
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let sensitive = ["token", "password", "secret", "apikey", "credential"]
            .iter()
            .any(|marker| folded.contains(marker));
        if sensitive {
            *value = Value::String("[redacted]".into());
        } else if let Value::Object(inner) = value {
            mask_credentials(inner);
        }
    }
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}
