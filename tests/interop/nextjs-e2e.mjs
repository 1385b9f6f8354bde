// One session shared by the Next.js app (examples/nextjs, next-auth v5) and the Poem demo, in
// headless Debian chromium driven by playwright-core. Both are served on 127.0.0.1 (different
// ports): cookies are per host, not per port, so the browser sends the same
// `authjs.session-token` to both. Used by tests/nextjs_app.rs.
//
//   node interop/nextjs-e2e.mjs <Next.js origin> <Poem origin> <screenshot dir>
//
// Signs in on the Next.js app and reads the Poem service's GET /api/me with the same cookie;
// switches tenant with next-auth's client update() and sees it on the Poem side; signs out and
// in on the Poem service and sees that session in the Next.js server component; switches tenant
// on the Poem side and sees it in Next.js, then back in Next.js on the Poem-issued token; signs
// out in Next.js; is refused for eve@outside.test (the allowlist) in Next.js; signs in another
// user in Next.js, whom the Poem service sees. Saves a PNG of every step and prints one JSON object of what each step showed
// (the Rust test asserts on it); exits non-zero, with the reason on stderr, when a step fails.
// The browser is closed and its profile removed in every case.

import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

const [nextOrigin, poemOrigin, shots] = process.argv.slice(2);
assert.ok(nextOrigin && poemOrigin && shots, "usage: nextjs-e2e.mjs <next origin> <poem origin> <screenshot dir>");
// Only ever servers on this machine, on one host (the cookie's), on two ports.
for (const origin of [nextOrigin, poemOrigin]) {
  assert.match(new URL(origin).hostname, /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/);
}
assert.equal(new URL(nextOrigin).hostname, new URL(poemOrigin).hostname, "one host for both");

/** Each action waits at most this long for its element or navigation. */
const STEP_TIMEOUT_MS = 20_000;
const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const ADMIN = { email: "admin@example.com", password: "correct-horse-admin" };
const VIEWER = { email: "viewer@example.com", password: "correct-horse-viewer" };
const EVE = { email: "eve@outside.test", password: "correct-horse-eve" };

const steps = [];
const requests = [];
let page;
let context;

const text = async (selector) =>
  (await page.locator(selector).count()) > 0
    ? (await page.locator(selector).first().textContent()).trim()
    : null;

/** What the page shows now, by page kind, and the session cookies the browser holds. */
async function shows() {
  const url = new URL(page.url());
  const cookies = (await context.cookies(nextOrigin))
    .map((c) => c.name)
    .filter((name) => name.startsWith("authjs.session-token"));
  if (url.origin === nextOrigin) {
    const view = async (prefix) => ({
      status: await text(`#${prefix}-status`),
      name: await text(`#${prefix}-name`),
      email: await text(`#${prefix}-email`),
      id: await text(`#${prefix}-id`),
      role: await text(`#${prefix}-role`),
      permissions: await text(`#${prefix}-permissions`),
      tenant: await text(`#${prefix}-tenant`),
    });
    return { next: await view("next"), poem: await view("poem"), sessionCookies: cookies };
  }
  return {
    status: await text("#status"),
    role: await text("#role"),
    tenant: await text("#tenant"),
    sessionCookies: cookies,
  };
}

/** Records what the page shows now and saves `NN-name.png`. */
async function step(name, extra = {}) {
  const file = `${String(steps.length + 1).padStart(2, "0")}-${name}.png`;
  await page.screenshot({ path: path.join(shots, file), fullPage: true });
  const url = new URL(page.url());
  steps.push({ name, file, origin: url.origin, path: url.pathname, ...(await shows()), ...extra });
}

/** GET /api/me on the Poem service, in the browser (its cookies, its navigation). */
async function poemApiMe(name) {
  const response = await page.goto(`${poemOrigin}/api/me`);
  const status = response.status();
  const body = status === 200 ? await response.json() : await response.text();
  await step(name, { httpStatus: status, body });
}

/** Waits until the element `selector` reads `want`. */
async function reads(selector, want) {
  await page.waitForFunction(
    ([selector, want]) => document.querySelector(selector)?.textContent.trim() === want,
    [selector, want],
    { timeout: STEP_TIMEOUT_MS },
  );
}

/** On the Next.js page: a tenant button, once React has hydrated the switcher. */
async function nextSwitchTenant(tenant) {
  await page.locator('#tenant-switcher[data-ready="yes"]').waitFor();
  await page.locator(`#tenant-switcher button[data-tenant="${tenant}"]`).click();
  await reads("#next-tenant", tenant);
  await reads("#poem-tenant", tenant);
}

// launch() refuses a --user-data-dir flag; a persistent context on a fresh, empty directory is
// the same thing, and the directory is removed at the end.
const profile = await mkdtemp(path.join(tmpdir(), "nextjs-e2e-profile-"));
const close = async () => {
  await context?.close().catch(() => {});
  context = undefined;
  await rm(profile, { recursive: true, force: true });
};
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => close().finally(() => process.exit(1)));
}

