//! `RedisStore` against a real `redis-server`, started by each test on a loopback port
//! (`support/redis_server.rs`; a missing `redis-server` fails the test, never skips it).
//!
//! - Each kind of shared state answers as the in-memory reference does, given the same
//!   calls: the sign-in limiter's sliding window (`MemoryLimiter`) and revocations
//!   (`MemoryRevocations`, its own test cases); the update log and refresh leases as their
//!   traits describe.
//! - Every key written begins with the store's prefix and has a time to live (better-auth
//!   #4472 shipped rate-limit keys that never expired); two prefixes never see each other's
//!   records.
//! - With the server gone or hung, every call fails within the store's timeout and nothing
//!   panics; once it is back, the same store works again without being rebuilt.
//! - Start-up: a closed port is an error at once, and no error or `Debug` output ever shows
//!   the URL's password.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

#[path = "support/redis_server.rs"]
mod redis_server;

use std::time::{Duration, Instant};

use auth_runtime::{
    AuthError, FlightKey, MemoryLimiter, MemoryRevocations, RateLimit, RecordedUpdate, RedisStore,
    Revocations, STORE_TIMEOUT, SessionStanding, SharedStore, SignInLimiter, StoreError,
};
use redis::AsyncCommands as _;
use redis_server::RedisServer;

/// 2026-01-01T00:00:00Z.
const NOW: i64 = 1_767_225_600;
const DAY: Duration = Duration::from_secs(86_400);
/// What "returns at once" means here: a bound, far above the store's timeout, not a
/// benchmark.
const PROMPTLY: Duration = Duration::from_secs(2);

async fn connect(server: &RedisServer, prefix: &str) -> RedisStore {
    RedisStore::connect(&server.url())
        .await
        .expect("the store connects")
        .with_prefix(prefix)
}

/// A plain client, to read what the store wrote and to write what it must refuse.
async fn raw(server: &RedisServer) -> redis::aio::MultiplexedConnection {
    redis::Client::open(server.url())
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap()
}

/// The key the store writes for `id` under `kind` (`{prefix}{kind}`): the id's SHA-256 in hex.
fn key(kind: &str, id: &str) -> String {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(id.as_bytes());
    let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
    format!("{kind}{hex}")
}

async fn all_keys(connection: &mut redis::aio::MultiplexedConnection) -> Vec<String> {
    let mut keys: Vec<String> = connection.keys("*").await.unwrap();
    keys.sort();
    keys
}

fn limit(text: &str) -> RateLimit {
    RateLimit::parse(text).unwrap()
}

// --- the limiter --------------------------------------------------------------------------

/// `MemoryLimiter`'s own cases, asked of both limiters.
#[tokio::test]
async fn the_sixth_attempt_after_five_failures_is_limited_until_the_window_passes() {
    let server = RedisServer::spawn();
    let store = connect(&server, "rl-cases:").await;
    let redis = store.limiter(limit("5 per 15m"));
    let memory = MemoryLimiter::new(limit("5 per 15m"));
    for limiter in [&*redis, &memory as &dyn SignInLimiter] {
        for minute in 0..5 {
            assert!(!limiter.is_limited("alice@x", minute * 60).await.unwrap());
            limiter
                .record_failure("alice@x", minute * 60)
                .await
                .unwrap();
        }
        assert!(limiter.is_limited("alice@x", 300).await.unwrap());
        assert!(!limiter.is_limited("bob@x", 300).await.unwrap());
        // The first failure (t = 0) leaves the window at t = 900: a failure counts while it is
        // later than `now - window`.
        assert!(limiter.is_limited("alice@x", 899).await.unwrap());
        assert!(!limiter.is_limited("alice@x", 900).await.unwrap());
        assert!(!limiter.is_limited("alice@x", 901).await.unwrap());

        for _ in 0..5 {
            limiter.record_failure("k", 10).await.unwrap();
        }
        assert!(limiter.is_limited("k", 10).await.unwrap());
        limiter.reset("k").await.unwrap();
        assert!(!limiter.is_limited("k", 10).await.unwrap());
    }
}

