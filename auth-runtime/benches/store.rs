//! What the shared store costs a sign-in and a session read, in process and on Redis:
//! `cargo bench -p auth-runtime --features redis --bench store`.
//!
//! Starts its own `redis-server` on a free loopback port (no persistence; killed at the end,
//! `tests/support/redis_server.rs`), then measures, each through the traits the runtime calls,
//! for the in-process store (`MemoryLimiter`, `MemoryRevocations`) and for `RedisStore`:
//!
//! - **a refused attempt**: the limiter calls one credentials sign-in with a wrong password
//!   makes, `is_limited` on the identifier key (`id:credentials:alice@example.com`) and on the
//!   address key (`ip:127.0.0.1`), then `record_failure` on both. The keys are forgotten
//!   (`reset`, untimed) after every `attempts` of them, so no check ever finds a key limited:
//!   every timed attempt is one the limit lets through to the password check;
//! - **a successful attempt**: `is_limited` on both keys, then `reset` of the identifier's;
//! - **a session's standing**: `Revocations::standing(Some(sid), subject)` of a session nothing
//!   was recorded for (the usual case), what a session read costs when its cached answer is
//!   older than `max_stale` (1 s by default);
//! - on Redis only, **the update record's read** (`UpdateLog::latest`, nothing recorded):
//!   what every `GET /api/auth/session` asks of a shared store;
//! - **one argon2id verification** (`Password::verify`, the runtime's default parameters, as
//!   the demo hashes its users), which every attempt the limit lets through pays: the limiter's
//!   share of a sign-in is measured against it.
//!
//! Each sample runs its iterations inside one `block_on` on a current-thread tokio runtime
//! (`iter_custom`), so the runtime's entry is not timed per call. At the end a table gives
//! criterion's medians and the Redis store's ratio to the in-process one, timed interleaved
//! (batches alternate, the median batch of each kept) so that other work on the machine
//! slows both sides alike.
#![allow(
    missing_docs,
    clippy::expect_used,
    clippy::print_stdout,
    reason = "a benchmark binary: it prints its summary and fails loudly"
)]

#[path = "../tests/support/redis_server.rs"]
#[allow(
    dead_code,
    reason = "the fault-injection half of the harness is for the tests"
)]
mod redis_server;

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use auth_runtime::{
    MemoryLimiter, MemoryRevocations, Password, PasswordHash, RateLimit, RedisStore, Revocations,
    SharedStore, SignInLimiter, UpdateLog,
};
use criterion::Criterion;
use redis_server::RedisServer;
use serde_json::Value;
use tokio::runtime::Runtime;

const GROUP: &str = "store";
/// The demo's limit.
const LIMIT: &str = "5 per 15m";
/// The keys one attempt at the demo's credentials provider from loopback is counted under.
const IDENTIFIER_KEY: &str = "id:credentials:alice@example.com";
const ADDRESS_KEY: &str = "ip:127.0.0.1";
/// A session id and subject as the demo's tokens carry them.
const SID: &str = "9b2f4c1e-7a3d-4e5b-8c6f-0d1e2a3b4c5d";
const SUBJECT: &str = "u-admin";
const PASSWORD: &str = "correct-horse-admin";

struct Fixture {
    runtime: Runtime,
    memory_limiter: Arc<dyn SignInLimiter>,
    redis_limiter: Arc<dyn SignInLimiter>,
    memory_revocations: Arc<dyn Revocations>,
    redis_revocations: Arc<dyn Revocations>,
    redis_updates: Arc<dyn UpdateLog>,
    /// Failures a key may have before it is limited: a batch of refused attempts on the same
    /// keys is at most this long.
    attempts: u64,
    hash: PasswordHash,
    password: Password,
    now: i64,
    /// Kept alive until the end: dropping it kills the server.
    _server: RedisServer,
}

