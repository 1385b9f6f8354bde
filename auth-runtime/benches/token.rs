//! Token operations against the raw cipher floor: `cargo bench -p auth-runtime --bench token`.
//!
//! Every operation a request pays for (encode, decode, a tampered or rotated token, the CSRF
//! check, chunking, key lookup and derivation) is measured beside the floor: AES-256-CBC plus
//! HMAC-SHA-512 called directly on the RustCrypto primitives, with the same key sizes and the
//! same plaintext length as a typical session token's claims, and nothing else (no base64, no
//! JSON, no header, no claim checks).
//!
//! At the end a summary table gives, for every operation, criterion's median from this run
//! (`<target>/criterion/token/*/new/estimates.json`) and its ratio to the floor: encode against
//! sealing, everything else against opening. The ratio is measured apart, interleaved: batches
//! of the operation alternate with batches of the floor, and the fastest batch of each is kept,
//! so that a machine busy with other work slows both sides alike instead of skewing the ratio.
//! `cargo bench -p auth-runtime --bench token -- decode` runs only the matching operations.
#![allow(
    missing_docs,
    clippy::expect_used,
    clippy::print_stdout,
    reason = "a benchmark binary: it prints its summary and fails loudly"
)]

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use aes::Aes256;
use auth_runtime::CsrfToken;
use auth_runtime::{Claims, KeySet, Keyring, Secrets, TokenClaims, TokenCodec};
use auth_runtime::{
    CookieNames, SessionCookie, SessionCookieNames, parse_cookie_header, session_set_cookies,
};
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockModeDecrypt as _, BlockModeEncrypt as _, KeyIvInit as _};
use criterion::{BatchSize, Criterion};
use hmac::{Hmac, Mac as _};
use serde_json::json;
use sha2::Sha512;

const SECRET: &str = "bench-secret-4f1d8c2a9e7b3d5f6a0c1e2b";
const OLD_SECRET: &str = "bench-old-secret-9a8b7c6d5e4f3a2b1c0d";
const SALT: &str = CookieNames::HTTP.session;
const GROUP: &str = "token";

/// The claims of a signed-in demo user, as the session middleware decodes them.
fn session_claims() -> Claims {
    let value = json!({
        "sub": "u-admin",
        "name": "Ada Admin",
        "email": "admin@example.com",
        "id": "u-admin",
        "role": "admin",
        "permissions": ["read", "write", "delete", "admin"],
        "tenantId": "acme",
    });
    match value {
        serde_json::Value::Object(claims) => claims,
        _ => unreachable!("an object literal"),
    }
}

/// A token type shaped as the one `#[auth_config]` generates for the demo: the standard
/// claims, the demo's declared claims and the undeclared rest, with the generated
/// `set_registered`.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
struct DemoToken {
    sub: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    picture: Option<String>,
    #[serde(default)]
    iat: i64,
    #[serde(default)]
    exp: i64,
    #[serde(default)]
    jti: String,
    id: String,
    role: String,
    permissions: Vec<String>,
    #[serde(rename = "tenantId", default, skip_serializing_if = "Option::is_none")]
    tenant_id: Option<String>,
    #[serde(flatten)]
    other_claims: serde_json::Map<String, serde_json::Value>,
}

impl TokenClaims for DemoToken {
    fn subject(&self) -> &str {
        &self.sub
    }

    fn set_registered(&mut self, iat: i64, exp: i64, jti: String) -> bool {
        self.iat = iat;
        self.exp = exp;
        self.jti = jti;
        self.other_claims.is_empty()
            || !self.other_claims.keys().any(|claim| {
                matches!(
                    claim.as_str(),
                    "sub"
                        | "name"
                        | "email"
                        | "picture"
                        | "iat"
                        | "exp"
                        | "jti"
                        | "id"
                        | "role"
                        | "permissions"
                        | "tenantId"
                )
            })
    }
}

/// A 10 KB token: a session carrying a large claim (an ID token, say).
fn large_claims() -> Claims {
    let mut claims = session_claims();
    claims.insert("idToken".into(), "x".repeat(7_400).into());
    claims
}