/// The same long run of calls (three keys, failures, checks and resets at times moving
/// forward by up to 40 seconds, under "3 per 5m") gets the same answer from both limiters
/// at every step.
/// ST-01: counted in Redis, the limit is the one every instance sees.
#[tokio::test]
async fn the_limiter_answers_as_the_memory_limiter_call_for_call() {
    let server = RedisServer::spawn();
    let store = connect(&server, "rl-differential:").await;
    let redis = store.limiter(limit("3 per 5m"));
    let memory = MemoryLimiter::new(limit("3 per 5m"));
    let mut random = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move |below: u64| {
        random ^= random << 13;
        random ^= random >> 7;
        random ^= random << 17;
        random % below
    };
    let mut now = NOW;
    let (mut limited, mut free) = (0, 0);
    for step in 0..400 {
        now += i64::try_from(next(41)).unwrap();
        let key = ["alice", "bob", "carol"][usize::try_from(next(3)).unwrap()];
        match next(10) {
            0..=4 => {
                memory.record_failure(key, now).await.unwrap();
                redis.record_failure(key, now).await.unwrap();
            }
            5 => {
                memory.reset(key).await.unwrap();
                redis.reset(key).await.unwrap();
            }
            _ => {
                let expected = memory.is_limited(key, now).await.unwrap();
                let answered = redis.is_limited(key, now).await.unwrap();
                assert_eq!(answered, expected, "step {step}: {key} at {now}");
                if expected {
                    limited += 1;
                } else {
                    free += 1;
                }
            }
        }
    }
    assert!(limited > 10 && free > 10, "{limited} limited, {free} free");
}

/// Several failures in one second are several failures.
#[tokio::test]
async fn failures_in_the_same_second_each_count() {
    let server = RedisServer::spawn();
    let store = connect(&server, "rl-same-second:").await;
    let limiter = store.limiter(limit("3 per 1m"));
    for _ in 0..2 {
        limiter.record_failure("k", NOW).await.unwrap();
    }
    assert!(!limiter.is_limited("k", NOW).await.unwrap());
    limiter.record_failure("k", NOW).await.unwrap();
    assert!(limiter.is_limited("k", NOW).await.unwrap());

    // No more than `attempts` times are kept: the set does not grow with an attacker's tries.
    for _ in 0..50 {
        limiter.record_failure("k", NOW).await.unwrap();
    }
    let mut connection = raw(&server).await;
    let kept: u64 = connection
        .zcard(key("rl-same-second:rl:", "k"))
        .await
        .unwrap();
    assert_eq!(kept, 3);
}

// --- the update log -----------------------------------------------------------------------

#[tokio::test]
async fn the_update_log_keeps_each_users_latest_update() {
    let server = RedisServer::spawn();
    let store = connect(&server, "upd-cases:").await;
    let log = store.updates();
    assert_eq!(log.latest("alice").await.unwrap(), None);

    let first = RecordedUpdate {
        at: NOW,
        sealed: "sealed.one".into(),
    };
    log.record("alice", first.clone(), DAY).await.unwrap();
    assert_eq!(log.latest("alice").await.unwrap(), Some(first));

    let second = RecordedUpdate {
        at: NOW + 5,
        sealed: "sealed:two".into(),
    };
    log.record("alice", second.clone(), DAY).await.unwrap();
    assert_eq!(log.latest("alice").await.unwrap(), Some(second));
    assert_eq!(log.latest("bob").await.unwrap(), None);
}

/// A record this version did not write (garbage, another type under the key) is
/// `StoreError::Corrupt`, never a panic nor a wrong answer.
#[tokio::test]
async fn records_this_version_did_not_write_are_corrupt() {
    let server = RedisServer::spawn();
    let store = connect(&server, "corrupt:").await;
    let mut connection = raw(&server).await;
    let () = connection
        .set(key("corrupt:upd:", "mallory"), "garbage")
        .await
        .unwrap();
    let _: u64 = connection
        .rpush(key("corrupt:upd:", "eve"), "x")
        .await
        .unwrap();
    let () = connection
        .set(key("corrupt:gen:", "mallory"), "1.8e12")
        .await
        .unwrap();

    let log = store.updates();
    for subject in ["mallory", "eve"] {
        let error = log.latest(subject).await.unwrap_err();
        assert!(
            matches!(error, StoreError::Corrupt(_)),
            "{subject}: {error:?}"
        );
    }
    let revocations = store.revocations();
    for error in [
        revocations
            .standing(Some("s1"), "mallory")
            .await
            .unwrap_err(),
        revocations.standing(None, "mallory").await.unwrap_err(),
        revocations
            .end_sessions("mallory", 1, DAY)
            .await
            .unwrap_err(),
    ] {
        assert!(matches!(error, StoreError::Corrupt(_)), "{error:?}");
    }
}

