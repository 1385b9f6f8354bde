// Reads the session as the Poem service sees it: its `GET /api/me`, called from the server with
// the browser's session cookie forwarded. The browser only ever talks to this app's origin for
// pages; no CORS, and the session cookie stays HttpOnly.
import { cookies } from "next/headers";
import type { Session } from "next-auth";

/** Where the Poem service is, e.g. `http://127.0.0.1:3000` (same host, another port). */
export function poemOrigin(): string {
  return process.env.POEM_ORIGIN ?? "http://127.0.0.1:3000";
}

export type PoemView =
  | { kind: "signed-in"; session: Session }
  | { kind: "signed-out"; status: number }
  | { kind: "unreachable"; error: string };

export async function poemSession(): Promise<PoemView> {
  // Only the session cookie (whole or in chunks) is forwarded, not the rest of the jar.
  const sessionCookies = (await cookies())
    .getAll()
    .filter(({ name }) => name === "authjs.session-token" || name.startsWith("authjs.session-token."))
    .map(({ name, value }) => `${name}=${value}`)
    .join("; ");
  try {
    const response = await fetch(`${poemOrigin()}/api/me`, {
      headers: sessionCookies ? { cookie: sessionCookies } : {},
      cache: "no-store",
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) return { kind: "signed-out", status: response.status };
    return { kind: "signed-in", session: (await response.json()) as Session };
  } catch (error) {
    return { kind: "unreachable", error: String(error) };
  }
}
