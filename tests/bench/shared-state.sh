#!/usr/bin/env bash
# What revocation and shared state on Redis cost a session read: `tests/bench/shared-state.sh`
# from the repository root.
#
# Builds the demo in release mode, starts its own redis-server on a free loopback port (no
# persistence), then three instances of the same release demo with the same AUTH_SECRET:
#
#   A  DEMO_REVOCATION=off, no Redis: the stateless path (no store is asked);
#   B  revocation on (the demo's default), no AUTH_REDIS_URL: the in-process revocation store;
#   C  revocation on and AUTH_REDIS_URL=redis://127.0.0.1:<port>: every kind of shared state
#      (rate limit, update record, refresh leases, revocations) on that Redis.
#
# Signs in as admin@example.com on each instance itself (GET /api/auth/csrf, POST
# /api/auth/callback/credentials, with a curl cookie jar: a token carries a `sid` only when
# revocation is on where it was issued; checked with `auth-token decode`), then loads with wrk
# GET /api/auth/session with that fresh cookie (the demo's `update_age = "1h"`: answered
# without re-issuing), GET /api/me with the cookie and GET /api/ping without one, on each
# instance: nine (instance, endpoint) pairs. Prints req/s, p50, p99, the demo's CPU per request
# and, for C, Redis's CPU and commands per request, then the ratios.
#
# What each read asks of the store: with revocation on, every session read checks the
# session's standing through an in-process cache at most 1 s stale (one store call per
# session per second, not per request); with a shared store, GET /api/auth/session also reads
# the user's shared update record (SU-08), one GET round trip per request. /api/me does not.
#
# Each instance is first loaded for 2 s uncounted. Then every pair is loaded ROUNDS times, the
# rounds interleaved (each round visits all nine pairs once, each round starting one pair
# further along, so no pair always runs first or last), and each pair's round with the median
# req/s is reported: load from other work on a shared machine then falls on all pairs alike.
# Ratios are those of the medians; beside them, the lowest and highest ratio within one round.
# The demo's CPU per request is its utime + stime from /proc over the requests wrk completed
# (wrk's share of the cores left out); Redis's likewise, and its commands per request from
# `INFO stats` (total_commands_processed). Last, the revocation questions C sends Redis for one
# session read by 1 and by CONNECTIONS connections at once (QUESTIONS_DURATION, 10s).
#
# Settings (environment): ROUNDS (5), DURATION (5s), THREADS (2), CONNECTIONS (64), A_PORT
# (3110), B_PORT (3111), C_PORT (3112), QUESTIONS_DURATION (10s), SKIP_BUILD=1 to reuse
# target/release/examples/demo and target/release/auth-token, DEMO=<path> (and
# AUTH_TOKEN=<path>) to load other builds (implies SKIP_BUILD=1). Loopback only; every process
# it starts is stopped on exit.
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$PWD
DURATION=${DURATION:-5s}
ROUNDS=${ROUNDS:-5}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
A_PORT=${A_PORT:-3110}
B_PORT=${B_PORT:-3111}
C_PORT=${C_PORT:-3112}
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
SUDO=; [ "$(id -u)" -ne 0 ] && SUDO=sudo
install_debian() { # package
  $SUDO apt-get install -y "$1" >/dev/null 2>&1 ||
    { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y "$1" >/dev/null; }
}
if ! command -v wrk >/dev/null; then
  say "installing wrk (Debian package)"
  install_debian wrk
fi
if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
  say "installing redis-server (Debian package)"
  install_debian redis-server
fi
for tool in curl cargo python3; do
  command -v "$tool" >/dev/null || { say "missing: $tool"; exit 1; }
done
if [ "${SKIP_BUILD:-0}" != 1 ] && [ -z "${DEMO:-}" ]; then
  say "building the demo and auth-token (release)"
  cargo build --release --example demo >&2
  cargo build --release -p auth-runtime --bin auth-token >&2
fi
DEMO=${DEMO:-"$ROOT/target/release/examples/demo"}
AUTH_TOKEN=${AUTH_TOKEN:-"$ROOT/target/release/auth-token"}