// --- refresh leases -----------------------------------------------------------------------

#[tokio::test]
async fn a_lease_is_taken_once_and_given_up_when_its_outcome_is_published() {
    let server = RedisServer::spawn();
    let store = connect(&server, "lease-cases:").await;
    let leases = store.leases();
    let key = FlightKey::new("oidc", "refresh-token-1");
    let other = FlightKey::new("oidc", "refresh-token-2");

    assert!(!leases.is_leased(&key).await.unwrap());
    assert!(leases.try_lead(&key, DAY).await.unwrap());
    assert!(!leases.try_lead(&key, DAY).await.unwrap(), "held already");
    assert!(leases.is_leased(&key).await.unwrap());
    assert_eq!(leases.outcome(&key).await.unwrap(), None);
    assert!(!leases.is_leased(&other).await.unwrap());

    leases
        .publish(&key, "sealed-outcome".into(), DAY)
        .await
        .unwrap();
    assert!(
        !leases.is_leased(&key).await.unwrap(),
        "published gives it up"
    );
    assert_eq!(
        leases.outcome(&key).await.unwrap().as_deref(),
        Some("sealed-outcome")
    );
    assert_eq!(leases.outcome(&other).await.unwrap(), None);

    // A lease whose holder died ends with its time to live.
    assert!(
        leases
            .try_lead(&other, Duration::from_millis(30))
            .await
            .unwrap()
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(!leases.is_leased(&other).await.unwrap());
    assert!(leases.try_lead(&other, DAY).await.unwrap());

    // The key names the hash, never the refresh token.
    let keys = all_keys(&mut raw(&server).await).await;
    assert!(
        keys.iter().all(|key| !key.contains("refresh-token")),
        "{keys:?}"
    );
}

// --- revocations --------------------------------------------------------------------------

/// `MemoryRevocations`' test cases, run on `store`, every answer written down.
async fn revocation_answers(store: &dyn Revocations) -> Vec<String> {
    let mut answers = Vec::new();
    let mut note = |answer: String| answers.push(answer);
    let fresh = store.standing(Some("s1"), "alice").await.unwrap();
    note(format!("fresh {fresh:?} admits 0: {}", fresh.admits(0)));

    store.revoke_session("s1", DAY).await.unwrap();
    let s1 = store.standing(Some("s1"), "alice").await.unwrap();
    let s2 = store.standing(Some("s2"), "alice").await.unwrap();
    note(format!("revoked s1 {s1:?} admits 5: {}", s1.admits(5)));
    note(format!("s2 {s2:?} admits 5: {}", s2.admits(5)));

    let generation = store.end_sessions("alice", 1_000, DAY).await.unwrap();
    note(format!("ended at {generation}"));
    let standing = store.standing(Some("s2"), "alice").await.unwrap();
    note(format!(
        "s2 {standing:?} admits 999: {}, 1000: {}",
        standing.admits(999),
        standing.admits(1_000)
    ));
    let bob = store.standing(None, "bob").await.unwrap();
    note(format!("bob {bob:?} admits 0: {}", bob.admits(0)));
    let alice = store.standing(None, "alice").await.unwrap();
    note(format!("alice without sid {alice:?}"));

    // Twice within one millisecond: the generation still moves.
    let again = store.end_sessions("alice", 1_000, DAY).await.unwrap();
    note(format!("ended again at {again}"));
    let lower = store.end_sessions("alice", 7, DAY).await.unwrap();
    note(format!("ended with a lower at_least at {lower}"));
    let never = store.end_sessions("carol", 0, DAY).await.unwrap();
    note(format!("a user never ended, at_least 0: {never}"));

    // Records expire (a zero time to live is one millisecond on Redis: wait past it).
    store
        .revoke_session("s9", Duration::from_millis(0))
        .await
        .unwrap();
    store
        .end_sessions("dave", 7, Duration::from_millis(0))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(20)).await;
    let expired = store.standing(Some("s9"), "dave").await.unwrap();
    note(format!("expired {expired:?}"));
    answers
}