/// The floor's sealing: AES-256-CBC then HMAC-SHA-512 (tag = first 32 bytes) over
/// `aad || iv || ciphertext || aad length`, keys set up per call as a direct caller would.
fn floor_seal(key: &[u8; 64], aad: &[u8], iv: &[u8; 16], plaintext: &[u8]) -> (Vec<u8>, [u8; 32]) {
    let (mac_key, enc_key) = key.split_at(32);
    let ciphertext = cbc::Encryptor::<Aes256>::new_from_slices(enc_key, iv)
        .expect("key and IV lengths")
        .encrypt_padded_vec::<Pkcs7>(plaintext);
    let mut mac = <Hmac<Sha512> as hmac::KeyInit>::new_from_slice(mac_key).expect("any length");
    mac.update(aad);
    mac.update(iv);
    mac.update(&ciphertext);
    mac.update(&((aad.len() as u64) * 8).to_be_bytes());
    let mut tag = [0u8; 32];
    tag.copy_from_slice(&mac.finalize().into_bytes()[..32]);
    (ciphertext, tag)
}

/// The floor's opening: verify the tag in constant time, then AES-256-CBC decrypt.
fn floor_open(
    key: &[u8; 64],
    aad: &[u8],
    iv: &[u8; 16],
    ciphertext: &[u8],
    tag: &[u8; 32],
) -> Vec<u8> {
    let (mac_key, enc_key) = key.split_at(32);
    let mut mac = <Hmac<Sha512> as hmac::KeyInit>::new_from_slice(mac_key).expect("any length");
    mac.update(aad);
    mac.update(iv);
    mac.update(ciphertext);
    mac.update(&((aad.len() as u64) * 8).to_be_bytes());
    mac.verify_truncated_left(tag).expect("the tag verifies");
    cbc::Decryptor::<Aes256>::new_from_slices(enc_key, iv)
        .expect("key and IV lengths")
        .decrypt_padded_vec::<Pkcs7>(ciphertext)
        .expect("valid padding")
}

/// Everything the operations work on, made once.
struct Fixture {
    secrets: Secrets,
    keyring: Keyring,
    codec: TokenCodec,
    max_age: Duration,
    claims: Claims,
    typed: DemoToken,
    token: String,
    tampered: String,
    rotated_codec: TokenCodec,
    old_token: String,
    csrf_cookie: String,
    csrf_submitted: String,
    large: String,
    expires: SystemTime,
    cookie_header: String,
    floor_key: [u8; 64],
    floor_aad: Vec<u8>,
    floor_iv: [u8; 16],
    plaintext: Vec<u8>,
    ciphertext: Vec<u8>,
    tag: [u8; 32],
}