# --- helpers --------------------------------------------------------------------------------
wait_for() { # url
  for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  say "server at $1 did not come up"
  exit 1
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
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

# Whether the session token in Cookie header $1 carries a session id (`sid`).
has_sid() {
  AUTH_SECRET=$SECRET "$AUTH_TOKEN" decode "$1" |
    python3 -c 'import json, sys; sys.exit(0 if "sid" in json.load(sys.stdin) else 1)'
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # utime + stime, in clock ticks
redis_commands() {
  redis-cli -h "$HOST" -p "$REDIS_PORT" info stats | tr -d '\r' |
    awk -F: '/^total_commands_processed:/ {print $2}'
}

# wrk with --latency against instance $2 (its pid $3); appends "label rps p50_ms p99_ms non2xx
# cpu_us redis_cpu_us redis_commands_per_request | errors" to $WORK/results.
load() { # label pid url cookie
  local label=$1 pid=$2 url=$3 cookie=$4 out="$WORK/wrk-$1.txt"
  local args=(-t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency)
  [ -n "$cookie" ] && args+=(-H "Cookie: $cookie")
  say "wrk $label: $url"
  local before after redis_before redis_after commands_before commands_after
  before=$(cpu_ticks "$pid")
  redis_before=$(cpu_ticks "$REDIS_PID")
  commands_before=$(redis_commands)
  wrk "${args[@]}" "$url" >"$out"
  commands_after=$(redis_commands)
  redis_after=$(cpu_ticks "$REDIS_PID")
  after=$(cpu_ticks "$pid")
  python3 - "$label" "$out" "$((after - before))" "$((redis_after - redis_before))" \
    "$((commands_after - commands_before))" "$(getconf CLK_TCK)" >>"$WORK/results" <<'PY'
import re, sys
label, text = sys.argv[1], open(sys.argv[2]).read()
ticks, redis_ticks, commands, hz = (int(v) for v in sys.argv[3:7])
done = max(int(re.search(r"(\d+) requests in", text).group(1)), 1)
cpu_us = ticks / hz * 1e6 / done
redis_us = redis_ticks / hz * 1e6 / done
# Less the INFO command that read the count after the run.
per_request = max(commands - 1, 0) / done
def ms(value):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
p50 = ms(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1))
p99 = ms(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1))
bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
errors = re.search(r"Socket errors:.*", text)
print(label, rps, p50, p99, bad.group(1) if bad else 0, cpu_us, redis_us, per_request, "|",
      errors.group(0) if errors else "")
PY
}

# --- the machine ----------------------------------------------------------------------------
say "machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
say "load before: $(uptime)"
say "$(redis-server --version)"

# --- Redis ----------------------------------------------------------------------------------
REDIS_PORT=$(free_port)
redis-server --save "" --appendonly no --bind 127.0.0.1 --port "$REDIS_PORT" \
  --dir "$WORK" --logfile "$WORK/redis.log" >/dev/null 2>&1 &