#[tokio::test]
async fn revocations_answer_as_the_memory_revocations() {
    let server = RedisServer::spawn();
    let store = connect(&server, "rev-cases:").await;
    let redis = revocation_answers(&*store.revocations()).await;
    let memory = revocation_answers(&MemoryRevocations::new()).await;
    assert_eq!(redis, memory);
    // And the reference's own expectations hold.
    assert_eq!(
        redis[0],
        "fresh SessionStanding { revoked: false, generation: 0 } admits 0: true"
    );
    assert!(redis[1].ends_with("admits 5: false"), "{}", redis[1]);
    assert!(redis[2].ends_with("admits 5: true"), "{}", redis[2]);
    assert_eq!(redis[3], "ended at 1000");
    assert!(
        redis[4].ends_with("admits 999: false, 1000: true"),
        "{}",
        redis[4]
    );
    assert_eq!(redis[7], "ended again at 1001");
    assert_eq!(redis[8], "ended with a lower at_least at 1002");
    assert_eq!(redis[9], "a user never ended, at_least 0: 1");
    assert_eq!(
        redis[10],
        format!("expired {:?}", SessionStanding::default())
    );
}

/// Generations are milliseconds since the epoch: kept exactly, even past 2^53 where a Lua
/// number (a double) would round.
#[tokio::test]
async fn generations_are_kept_exactly() {
    let server = RedisServer::spawn();
    let store = connect(&server, "rev-exact:").await;
    let revocations = store.revocations();
    let memory = MemoryRevocations::new();
    for (subject, at_least) in [
        ("alice", 1_767_225_600_123_u64),
        ("alice", 1_767_225_600_123),
        ("bob", (1_u64 << 53) + 1),
        ("bob", (1_u64 << 53) + 1),
        ("carol", 999_999_999_999_999_999),
    ] {
        let expected = memory.end_sessions(subject, at_least, DAY).await.unwrap();
        let answered = revocations
            .end_sessions(subject, at_least, DAY)
            .await
            .unwrap();
        assert_eq!(answered, expected, "{subject} at least {at_least}");
        let standing = revocations.standing(None, subject).await.unwrap();
        assert_eq!(standing.generation, expected);
    }
    assert_eq!(
        revocations.standing(None, "bob").await.unwrap().generation,
        9_007_199_254_740_994
    );
}

/// Instances ending one user's sessions at the same moment each move the generation: the
/// script is atomic.
#[tokio::test]
async fn concurrent_ends_each_move_the_generation() {
    let server = RedisServer::spawn();
    let first = connect(&server, "rev-race:").await;
    let second = connect(&server, "rev-race:").await;
    let (a, b) = (first.revocations(), second.revocations());
    let calls = (0..20).map(|i| {
        let revocations = if i % 2 == 0 { a.clone() } else { b.clone() };
        async move { revocations.end_sessions("alice", 5_000, DAY).await.unwrap() }
    });
    let mut generations = join_all(calls).await;
    generations.sort_unstable();
    assert_eq!(generations, (5_000..5_020).collect::<Vec<u64>>());
}

/// Runs the futures concurrently on this task (no extra dependency for `join_all`).
async fn join_all<F: std::future::Future<Output = u64> + Send + 'static>(
    calls: impl Iterator<Item = F>,
) -> Vec<u64> {
    let mut tasks = tokio::task::JoinSet::new();
    for call in calls {
        tasks.spawn(call);
    }
    let mut out = Vec::new();
    while let Some(result) = tasks.join_next().await {
        out.push(result.unwrap());
    }
    out
}

// --- keys: prefix and time to live -------------------------------------------------------

