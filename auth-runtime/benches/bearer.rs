//! Bearer token verification beside `jsonwebtoken`'s own `decode` called directly:
//! `cargo bench -p auth-runtime --bench bearer`.
//!
//! The floor is what an application calling `jsonwebtoken` by hand would pay per request:
//! `decode::<Value>` of the same EdDSA token under the same key with a `Validation` checking
//! the algorithm, `iss`, `aud`, `exp` and `nbf`. Ours adds the strict header read, the `kid`
//! lookup and the strict claims read (duplicates at any depth, integer times on the configured
//! clock), into a map or a typed struct. At the end a table gives criterion's medians and each
//! operation's ratio to the floor, timed interleaved (batches alternate, the fastest of each
//! kept) so that other work on the machine slows both sides alike.
#![allow(
    missing_docs,
    clippy::expect_used,
    clippy::print_stdout,
    reason = "a benchmark binary: it prints its summary and fails loudly"
)]

use std::hint::black_box;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use auth_runtime::{BearerKey, BearerKeys, BearerVerifier, Claims, sign_claims};
use criterion::Criterion;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use serde_json::{Value, json};

const GROUP: &str = "bearer";
const ED1: &str = include_str!("../tests/vectors/bearer-keys/ed1.pem");
const ED1_PUBLIC: &str = include_str!("../tests/vectors/bearer-keys/ed1.pub.pem");
const ISSUER: &str = "https://app.example/api/auth";
const AUDIENCE: &str = "https://api.example";

/// The demo's bearer claims, typed as a handler would read them.
#[derive(Deserialize)]
#[allow(dead_code, reason = "read to measure the typed read")]
struct DemoClaims {
    sub: String,
    name: Option<String>,
    email: Option<String>,
    id: String,
    role: String,
    permissions: Vec<String>,
    #[serde(rename = "tenantId")]
    tenant_id: Option<String>,
    iat: i64,
    exp: i64,
    #[serde(flatten)]
    other: serde_json::Map<String, Value>,
}

struct Fixture {
    verifier: BearerVerifier,
    token: String,
    unknown_kid: String,
    claims: Claims,
    floor_key: DecodingKey,
    floor_validation: Validation,
}

impl Fixture {
    fn new() -> Self {
        let keys =
            BearerKeys::new([BearerKey::from_pem(ED1).expect("the test key")]).expect("one key");
        let verifier = BearerVerifier::new(keys, ISSUER, AUDIENCE);
        let now = verifier.now();
        let claims = match json!({
            "sub": "u-admin", "name": "Ada Admin", "email": "admin@example.com",
            "id": "u-admin", "role": "admin", "permissions": ["read", "write", "delete", "admin"],
            "tenantId": "acme", "iss": ISSUER, "aud": AUDIENCE,
            "iat": now, "exp": now + 900, "jti": "5b1c7f0e-6a4d-4e2b-9c3f-8d7a1e2b3c4d",
        }) {
            Value::Object(claims) => claims,
            _ => unreachable!("an object literal"),
        };
        let token = sign_claims(verifier.keys(), &claims).expect("signs");
        let other = BearerKeys::new([BearerKey::generate_ed25519().expect("a key")]).expect("one");
        let unknown_kid = sign_claims(&other, &claims).expect("signs");
        let mut floor_validation = Validation::new(Algorithm::EdDSA);
        floor_validation.leeway = 15;
        floor_validation.validate_nbf = true;
        floor_validation.set_issuer(&[ISSUER]);
        floor_validation.set_audience(&[AUDIENCE]);
        floor_validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        Self {
            verifier,
            token,
            unknown_kid,
            claims,
            floor_key: DecodingKey::from_ed_pem(ED1_PUBLIC.as_bytes()).expect("a public key"),
            floor_validation,
        }
    }

    fn floor(&self) -> Value {
        jsonwebtoken::decode::<Value>(
            black_box(&self.token),
            &self.floor_key,
            &self.floor_validation,
        )
        .expect("the floor verifies")
        .claims
    }

    fn verify_map(&self) -> Claims {
        self.verifier
            .verify(black_box(&self.token))
            .expect("verifies")
    }

