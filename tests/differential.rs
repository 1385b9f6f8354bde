//! The differential suite: one scripted sequence of requests (providers, CSRF, sign-in right
//! and wrong, the session read, updates accepted and refused, sign-out, a tampered cookie,
//! unknown routes, the pages, `X-Auth-Return-Redirect`) sent to the demo and to the real
//! `@auth/core` 0.41.3 behind `node:http` with the demo's configuration
//! (`tests/bench/authjs-server.mjs`), each with a cookie-keeping client of its own, under one
//! secret. Every step's status, `Location`, `Content-Type` family, `Set-Cookie` names and
//! attributes and JSON body are compared (`support::differential`); every difference must be on
//! [`ALLOWED`], each entry pointing to the README's "Where we are stricter than Auth.js", and
//! every entry must still occur. The list met is printed (`--nocapture` shows it).
#![allow(clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod support;

use std::time::Duration;

use serde_json::{Value, json};
use support::demo::serve_demo;
use support::differential::{Allowed, Run, Target, differences, judge};
use support::node::NodeServer;

const SECRET: &str = "differential-secret-3f9a1c7e5b2d8f4a6c0e";
const BASE: &str = "/api/auth";
/// The whole comparison, both servers' start-up included, ends within this or fails.
const SUITE_TIMEOUT: Duration = Duration::from_secs(180);
/// Node's start-up, far above the second it takes.
const PEER_START_TIMEOUT: Duration = Duration::from_secs(60);

/// The differences the suite accepts. Each names the steps where it occurs, what differs, what
/// each server answers (as the suite renders it) and why, pointing to the README's bullet in
/// "Where we are stricter than Auth.js".
const ALLOWED: &[Allowed] = &[
    Allowed {
        steps: &[
            "csrf",
            "sign-in",
            "sign-out to a path with a query",
            "sign-out to a URL on the origin",
            "sign-out to another site",
            "sign-out to a protocol-relative URL",
            "sign-out to a backslash URL",
        ],
        aspect: "Set-Cookie authjs.callback-url",
        ours: "not set",
        authjs: BROWSER_SESSION_COOKIE_SET,
        reason: "README \"Callback URL cookie\": we never write authjs.callback-url; the \
                 callback URL travels in the form or the query",
    },
    Allowed {
        steps: &[
            "session signed in",
            "session after the update",
            "session after the refused updates",
            "session after the refused sign-out",
        ],
        aspect: "Set-Cookie authjs.session-token",
        ours: "not set",
        authjs: SEVEN_DAY_COOKIE_SET,
        reason: "README \"Re-issue on read\": the demo sets session(update_age = \"1h\"), so a \
                 read of a younger token is answered without re-issuing it",
    },
    Allowed {
        steps: &["update to a tenant the user is not a member of"],
        aspect: "status",
        ours: "403",
        authjs: "200",
        reason: "README \"Updates\": a check refusing an update answers 403 null; Auth.js \
                 cannot refuse one and answers the unchanged session",
    },
    Allowed {
        steps: &["update of a field that is not updatable"],
        aspect: "status",
        ours: "400",
        authjs: "200",
        reason: "README \"Updates\": a field outside the update type answers 400 null; \
                 Auth.js cannot refuse one and answers the unchanged session",
    },
    Allowed {
        steps: &[
            "update to a tenant the user is not a member of",
            "update of a field that is not updatable",
        ],
        aspect: "Set-Cookie authjs.session-token",
        ours: "not set",
        authjs: SEVEN_DAY_COOKIE_SET,
        reason: "README \"Updates\": a refused update leaves the token unchanged and unsent",
    },
    Allowed {
        steps: &[
            "update to a tenant the user is not a member of",
            "update of a field that is not updatable",
        ],
        aspect: "JSON body",
        ours: "null",
        authjs: UNCHANGED_SESSION,
        reason: "README \"Updates\": a refused update answers null, not the session",
    },
    Allowed {
        steps: &[
            "sign-in, X-Auth-Return-Redirect",
            "sign-out, X-Auth-Return-Redirect",
        ],
        aspect: "Location",
        ours: "none",
        authjs: "<origin>/",
        reason: "README \"X-Auth-Return-Redirect\": the 200 {\"url\"} answer carries no \
                 Location; Auth.js copies the redirect's, which a 200 gives no meaning to",
    },
    Allowed {
        steps: &[
            "sign-out to a protocol-relative URL",
            "sign-out to a backslash URL",
        ],
        aspect: "Location",
        ours: "<origin>/",
        authjs: "<origin>//evil.example/x",
        reason: "README \"Redirect targets\": a callbackUrl starting with // or /\\ goes to the \
                 home page; Auth.js keeps it as a path on the origin",
    },
];