/// Writes one record of every kind through `store`.
async fn write_every_kind(store: &RedisStore) {
    store
        .limiter(limit("5 per 15m"))
        .record_failure("id:login:alice@x", NOW)
        .await
        .unwrap();
    store
        .updates()
        .record(
            "alice",
            RecordedUpdate {
                at: NOW,
                sealed: "sealed".into(),
            },
            Duration::from_secs(60),
        )
        .await
        .unwrap();
    let leases = store.leases();
    assert!(
        leases
            .try_lead(&FlightKey::new("oidc", "held"), Duration::from_secs(30))
            .await
            .unwrap()
    );
    let published = FlightKey::new("oidc", "published");
    assert!(
        leases
            .try_lead(&published, Duration::from_secs(30))
            .await
            .unwrap()
    );
    leases
        .publish(&published, "sealed-outcome".into(), Duration::from_secs(60))
        .await
        .unwrap();
    let revocations = store.revocations();
    revocations.revoke_session("sid-1", DAY).await.unwrap();
    revocations.end_sessions("alice", 1_000, DAY).await.unwrap();
}

/// ST-02: every key the store writes begins with the prefix and has a time to live.
#[tokio::test]
async fn every_key_written_begins_with_the_prefix_and_expires() {
    let server = RedisServer::spawn();
    let store = connect(&server, "myapp:").await;
    write_every_kind(&store).await;

    let mut connection = raw(&server).await;
    let keys = all_keys(&mut connection).await;
    let kinds: Vec<&str> = keys
        .iter()
        .map(|key| {
            let rest = key
                .strip_prefix("myapp:")
                .unwrap_or_else(|| panic!("{key}"));
            rest.split(':').next().unwrap()
        })
        .collect();
    assert_eq!(
        kinds,
        ["flight", "gen", "lease", "rev", "rl", "upd"],
        "{keys:?}"
    );
    for key in &keys {
        let ttl: i64 = connection.pttl(key).await.unwrap();
        assert!(ttl > 0, "{key} has no time to live ({ttl})");
    }
    // The failures' set lives as long as the window ("5 per 15m").
    let window: i64 = connection
        .pttl(key("myapp:rl:", "id:login:alice@x"))
        .await
        .unwrap();
    assert!(window > 890_000 && window <= 900_000, "{window}");
}

/// The default prefix, when none is set.
#[tokio::test]
async fn the_default_prefix_is_authjs() {
    let server = RedisServer::spawn();
    let store = RedisStore::connect(&server.url()).await.unwrap();
    write_every_kind(&store).await;
    let keys = all_keys(&mut raw(&server).await).await;
    assert_eq!(keys.len(), 6, "{keys:?}");
    assert!(
        keys.iter().all(|key| key.starts_with("authjs:")),
        "{keys:?}"
    );
}

/// ST-02: two apps on one Redis, under two prefixes, share nothing.
#[tokio::test]
async fn stores_with_other_prefixes_do_not_see_each_others_records() {
    let server = RedisServer::spawn();
    let first = connect(&server, "app-a:").await;
    let second = connect(&server, "app-b:").await;
    write_every_kind(&first).await;
    let limiter = first.limiter(limit("1 per 15m"));
    limiter.record_failure("shared-key", NOW).await.unwrap();
    assert!(limiter.is_limited("shared-key", NOW).await.unwrap());

    let other = second.limiter(limit("1 per 15m"));
    assert!(!other.is_limited("shared-key", NOW).await.unwrap());
    assert!(!other.is_limited("id:login:alice@x", NOW).await.unwrap());
    assert_eq!(second.updates().latest("alice").await.unwrap(), None);
    let leases = second.leases();
    let held = FlightKey::new("oidc", "held");
    assert!(!leases.is_leased(&held).await.unwrap());
    assert_eq!(
        leases
            .outcome(&FlightKey::new("oidc", "published"))
            .await
            .unwrap(),
        None
    );
    assert!(leases.try_lead(&held, DAY).await.unwrap(), "app-a's lease");
    assert_eq!(
        second
            .revocations()
            .standing(Some("sid-1"), "alice")
            .await
            .unwrap(),
        SessionStanding::default()
    );
}

// --- faults -------------------------------------------------------------------------------