impl Fixture {
    fn new() -> Self {
        let secrets = Secrets::new([SECRET]).expect("strong secret");
        let keyring = Keyring::new(secrets.clone());
        let codec = TokenCodec::new(keyring.keys_for(SALT));
        let max_age = Duration::from_secs(7 * 24 * 3600);
        let claims = session_claims();
        let token = codec.encode(claims.clone(), max_age).expect("encode");
        let (typed, _) = codec.decode_as::<DemoToken>(&token).expect("decode");

        // The floor works on the same sizes: the plaintext is the JSON the codec encrypts
        // (with `iat`, `exp` and `jti`), the AAD as long as the real protected header.
        let plaintext = serde_json::to_vec(&codec.decode(&token).expect("decode")).expect("json");
        let header_len = token.find('.').expect("a compact JWE");
        let floor_aad = vec![b'e'; header_len];
        let floor_key: [u8; 64] = rand::random();
        let floor_iv: [u8; 16] = rand::random();
        let (ciphertext, tag) = floor_seal(&floor_key, &floor_aad, &floor_iv, &plaintext);

        let mut tampered = token.clone().into_bytes();
        let position = tampered.len() - 6;
        tampered[position] = if tampered[position] == b'A' {
            b'B'
        } else {
            b'A'
        };
        let tampered = String::from_utf8(tampered).expect("ASCII");

        let rotated = Secrets::new([SECRET, OLD_SECRET]).expect("strong secrets");
        let rotated_codec = TokenCodec::new(Keyring::new(rotated).keys_for(SALT));
        let old_keys = Keyring::new(Secrets::new([OLD_SECRET]).expect("strong")).keys_for(SALT);
        let old_token = TokenCodec::new(old_keys)
            .encode(claims.clone(), max_age)
            .expect("encode");

        let csrf = CsrfToken::generate();
        let csrf_cookie = csrf.cookie_value(&secrets);
        let csrf_submitted = csrf.as_str().to_owned();

        let large = codec.encode(large_claims(), max_age).expect("encode");
        let expires = SystemTime::now() + max_age;
        let chunks =
            session_set_cookies(SALT, &large, expires, false, SessionCookieNames::default())
                .expect("fits in 8 chunks");
        let cookie_header = chunks
            .iter()
            .map(|cookie| format!("{}={}", cookie.name(), cookie.value()))
            .chain(["authjs.csrf-token=abc".to_owned()])
            .collect::<Vec<_>>()
            .join("; ");
        println!(
            "session token: {} characters, claims {} bytes; 10 KB token: {} characters in {} \
             chunks",
            token.len(),
            plaintext.len(),
            large.len(),
            chunks.len()
        );
        Self {
            secrets,
            keyring,
            codec,
            max_age,
            claims,
            typed,
            token,
            tampered,
            rotated_codec,
            old_token,
            csrf_cookie,
            csrf_submitted,
            large,
            expires,
            cookie_header,
            floor_key,
            floor_aad,
            floor_iv,
            plaintext,
            ciphertext,
            tag,
        }
    }

    fn seal(&self) -> (Vec<u8>, [u8; 32]) {
        floor_seal(
            black_box(&self.floor_key),
            black_box(&self.floor_aad),
            &self.floor_iv,
            black_box(&self.plaintext),
        )
    }

    fn open(&self) -> Vec<u8> {
        floor_open(
            black_box(&self.floor_key),
            black_box(&self.floor_aad),
            &self.floor_iv,
            black_box(&self.ciphertext),
            &self.tag,
        )
    }

    fn encode(&self, claims: Claims) -> String {
        self.codec.encode(claims, self.max_age).expect("encode")
    }

    /// The re-issue of a request: stamp the (cloned) typed token, serialise it, encrypt.
    fn encode_typed(&self, mut token: DemoToken) -> String {
        let (registered, jti) = self.codec.registered_now(self.max_age);
        assert!(token.set_registered(registered.issued_at, registered.expires_at, jti));
        self.codec.encode_stamped(&token).expect("encode")
    }

    fn decode(&self) -> Claims {
        self.codec.decode(black_box(&self.token)).expect("decode")
    }

    /// The decode of a request before `decode_as`: into the claims map, then into the typed
    /// token.
    fn decode_map_typed(&self) -> DemoToken {
        let claims = self.decode();
        serde_json::from_value(serde_json::Value::Object(claims)).expect("the token type")
    }

    /// The decode of a request: into the typed token, with its times.
    fn decode_typed(&self) -> (DemoToken, auth_runtime::Registered) {
        self.codec
            .decode_as::<DemoToken>(black_box(&self.token))
            .expect("decode")
    }

    fn decode_tampered(&self) -> auth_runtime::AuthError {
        self.codec
            .decode(black_box(&self.tampered))
            .expect_err("tag mismatch")
    }

    /// The decode of a request whose token is under the older of two secrets.
    fn decode_rotated(&self) -> (DemoToken, auth_runtime::Registered) {
        self.rotated_codec
            .decode_as::<DemoToken>(black_box(&self.old_token))
            .expect("decode")
    }

    fn csrf_verify(&self) -> bool {
        CsrfToken::from_cookie_value(black_box(&self.csrf_cookie), &self.secrets)
            .is_some_and(|token| token.matches_submitted(black_box(&self.csrf_submitted)))
    }

    fn chunk_split(&self) -> Vec<auth_runtime::SetCookie> {
        session_set_cookies(
            SALT,
            black_box(&self.large),
            self.expires,
            false,
            SessionCookieNames::default(),
        )
        .expect("fits")
    }