/// A browser-session cookie with a value, as Auth.js sets its callback-URL cookie.
const BROWSER_SESSION_COOKIE_SET: &str =
    "a value; Path=/; HttpOnly; SameSite=lax; until the browser closes";
/// The session cookie of the demo's 7-day sessions.
const SEVEN_DAY_COOKIE_SET: &str =
    "a value; Path=/; HttpOnly; SameSite=lax; expires in 7d (Expires)";
/// The admin's session after the switch to globex, as Auth.js answers a refused update.
const UNCHANGED_SESSION: &str = concat!(
    r#"{"expires":"<YYYY-MM-DDTHH:MM:SS.sssZ>","user":{"email":"admin@example.com","#,
    r#""id":"u-admin","name":"Ada Admin","permissions":["read","write","delete","admin"],"#,
    r#""role":"admin","tenantId":"globex"}}"#
);

/// The script, the same for both servers: each step's answer is recorded under its name; the
/// CSRF token each server gave is sent back to that server.
async fn script(target: &Target) -> Vec<(&'static str, support::differential::Observation)> {
    let mut run = Run::new(target);
    let csrf_of = |body: &Value| body["csrfToken"].as_str().expect("a CSRF token").to_owned();
    let sign_in = |email: &str, password: &str, csrf: Option<&str>| {
        let mut form = vec![
            ("email", email.to_owned()),
            ("password", password.to_owned()),
            ("callbackUrl", "/".to_owned()),
        ];
        if let Some(csrf) = csrf {
            form.push(("csrfToken", csrf.to_owned()));
        }
        target.post("/callback/credentials").form(&form)
    };
    let update = |csrf: Option<&str>, data: Value| {
        let body = match csrf {
            Some(csrf) => json!({ "csrfToken": csrf, "data": data }),
            None => json!({ "data": data }),
        };
        target.post("/session").json(&body)
    };
    let sign_out_to = |csrf: Option<&str>, callback_url: Option<&str>| {
        let mut form = Vec::new();
        if let Some(callback_url) = callback_url {
            form.push(("callbackUrl", callback_url.to_owned()));
        }
        if let Some(csrf) = csrf {
            form.push(("csrfToken", csrf.to_owned()));
        }
        target.post("/signout").form(&form)
    };
    let sign_out = |csrf: Option<&str>| sign_out_to(csrf, Some("/"));
    const RETURN_REDIRECT: (&str, &str) = ("X-Auth-Return-Redirect", "1");

    run.send("providers", target.get("/providers")).await;
    let csrf = csrf_of(&run.send("csrf", target.get("/csrf")).await);
    let csrf = csrf.as_str();
    run.send("session signed out", target.get("/session")).await;

    let wrong = || sign_in("viewer@example.com", "not-the-password", Some(csrf));
    run.send("sign-in, wrong password", wrong()).await;
    let (name, value) = RETURN_REDIRECT;
    run.send(
        "sign-in, wrong password, X-Auth-Return-Redirect",
        wrong().header(name, value),
    )
    .await;
    run.send(
        "sign-in without CSRF token",
        sign_in("admin@example.com", "correct-horse-admin", None),
    )
    .await;
    let eve = || sign_in("eve@outside.test", "correct-horse-eve", Some(csrf));
    run.send("sign-in refused by the signIn callback", eve())
        .await;
    run.send(
        "sign-in refused by the signIn callback, X-Auth-Return-Redirect",
        eve().header(name, value),
    )
    .await;
    let admin = || sign_in("admin@example.com", "correct-horse-admin", Some(csrf));
    run.send("sign-in", admin()).await;
    run.send("session signed in", target.get("/session")).await;

    run.send(
        "update to a member tenant",
        update(Some(csrf), json!({"tenantId": "globex"})),
    )
    .await;
    run.send("session after the update", target.get("/session"))
        .await;
    run.send(
        "update to a tenant the user is not a member of",
        update(Some(csrf), json!({"tenantId": "initech"})),
    )
    .await;
    run.send(
        "update of a field that is not updatable",
        update(Some(csrf), json!({"role": "viewer"})),
    )
    .await;
    run.send(
        "update without CSRF token",
        update(None, json!({"tenantId": "acme"})),
    )
    .await;
    run.send("session after the refused updates", target.get("/session"))
        .await;

    run.send("sign-out without CSRF token", sign_out(None))
        .await;
    run.send("session after the refused sign-out", target.get("/session"))
        .await;
    run.send("sign-out", sign_out(Some(csrf))).await;
    run.send("session after sign-out", target.get("/session"))
        .await;

    run.send(
        "sign-in, X-Auth-Return-Redirect",
        admin().header(name, value),
    )
    .await;
    target.tamper_with_session_cookie();
    run.send("session with a tampered cookie", target.get("/session"))
        .await;
    run.send("session after the tampered cookie", target.get("/session"))
        .await;
    target.set_cookie("authjs.session-token", "not-a-token");
    run.send(
        "session with a cookie that is no token",
        target.get("/session"),
    )
    .await;
    run.send("sign-in again", admin()).await;
    run.send(
        "sign-out, X-Auth-Return-Redirect",
        sign_out(Some(csrf)).header(name, value),
    )
    .await;
    run.send("sign-out signed out", sign_out(Some(csrf))).await;
    // Where a sign-out sends the browser (the redirect check, the same at sign-in). With no
    // callbackUrl Auth.js reads its callback-url cookie, here the sign-in's `/`.
    let on_origin = format!("{}/deep", target.origin());
    for (step, callback_url) in [
        ("sign-out without callbackUrl", None),
        ("sign-out to a path with a query", Some("/posts?page=2")),
        ("sign-out to a URL on the origin", Some(on_origin.as_str())),
        ("sign-out to another site", Some("https://evil.example/x")),
        ("sign-out to javascript:", Some("javascript:alert(1)")),
        (
            "sign-out to a protocol-relative URL",
            Some("//evil.example/x"),
        ),
        ("sign-out to a backslash URL", Some("/\\evil.example/x")),
    ] {
        run.send(step, sign_out_to(Some(csrf), callback_url)).await;
    }

    run.send("unknown route", target.get("/no-such-route"))
        .await;
    run.send(
        "unknown route, POST",
        target.post("/no-such-route").form(&[("csrfToken", csrf)]),
    )
    .await;
    run.send(
        "PUT /session, a method no route has",
        target
            .put("/session")
            .json(&json!({ "csrfToken": csrf, "data": {} })),
    )
    .await;
    run.send(
        "callback of an unknown provider",
        target.post("/callback/github").form(&[("csrfToken", csrf)]),
    )
    .await;
    run.send(
        "GET /callback/credentials",
        target.get("/callback/credentials"),
    )
    .await;
    run.send(
        "POST /signin/credentials",
        target
            .post("/signin/credentials")
            .form(&[("csrfToken", csrf)]),
    )
    .await;
    run.send("GET /signin/credentials", target.get("/signin/credentials"))
        .await;
    run.send("sign-in page", target.get("/signin")).await;
    run.send("sign-out page", target.get("/signout")).await;
    for (step, error) in [
        ("error page, AccessDenied", "AccessDenied"),
        ("error page, Verification", "Verification"),
        ("error page, Configuration", "Configuration"),
        ("error page, another code", "SomethingElse"),
    ] {
        run.send(step, target.get(&format!("/error?error={error}")))
            .await;
    }

    // A CSRF cookie whose hash does not verify is replaced; the token it held no longer counts.
    target.set_cookie("authjs.csrf-token", &format!("{csrf}%7C{}", "0".repeat(64)));
    let fresh = csrf_of(
        &run.send("csrf with a forged CSRF cookie", target.get("/csrf"))
            .await,
    );
    assert_ne!(fresh, csrf, "a new token");
    run.send(
        "sign-out with the replaced CSRF token",
        sign_out(Some(csrf)),
    )
    .await;
    run.finish()
}

