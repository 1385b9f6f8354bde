// The real `next-auth/react` client (next-auth v5) run unchanged under Node against the demo
// server, as a Next.js page would call it (and, for `signIn("oidc")`, a person at the
// OpenID Provider). Used by tests/nextauth_client.rs.
//
//   NEXTAUTH_URL=http://127.0.0.1:<port>/api/auth node interop/nextauth-client.mjs <scenario>
//
// Prints one JSON object of what the client answered (the Rust test asserts on it) and exits
// non-zero, with the reason on stderr, when something throws.
//
// Outside Next.js the client finds the server the way it does in server-side code: with no
// `window`, `apiBaseUrl()` is `NEXTAUTH_URL_INTERNAL ?? NEXTAUTH_URL` (origin and path), read
// from the environment when `next-auth/react` loads. No `window` or `document` stub is needed;
// `signIn` is given a `callbackUrl`, which it would otherwise take from `window.location.href`.

import assert from "node:assert/strict";
import makeFetchCookie from "fetch-cookie";
import React from "react";
import ReactDOMServer from "react-dom/server";
import { CookieJar } from "tough-cookie";

const base = process.env.NEXTAUTH_URL;
assert.ok(base, "NEXTAUTH_URL must name the server's auth base URL");
const origin = new URL(base).origin;
// Only ever a server on this machine.
assert.match(new URL(base).hostname, /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/);

// A browser's cookie jar around the platform fetch, which the client calls as the global
// `fetch`; every request and its status are kept so that refused updates can be seen (the
// client's `update()` answers only `null` for them).
const jar = new CookieJar();
const cookieFetch = makeFetchCookie(globalThis.fetch, jar, false);
const requests = [];
globalThis.fetch = async (input, init) => {
  const response = await cookieFetch(input, init);
  requests.push({
    method: (init?.method ?? "GET").toUpperCase(),
    path: new URL(String(input)).pathname,
    status: response.status,
  });
  return response;
};
const lastStatus = (method, path) =>
  requests.findLast((r) => r.method === method && r.path === path)?.status ?? null;

// The client's log of failed fetches goes to stderr, apart from the JSON on stdout.
console.error = (...args) => process.stderr.write(`[next-auth] ${args.map(String).join(" ")}\n`);

const client = await import("next-auth/react");
const { getCsrfToken, getProviders, getSession, signIn, SessionProvider, useSession } = client;

/**
 * The client's own `update()` from `useSession()`. It lives in the hook's context value, so a
 * `<SessionProvider session={…}>` is rendered once with react-dom/server and the function is
 * taken from a child that calls `useSession()`. Given an initial session the provider is not
 * loading, so `update(data)` does exactly what it does in a browser: `getCsrfToken()` then
 * `POST <base>/session` with `{csrfToken, data}` through the client's `fetchData`, answering
 * the new session or `null`. (Its state setters are no-ops after a server render, which only
 * matters to React's re-rendering.)
 */
function clientUpdate(session) {
  let update;
  function Capture() {
    update = useSession().update;
    return null;
  }
  ReactDOMServer.renderToString(
    React.createElement(
      SessionProvider,
      { session, refetchOnWindowFocus: false },
      React.createElement(Capture),
    ),
  );
  assert.equal(typeof update, "function", "useSession() gives update()");
  return update;
}

const sessionPath = new URL(`${base}/session`).pathname;

// What `update(data)` gave: its answer, or what it threw, and the status of its POST.
// A refusal answered with the body `null` (as Auth.js answers a bad CSRF token) makes the
// client's `fetchData` throw a TypeError from its own catch block (`null.message`) instead of
// answering `null`; a JSON object body makes it log and answer `null`. Either is recorded.
async function update(session, data) {
  let answer = null;
  let threw = null;
  try {
    answer = await clientUpdate(session)(data);
  } catch (error) {
    threw = `${error?.name}: ${error?.message}`;
  }
  return { answer, threw, status: lastStatus("POST", sessionPath) };
}

const credentials = (email, password) => ({
  email,
  password,
  redirect: false,
  callbackUrl: `${origin}/`,
});