    fn chunk_join(&self) -> Option<String> {
        SessionCookie::read(
            parse_cookie_header(black_box(&self.cookie_header).as_bytes()),
            SALT,
        )
        .token
        .expect("whole")
    }

    fn keys_cached(&self) -> std::sync::Arc<KeySet> {
        self.keyring.keys_for(black_box(SALT))
    }

    fn keys_derive(&self) -> KeySet {
        KeySet::derive(&self.secrets, black_box(SALT))
    }
}

/// The operations, with the floor each is compared to (`true`: sealing).
const OPERATIONS: [(&str, bool); 14] = [
    ("floor_seal", true),
    ("floor_open", false),
    ("encode", true),
    ("encode_typed", true),
    ("decode", false),
    ("decode_map_then_typed", false),
    ("decode_typed", false),
    ("decode_tampered", false),
    ("decode_rotated", false),
    ("csrf_verify", false),
    ("chunk_split_10k", false),
    ("chunk_join_10k", false),
    ("keys_cached", false),
    ("keys_derive", false),
];

fn benches(c: &mut Criterion, f: &Fixture) {
    let mut group = c.benchmark_group(GROUP);
    group.bench_function("floor_seal", |b| b.iter(|| f.seal()));
    group.bench_function("floor_open", |b| b.iter(|| f.open()));
    group.bench_function("encode", |b| {
        b.iter_batched(
            || f.claims.clone(),
            |claims| f.encode(claims),
            BatchSize::SmallInput,
        );
    });
    group.bench_function("encode_typed", |b| {
        b.iter_batched(
            || f.typed.clone(),
            |token| f.encode_typed(token),
            BatchSize::SmallInput,
        );
    });
    group.bench_function("decode", |b| b.iter(|| f.decode()));
    group.bench_function("decode_map_then_typed", |b| b.iter(|| f.decode_map_typed()));
    group.bench_function("decode_typed", |b| b.iter(|| f.decode_typed()));
    group.bench_function("decode_tampered", |b| b.iter(|| f.decode_tampered()));
    group.bench_function("decode_rotated", |b| b.iter(|| f.decode_rotated()));
    group.bench_function("csrf_verify", |b| b.iter(|| f.csrf_verify()));
    group.bench_function("chunk_split_10k", |b| b.iter(|| f.chunk_split()));
    group.bench_function("chunk_join_10k", |b| b.iter(|| f.chunk_join()));
    group.bench_function("keys_cached", |b| b.iter(|| f.keys_cached()));
    group.bench_function("keys_derive", |b| b.iter(|| f.keys_derive()));
    group.finish();
}

/// Iterations per timed batch, and batches of each side, for the interleaved ratio.
const BATCH: usize = 32;
const ROUNDS: usize = 400;

/// The fastest batch of `op` and of `floor`, per iteration in ns, timed alternately so that
/// interference from other processes falls on both. `setup` makes each iteration's input
/// outside the timed region, and outputs are dropped outside it too.
fn interleaved<I, O, F>(
    mut floor: impl FnMut() -> F,
    mut setup: impl FnMut() -> I,
    mut op: impl FnMut(I) -> O,
) -> (f64, f64) {
    let mut best_op = f64::INFINITY;
    let mut best_floor = f64::INFINITY;
    let mut outputs: Vec<O> = Vec::with_capacity(BATCH);
    let mut floor_outputs: Vec<F> = Vec::with_capacity(BATCH);
    for round in 0..ROUNDS {
        let inputs: Vec<I> = (0..BATCH).map(|_| setup()).collect();
        let time_op = |outputs: &mut Vec<O>| {
            let start = Instant::now();
            for input in inputs {
                outputs.push(op(input));
            }
            start.elapsed()
        };
        let mut time_floor = |outputs: &mut Vec<F>| {
            let start = Instant::now();
            for _ in 0..BATCH {
                outputs.push(floor());
            }
            start.elapsed()
        };
        let (op_time, floor_time) = if round % 2 == 0 {
            let op_time = time_op(&mut outputs);
            (op_time, time_floor(&mut floor_outputs))
        } else {
            let floor_time = time_floor(&mut floor_outputs);
            (time_op(&mut outputs), floor_time)
        };
        outputs.clear();
        floor_outputs.clear();
        best_op = best_op.min(op_time.as_nanos() as f64 / BATCH as f64);
        best_floor = best_floor.min(floor_time.as_nanos() as f64 / BATCH as f64);
    }
    (best_op, best_floor)
}