REDIS_PID=$!
PIDS+=("$REDIS_PID")
for _ in $(seq 1 100); do
  [ "$(redis-cli -h "$HOST" -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ] && break
  sleep 0.1
done
[ "$(redis-cli -h "$HOST" -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ] ||
  { say "redis-server did not start on $HOST:$REDIS_PORT"; cat "$WORK/redis.log" >&2; exit 1; }

# --- the three instances --------------------------------------------------------------------
start() { # name port [extra environment...]
  local name=$1 port=$2
  shift 2
  env RUST_LOG=warn AUTH_SECRET=$SECRET PORT="$port" AUTH_URL="http://$HOST:$port" "$@" \
    "$DEMO" >"$WORK/demo-$name.log" 2>&1 &
  PIDS+=("$!")
  eval "${name}_PID=$!"
  wait_for "http://$HOST:$port/api/ping"
}
start A "$A_PORT" DEMO_REVOCATION=off
start B "$B_PORT"
start C "$C_PORT" AUTH_REDIS_URL="redis://$HOST:$REDIS_PORT"
A_URL="http://$HOST:$A_PORT"
B_URL="http://$HOST:$B_PORT"
C_URL="http://$HOST:$C_PORT"

A_COOKIE=$(sign_in "$A_URL" "$WORK/a.jar")
B_COOKIE=$(sign_in "$B_URL" "$WORK/b.jar")
C_COOKIE=$(sign_in "$C_URL" "$WORK/c.jar")
for name in A B C; do
  url_var=${name}_URL cookie_var=${name}_COOKIE
  curl -fsS -H "Cookie: ${!cookie_var}" "${!url_var}/api/me" >/dev/null ||
    { say "not signed in on $name"; exit 1; }
  # /session answers a fresh token without re-issuing it (update_age = 1h).
  if curl -fsS -D - -o /dev/null -H "Cookie: ${!cookie_var}" "${!url_var}/api/auth/session" |
    grep -qi '^set-cookie: authjs.session-token='; then
    say "$name re-issued a fresh token on GET /session"
    exit 1
  fi
done
has_sid "$A_COOKIE" && { say "A's token has a sid: revocation is not off there"; exit 1; }
has_sid "$B_COOKIE" || { say "B's token has no sid: revocation is not on there"; exit 1; }
has_sid "$C_COOKIE" || { say "C's token has no sid: revocation is not on there"; exit 1; }
# C must use Redis: one session read there is at least one command.
before=$(redis_commands)
curl -fsS -o /dev/null -H "Cookie: $C_COOKIE" "$C_URL/api/auth/session"
after=$(redis_commands)
[ "$((after - before))" -ge 2 ] || { say "C did not ask Redis on GET /session"; exit 1; }
before=$(redis_commands)
curl -fsS -o /dev/null -H "Cookie: $A_COOKIE" "$A_URL/api/auth/session"
curl -fsS -o /dev/null -H "Cookie: $B_COOKIE" "$B_URL/api/auth/session"
after=$(redis_commands)
[ "$((after - before))" -eq 1 ] || { say "A or B asked Redis"; exit 1; }

say "warming up (2 s per instance, not counted)"
for name in A B C; do
  url_var=${name}_URL cookie_var=${name}_COOKIE
  wrk -t"$THREADS" -c"$CONNECTIONS" -d2s -H "Cookie: ${!cookie_var}" \
    "${!url_var}/api/auth/session" >/dev/null
done

PAIRS=(
  "session_A A_PID $A_URL/api/auth/session A_COOKIE"
  "session_B B_PID $B_URL/api/auth/session B_COOKIE"
  "session_C C_PID $C_URL/api/auth/session C_COOKIE"
  "me_A A_PID $A_URL/api/me A_COOKIE"
  "me_B B_PID $B_URL/api/me B_COOKIE"
  "me_C C_PID $C_URL/api/me C_COOKIE"
  "ping_A A_PID $A_URL/api/ping -"
  "ping_B B_PID $B_URL/api/ping -"
  "ping_C C_PID $C_URL/api/ping -"
)
for round in $(seq "$ROUNDS"); do
  say "round $round of $ROUNDS"
  for i in $(seq 0 $((${#PAIRS[@]} - 1))); do
    read -r label pid_var url cookie_var <<<"${PAIRS[$(((i + round - 1) % ${#PAIRS[@]}))]}"
    cookie=
    [ "$cookie_var" != - ] && cookie=${!cookie_var}
    load "$label" "${!pid_var}" "$url" "$cookie"
  done
done

# --- revocation questions -------------------------------------------------------------------
# GET /api/me on C reads no update record, so its Redis commands are the revocation checks:
# one MGET per question to the store. With one connection, then with $CONNECTIONS reading the
# same session at once, for QUESTIONS_DURATION each: how many questions the cache lets
# through (one per session per second when every read that misses waits for one answer).
QUESTIONS_DURATION=${QUESTIONS_DURATION:-10s}
mgets() {
  redis-cli -h "$HOST" -p "$REDIS_PORT" info commandstats | tr -d '\r' |
    awk -F'[:=,]' '/^cmdstat_mget:/ {print $3}'
}
for connections in 1 "$CONNECTIONS"; do
  say "counting C's revocation questions: $connections connection(s), $QUESTIONS_DURATION"
  redis-cli -h "$HOST" -p "$REDIS_PORT" config resetstat >/dev/null
  wrk -t1 -c"$connections" -d"$QUESTIONS_DURATION" -H "Cookie: $C_COOKIE" "$C_URL/api/me" \
    >"$WORK/questions-$connections.txt"
  requests=$(grep -oE '[0-9]+ requests in' "$WORK/questions-$connections.txt" | cut -d' ' -f1)
  questions=$(mgets)
  echo "$connections ${requests:-0} ${questions:-0}" >>"$WORK/questions"
done

say "load after: $(uptime)"

# --- the table ------------------------------------------------------------------------------
python3 - "$WORK/results" "$DURATION" "$THREADS" "$CONNECTIONS" "$ROUNDS" "$WORK/questions" \
  "$QUESTIONS_DURATION" <<'PY'
import sys
rounds = {}
for line in open(sys.argv[1]):
    head, _, errors = line.partition("|")
    label, rps, p50, p99, bad, cpu, redis_cpu, commands = head.split()
    rounds.setdefault(label, []).append(
        dict(rps=float(rps), p50=float(p50), p99=float(p99), bad=int(bad),
             errors=errors.strip(), cpu=float(cpu), redis_cpu=float(redis_cpu),
             commands=float(commands))
    )
# Each pair's median round (by req/s); its latencies and CPU come from that round.
rows = {
    label: sorted(runs, key=lambda run: run["rps"])[len(runs) // 2]
    for label, runs in rounds.items()
}
duration, threads, connections, n_rounds = sys.argv[2:6]
instances = {
    "A": "A (revocation off)",
    "B": "B (revocation on, in-process)",
    "C": "C (revocation on, Redis)",
}
endpoints = {
    "session": "GET /api/auth/session",
    "me": "GET /api/me",
    "ping": "GET /api/ping (no cookie)",
}
print(
    f"\nwrk -t{threads} -c{connections} -d{duration} --latency; {n_rounds} interleaved rounds, "
    "each pair's median round\n"
)
print(
    "| instance | endpoint | req/s (median) | p50 | p99 | vs own /api/ping | demo CPU per request "
    "| Redis CPU per request | Redis commands per request | req/s, every round | non-2xx |"
)
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|")
for endpoint, endpoint_name in endpoints.items():
    for instance, instance_name in instances.items():
        label = f"{endpoint}_{instance}"
        if label not in rows:
            continue
        row = rows[label]
        ping = rows[f"ping_{instance}"]["rps"]
        every = ", ".join(f"{run['rps']:,.0f}" for run in rounds[label])
        bad = sum(run["bad"] for run in rounds[label])
        print(
            f"| {instance_name} | {endpoint_name} | {row['rps']:,.0f} | {row['p50']:.2f} ms "
            f"| {row['p99']:.2f} ms | {row['rps'] / ping:.1%} | {row['cpu']:.1f} µs "
            f"| {row['redis_cpu']:.1f} µs | {row['commands']:.3f} | {every} | {bad} |"
        )
for label, runs in rounds.items():
    for run in runs:
        if run["errors"]:
            print(f"{label}: {run['errors']}")

def ratio(top, bottom, title):
    median = rows[top]["rps"] / rows[bottom]["rps"]
    per_round = [a["rps"] / b["rps"] for a, b in zip(rounds[top], rounds[bottom])]
    print(
        f"| {title} | {median:.1%} | {min(per_round):.1%} – {max(per_round):.1%} |"
    )

print("\n| ratio (req/s) | of the medians | lowest – highest within one round |")
print("|---|---:|---:|")
ratio("session_B", "session_A", "session(B) / session(A): revocation on, in-process")
ratio("session_C", "session_A", "session(C) / session(A): revocation on, Redis")
ratio("session_C", "session_B", "session(C) / session(B): Redis against in-process")
ratio("me_B", "me_A", "me(B) / me(A)")
ratio("me_C", "me_A", "me(C) / me(A)")
ratio("ping_B", "ping_A", "ping(B) / ping(A) (same work: the noise)")
ratio("ping_C", "ping_A", "ping(C) / ping(A) (same work: the noise)")
for instance in instances:
    ratio(f"session_{instance}", f"ping_{instance}", f"session({instance}) / ping({instance})")
for instance in instances:
    ratio(f"me_{instance}", f"ping_{instance}", f"me({instance}) / ping({instance})")

print(
    f"\nRevocation questions to Redis (MGETs) on C, GET /api/me with one session, "
    f"wrk -t1 for {sys.argv[7]}\n"
)
print("| connections | requests | questions to the store | questions per 1,000 requests |")
print("|---:|---:|---:|---:|")
for line in open(sys.argv[6]):
    connections, requests, questions = (int(v) for v in line.split())
    print(
        f"| {connections} | {requests:,} | {questions:,} "
        f"| {questions / max(requests, 1) * 1000:.3f} |"
    )
PY
