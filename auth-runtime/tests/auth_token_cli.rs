//! The `auth-token` tool, run as a user runs it, against the Auth.js vectors.
#![allow(clippy::expect_used, reason = "tests fail loudly")]

use std::io::Write as _;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const SECRET: &str = "shared-vectors-secret-7f3a9c1e5b2d4f6a8c0e";

fn vectors() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/authjs.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("vector file")).expect("json")
}

fn made_at() -> String {
    vectors()["made_at"].to_string()
}

/// Runs `auth-token` with `args`, the given environment secrets (and no others), and `stdin`.
fn auth_token(args: &[&str], secrets: &[(&str, &str)], stdin: &str) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_auth-token"));
    command
        .args(args)
        .env_remove("AUTH_SECRET")
        .env_remove("AUTH_SECRET_1")
        .env_remove("AUTH_SECRET_2")
        .env_remove("AUTH_SECRET_3")
        .env_remove("AUTH_BEARER_KEYS")
        .envs(secrets.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("the binary runs");
    let written = child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes());
    // A command that refuses before reading its input (`sign` without a key) may have exited
    // and closed its stdin already: a broken pipe then is the race, not a failure.
    if let Err(error) = written {
        assert_eq!(
            error.kind(),
            std::io::ErrorKind::BrokenPipe,
            "write stdin: {error}"
        );
    }
    child.wait_with_output().expect("it finishes")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("utf-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("utf-8")
}

