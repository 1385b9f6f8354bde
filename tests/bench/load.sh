#!/usr/bin/env bash
# Session throughput, side by side with Auth.js: `tests/bench/load.sh` from the repository root.
#
# Builds the demo in release mode, starts it on a loopback port with a fixed AUTH_SECRET, signs
# in as admin@example.com (GET /api/auth/csrf, POST /api/auth/callback/credentials, with a curl
# cookie jar), then runs wrk against GET /api/auth/session, GET /api/me, POST /api/posts and
# GET /api/ping (without a cookie: the unauthenticated baseline; then with the session cookie a
# browser would send) on the same server; GET /api/me also with a bearer token from
# POST /api/auth/token (`Authorization: Bearer`, no cookie). /api/auth/session is loaded twice: with the fresh
# cookie (the demo's `update_age = "1h"`: answered without re-issuing), and with a token issued
# two hours earlier (made with `auth-token encode --now`), which every read decrypts,
# re-encrypts and re-sets, the work @auth/core does on every read. Then the peer: the real
# @auth/core (tests/bench/authjs-server.mjs, pinned by tests/package-lock.json) behind
# node:http, signed in the same way and loaded the same way on its /api/auth/session and
# /api/ping. Prints req/s, p50 and p99, the server's CPU time per request, the ratios to
# /api/ping and to the peer, and the peak resident memory (VmHWM) of both servers. Every
# process it starts is stopped on exit.
#
# Each server is first loaded for 2 s uncounted (Node's JIT compiles @auth/core's hot paths).
# Then every endpoint is loaded ROUNDS times, the rounds interleaved (each round visits every
# endpoint once), and each endpoint's round with the median req/s is reported: load from other
# work on a shared machine then falls on all endpoints alike rather than on whichever ran
# during it. The server CPU per request is utime + stime from /proc over the requests wrk
# completed: it leaves out wrk's share of the cores.
#
# Settings (environment): ROUNDS (5), DURATION (5s), THREADS (2), CONNECTIONS (64), OUR_PORT
# (3100), PEER_PORT (3101), SKIP_BUILD=1 to reuse target/release/examples/demo, DEMO=<path> to
# load another build of the demo (a checkout of an older commit, say; implies SKIP_BUILD=1).
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$PWD
DURATION=${DURATION:-5s}
ROUNDS=${ROUNDS:-5}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
OUR_PORT=${OUR_PORT:-3100}
PEER_PORT=${PEER_PORT:-3101}
HOST=127.0.0.1
SECRET="load-bench-secret-6c0e2f9a4b8d1e3f5a7c9b0d"
EMAIL=admin@example.com
PASSWORD=correct-horse-admin

WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '%s\n' "$*" >&2; }

# --- tools ----------------------------------------------------------------------------------
if ! command -v wrk >/dev/null; then
  say "installing wrk (Debian package)"
  SUDO=; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get install -y wrk >/dev/null 2>&1 || { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y wrk >/dev/null; }
fi
for tool in curl node cargo python3; do
  command -v "$tool" >/dev/null || { say "missing: $tool"; exit 1; }
done
if [ ! -f tests/node_modules/@auth/core/package.json ]; then
  say "installing the pinned @auth/core (npm ci in tests/)"
  (cd tests && npm ci --no-audit --no-fund >/dev/null)
fi
if [ "${SKIP_BUILD:-0}" != 1 ] && [ -z "${DEMO:-}" ]; then
  say "building the demo (release)"
  cargo build --release --example demo >&2
fi
DEMO=${DEMO:-"$ROOT/target/release/examples/demo"}
AUTH_TOKEN="$ROOT/target/release/auth-token"
if [ ! -x "$AUTH_TOKEN" ] || [ "${SKIP_BUILD:-0}" != 1 ]; then
  cargo build --release -p auth-runtime --bin auth-token >&2
fi

# --- helpers --------------------------------------------------------------------------------
wait_for() { # url
  for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  say "server at $1 did not come up"
  exit 1
}

