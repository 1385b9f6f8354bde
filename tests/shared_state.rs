//! Many instances, one truth: two demo instances on two loopback ports, sharing
//! `AUTH_SECRET` and a real `redis-server` (started on a loopback port by the harness,
//! stopped after), as two processes behind a load balancer would. Each instance has its own
//! connection to Redis and its own in-process caches; only the store is shared.
//!
//! - the sign-in rate limit counts failures from both instances together;
//! - an update on one instance supersedes a stale cookie read on the other (SU-08);
//! - a refresh-token grant is sent once for reads spread over both (OA-15 across instances);
//! - a session revoked on one is refused on the other within the cache bound, and "sign out
//!   everywhere" ends every session of one user and no other's;
//! - faults: Redis stopped mid-run and started again. The documented policy holds (sign-in
//!   refused with `Unavailable`, sessions read on, revocation open or closed as configured),
//!   no undocumented 5xx, and service recovers without a restart.
#![allow(clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod support;

use std::time::{Duration, Instant};

use auth_runtime::{
    Auth, OidcClientCredentials, RedisStore, Revocation, RevocationFailure, Secrets,
};
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::clock::ShiftedClock;
use support::demo::app;
use support::http::{
    BoundPort, TestServer, browser, browser_with, csrf_token, location, set_cookies,
};
use support::node::NodeServer;
use support::oidc_op::{refresh_grants, sign_in_as_alice, start_oidc_provider};
use support::redis_server::RedisServer;
use support::session::{
    BASE, SESSION_COOKIE, carrying, get, post_with_csrf, session_cookie, sign_in, signed_in,
};

const SECRET: &str = "shared-state-test-secret-4b9e1d7a3c5f8e2a6d0b";
/// How stale a revocation answer may be on either instance.
const STALE: Duration = Duration::from_millis(500);
/// Every wait's bound.
const BOUND: Duration = Duration::from_secs(30);

/// Two instances of the demo sharing one Redis.
struct Cluster {
    a: TestServer,
    b: TestServer,
    auth_a: Auth<app::DemoAuth>,
}

impl Cluster {
    /// Two demo instances on Redis at `redis_url`, under one public URL (A's origin, as
    /// behind a load balancer), with revocation on and failing `on_failure`.
    async fn start(redis_url: &str, prefix: &str, on_failure: RevocationFailure) -> Self {
        Self::start_on(
            TestServer::bind().await,
            redis_url,
            prefix,
            on_failure,
            None,
        )
        .await
    }

    /// [`Cluster::start`] with A on `port_a`, bound already, and the OpenID Provider `oidc`
    /// (its client id and secret) on the clock given.
    async fn start_on(
        port_a: BoundPort,
        redis_url: &str,
        prefix: &str,
        on_failure: RevocationFailure,
        oidc: Option<(&NodeServer, &ShiftedClock, &str, &str)>,
    ) -> Self {
        let port_b = TestServer::bind().await;
        let origin = port_a.origin();
        let build = |store: RedisStore| {
            let mut builder = Auth::<app::DemoAuth>::builder(
                app::AppState::with_demo_users().expect("demo users"),
            )
            .secrets(Secrets::new([SECRET]).expect("a strong secret"))
            .public_url(&origin)
            .bearer_keys(app::bearer_keys().expect("bearer keys"))
            .shared_store(store)
            .revocation(Revocation::new().max_stale(STALE).on_failure(on_failure));
            if let Some((op, clock, id, secret)) = oidc {
                builder = builder.clock(clock.clone()).oidc_client(
                    "oidc",
                    OidcClientCredentials::new(id, secret, Some(op.origin.clone())),
                );
            }
            builder.build_async()
        };
        let connect = || async {
            RedisStore::connect(redis_url)
                .await
                .expect("Redis answers")
                .with_prefix(prefix)
        };
        let auth_a = build(connect().await).await.expect("instance A starts");
        let auth_b = build(connect().await).await.expect("instance B starts");
        Self {
            a: port_a.serve(app::app(&auth_a)),
            b: port_b.serve(app::app(&auth_b)),
            auth_a,
        }
    }
}