/// Every call of every kind once, each timed: (name, how long it took, its outcome).
async fn every_call(store: &RedisStore) -> Vec<(&'static str, Duration, Result<(), StoreError>)> {
    let limiter = store.limiter(limit("5 per 15m"));
    let updates = store.updates();
    let leases = store.leases();
    let revocations = store.revocations();
    let key = FlightKey::new("oidc", "refresh-token");
    let update = RecordedUpdate {
        at: NOW,
        sealed: "sealed".into(),
    };
    let mut calls = Vec::new();
    macro_rules! call {
        ($name:literal, $call:expr) => {{
            let started = Instant::now();
            let outcome = $call.await.map(drop);
            calls.push(($name, started.elapsed(), outcome));
        }};
    }
    call!("is_limited", limiter.is_limited("k", NOW));
    call!("record_failure", limiter.record_failure("k", NOW));
    call!("reset", limiter.reset("k"));
    call!("record", updates.record("alice", update, DAY));
    call!("latest", updates.latest("alice"));
    call!("try_lead", leases.try_lead(&key, DAY));
    call!("publish", leases.publish(&key, "sealed".into(), DAY));
    call!("outcome", leases.outcome(&key));
    call!("is_leased", leases.is_leased(&key));
    call!("revoke_session", revocations.revoke_session("sid", DAY));
    call!("end_sessions", revocations.end_sessions("alice", 1, DAY));
    call!("standing", revocations.standing(Some("sid"), "alice"));
    call!("standing without sid", revocations.standing(None, "alice"));
    calls
}