/**
 * A person at the provider (`tests/interop/oidc-provider.mjs`): follows its redirects and
 * completes its development login (as `alice`) and consent pages, until it redirects to
 * `stop` (our callback). Answers that URL.
 */
async function throughProvider(start, stop) {
  let next = start;
  for (let i = 0; i < 12; i++) {
    if (next.startsWith(stop)) return next;
    const response = await fetch(next, { redirect: "manual" });
    if (response.status >= 300 && response.status < 400) {
      next = new URL(response.headers.get("location"), next).href;
      continue;
    }
    const html = await response.text();
    const action = html.match(/action="([^"]+)"/)?.[1];
    const prompt = html.match(/name="prompt" value="([^"]+)"/)?.[1];
    assert.ok(action && prompt, `an interaction page at ${next}: ${html.slice(0, 300)}`);
    const fields =
      prompt === "login" ? { prompt, login: "alice", password: "any" } : { prompt };
    const posted = await fetch(new URL(action, next), {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields),
    });
    next = new URL(posted.headers.get("location"), next).href;
  }
  throw new Error("the provider never redirected back");
}

const scenarios = {
  // Providers, CSRF token, a good sign-in and the session it makes.
  async "sign-in"() {
    const providers = await getProviders();
    const csrfToken = await getCsrfToken();
    const before = await getSession();
    const signInResult = await signIn(
      "credentials",
      credentials("admin@example.com", "correct-horse-admin"),
    );
    const session = await getSession();
    return { providers, csrfToken, before, signIn: signInResult, session };
  },

  // signIn("oidc") as a page calls it with `redirect: false`: the client answers the
  // provider's authorization URL (the check cookies now in the jar); a person then signs in
  // at the provider and is sent back to our callback, which signs them in.
  async "sign-in-oidc"() {
    const providers = await getProviders();
    const before = await getSession();
    const signInResult = await signIn("oidc", { redirect: false, callbackUrl: `${origin}/dashboard` });
    const callback = await throughProvider(signInResult.url, `${base}/callback/oidc`);
    const landed = await fetch(callback, { redirect: "manual" });
    const session = await getSession();
    return {
      providers,
      before,
      signIn: signInResult,
      callback: { status: landed.status, location: landed.headers.get("location") },
      session,
    };
  },

  // A wrong password, then a user the sign_in callback refuses; neither signs in.
  async "sign-in-refused"() {
    const wrongPassword = await signIn(
      "credentials",
      credentials("admin@example.com", "not-the-password"),
    );
    const afterWrongPassword = await getSession();
    const outsider = await signIn("credentials", credentials("eve@outside.test", "correct-horse-eve"));
    const afterOutsider = await getSession();
    return { wrongPassword, afterWrongPassword, outsider, afterOutsider };
  },

  // The admin switches to a tenant of theirs, then tries one that is not.
  async "update-tenant"() {
    const signInResult = await signIn(
      "credentials",
      credentials("admin@example.com", "correct-horse-admin"),
    );
    const initial = await getSession();
    const toGlobex = await update(initial, { tenantId: "globex" });
    const afterGlobex = await getSession();
    const toInitech = await update(afterGlobex, { tenantId: "initech" });
    const afterInitech = await getSession();
    return { signIn: signInResult, initial, toGlobex, afterGlobex, toInitech, afterInitech };
  },

  // A viewer tries to make themselves admin through update().
  async "update-role"() {
    const signInResult = await signIn(
      "credentials",
      credentials("viewer@example.com", "correct-horse-viewer"),
    );
    const initial = await getSession();
    const toAdmin = await update(initial, { role: "admin" });
    const after = await getSession();
    return { signIn: signInResult, initial, toAdmin, after };
  },
};

const name = process.argv[2];
assert.ok(name in scenarios, `unknown scenario ${name}; one of ${Object.keys(scenarios)}`);
const result = await scenarios[name]();
result.requests = requests;
// getSession() opens a BroadcastChannel per call and never closes it: exit once the JSON is
// out instead of waiting for them.
process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
