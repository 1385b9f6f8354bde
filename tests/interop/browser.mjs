// Headless Debian chromium, driven by playwright-core, through the demo as a person would use
// it: home page, sign-in page, the credentials form, the tenant switcher, sign-out and its
// confirmation page; or, given a provider's origin, the sign-in page's OpenID Connect button,
// the provider's login (as `alice`) and consent pages, and back signed in. Used by
// tests/browser.rs.
//
//   node interop/browser.mjs <origin> <screenshot dir> [<OpenID Provider origin>]
//
// Saves a PNG of every step in the screenshot directory and prints one JSON object of what
// each step showed (the Rust test asserts on it); exits non-zero, with the reason on stderr,
// when a step fails. The browser is closed and its profile removed in every case.

import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

const [origin, shots, provider] = process.argv.slice(2);
assert.ok(origin && shots, "usage: browser.mjs <origin> <screenshot dir> [<provider origin>]");
// Only ever servers on this machine.
for (const server of [origin, provider].filter(Boolean)) {
  assert.match(new URL(server).hostname, /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/);
}
const allowedOrigins = new Set([origin, provider].filter(Boolean));

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

const steps = [];
const requests = [];
let page;

/** Records what the page shows now and saves `NN-name.png`. */
async function step(name, extra = {}) {
  const file = `${String(steps.length + 1).padStart(2, "0")}-${name}.png`;
  await page.screenshot({ path: path.join(shots, file), fullPage: true });
  const text = async (selector) =>
    (await page.locator(selector).count()) > 0
      ? (await page.locator(selector).first().textContent()).trim()
      : null;
  steps.push({
    name,
    file,
    path: new URL(page.url()).pathname,
    title: await page.title(),
    status: await text("#status"),
    role: await text("#role"),
    tenant: await text("#tenant"),
    ...extra,
  });
}

/** Waits until `#tenant` reads `tenant`. */
async function tenantShows(tenant) {
  await page.waitForFunction(
    (want) => document.querySelector("#tenant")?.textContent.trim() === want,
    tenant,
    { timeout: STEP_TIMEOUT_MS },
  );
}

// launch() refuses a --user-data-dir flag; a persistent context on a fresh, empty directory is
// the same thing, and the directory is removed at the end.
const profile = await mkdtemp(path.join(tmpdir(), "browser-test-profile-"));
let context;
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
    viewport: { width: 900, height: 700 },
    timeout: 60_000,
  });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
  // Anything but the demo's (and the provider's) origin is refused before it leaves the
  // browser.
  await context.route(
    (url) => !allowedOrigins.has(url.origin),
    (route) => route.abort("blockedbyclient"),
  );
  page = context.pages()[0] ?? (await context.newPage());
  page.on("response", (response) => {
    const url = new URL(response.url());
    requests.push({
      method: response.request().method(),
      path: url.pathname,
      status: response.status(),
    });
  });
  const consoleErrors = [];
  page.on("pageerror", (error) => consoleErrors.push(String(error)));

  if (provider) {
    await oidcSignIn();
  } else {
    await credentialsSession();
  }

  const cookies = (await context.cookies(origin)).map((c) => c.name);
  process.stdout.write(`${JSON.stringify({ steps, requests, cookies, consoleErrors })}\n`);
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

/** The credentials sign-in, a tenant switch, and the sign-out. */
async function credentialsSession() {
  await page.goto(`${origin}/`);
  await step("home");

  await page.getByRole("link", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname === "/api/auth/signin");
  await step("signin");

  await page.locator('input[name="email"]').fill("admin@example.com");
  await page.locator('input[name="password"]').fill("correct-horse-admin");
  await step("signin-filled");
  await page.getByRole("button", { name: /^Sign in/ }).click();
  await page.waitForURL((url) => url.pathname === "/");
  await page.locator("#role").waitFor();
  await step("signed-in");

  await page.getByRole("button", { name: "globex", exact: true }).click();
  await tenantShows("globex");
  await step("tenant-globex");

  await page.getByRole("link", { name: "Sign out" }).click();
  await page.waitForURL((url) => url.pathname === "/api/auth/signout");
  await step("signout", {
    heading: (await page.locator("h1").first().textContent()).trim(),
  });

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL((url) => url.pathname === "/");
  await page.locator("#sign-in").waitFor();
  await step("signed-out");
}

/** The sign-in page's OpenID Connect button, the provider's pages, back signed in. */
async function oidcSignIn() {
  await page.goto(`${origin}/`);
  await step("home");

  await page.getByRole("link", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname === "/api/auth/signin");
  await step("signin");

  // The form posts to /api/auth/signin/oidc, which redirects to the provider: the page's
  // form-action must allow the provider's origin for chromium to follow.
  await page.getByRole("button", { name: "Sign in with OpenID Connect" }).click();
  await page.waitForURL((url) => url.origin === provider);
  await page.locator('input[name="login"]').waitFor();
  await step("provider-login");

  await page.locator('input[name="login"]').fill("alice");
  await page.locator('input[name="password"]').fill("any password");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).waitFor();
  await step("provider-consent");

  await page.getByRole("button", { name: "Continue" }).click();
  await page.waitForURL((url) => url.origin === origin && url.pathname === "/");
  await page.locator("#role").waitFor();
  const session = await page.evaluate(() =>
    fetch("/api/auth/session").then((response) => response.json()),
  );
  await step("signed-in-oidc", { session });
}
