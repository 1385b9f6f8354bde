// next-auth v5 for this app, equivalent to the Poem demo's `#[auth_config]` (examples/demo/app.rs)
// and to tests/bench/authjs-server.mjs: the same three users and passwords, the same claims
// (id, role, permissions derived from the role, tenantId), the example.com sign-in allowlist, a
// 7-day JWT session under /api/auth, and an update() that may switch tenantId only to a tenant
// the user belongs to. With the same AUTH_SECRET and the http cookie names (this app is served
// over http on 127.0.0.1, so no `__Secure-` prefix), the session cookie `authjs.session-token`
// opens on both sides. The claim types come from the generated examples/demo/next-auth.d.ts.
import { randomBytes, scryptSync, timingSafeEqual } from "node:crypto";
import NextAuth from "next-auth";
import Credentials from "next-auth/providers/credentials";
import type { JWT } from "next-auth/jwt";
import type { Permission, Role, TenantId } from "../demo/next-auth";

const PERMISSIONS: Record<Role, Permission[]> = {
  admin: ["read", "write", "delete", "admin"],
  editor: ["read", "write"],
  viewer: ["read"],
};

// Hashed once at start-up (scrypt: node has no argon2 built in), as the bench peer does.
const salt = randomBytes(16);
const hash = (password: string) => scryptSync(password, salt, 32);
const USERS = (
  [
    ["u-admin", "Ada Admin", "admin@example.com", "correct-horse-admin", "admin", ["acme", "globex"]],
    ["u-viewer", "Vic Viewer", "viewer@example.com", "correct-horse-viewer", "viewer", ["acme"]],
    ["u-eve", "Eve Outsider", "eve@outside.test", "correct-horse-eve", "viewer", ["acme"]],
  ] as const
).map(([id, name, email, password, role, tenants]) => ({
  id,
  name,
  email,
  role: role as Role,
  tenants: tenants as readonly TenantId[],
  password: hash(password),
}));

const ALLOWED_DOMAINS = ["example.com"];

/** The tenants a user belongs to, for the tenant switcher. */
export function tenantsOf(id: string | undefined): readonly TenantId[] {
  return USERS.find((user) => user.id === id)?.tenants ?? [];
}

/** The demo's update rule: `data` is exactly `{ tenantId }`, naming a tenant of the user. */
function allowedTenantSwitch(token: JWT, data: unknown): TenantId | null {
  if (data === null || typeof data !== "object" || Array.isArray(data)) return null;
  const keys = Object.keys(data);
  const tenantId: unknown = (data as { tenantId?: unknown }).tenantId;
  if (keys.length !== 1 || keys[0] !== "tenantId" || typeof tenantId !== "string") return null;
  const user = USERS.find((candidate) => candidate.id === token.id);
  return user?.tenants.includes(tenantId) ? tenantId : null;
}

export const { handlers, auth, signIn, signOut } = NextAuth({
  // AUTH_SECRET is read from the environment: the Poem service's secret.
  // Served on loopback behind no proxy here; behind one, set AUTH_URL instead of trusting Host.
  trustHost: true,
  basePath: "/api/auth",
  session: { strategy: "jwt", maxAge: 7 * 24 * 60 * 60 },
  providers: [
    Credentials({
      id: "credentials",
      name: "Email and password",
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials) {
        const email = String(credentials?.email ?? "").trim().toLowerCase();
        const user = USERS.find((candidate) => candidate.email === email);
        const given = hash(String(credentials?.password ?? ""));
        if (!user || !timingSafeEqual(given, user.password)) return null;
        return {
          id: user.id,
          name: user.name,
          email: user.email,
          role: user.role,
          permissions: PERMISSIONS[user.role],
          tenantId: user.tenants[0],
        };
      },
    }),
  ],
  callbacks: {
    async signIn({ user }) {
      const domain = user.email?.split("@").pop() ?? "";
      return ALLOWED_DOMAINS.includes(domain);
    },
    async jwt({ token, user, trigger, session }) {
      if (user) {
        token.id = user.id ?? token.sub ?? "";
        token.role = user.role;
        token.permissions = PERMISSIONS[user.role];
        token.tenantId = user.tenantId;
      }
      if (trigger === "update") {
        const tenantId = allowedTenantSwitch(token, session);
        if (tenantId !== null) {
          token.tenantId = tenantId;
          token.permissions = PERMISSIONS[token.role];
        }
      }
      return token;
    },
    async session({ session, token }) {
      session.user = {
        ...session.user,
        id: token.id,
        role: token.role,
        permissions: token.permissions,
        tenantId: token.tenantId,
      };
      return session;
    },
  },
});