try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 900, height: 900 },
    timeout: 60_000,
  });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
  // Anything but the two origins is refused before it leaves the browser.
  await context.route(
    (url) => url.origin !== nextOrigin && url.origin !== poemOrigin,
    (route) => route.abort("blockedbyclient"),
  );
  page = context.pages()[0] ?? (await context.newPage());
  page.on("response", (response) => {
    const url = new URL(response.url());
    if (url.pathname.startsWith("/_next/static/")) return;
    requests.push({
      method: response.request().method(),
      origin: url.origin === nextOrigin ? "next" : "poem",
      path: url.pathname,
      status: response.status(),
    });
  });
  const consoleErrors = [];
  page.on("pageerror", (error) => consoleErrors.push(String(error)));

  // 1. Sign in on the Next.js app; the Poem service reads the same cookie.
  await page.goto(`${nextOrigin}/`);
  await step("next-signed-out");
  await page.locator("#email").fill(ADMIN.email);
  await page.locator("#password").fill(ADMIN.password);
  await page.locator("#sign-in").click();
  await reads("#next-status", "Signed in");
  await step("next-signed-in");
  await poemApiMe("poem-api-me");

  // 2. A tenant switch in Next.js (next-auth's client update()) is seen by the Poem service.
  await page.goto(`${nextOrigin}/`);
  await nextSwitchTenant("globex");
  await step("next-switched-globex", { switchResult: await text("#switch-result") });
  await poemApiMe("poem-api-me-globex");
  await page.goto(`${poemOrigin}/`);
  await page.locator("#tenant").waitFor();
  await step("poem-home-globex");

  // 3. Sign out on the Poem service; Next.js sees it.
  await page.getByRole("link", { name: "Sign out" }).click();
  await page.waitForURL((url) => url.pathname === "/api/auth/signout");
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL((url) => url.origin === poemOrigin && url.pathname === "/");
  await page.locator("#sign-in").waitFor();
  await step("poem-signed-out");
  await page.goto(`${nextOrigin}/`);
  await step("next-after-poem-sign-out");

  // 4. Sign in on the Poem service's built-in page; a Next.js server component shows it.
  await page.goto(`${poemOrigin}/`);
  await page.getByRole("link", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname === "/api/auth/signin");
  await page.locator('input[name="email"]').fill(ADMIN.email);
  await page.locator('input[name="password"]').fill(ADMIN.password);
  await page.getByRole("button", { name: /^Sign in/ }).click();
  await page.waitForURL((url) => url.origin === poemOrigin && url.pathname === "/");
  await page.locator("#role").waitFor();
  await step("poem-signed-in");
  await page.goto(`${nextOrigin}/`);
  await step("next-sees-poem-session");

  // 5. A tenant switch on the Poem service is seen by Next.js; and one in Next.js on the
  //    Poem-issued token is seen back by the Poem service.
  await page.goto(`${poemOrigin}/`);
  await page.getByRole("button", { name: "globex", exact: true }).click();
  await reads("#tenant", "globex");
  await step("poem-switched-globex");
  await page.goto(`${nextOrigin}/`);
  await step("next-sees-poem-switch");
  await nextSwitchTenant("acme");
  await step("next-switched-acme", { switchResult: await text("#switch-result") });
  await poemApiMe("poem-api-me-acme");

  // 6. Sign out in Next.js; the Poem service sees it.
  await page.goto(`${nextOrigin}/`);
  await page.locator("#sign-out").click();
  await reads("#next-status", "Signed out");
  await step("next-signed-out-again");
  await poemApiMe("poem-api-me-signed-out");

  // 7. The allowlist in Next.js, as in the Poem service: eve@outside.test is refused; then
  //    another user, signed in in Next.js, is that user on the Poem side too.
  await page.goto(`${nextOrigin}/`);
  await page.locator("#email").fill(EVE.email);
  await page.locator("#password").fill(EVE.password);
  await page.locator("#sign-in").click();
  await page.locator("#error").waitFor();
  await step("next-eve-refused", { error: await text("#error") });
  await page.locator("#email").fill(VIEWER.email);
  await page.locator("#password").fill(VIEWER.password);
  await page.locator("#sign-in").click();
  await reads("#next-status", "Signed in");
  await step("next-viewer-signed-in");
  await poemApiMe("poem-api-me-viewer");

  process.stdout.write(`${JSON.stringify({ steps, requests, consoleErrors })}\n`);
} catch (error) {
  // The page as it was when the step failed, for whoever reads the failure.
  if (page) {
    await page
      .screenshot({ path: path.join(shots, "failure.png"), fullPage: true })
      .catch(() => {});
  }
  process.stderr.write(
    `${error?.stack ?? error}\nsteps so far: ${JSON.stringify(steps)}\nrequests: ${JSON.stringify(requests)}\n`,
  );
  process.exitCode = 1;
} finally {
  await close();
}