# Signs in on base URL $1 with jar $2; prints the Cookie header a browser would then send.
sign_in() {
  local base=$1 jar=$2 csrf
  csrf=$(curl -fsS -c "$jar" -b "$jar" "$base/api/auth/csrf" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["csrfToken"])')
  curl -fsS -o /dev/null -c "$jar" -b "$jar" \
    --data-urlencode "csrfToken=$csrf" --data-urlencode "email=$EMAIL" \
    --data-urlencode "password=$PASSWORD" --data-urlencode "callbackUrl=/" \
    "$base/api/auth/callback/credentials"
  python3 - "$jar" <<'PY'
import sys
pairs = []
for line in open(sys.argv[1]):
    line = line.rstrip("\n")
    if line.startswith("#HttpOnly_"):
        line = line[len("#HttpOnly_"):]
    elif not line or line.startswith("#"):
        continue
    fields = line.split("\t")
    if len(fields) == 7:
        pairs.append(f"{fields[5]}={fields[6]}")
if not any(p.startswith("authjs.session-token") for p in pairs):
    sys.exit("sign-in did not set a session cookie")
print("; ".join(pairs))
PY
}

peak_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # utime + stime, in clock ticks

# wrk with --latency against server $2; appends "label rps p50_ms p99_ms non2xx cpu_us" to
# $WORK/results.
load() { # label pid url cookie [lua script] [another header]
  local label=$1 pid=$2 url=$3 cookie=$4 script=${5:-} header=${6:-} out="$WORK/wrk-$1.txt"
  local args=(-t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency)
  [ -n "$cookie" ] && args+=(-H "Cookie: $cookie")
  [ -n "$header" ] && args+=(-H "$header")
  [ -n "$script" ] && args+=(-s "$script")
  say "wrk $label: $url"
  local before after
  before=$(cpu_ticks "$pid")
  wrk "${args[@]}" "$url" >"$out"
  after=$(cpu_ticks "$pid")
  python3 - "$label" "$out" "$((after - before))" "$(getconf CLK_TCK)" >>"$WORK/results" <<'PY'
import re, sys
label, text = sys.argv[1], open(sys.argv[2]).read()
ticks, hz = int(sys.argv[3]), int(sys.argv[4])
done = int(re.search(r"(\d+) requests in", text).group(1))
cpu_us = ticks / hz * 1e6 / max(done, 1)
def ms(value):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
p50 = ms(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1))
p99 = ms(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1))
bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
errors = re.search(r"Socket errors:.*", text)
print(label, rps, p50, p99, bad.group(1) if bad else 0, cpu_us, "|", errors.group(0) if errors else "")
PY
}

cat >"$WORK/posts.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"title":"bench","body":"a post written by wrk"}'
wrk.headers["Content-Type"] = "application/json"
LUA

# --- the machine ----------------------------------------------------------------------------
say "machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
say "load before: $(uptime)"

# --- ours -----------------------------------------------------------------------------------
OURS="http://$HOST:$OUR_PORT"
RUST_LOG=warn AUTH_SECRET=$SECRET PORT=$OUR_PORT AUTH_URL=$OURS "$DEMO" 2>"$WORK/demo.log" &
OUR_PID=$!
PIDS+=("$OUR_PID")
wait_for "$OURS/api/ping"
OUR_COOKIE=$(sign_in "$OURS" "$WORK/ours.jar")
curl -fsS -H "Cookie: $OUR_COOKIE" "$OURS/api/me" >/dev/null || { say "not signed in on ours"; exit 1; }
OUR_PEAK_IDLE=$(peak_kb "$OUR_PID")