impl Fixture {
    fn new() -> Self {
        let server = RedisServer::spawn();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let limit = RateLimit::parse(LIMIT).expect("the demo's limit");
        let store = runtime
            .block_on(RedisStore::connect(&server.url()))
            .expect("the bench's own redis-server answers");
        let password = Password::new(PASSWORD);
        let hash = PasswordHash::of_blocking(&password).expect("hashes");
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|elapsed| i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX))
            .unwrap_or(0);
        Self {
            runtime,
            memory_limiter: Arc::new(MemoryLimiter::new(limit)),
            redis_limiter: store.limiter(limit),
            memory_revocations: Arc::new(MemoryRevocations::new()),
            redis_revocations: store.revocations(),
            redis_updates: store.updates(),
            attempts: u64::from(limit.attempts),
            hash,
            password,
            now,
            _server: server,
        }
    }

    fn limiter(&self, side: Side) -> &dyn SignInLimiter {
        match side {
            Side::Memory => &*self.memory_limiter,
            Side::Redis => &*self.redis_limiter,
        }
    }

    fn revocations(&self, side: Side) -> &dyn Revocations {
        match side {
            Side::Memory => &*self.memory_revocations,
            Side::Redis => &*self.redis_revocations,
        }
    }

    /// The limiter calls of one refused attempt: both keys checked (neither may be limited),
    /// then a failure counted on both, in the order the sign-in route makes them.
    async fn refused_attempt(&self, side: Side) {
        let limiter = self.limiter(side);
        for key in [IDENTIFIER_KEY, ADDRESS_KEY] {
            let limited = limiter
                .is_limited(black_box(key), self.now)
                .await
                .expect("the limiter answers");
            assert!(!limited, "a timed attempt found {key} limited");
        }
        for key in [IDENTIFIER_KEY, ADDRESS_KEY] {
            limiter
                .record_failure(black_box(key), self.now)
                .await
                .expect("the limiter counts");
        }
    }

    /// Forgets both keys' failures (never timed).
    async fn forget(&self, side: Side) {
        for key in [IDENTIFIER_KEY, ADDRESS_KEY] {
            self.limiter(side)
                .reset(key)
                .await
                .expect("the limiter resets");
        }
    }

    /// The limiter calls of one successful attempt: both keys checked, the identifier's reset.
    async fn successful_attempt(&self, side: Side) {
        let limiter = self.limiter(side);
        for key in [IDENTIFIER_KEY, ADDRESS_KEY] {
            let limited = limiter
                .is_limited(black_box(key), self.now)
                .await
                .expect("the limiter answers");
            assert!(!limited, "a timed attempt found {key} limited");
        }
        limiter
            .reset(black_box(IDENTIFIER_KEY))
            .await
            .expect("the limiter resets");
    }

    async fn standing(&self, side: Side) {
        let standing = self
            .revocations(side)
            .standing(Some(black_box(SID)), black_box(SUBJECT))
            .await
            .expect("the store answers");
        assert!(standing.admits(0), "nothing was revoked");
    }

    async fn update_record(&self) {
        let latest = self
            .redis_updates
            .latest(black_box(SUBJECT))
            .await
            .expect("the store answers");
        assert!(latest.is_none(), "nothing was recorded");
    }

    async fn argon2_verify(&self) {
        assert!(
            self.password.verify(black_box(&self.hash)).await,
            "the password matches"
        );
    }

    /// `iterations` of `operation`, timed inside one `block_on`. Refused attempts run in
    /// batches of at most `attempts`, the keys forgotten (untimed) after each.
    fn time(&self, operation: Operation, iterations: u64) -> Duration {
        self.runtime.block_on(async {
            let mut total = Duration::ZERO;
            let mut done = 0;
            while done < iterations {
                let batch = match operation {
                    Operation::Refused(_) => (iterations - done).min(self.attempts),
                    _ => iterations - done,
                };
                let start = Instant::now();
                for _ in 0..batch {
                    match operation {
                        Operation::Refused(side) => self.refused_attempt(side).await,
                        Operation::Successful(side) => self.successful_attempt(side).await,
                        Operation::Standing(side) => self.standing(side).await,
                        Operation::UpdateRecord => self.update_record().await,
                        Operation::Argon2 => self.argon2_verify().await,
                    }
                }
                total += start.elapsed();
                done += batch;
                if let Operation::Refused(side) = operation {
                    self.forget(side).await;
                }
            }
            total
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Memory,
    Redis,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operation {
    Refused(Side),
    Successful(Side),
    Standing(Side),
    UpdateRecord,
    Argon2,
}

/// The operations and their criterion names, in the order they are measured.
const OPERATIONS: [(&str, Operation); 8] = [
    ("memory_refused_attempt", Operation::Refused(Side::Memory)),
    ("redis_refused_attempt", Operation::Refused(Side::Redis)),
    (
        "memory_successful_attempt",
        Operation::Successful(Side::Memory),
    ),
    (
        "redis_successful_attempt",
        Operation::Successful(Side::Redis),
    ),
    ("memory_standing", Operation::Standing(Side::Memory)),
    ("redis_standing", Operation::Standing(Side::Redis)),
    ("redis_update_record_read", Operation::UpdateRecord),
    ("argon2_verify", Operation::Argon2),
];

fn benches(c: &mut Criterion, f: &Fixture) {
    let mut group = c.benchmark_group(GROUP);
    for (name, operation) in OPERATIONS {
        if operation == Operation::Argon2 {
            // Tens of milliseconds each: criterion's fewest samples.
            group.sample_size(10);
        }
        group.bench_function(name, |b| {
            b.iter_custom(|iterations| f.time(operation, iterations));
        });
    }
    group.finish();
}

/// An operation measured on both sides.
type Pair = fn(Side) -> Operation;

/// The median batch of the in-process and the Redis side of `pair`, per operation in ns,
/// timed alternately.
fn interleaved(f: &Fixture, pair: Pair) -> (f64, f64) {
    const ROUNDS: usize = 100;
    // Refused attempts forget their keys (untimed) after every `attempts` of them.
    const BATCH: u64 = 20;
    let (mut memory, mut redis) = (Vec::with_capacity(ROUNDS), Vec::with_capacity(ROUNDS));
    let mut time = |side: Side| {
        let elapsed = f.time(pair(side), BATCH);
        let ns = elapsed.as_nanos() as f64 / BATCH as f64;
        match side {
            Side::Memory => memory.push(ns),
            Side::Redis => redis.push(ns),
        }
    };
    for round in 0..ROUNDS {
        if round % 2 == 0 {
            time(Side::Memory);
            time(Side::Redis);
        } else {
            time(Side::Redis);
            time(Side::Memory);
        }
    }
    (median(&mut memory), median(&mut redis))
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Criterion's median (ns) of one benchmark, if it was measured after `since`.
fn median_ns(name: &str, since: SystemTime) -> Option<f64> {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || {
            // <target>/<profile>/deps/store-<hash>
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
    if ns >= 1_000_000.0 {
        format!("{:.2} ms", ns / 1_000_000.0)
    } else if ns >= 1_000.0 {
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

    let medians: Vec<(&str, Option<f64>)> = OPERATIONS
        .iter()
        .map(|(name, _)| (*name, median_ns(name, since)))
        .collect();
    let criterion_median = |name: &str| {
        medians
            .iter()
            .find(|(measured, _)| *measured == name)
            .and_then(|(_, median)| *median)
    };
    println!();
    println!("| operation | criterion median |");
    println!("|---|---:|");
    for (name, median) in &medians {
        if let Some(median) = median {
            println!("| {name} | {} |", human(*median));
        }
    }

    println!();
    println!("| operation | in-process, median batch | Redis, median batch | Redis / in-process |");
    println!("|---|---:|---:|---:|");
    let pairs: [(&str, &str, Pair); 3] = [
        ("refused_attempt", "a refused attempt", Operation::Refused),
        (
            "successful_attempt",
            "a successful attempt",
            Operation::Successful,
        ),
        ("standing", "a session's standing", Operation::Standing),
    ];
    for (name, title, pair) in pairs {
        if criterion_median(&format!("memory_{name}")).is_none()
            || criterion_median(&format!("redis_{name}")).is_none()
        {
            continue;
        }
        let (memory, redis) = interleaved(&fixture, pair);
        println!(
            "| {title} | {} | {} | {:.0}× |",
            human(memory),
            human(redis),
            redis / memory
        );
    }

    if let Some(argon2) = criterion_median("argon2_verify") {
        println!();
        println!(
            "| the limiter's share of a sign-in attempt (limiter / (limiter + one argon2id \
             verification), criterion medians) | in-process | Redis |"
        );
        println!("|---|---:|---:|");
        for (name, title) in [
            ("refused_attempt", "a refused attempt"),
            ("successful_attempt", "a successful attempt"),
        ] {
            let (Some(memory), Some(redis)) = (
                criterion_median(&format!("memory_{name}")),
                criterion_median(&format!("redis_{name}")),
            ) else {
                continue;
            };
            let share = |limiter: f64| limiter / (limiter + argon2);
            println!(
                "| {title} | {:.4}% | {:.3}% |",
                share(memory) * 100.0,
                share(redis) * 100.0
            );
        }
    }
}