/// The interleaved (operation, floor) times of one operation.
fn ratio_of(f: &Fixture, name: &str) -> (f64, f64) {
    let open = || f.open();
    match name {
        "floor_seal" => interleaved(|| f.seal(), || (), |()| f.seal()),
        "floor_open" => interleaved(open, || (), |()| f.open()),
        "encode" => interleaved(|| f.seal(), || f.claims.clone(), |claims| f.encode(claims)),
        "encode_typed" => interleaved(
            || f.seal(),
            || f.typed.clone(),
            |token| f.encode_typed(token),
        ),
        "decode" => interleaved(open, || (), |()| f.decode()),
        "decode_map_then_typed" => interleaved(open, || (), |()| f.decode_map_typed()),
        "decode_typed" => interleaved(open, || (), |()| f.decode_typed()),
        "decode_tampered" => interleaved(open, || (), |()| f.decode_tampered()),
        "decode_rotated" => interleaved(open, || (), |()| f.decode_rotated()),
        "csrf_verify" => interleaved(open, || (), |()| f.csrf_verify()),
        "chunk_split_10k" => interleaved(open, || (), |()| f.chunk_split()),
        "chunk_join_10k" => interleaved(open, || (), |()| f.chunk_join()),
        "keys_cached" => interleaved(open, || (), |()| f.keys_cached()),
        "keys_derive" => interleaved(open, || (), |()| f.keys_derive()),
        _ => unreachable!("every operation is listed"),
    }
}

/// Where criterion wrote its estimates, found as criterion finds it (`CRITERION_HOME`, else
/// `CARGO_TARGET_DIR`, else the target directory this binary was built in).
fn criterion_dir() -> Option<PathBuf> {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return Some(PathBuf::from(home));
    }
    if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        return Some(PathBuf::from(target).join("criterion"));
    }
    // <target>/<profile>/deps/token-<hash>
    let exe = std::env::current_exe().ok()?;
    Some(exe.parent()?.parent()?.parent()?.join("criterion"))
}

/// Criterion's median (ns) of one benchmark, if it was measured after `since`.
fn median_ns(name: &str, since: SystemTime) -> Option<f64> {
    let path = criterion_dir()?
        .join(GROUP)
        .join(name)
        .join("new")
        .join("estimates.json");
    let modified = std::fs::metadata(&path).ok()?.modified().ok()?;
    if modified < since {
        return None;
    }
    let estimates: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).ok()?).ok()?;
    estimates["median"]["point_estimate"].as_f64()
}

fn summary(f: &Fixture, since: SystemTime) {
    println!();
    println!(
        "| operation | criterion median | fastest batch, interleaved | floor in the same rounds \
         | ratio to floor |"
    );
    println!("|---|---:|---:|---:|---:|");
    for (name, sealing) in OPERATIONS {
        // Only what criterion measured in this run (a filter may have left some out).
        let Some(median) = median_ns(name, since) else {
            continue;
        };
        let (op, floor) = ratio_of(f, name);
        let which = if sealing { "seal" } else { "open" };
        println!(
            "| {name} | {} | {} | {} ({which}) | {:.2}× |",
            human(median),
            human(op),
            human(floor),
            op / floor
        );
    }
}

fn human(ns: f64) -> String {
    if ns >= 1_000.0 {
        format!("{:.2} µs", ns / 1_000.0)
    } else {
        format!("{ns:.0} ns")
    }
}

fn main() {
    // A second earlier than now, so that a file written in this second counts as this run's.
    let since = SystemTime::now()
        .checked_sub(Duration::from_secs(1))
        .unwrap_or(UNIX_EPOCH);
    let fixture = Fixture::new();
    let mut criterion = Criterion::default().configure_from_args();
    benches(&mut criterion, &fixture);
    criterion.final_summary();
    summary(&fixture, since);
}