#[tokio::test(flavor = "multi_thread")]
#[allow(
    clippy::print_stdout,
    reason = "the allowed differences met are the suite's report"
)]
async fn the_demo_answers_the_script_as_authjs_does_but_for_the_listed_differences() {
    tokio::time::timeout(SUITE_TIMEOUT, async {
        let peer = tokio::task::spawn_blocking(|| {
            NodeServer::start(
                "bench/authjs-server.mjs",
                &[("AUTH_SECRET", SECRET), ("PORT", "0")],
                PEER_START_TIMEOUT,
            )
        })
        .await
        .expect("the peer starts");
        let demo = serve_demo(SECRET).await;

        let ours = script(&Target::new(&demo.url(""), BASE)).await;
        let authjs = script(&Target::new(&peer.origin, BASE)).await;
        drop(demo);
        drop(peer);

        let verdict = judge(differences(&ours, &authjs), ALLOWED);
        println!(
            "{} steps compared; {} differences, all allowed:",
            ours.len(),
            verdict.allowed_count()
        );
        for (entry, steps) in &verdict.met {
            println!(
                "- {}: ours `{}`, Auth.js `{}`\n  at: {}\n  why: {}",
                entry.aspect,
                entry.ours,
                entry.authjs,
                steps.join("; "),
                entry.reason
            );
        }
        let mut problems = String::new();
        for difference in &verdict.unexpected {
            problems.push_str(&format!("\n  not allowed: {difference}"));
        }
        for (step, aspect) in &verdict.not_met {
            problems.push_str(&format!(
                "\n  allowed but no longer met (remove it from ALLOWED): {step}: {aspect}"
            ));
        }
        assert!(problems.is_empty(), "differences from Auth.js:{problems}");
    })
    .await
    .expect("the suite finishes in time");
}

/// The judging itself, without servers: a difference on no list and a listed one that did not
/// occur both count against the run; a listed one that occurred does not.
#[test]
fn judging_reports_unlisted_differences_and_listed_ones_no_longer_met() {
    let difference = |step: &'static str, ours: &str| support::differential::Difference {
        step,
        aspect: "status".to_owned(),
        ours: ours.to_owned(),
        authjs: "200".to_owned(),
    };
    let allowed = [Allowed {
        steps: &["a", "b"],
        aspect: "status",
        ours: "403",
        authjs: "200",
        reason: "a test",
    }];
    let verdict = judge(
        vec![difference("a", "403"), difference("c", "403")],
        &allowed,
    );
    assert_eq!(verdict.allowed_count(), 1);
    assert_eq!(verdict.met[0].1, ["a"]);
    assert_eq!(verdict.unexpected, [difference("c", "403")]);
    assert_eq!(verdict.not_met, [("b", "status")]);

    let verdict = judge(vec![difference("a", "400")], &allowed);
    assert_eq!(
        verdict.unexpected,
        [difference("a", "400")],
        "another value"
    );
}