/// Polls `GET path` on `server` with `cookie` until it answers `want`; how long that took.
async fn until_status(server: &TestServer, path: &str, cookie: &str, want: StatusCode) -> Duration {
    let start = Instant::now();
    loop {
        let (status, _, _) = get(server, path, cookie).await;
        if status == want {
            return start.elapsed();
        }
        assert!(start.elapsed() < BOUND, "{path} never answered {want}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Five wrong passwords, alternating between the instances, limit the account on both: the
/// sixth attempt, with the right password, is refused on either.
#[tokio::test]
async fn st_01_five_wrong_passwords_over_both_instances_limit_the_account_on_both() {
    let redis = RedisServer::spawn();
    let cluster = Cluster::start(&redis.url(), "rl-test:", RevocationFailure::Open).await;
    for attempt in 0..5 {
        let server = if attempt % 2 == 0 {
            &cluster.a
        } else {
            &cluster.b
        };
        let (status, to, _) =
            sign_in(&browser(), server, "admin@example.com", "wrong-password").await;
        assert_eq!(status, StatusCode::FOUND);
        assert!(
            to.contains("error=CredentialsSignin"),
            "attempt {attempt}: {to}"
        );
    }
    for server in [&cluster.a, &cluster.b] {
        let (_, to, cookie) = sign_in(
            &browser(),
            server,
            "admin@example.com",
            "correct-horse-admin",
        )
        .await;
        assert!(to.contains("error=RateLimited"), "{to}");
        assert!(cookie.is_none());
    }
}

/// SU-08 across instances: an update accepted by A, then a read on B carrying the cookie from
/// before the update, is answered with (and re-issues) the updated token.
#[tokio::test]
async fn su_08_an_update_on_a_supersedes_a_stale_cookie_read_on_b() {
    let redis = RedisServer::spawn();
    let cluster = Cluster::start(&redis.url(), "race-test:", RevocationFailure::Open).await;
    let before = signed_in(&cluster.a, "admin@example.com", "correct-horse-admin").await;
    // Token times have one-second steps, and a token issued in the update's own second counts
    // as current (`superseded.rs`): the update comes a second after the sign-in.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let (status, session, after) = post_with_csrf(
        &cluster.a,
        &format!("{BASE}/session"),
        &before,
        json!({ "data": { "tenantId": "globex" } }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{session}");
    assert_eq!(session["user"]["tenantId"], "globex");
    assert!(after.is_some());

    let (status, session, reissued) = get(&cluster.b, &format!("{BASE}/session"), &before).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(session["user"]["tenantId"], "globex", "{session}");
    let reissued = reissued.expect("the updated token is re-issued");
    let claims = cluster.auth_a.codec().decode(&reissued).expect("opens");
    assert_eq!(claims["tenantId"], "globex");
}

/// A session revoked on A (its sign-out) is refused on B within the cache bound, though B read
/// it just before (so B had it cached as standing).
#[tokio::test]
async fn st_04_a_session_signed_out_on_a_is_refused_on_b_within_the_bound() {
    let redis = RedisServer::spawn();
    let cluster = Cluster::start(&redis.url(), "revoke-test:", RevocationFailure::Open).await;
    let cookie = signed_in(&cluster.a, "viewer@example.com", "correct-horse-viewer").await;
    let claims = cluster.auth_a.codec().decode(&cookie).expect("opens");
    assert!(
        claims["sid"].is_string() && claims["sgen"].is_u64(),
        "{claims:?}"
    );
    let (status, _, _) = get(&cluster.b, "/api/me", &cookie).await;
    assert_eq!(status, StatusCode::OK);

    // A copy of the cookie is kept (a stolen one, say); the user signs out on A.
    let client = carrying(&cluster.a, &cookie);
    let csrf = csrf_token(&client, &cluster.a, BASE).await;
    let response = client
        .post(cluster.a.url(&format!("{BASE}/signout")))
        .form(&[("csrfToken", csrf.as_str())])
        .send()
        .await
        .expect("POST /signout");
    assert_eq!(response.status(), StatusCode::FOUND);

    // Within the bound, plus what one poll takes on a loaded machine.
    let took = until_status(&cluster.b, "/api/me", &cookie, StatusCode::UNAUTHORIZED).await;
    assert!(
        took <= STALE + Duration::from_millis(1000),
        "refused after {took:?}"
    );
    let (status, session, _) = get(&cluster.b, &format!("{BASE}/session"), &cookie).await;
    assert_eq!((status, session), (StatusCode::OK, Value::Null));
    let (status, _, _) = get(&cluster.a, "/api/me", &cookie).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // A fresh sign-in of the same user stands.
    let again = signed_in(&cluster.a, "viewer@example.com", "correct-horse-viewer").await;
    assert_eq!(get(&cluster.b, "/api/me", &again).await.0, StatusCode::OK);
}

/// "Sign out everywhere": `POST /signout/others` on A ends the admin's other sessions on both
/// instances, keeps the caller's (re-issued) and leaves the viewer's alone; a session signed
/// in afterwards stands. `Auth::revoke_session` revokes one session by id.
#[tokio::test]
async fn st_05_signing_out_everywhere_ends_every_session_of_one_user_and_no_other() {
    let redis = RedisServer::spawn();
    let cluster = Cluster::start(&redis.url(), "everywhere-test:", RevocationFailure::Open).await;
    let laptop = signed_in(&cluster.a, "admin@example.com", "correct-horse-admin").await;
    let phone = signed_in(&cluster.b, "admin@example.com", "correct-horse-admin").await;
    let viewer = signed_in(&cluster.b, "viewer@example.com", "correct-horse-viewer").await;
    for cookie in [&laptop, &phone, &viewer] {
        assert_eq!(get(&cluster.b, "/api/me", cookie).await.0, StatusCode::OK);
    }

    let (status, body, laptop_now) = post_with_csrf(
        &cluster.a,
        &format!("{BASE}/signout/others"),
        &laptop,
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, json!({ "signedOut": "others" }));
    let laptop_now = laptop_now.expect("the caller's session is re-issued");

    until_status(&cluster.b, "/api/me", &phone, StatusCode::UNAUTHORIZED).await;
    until_status(&cluster.b, "/api/me", &laptop, StatusCode::UNAUTHORIZED).await;
    tokio::time::sleep(STALE).await;
    for server in [&cluster.a, &cluster.b] {
        assert_eq!(
            get(server, "/api/me", &phone).await.0,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(get(server, "/api/me", &laptop_now).await.0, StatusCode::OK);
        assert_eq!(get(server, "/api/me", &viewer).await.0, StatusCode::OK);
    }
    let later = signed_in(&cluster.b, "admin@example.com", "correct-horse-admin").await;
    assert_eq!(get(&cluster.a, "/api/me", &later).await.0, StatusCode::OK);

    // One session by id, through the API.
    let claims = cluster.auth_a.codec().decode(&viewer).expect("opens");
    let sid = claims["sid"].as_str().expect("a sid");
    cluster.auth_a.revoke_session(sid).await.expect("revoked");
    assert_eq!(
        get(&cluster.a, "/api/me", &viewer).await.0,
        StatusCode::UNAUTHORIZED
    );
    until_status(&cluster.b, "/api/me", &viewer, StatusCode::UNAUTHORIZED).await;
    assert_eq!(get(&cluster.b, "/api/me", &later).await.0, StatusCode::OK);
}

/// OA-15 across instances: eight concurrent session reads after the access token's expiry,
/// spread over both instances, send one refresh-token grant to the OpenID Provider, and every
/// read answers with the new access token.
#[tokio::test]
async fn st_06_eight_reads_over_both_instances_send_one_refresh_grant() {
    let redis = RedisServer::spawn();
    let clock = ShiftedClock::default();
    let (op, cluster) = start_with_provider(&redis, &clock).await;
    let jar = browser();
    let csrf = csrf_token(&jar, &cluster.a, BASE).await;
    let response = jar
        .post(cluster.a.url(&format!("{BASE}/signin/oidc")))
        .form(&[("csrfToken", csrf.as_str())])
        .send()
        .await
        .expect("POST /signin/oidc");
    let prefix = cluster.a.url(&format!("{BASE}/callback/oidc"));
    let callback = sign_in_as_alice(&jar, &location(response.headers()), &prefix).await;
    let response = jar.get(&callback).send().await.expect("GET /callback");
    assert_eq!(response.status(), StatusCode::FOUND);
    let cookie = session_cookie(&set_cookies(response.headers())).expect("a session cookie");
    let before = refresh_grants(&op).await["attempts"]
        .as_u64()
        .expect("a count");

    clock.advance(Duration::from_secs(3600));
    let mut reads = tokio::task::JoinSet::new();
    for read in 0..8 {
        let url = if read % 2 == 0 {
            cluster.a.url("/api/auth/session")
        } else {
            cluster.b.url("/api/auth/session")
        };
        let cookie = cookie.clone();
        reads.spawn(async move {
            let response = browser_with(&[(SESSION_COOKIE, &cookie)])
                .get(url)
                .send()
                .await
                .expect("GET /session");
            assert_eq!(response.status(), StatusCode::OK);
            session_cookie(&set_cookies(response.headers())).expect("a re-issued cookie")
        });
    }
    let cookies = tokio::time::timeout(BOUND, reads.join_all())
        .await
        .expect("bounded");
    let after = refresh_grants(&op).await["attempts"]
        .as_u64()
        .expect("a count");
    assert_eq!(
        after - before,
        1,
        "one refresh-token grant for eight reads on two instances"
    );
    let access_tokens: Vec<Value> = cookies
        .iter()
        .map(|cookie| {
            let claims = cluster.auth_a.codec().decode(cookie).expect("opens");
            claims["providerRefresh"]["accessToken"].clone()
        })
        .collect();
    assert!(
        access_tokens.windows(2).all(|pair| pair[0] == pair[1]),
        "{access_tokens:?}"
    );
}

/// The OpenID Provider (`REFRESH=1`, its token endpoint slowed so the reads overlap) and the
/// cluster on `redis` signing in there.
async fn start_with_provider(redis: &RedisServer, clock: &ShiftedClock) -> (NodeServer, Cluster) {
    // The provider is told the callback URL of A's port, bound first.
    let port_a = TestServer::bind().await;
    let origin = port_a.origin();
    let clients = json!([{
        "client_id": "client-shared",
        "client_secret": "secret-shared-0123456789",
        "redirect_uris": [format!("{origin}/api/auth/callback/oidc")],
    }]);
    let op = start_oidc_provider(
        &clients,
        &[
            ("REFRESH", "1"),
            ("ACCESS_TOKEN_TTL", "300"),
            ("TOKEN_DELAY_MS", "300"),
        ],
    )
    .await;
    let cluster = Cluster::start_on(
        port_a,
        &redis.url(),
        "flight-test:",
        RevocationFailure::Open,
        Some((&op, clock, "client-shared", "secret-shared-0123456789")),
    )
    .await;
    (op, cluster)
}

/// Answers of `GET path` on `server` with `cookie`, each within this bound while Redis is
/// down: no request waits on the store longer than its timeout, whatever it asks.
const DOWN_BOUND: Duration = Duration::from_secs(2);

async fn get_bounded(
    server: &TestServer,
    path: &str,
    cookie: &str,
) -> (StatusCode, Value, Option<String>) {
    tokio::time::timeout(DOWN_BOUND, get(server, path, cookie))
        .await
        .unwrap_or_else(|_| panic!("{path} waited on the store past {DOWN_BOUND:?}"))
}

/// Faults: Redis stopped mid-run and started again, under both revocation policies.
///
/// While it is down: a credentials sign-in is refused with `Unavailable` (its error page is
/// the one documented 503), never let through unlimited; the stateless routes answer as
/// before; with the open policy sessions read on; with the closed policy a session is
/// `503`, its cookie kept (not cleared). When it is back, everything works again on the same
/// instances, without a restart.
#[tokio::test]
async fn st_03_redis_stopped_mid_run_degrades_as_documented_and_recovers_by_itself() {
    let mut redis = RedisServer::spawn();
    let open = Cluster::start(&redis.url(), "fault-open:", RevocationFailure::Open).await;
    let closed = Cluster::start(&redis.url(), "fault-closed:", RevocationFailure::Closed).await;
    let cookie = signed_in(&open.a, "admin@example.com", "correct-horse-admin").await;
    let closed_cookie = signed_in(&closed.a, "viewer@example.com", "correct-horse-viewer").await;

    redis.stop();

    // Sign-in: refused, on its documented page.
    let (status, to, set) = tokio::time::timeout(
        DOWN_BOUND * 3,
        sign_in(
            &browser(),
            &open.b,
            "viewer@example.com",
            "correct-horse-viewer",
        ),
    )
    .await
    .expect("bounded");
    assert_eq!(status, StatusCode::FOUND);
    assert!(to.contains("error=Unavailable"), "{to}");
    assert!(set.is_none());
    let page = reqwest::get(&to).await.expect("the error page");
    assert_eq!(page.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        page.text()
            .await
            .expect("HTML")
            .contains("Sign-in unavailable")
    );

    // Open policy: sessions read on, on both instances.
    for server in [&open.a, &open.b] {
        let (status, session, _) = get_bounded(server, &format!("{BASE}/session"), &cookie).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(session["user"]["email"], "admin@example.com");
        assert_eq!(
            get_bounded(server, "/api/me", &cookie).await.0,
            StatusCode::OK
        );
        assert_eq!(
            get_bounded(server, "/api/admin", &cookie).await.0,
            StatusCode::OK
        );
        assert_eq!(get_bounded(server, "/api/ping", "").await.0, StatusCode::OK);
        assert_eq!(
            get_bounded(server, &format!("{BASE}/csrf"), "").await.0,
            StatusCode::OK
        );
    }
    // Closed policy: refused for now with a 503, the cookie kept.
    tokio::time::sleep(STALE).await;
    let (status, body, _) = get_bounded(&closed.b, "/api/me", &closed_cookie).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body, json!({ "error": "unavailable" }));
    let response = tokio::time::timeout(
        DOWN_BOUND,
        browser_with(&[(SESSION_COOKIE, &closed_cookie)])
            .get(closed.b.url(&format!("{BASE}/session")))
            .send(),
    )
    .await
    .expect("bounded")
    .expect("GET /session");
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        set_cookies(response.headers()).is_empty(),
        "the cookie is not cleared"
    );
    // Revocation itself needs the store: refused, nothing changed.
    let (status, _, _) = post_with_csrf(
        &open.a,
        &format!("{BASE}/signout/others"),
        &cookie,
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);

    redis.start();

    // Back: the same instances sign in, read sessions and enforce revocation again.
    let start = Instant::now();
    loop {
        let (_, to, set) = sign_in(
            &browser(),
            &open.b,
            "viewer@example.com",
            "correct-horse-viewer",
        )
        .await;
        if set.is_some() {
            break;
        }
        assert!(start.elapsed() < BOUND, "sign-in never recovered: {to}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    until_status(&closed.b, "/api/me", &closed_cookie, StatusCode::OK).await;
    // Each instance tries the store again at most a second after its last failure.
    let start = Instant::now();
    loop {
        let (status, _, _) = post_with_csrf(
            &open.a,
            &format!("{BASE}/signout/others"),
            &cookie,
            json!({}),
        )
        .await;
        if status == StatusCode::OK {
            break;
        }
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(start.elapsed() < BOUND, "revoking never recovered");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    until_status(&open.b, "/api/me", &cookie, StatusCode::UNAUTHORIZED).await;
}