# A bearer token for the same session (POST /api/auth/token with the CSRF token), for
# GET /api/me with `Authorization: Bearer` and no cookie.
BEARER_CSRF=$(curl -fsS -c "$WORK/ours.jar" -b "$WORK/ours.jar" "$OURS/api/auth/csrf" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["csrfToken"])')
BEARER=$(curl -fsS -b "$WORK/ours.jar" -H 'Content-Type: application/json' \
  -d "{\"csrfToken\":\"$BEARER_CSRF\"}" "$OURS/api/auth/token" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')
curl -fsS -H "Authorization: Bearer $BEARER" "$OURS/api/me" >/dev/null ||
  { say "the bearer token does not open /api/me"; exit 1; }

# The same claims, issued two hours ago: older than update_age, so every read re-issues it.
OLD_TOKEN=$(AUTH_SECRET=$SECRET "$AUTH_TOKEN" decode "$OUR_COOKIE" |
  AUTH_SECRET=$SECRET "$AUTH_TOKEN" encode --max-age 604800 --now $(($(date +%s) - 7200)))
OLD_COOKIE="authjs.session-token=$OLD_TOKEN"
curl -fsS -D - -o /dev/null -H "Cookie: $OLD_COOKIE" "$OURS/api/auth/session" |
  grep -qi '^set-cookie: authjs.session-token=' || { say "the old token was not re-issued"; exit 1; }
warm_up() { wrk -t"$THREADS" -c"$CONNECTIONS" -d2s -H "Cookie: $2" "$1" >/dev/null; }
say "warming up (2 s, not counted)"
warm_up "$OURS/api/auth/session" "$OUR_COOKIE"
for round in $(seq "$ROUNDS"); do
  say "round $round of $ROUNDS"
  load session "$OUR_PID" "$OURS/api/auth/session" "$OUR_COOKIE"
  [ "$round" = 1 ] && OUR_PEAK_SESSION=$(peak_kb "$OUR_PID")
  load session_reissue "$OUR_PID" "$OURS/api/auth/session" "$OLD_COOKIE"
  load me "$OUR_PID" "$OURS/api/me" "$OUR_COOKIE"
  load me_bearer "$OUR_PID" "$OURS/api/me" "" "" "Authorization: Bearer $BEARER"
  load posts "$OUR_PID" "$OURS/api/posts" "$OUR_COOKIE" "$WORK/posts.lua"
  load ping "$OUR_PID" "$OURS/api/ping" ""
  load ping_cookie "$OUR_PID" "$OURS/api/ping" "$OUR_COOKIE"
done
OUR_PEAK=$(peak_kb "$OUR_PID")

# --- the peer: @auth/core -------------------------------------------------------------------
PEER="http://$HOST:$PEER_PORT"
NODE_ENV=production AUTH_SECRET=$SECRET PORT=$PEER_PORT node tests/bench/authjs-server.mjs 2>"$WORK/peer.log" &
PEER_PID=$!
PIDS+=("$PEER_PID")
wait_for "$PEER/api/ping"
PEER_COOKIE=$(sign_in "$PEER" "$WORK/peer.jar")
curl -fsS -H "Cookie: $PEER_COOKIE" "$PEER/api/auth/session" | grep -q '"role":"admin"' ||
  { say "not signed in on the peer"; exit 1; }
PEER_PEAK_IDLE=$(peak_kb "$PEER_PID")

say "warming up (2 s, not counted: Node compiles its hot paths as it goes)"
warm_up "$PEER/api/auth/session" "$PEER_COOKIE"
for round in $(seq "$ROUNDS"); do
  say "round $round of $ROUNDS"
  load authjs_session "$PEER_PID" "$PEER/api/auth/session" "$PEER_COOKIE"
  [ "$round" = 1 ] && PEER_PEAK_SESSION=$(peak_kb "$PEER_PID")
  load authjs_ping "$PEER_PID" "$PEER/api/ping" ""
done
PEER_PEAK=$(peak_kb "$PEER_PID")

say "load after: $(uptime)"

# --- the table ------------------------------------------------------------------------------
python3 - "$WORK/results" "$OUR_PEAK_IDLE" "$PEER_PEAK_IDLE" "$OUR_PEAK_SESSION" "$OUR_PEAK" "$PEER_PEAK_SESSION" "$PEER_PEAK" \
  "$DURATION" "$THREADS" "$CONNECTIONS" "$ROUNDS" <<'PY'
import sys
rounds = {}
for line in open(sys.argv[1]):
    head, _, errors = line.partition("|")
    label, rps, p50, p99, bad, cpu = head.split()
    rounds.setdefault(label, []).append(
        (float(rps), float(p50), float(p99), int(bad), errors.strip(), float(cpu))
    )
# Each endpoint's median round (by req/s); its latencies and CPU come from that round.
rows = {
    label: sorted(runs, key=lambda run: run[0])[len(runs) // 2]
    for label, runs in rounds.items()
}
our_idle, peer_idle, our_hwm_session, our_hwm, peer_hwm_session, peer_hwm = (
    int(v) for v in sys.argv[2:8]
)
duration, threads, connections, n_rounds = sys.argv[8:12]
names = {
    "session": "ours GET /api/auth/session",
    "session_reissue": "ours GET /api/auth/session, re-issued on every read",
    "me": "ours GET /api/me",
    "me_bearer": "ours GET /api/me, bearer token (no cookie)",
    "posts": "ours POST /api/posts",
    "ping": "ours GET /api/ping",
    "ping_cookie": "ours GET /api/ping, session cookie sent",
    "authjs_session": "@auth/core GET /api/auth/session",
    "authjs_ping": "@auth/core GET /api/ping",
}
print(
    f"\nwrk -t{threads} -c{connections} -d{duration} --latency; {n_rounds} interleaved rounds, "
    "each endpoint's median round\n"
)
print(
    "| endpoint | req/s (median) | p50 | p99 | vs own /api/ping | server CPU per request "
    "| req/s, every round | non-2xx |"
)
print("|---|---:|---:|---:|---:|---:|---|---:|")
for label, name in names.items():
    if label not in rows:
        continue
    rps, p50, p99, _, _, cpu = rows[label]
    ping = rows["authjs_ping" if label.startswith("authjs") else "ping"][0]
    every = ", ".join(f"{run[0]:,.0f}" for run in rounds[label])
    bad = sum(run[3] for run in rounds[label])
    print(
        f"| {name} | {rps:,.0f} | {p50:.2f} ms | {p99:.2f} ms | {rps / ping:.1%} "
        f"| {cpu:.1f} µs | {every} | {bad} |"
    )
for label, runs in rounds.items():
    for run in runs:
        if run[4]:
            print(f"{label}: {run[4]}")
ratio = rows["session"][0] / rows["authjs_session"][0]
reissue = rows["session_reissue"][0] / rows["authjs_session"][0]
print(f"\nours /api/auth/session vs @auth/core's: {ratio:.1f}×")
print(f"ours /api/auth/session, re-issued on every read, vs @auth/core's: {reissue:.1f}×")
print(f"ours /api/auth/session vs ours /api/ping: {rows['session'][0] / rows['ping'][0]:.1%}")
print(f"ours /api/me, bearer token, vs the cookie: {rows['me_bearer'][0] / rows['me'][0]:.1%}")
print(
    "ours /api/auth/session, re-issued on every read, vs ours /api/ping: "
    f"{rows['session_reissue'][0] / rows['ping'][0]:.1%}"
)
print("\n| peak resident memory (VmHWM) | ours (demo) | @auth/core (node) |")
print("|---|---:|---:|")
print(f"| after start-up and sign-in, before any load | {our_idle / 1024:.1f} MiB | {peer_idle / 1024:.1f} MiB |")
print(f"| after the /session run | {our_hwm_session / 1024:.1f} MiB | {peer_hwm_session / 1024:.1f} MiB |")
print(f"| after all runs (ours also keeps 1,000 posts) | {our_hwm / 1024:.1f} MiB | {peer_hwm / 1024:.1f} MiB |")
PY