/// Waits (a few seconds at most) until the store answers again, then checks that every call
/// does.
async fn works_again(store: &RedisStore) {
    let limiter = store.limiter(limit("5 per 15m"));
    let deadline = Instant::now() + Duration::from_secs(10);
    while limiter.is_limited("k", NOW).await.is_err() {
        assert!(
            Instant::now() < deadline,
            "the store did not reconnect within 10 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for (name, _, outcome) in every_call(store).await {
        assert!(outcome.is_ok(), "{name}: {outcome:?}");
    }
}

/// ST-03: with the server stopped every call fails within the timeout, and the same store
/// works again once the server is back, without being rebuilt.
#[tokio::test]
async fn with_the_server_gone_every_call_fails_promptly_then_works_again_when_it_returns() {
    let mut server = RedisServer::spawn();
    let store = connect(&server, "faults:").await;
    for (name, _, outcome) in every_call(&store).await {
        assert!(outcome.is_ok(), "before: {name}: {outcome:?}");
    }

    server.stop();
    // Twice: the first calls find the connection broken, the next ones wait on reconnection.
    for _ in 0..2 {
        for (name, took, outcome) in every_call(&store).await {
            let error = outcome.expect_err(name);
            assert!(
                matches!(error, StoreError::Unavailable(_) | StoreError::Timeout(_)),
                "{name}: {error:?}"
            );
            assert!(took < PROMPTLY, "{name} took {took:?}");
        }
    }

    server.start();
    works_again(&store).await;
}

/// ST-03: a server that accepts and never answers costs the first call the store's timeout,
/// no more; the calls right after it fail at once (the back-off), so thirteen calls together
/// cost about one timeout, not thirteen.
#[tokio::test]
async fn a_hung_server_costs_one_timeout_then_calls_fail_at_once() {
    let server = RedisServer::spawn();
    let store = connect(&server, "hung:").await;
    let quicker = store.clone().with_timeout(Duration::from_millis(100));
    assert_eq!(store.timeout(), STORE_TIMEOUT);

    server.freeze();
    for (store, bound) in [
        (&store, STORE_TIMEOUT),
        (&quicker, Duration::from_millis(100)),
    ] {
        let calls = every_call(store).await;
        let (first, _, outcome) = &calls[0];
        assert_eq!(*outcome, Err(StoreError::Timeout(bound)), "{first}");
        for (name, took, outcome) in &calls {
            assert!(
                matches!(
                    outcome,
                    Err(StoreError::Timeout(_) | StoreError::Unavailable(_))
                ),
                "{name}: {outcome:?}"
            );
            assert!(
                *took < bound + Duration::from_millis(500),
                "{name} took {took:?}"
            );
        }
        let total: Duration = calls.iter().map(|(_, took, _)| *took).sum();
        assert!(total < bound * 3, "the calls together took {total:?}");
    }

    server.thaw();
    works_again(&store).await;
    works_again(&quicker).await;
}

// --- start-up -----------------------------------------------------------------------------

#[tokio::test]
async fn connecting_to_a_closed_port_is_an_error_at_once() {
    let mut server = RedisServer::spawn();
    let port = server.port();
    server.stop();
    let started = Instant::now();
    let error = RedisStore::connect(&server.url()).await.unwrap_err();
    assert!(started.elapsed() < PROMPTLY, "took {:?}", started.elapsed());
    assert_eq!(
        error,
        AuthError::StoreUnavailable {
            address: format!("127.0.0.1:{port}"),
            reason: "connection refused".into()
        }
    );
    assert_eq!(
        error.to_string(),
        format!(
            "the shared store at 127.0.0.1:{port} (AUTH_REDIS_URL) is unavailable at start-up: \
             connection refused"
        )
    );
}

#[tokio::test]
async fn the_password_never_appears_in_errors_or_debug_output() {
    const PASSWORD: &str = "s3cret-Pa55word-never-shown";
    const WRONG: &str = "wrong-Pa55word-never-shown";
    let server = RedisServer::spawn_requiring_password(PASSWORD);
    let port = server.port();
    let shown = |text: String| {
        assert!(
            !text.contains(PASSWORD) && !text.contains(WRONG),
            "a password shown: {text}"
        );
        text
    };

    let store = connect(&server, "pw:").await;
    shown(format!("{store:?}"));
    assert_eq!(
        shown(store.describe()),
        format!("redis at 127.0.0.1:{port}, prefix \"pw:\"")
    );
    store
        .limiter(limit("5 per 15m"))
        .record_failure("k", NOW)
        .await
        .unwrap();

    let wrong = RedisStore::connect(&format!("redis://:{WRONG}@127.0.0.1:{port}"))
        .await
        .unwrap_err();
    let text = shown(format!("{wrong} {wrong:?}"));
    assert!(
        matches!(&wrong, AuthError::StoreUnavailable { reason, .. } if reason.starts_with("authentication failed")),
        "{text}"
    );
    let none = RedisStore::connect(&format!("redis://127.0.0.1:{port}"))
        .await
        .unwrap_err();
    shown(format!("{none} {none:?}"));

    let mut closed = RedisServer::spawn();
    closed.stop();
    let url = format!("redis://user:{PASSWORD}@127.0.0.1:{}/", closed.port());
    let error = RedisStore::connect(&url).await.unwrap_err();
    assert!(error.to_string().contains("AUTH_REDIS_URL"), "{error}");
    shown(format!("{error} {error:?}"));

    for url in [
        format!("redis://user:{PASSWORD}@127.0.0.1:notaport"),
        format!("rediss://user:{PASSWORD}@127.0.0.1:{port}"),
        format!("https://user:{PASSWORD}@127.0.0.1:{port}"),
    ] {
        let error = RedisStore::connect(&url).await.unwrap_err();
        assert!(
            matches!(error, AuthError::InvalidRedisUrl { .. }),
            "{error:?}"
        );
        assert!(error.to_string().contains("AUTH_REDIS_URL"), "{error}");
        shown(format!("{error} {error:?}"));
    }
}

#[tokio::test]
async fn from_lookup_reads_the_url_and_the_prefix() {
    let server = RedisServer::spawn();
    let url = server.url();
    assert!(
        RedisStore::from_lookup(|_| None).await.unwrap().is_none(),
        "no AUTH_REDIS_URL, no store"
    );

    let store = RedisStore::from_lookup(|name| (name == "AUTH_REDIS_URL").then(|| url.clone()))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(store.prefix(), "authjs:");

    let store = RedisStore::from_lookup(|name| match name {
        "AUTH_REDIS_URL" => Some(url.clone()),
        "AUTH_REDIS_PREFIX" => Some("from-env:".into()),
        _ => None,
    })
    .await
    .unwrap()
    .unwrap();
    assert_eq!(store.prefix(), "from-env:");
    write_every_kind(&store).await;
    let keys = all_keys(&mut raw(&server).await).await;
    assert!(
        keys.iter().all(|key| key.starts_with("from-env:")),
        "{keys:?}"
    );

    let error = RedisStore::from_lookup(|name| (name == "AUTH_REDIS_URL").then(String::new))
        .await
        .unwrap_err();
    assert!(
        matches!(error, AuthError::InvalidRedisUrl { .. }),
        "{error:?}"
    );
}