    fn verify_typed(&self) -> DemoClaims {
        self.verifier
            .verify_as::<DemoClaims>(black_box(&self.token))
            .expect("verifies")
            .0
    }

    fn verify_unknown_kid(&self) -> bool {
        self.verifier.verify(black_box(&self.unknown_kid)).is_err()
    }

    fn sign(&self) -> String {
        sign_claims(self.verifier.keys(), black_box(&self.claims)).expect("signs")
    }
}

/// The operations, each measured against the floor.
const OPERATIONS: [&str; 5] = [
    "jsonwebtoken_decode",
    "verify_map",
    "verify_typed",
    "verify_unknown_kid",
    "sign",
];

fn run(f: &Fixture, name: &str) {
    match name {
        "jsonwebtoken_decode" => drop(black_box(f.floor())),
        "verify_map" => drop(black_box(f.verify_map())),
        "verify_typed" => drop(black_box(f.verify_typed())),
        "verify_unknown_kid" => drop(black_box(f.verify_unknown_kid())),
        "sign" => drop(black_box(f.sign())),
        _ => unreachable!("every operation is listed"),
    }
}

fn benches(c: &mut Criterion, f: &Fixture) {
    let mut group = c.benchmark_group(GROUP);
    for name in OPERATIONS {
        group.bench_function(name, |b| b.iter(|| run(f, name)));
    }
    group.finish();
}

/// The fastest batch of `name` and of the floor, per iteration in ns, timed alternately.
fn interleaved(f: &Fixture, name: &str) -> (f64, f64) {
    const BATCH: u32 = 16;
    const ROUNDS: usize = 200;
    let (mut best_op, mut best_floor) = (f64::INFINITY, f64::INFINITY);
    let time = |name: &str| {
        let start = Instant::now();
        for _ in 0..BATCH {
            run(f, name);
        }
        start.elapsed().as_nanos() as f64 / f64::from(BATCH)
    };
    for round in 0..ROUNDS {
        let (op, floor) = if round % 2 == 0 {
            let op = time(name);
            (op, time("jsonwebtoken_decode"))
        } else {
            let floor = time("jsonwebtoken_decode");
            (time(name), floor)
        };
        best_op = best_op.min(op);
        best_floor = best_floor.min(floor);
    }
    (best_op, best_floor)
}

/// Criterion's median (ns) of one benchmark, if it was measured after `since`.
fn median_ns(name: &str, since: SystemTime) -> Option<f64> {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || {
            // <target>/<profile>/deps/bearer-<hash>
            std::env::current_exe()
                .ok()
                .and_then(|exe| Some(exe.parent()?.parent()?.parent()?.to_path_buf()))
                .unwrap_or_default()
        },
        std::path::PathBuf::from,
    );
    let home = std::env::var_os("CRITERION_HOME")
        .map_or_else(|| target.join("criterion"), std::path::PathBuf::from);
    let path = home
        .join(GROUP)
        .join(name)
        .join("new")
        .join("estimates.json");
    if std::fs::metadata(&path).ok()?.modified().ok()? < since {
        return None;
    }
    let estimates: Value = serde_json::from_slice(&std::fs::read(&path).ok()?).ok()?;
    estimates["median"]["point_estimate"].as_f64()
}

fn human(ns: f64) -> String {
    if ns >= 1_000.0 {
        format!("{:.2} µs", ns / 1_000.0)
    } else {
        format!("{ns:.0} ns")
    }
}

fn main() {
    let since = SystemTime::now()
        .checked_sub(Duration::from_secs(1))
        .unwrap_or(UNIX_EPOCH);
    let fixture = Fixture::new();
    let mut criterion = Criterion::default().configure_from_args();
    benches(&mut criterion, &fixture);
    criterion.final_summary();
    println!();
    println!(
        "| operation | criterion median | fastest batch, interleaved | jsonwebtoken::decode in \
         the same rounds | ratio |"
    );
    println!("|---|---:|---:|---:|---:|");
    for name in OPERATIONS {
        let Some(median) = median_ns(name, since) else {
            continue;
        };
        let (op, floor) = interleaved(&fixture, name);
        println!(
            "| {name} | {} | {} | {} | {:.2}× |",
            human(median),
            human(op),
            human(floor),
            op / floor
        );
    }
}
