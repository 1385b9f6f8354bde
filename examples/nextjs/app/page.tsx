// The home page, a server component: the session as next-auth reads it here (`auth()`), and as
// the Poem service reads it from the same cookie (`GET /api/me`), side by side. Signed out: a
// credentials sign-in form (a server action). Signed in: the tenant switcher and sign-out.
import { AuthError, type Session } from "next-auth";
import { SessionProvider } from "next-auth/react";
import { redirect } from "next/navigation";
import { auth, signIn, signOut, tenantsOf } from "../auth";
import { poemOrigin, poemSession } from "./poem";
import { TenantSwitcher } from "./tenant-switcher";

export const dynamic = "force-dynamic";

async function signInWithPassword(form: FormData) {
  "use server";
  try {
    await signIn("credentials", {
      email: form.get("email"),
      password: form.get("password"),
      redirectTo: "/",
    });
  } catch (error) {
    // A refused sign-in is an AuthError; anything else (the redirect itself) goes on.
    if (error instanceof AuthError) redirect(`/?error=${encodeURIComponent(error.type)}`);
    throw error;
  }
}

async function signOutHere() {
  "use server";
  await signOut({ redirectTo: "/" });
}

function SessionView({ prefix, session }: { prefix: string; session: Session }) {
  const { user } = session;
  return (
    <dl>
      <dt>Name</dt>
      <dd id={`${prefix}-name`}>{user.name}</dd>
      <dt>Email</dt>
      <dd id={`${prefix}-email`}>{user.email}</dd>
      <dt>Id</dt>
      <dd id={`${prefix}-id`}>{user.id}</dd>
      <dt>Role</dt>
      <dd id={`${prefix}-role`}>{user.role}</dd>
      <dt>Permissions</dt>
      <dd id={`${prefix}-permissions`}>{user.permissions.join(", ")}</dd>
      <dt>Tenant</dt>
      <dd id={`${prefix}-tenant`}>{user.tenantId ?? "none"}</dd>
    </dl>
  );
}

export default async function Home({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { error } = await searchParams;
  const [session, poem] = await Promise.all([auth(), poemSession()]);
  return (
    <main>
      <h1>Next.js + Poem: one session</h1>
      <h2>next-auth in Next.js</h2>
      {session ? (
        <>
          <p id="next-status">Signed in</p>
          <SessionView prefix="next" session={session} />
          <SessionProvider session={session}>
            <TenantSwitcher tenants={tenantsOf(session.user.id)} />
          </SessionProvider>
          <form action={signOutHere}>
            <button type="submit" id="sign-out">Sign out</button>
          </form>
        </>
      ) : (
        <>
          <p id="next-status">Signed out</p>
          {error ? <p id="error">Sign-in failed: {error}</p> : null}
          <form action={signInWithPassword}>
            <label>
              Email <input id="email" name="email" type="email" autoComplete="username" required />
            </label>{" "}
            <label>
              Password <input id="password" name="password" type="password" autoComplete="current-password" required />
            </label>{" "}
            <button type="submit" id="sign-in">Sign in</button>
          </form>
        </>
      )}
      <h2>
        The Poem service (<code>{poemOrigin()}/api/me</code>, same cookie)
      </h2>
      {poem.kind === "signed-in" ? (
        <>
          <p id="poem-status">Signed in</p>
          <SessionView prefix="poem" session={poem.session} />
        </>
      ) : poem.kind === "signed-out" ? (
        <p id="poem-status">Signed out ({poem.status})</p>
      ) : (
        <p id="poem-status">Unreachable: {poem.error}</p>
      )}
    </main>
  );
}