#[test]
fn decode_prints_the_claims_as_json() {
    let vectors = vectors();
    let token = vectors["tokens"][1]["token"].as_str().expect("token");
    let output = auth_token(
        &["decode", "--now", &made_at(), token],
        &[("AUTH_SECRET", SECRET)],
        "",
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let claims: Value = serde_json::from_str(&stdout(&output)).expect("JSON on stdout");
    assert_eq!(claims, vectors["tokens"][1]["claims"]);
}

/// LG-06
#[test]
fn decode_masks_credentials_and_never_prints_the_secret() {
    let vectors = vectors();
    let token = vectors["tokens"][2]["token"].as_str().expect("token");
    let output = auth_token(
        &["decode", "--now", &made_at(), token],
        &[("AUTH_SECRET", SECRET)],
        "",
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let printed = stdout(&output);
    let claims: Value = serde_json::from_str(&printed).expect("JSON");
    assert_eq!(claims["accessToken"], "[redacted]");
    assert_eq!(claims["refreshToken"], "[redacted]");
    assert_eq!(claims["email"], "u3@example.com");
    assert!(!printed.contains("gho_"));
    assert!(!printed.contains(SECRET));
}

/// `--reveal` prints every claim as stored, credentials included: what the cookie really holds.
#[test]
fn decode_reveal_prints_credentials_as_stored() {
    let vectors = vectors();
    let token = vectors["tokens"][2]["token"].as_str().expect("token");
    let output = auth_token(
        &["decode", "--reveal", "--now", &made_at(), token],
        &[("AUTH_SECRET", SECRET)],
        "",
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let claims: Value = serde_json::from_str(&stdout(&output)).expect("JSON on stdout");
    assert_eq!(claims, vectors["tokens"][2]["claims"]);
    assert!(
        claims["accessToken"]
            .as_str()
            .is_some_and(|t| t.starts_with("gho_"))
    );
    assert!(!stdout(&output).contains(SECRET));
}

/// `--reveal` belongs to `decode` only: `encode` and `inspect` refuse it as a usage mistake.
#[test]
fn reveal_is_refused_outside_decode() {
    let output = auth_token(&["inspect", "--reveal", "x"], &[], "");
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("--reveal does not apply here"));
    // No stdin: the tool stops at the usage mistake before it would read any, and a write
    // to its closed stdin would fail the test rather than the tool.
    let output = auth_token(&["encode", "--reveal"], &[("AUTH_SECRET", SECRET)], "");
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
}

#[test]
fn decode_reads_stdin_and_reassembles_a_cookie_header() {
    let vectors = vectors();
    let chunked = &vectors["chunked"];
    let header: Vec<String> = chunked["chunks"]
        .as_array()
        .expect("chunks")
        .iter()
        .rev()
        .map(|c| {
            format!(
                "{}={}",
                c["name"].as_str().expect("name"),
                c["value"].as_str().expect("value")
            )
        })
        .collect();
    let header = format!("Cookie: theme=dark; {}; other=1", header.join("; "));
    let output = auth_token(
        &["decode", "--now", &made_at(), "-"],
        &[("AUTH_SECRET", SECRET)],
        &header,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let claims: Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(claims, chunked["claims"]);
}

#[test]
fn https_salt_and_rotated_secrets_come_from_flags_and_environment() {
    let vectors = vectors();
    let https = &vectors["tokens"][4];
    assert_eq!(https["salt"], "__Secure-authjs.session-token");
    let token = https["token"].as_str().expect("token");
    let output = auth_token(
        &["decode", "--https", "--now", &made_at(), token],
        &[("AUTH_SECRET", SECRET)],
        "",
    );
    assert!(output.status.success(), "{}", stderr(&output));

    let rotation = &vectors["rotation"];
    let old = rotation["secrets"][1].as_str().expect("old secret");
    let token = rotation["token"].as_str().expect("token");
    let with_old = auth_token(
        &["decode", "--now", &made_at(), token],
        &[("AUTH_SECRET", SECRET), ("AUTH_SECRET_1", old)],
        "",
    );
    assert!(with_old.status.success(), "{}", stderr(&with_old));
    let without_old = auth_token(
        &["decode", "--now", &made_at(), token],
        &[("AUTH_SECRET", SECRET)],
        "",
    );
    assert_eq!(without_old.status.code(), Some(1));
    assert!(stderr(&without_old).contains("wrong key"));
}

#[test]
fn refused_tokens_exit_1_with_one_line_saying_why() {
    let vectors = vectors();
    let invalid = vectors["invalid"].as_array().expect("invalid vectors");
    let expectations = [
        ("tag changed", "tag mismatch"),
        ("made with another secret", "wrong key"),
        ("four parts", "malformed token"),
        ("expired 60 s before it was made", "expired at "),
    ];
    for (why, says) in expectations {
        let vector = invalid
            .iter()
            .find(|v| v["why"] == why)
            .expect("vector present");
        let token = vector["token"].as_str().expect("token");
        let output = auth_token(
            &["decode", "--now", &made_at(), token],
            &[("AUTH_SECRET", SECRET)],
            "",
        );
        assert_eq!(output.status.code(), Some(1), "{why}");
        let message = stderr(&output);
        assert_eq!(message.lines().count(), 1, "{why}: {message}");
        assert!(message.contains(says), "{why}: {message}");
        assert!(
            !message.contains(SECRET) && !message.contains(token),
            "{why}"
        );
        assert!(stdout(&output).is_empty());
    }
    // The expiry is spelled out as a date.
    let expired = invalid
        .iter()
        .find(|v| v["why"] == "expired 60 s before it was made")
        .expect("vector");
    let output = auth_token(
        &["decode", expired["token"].as_str().expect("token")],
        &[("AUTH_SECRET", SECRET)],
        "",
    );
    assert!(stderr(&output).contains(" GMT ("), "{}", stderr(&output));
}

#[test]
fn missing_or_weak_secret_is_named_without_its_value() {
    let output = auth_token(&["decode", "abc"], &[], "");
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("AUTH_SECRET"));

    let output = auth_token(&["decode", "abc"], &[("AUTH_SECRET", "hunter2")], "");
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("AUTH_SECRET is unusable"));
    assert!(!stderr(&output).contains("hunter2"));
}

#[test]
fn encode_makes_a_token_that_decode_opens() {
    let claims = r#"{"sub":"user-9","role":"editor","iat":1,"exp":2}"#;
    let encoded = auth_token(
        &["encode", "--max-age", "600"],
        &[("AUTH_SECRET", SECRET)],
        claims,
    );
    assert!(encoded.status.success(), "{}", stderr(&encoded));
    let token = stdout(&encoded).trim().to_owned();
    let decoded = auth_token(&["decode", &token], &[("AUTH_SECRET", SECRET)], "");
    assert!(decoded.status.success(), "{}", stderr(&decoded));
    let back: Value = serde_json::from_str(&stdout(&decoded)).expect("JSON");
    assert_eq!(back["role"], "editor");
    let lifetime = back["exp"].as_i64().expect("exp") - back["iat"].as_i64().expect("iat");
    assert_eq!(lifetime, 600, "encode replaces iat and exp");

    // Issued as if at another time: `iat` is that time, and a decode at it opens the token.
    let earlier = auth_token(
        &["encode", "--max-age", "600", "--now", "1700000000"],
        &[("AUTH_SECRET", SECRET)],
        claims,
    );
    assert!(earlier.status.success(), "{}", stderr(&earlier));
    let token = stdout(&earlier).trim().to_owned();
    let decoded = auth_token(
        &["decode", "--now", "1700000100", &token],
        &[("AUTH_SECRET", SECRET)],
        "",
    );
    let back: Value = serde_json::from_str(&stdout(&decoded)).expect("JSON");
    assert_eq!(
        (back["iat"].as_i64(), back["exp"].as_i64()),
        (Some(1_700_000_000), Some(1_700_000_600))
    );

    let duplicate = auth_token(
        &["encode"],
        &[("AUTH_SECRET", SECRET)],
        r#"{"role":"user","role":"admin"}"#,
    );
    assert_eq!(duplicate.status.code(), Some(1));
    assert!(stderr(&duplicate).contains("duplicate member"));
}

#[test]
fn inspect_needs_no_secret_and_warns_above_4_kb() {
    let vectors = vectors();
    let small = vectors["tokens"][0]["token"].as_str().expect("token");
    let output = auth_token(&["inspect", small], &[], "");
    assert!(output.status.success(), "{}", stderr(&output));
    let printed = stdout(&output);
    assert!(printed.contains(r#""enc": "A256CBC-HS512""#), "{printed}");
    assert!(printed.contains(&format!(
        "kid: {}",
        vectors["keys"][0]["kid"].as_str().expect("kid")
    )));
    assert!(printed.contains(&format!("size: {} bytes", small.len())));
    assert!(printed.contains("cookie chunks: 1 "));
    assert!(!printed.contains("warning"));

    let big = vectors["chunked"]["token"].as_str().expect("token");
    let output = auth_token(&["inspect", big], &[], "");
    let printed = stdout(&output);
    let chunks = vectors["chunked"]["chunks"]
        .as_array()
        .expect("chunks")
        .len();
    assert!(
        printed.contains(&format!("cookie chunks: {chunks} ")),
        "{printed}"
    );
    assert!(printed.contains("warning: the token is over 4 KB"));
}

#[test]
fn usage_mistakes_exit_2() {
    for args in [
        &["frobnicate"][..],
        &["decode"],
        &["decode", "--salt", "a", "--https", "t"],
        &["encode", "extra"],
        &["inspect", "--now", "5", "t"],
    ] {
        let output = auth_token(args, &[("AUTH_SECRET", SECRET)], "");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(stderr(&output).contains("usage:"));
    }
}

const ED1: &str = include_str!("vectors/bearer-keys/ed1.pem");

/// The public key set of `ed1` (as `GET <base>/jwks` publishes it), as `jose` made it.
fn ed1_jwks() -> String {
    let keys: Value =
        serde_json::from_str(include_str!("vectors/bearer-keys/keys.json")).expect("json");
    let mut public = keys["ed1"]["public"].clone();
    public["kid"] = keys["ed1"]["kid"].clone();
    serde_json::json!({ "keys": [public] }).to_string()
}

fn jwks_file(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, ed1_jwks()).expect("write the key set");
    path.to_string_lossy().into_owned()
}

fn signed(claims: &str, extra: &[&str]) -> String {
    let mut args = vec!["sign"];
    args.extend_from_slice(extra);
    let output = auth_token(&args, &[("AUTH_BEARER_KEYS", ED1)], claims);
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output).trim().to_owned()
}

const CLAIMS: &str =
    r#"{"sub":"user-1","role":"admin","iss":"https://app.example/api/auth","aud":"api"}"#;

#[test]
fn sign_makes_a_bearer_token_that_verify_accepts_against_a_key_set_file() {
    let token = signed(CLAIMS, &["--ttl", "600"]);
    assert_eq!(token.split('.').count(), 3);
    let jwks = jwks_file("sign-verify.json");
    let output = auth_token(
        &[
            "verify",
            "--jwks",
            &jwks,
            "--issuer",
            "https://app.example/api/auth",
            "--audience",
            "api",
            &token,
        ],
        &[],
        "",
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let claims: Value = serde_json::from_str(&stdout(&output)).expect("JSON on stdout");
    assert_eq!(claims["role"], "admin");
    assert_eq!(
        claims["exp"].as_i64().expect("exp") - claims["iat"].as_i64().expect("iat"),
        600
    );
    assert!(stderr(&output).is_empty(), "{}", stderr(&output));
    // Without --issuer and --audience, the signature and times are still checked, with a note.
    let output = auth_token(&["verify", "--jwks", &jwks, &token], &[], "");
    assert!(output.status.success());
    assert!(stderr(&output).contains("iss and aud were not checked"));
}

#[test]
fn verify_fetches_the_key_set_from_a_loopback_url() {
    use std::io::{BufRead as _, BufReader};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let url = format!(
        "http://{}/api/auth/jwks",
        listener.local_addr().expect("addr")
    );
    let body = ed1_jwks();
    let server = std::thread::spawn(move || {
        let (stream, _) = listener.accept().expect("one connection");
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        while reader.read_line(&mut line).expect("read") > 2 {
            line.clear();
        }
        let mut stream = reader.into_inner();
        write!(
            stream,
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
        .expect("answer");
    });
    let token = signed(CLAIMS, &[]);
    let output = auth_token(
        &[
            "verify",
            "--jwks",
            &url,
            "--issuer",
            "https://app.example/api/auth",
            "--audience",
            "api",
            &token,
        ],
        &[],
        "",
    );
    server.join().expect("the server answered");
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("\"role\": \"admin\""));
}

#[test]
fn verify_refuses_with_one_line_and_sign_needs_a_key() {
    let jwks = jwks_file("refusals.json");
    let fresh = signed(CLAIMS, &[]);
    let old = signed(CLAIMS, &["--now", "1000000000"]);
    for (args, reason, token) in [
        (
            vec![
                "--audience",
                "other",
                "--issuer",
                "https://app.example/api/auth",
            ],
            "`aud`",
            &fresh,
        ),
        (
            vec!["--audience", "api", "--issuer", "https://evil.example"],
            "`iss`",
            &fresh,
        ),
        (
            vec![
                "--audience",
                "api",
                "--issuer",
                "https://app.example/api/auth",
            ],
            "`exp`",
            &old,
        ),
    ] {
        let mut all = vec!["verify", "--jwks", jwks.as_str()];
        all.extend(args);
        all.push(token);
        let output = auth_token(&all, &[], "");
        assert_eq!(output.status.code(), Some(1));
        let message = stderr(&output);
        assert_eq!(message.lines().count(), 1, "{message}");
        assert!(message.contains(reason), "{message}");
        assert!(!message.contains(token.as_str()) && stdout(&output).is_empty());
    }
    let token = fresh;
    let output = auth_token(&["sign"], &[], CLAIMS);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("AUTH_BEARER_KEYS"));
    let output = auth_token(&["verify", &token], &[], "");
    assert_eq!(output.status.code(), Some(2));
    let output = auth_token(&["decode", "--jwks", &jwks, &token], &[], "");
    assert_eq!(output.status.code(), Some(2));
}
