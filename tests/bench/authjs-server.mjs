// The benchmark peer: the real @auth/core (pinned in tests/package.json and its lockfile)
// serving the demo's configuration behind node:http, so that `tests/bench/load.sh` loads it
// exactly as it loads our demo.
//
// Same as examples/demo/app.rs: a credentials provider with the same three users and
// passwords, claims id / role / permissions (derived from the role) / tenantId set by the jwt
// callback at sign-in and exposed by the session callback, the example.com sign-in allowlist,
// a 7-day JWT session, routes under /api/auth, and GET /api/ping answering "pong". The client's
// update() (POST /api/auth/session) may change tenantId only, and only to a tenant the user
// belongs to, as the demo's `tenants::may_switch`; Auth.js has no way to refuse an update, so
// any other update is ignored (the jwt callback keeps the token as it was) and answered with the
// unchanged session, where the demo answers 400 or 403 `null`.
//
// Usage: AUTH_SECRET=... PORT=3101 node tests/bench/authjs-server.mjs (listens on 127.0.0.1;
// PORT=0 picks a free port). Once listening it prints
// `authjs-server: @auth/core listening on http://127.0.0.1:<port>` on stderr.
import http from "node:http"
import { scryptSync, timingSafeEqual, randomBytes } from "node:crypto"
import { Auth } from "@auth/core"
import Credentials from "@auth/core/providers/credentials"

const port = Number(process.env.PORT ?? 3101)
const secret = process.env.AUTH_SECRET
if (!secret) {
  console.error("authjs-server: AUTH_SECRET is required")
  process.exit(2)
}
// Set once listening: with PORT=0 the port is known only then.
let origin = `http://127.0.0.1:${port}`

const PERMISSIONS = {
  admin: ["read", "write", "delete", "admin"],
  editor: ["read", "write"],
  viewer: ["read"],
}

// Passwords are hashed once at start-up (scrypt: node has no argon2 built in; sign-in cost is
// not what is measured).
const salt = randomBytes(16)
const hash = (password) => scryptSync(password, salt, 32)
const USERS = [
  ["u-admin", "Ada Admin", "admin@example.com", "correct-horse-admin", "admin", ["acme", "globex"]],
  ["u-viewer", "Vic Viewer", "viewer@example.com", "correct-horse-viewer", "viewer", ["acme"]],
  ["u-eve", "Eve Outsider", "eve@outside.test", "correct-horse-eve", "viewer", ["acme"]],
].map(([id, name, email, password, role, tenants]) => ({
  id, name, email, role, tenants, password: hash(password),
}))

const ALLOWED_DOMAINS = ["example.com"]

// The demo's update rule: `data` is exactly `{ tenantId }`, naming a tenant of the user.
function allowedTenantSwitch(token, data) {
  if (data === null || typeof data !== "object" || Array.isArray(data)) return null
  const keys = Object.keys(data)
  if (keys.length !== 1 || keys[0] !== "tenantId" || typeof data.tenantId !== "string") return null
  const user = USERS.find((candidate) => candidate.id === token.id)
  return user?.tenants.includes(data.tenantId) ? data.tenantId : null
}

/** @type {import("@auth/core").AuthConfig} */
const config = {
  secret,
  trustHost: true,
  basePath: "/api/auth",
  session: { strategy: "jwt", maxAge: 7 * 24 * 60 * 60 },
  logger: { error() {}, warn() {}, debug() {} },
  providers: [
    Credentials({
      id: "credentials",
      name: "Email and password",
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials) {
        const email = String(credentials?.email ?? "").trim().toLowerCase()
        const user = USERS.find((candidate) => candidate.email === email)
        const given = hash(String(credentials?.password ?? ""))
        if (!user || !timingSafeEqual(given, user.password)) return null
        return { id: user.id, name: user.name, email: user.email, role: user.role, tenantId: user.tenants[0] ?? null }
      },
    }),
  ],
  callbacks: {
    async signIn({ user }) {
      const domain = user?.email?.split("@").pop()
      return ALLOWED_DOMAINS.includes(domain)
    },
    async jwt({ token, user, trigger, session }) {
      if (user) {
        token.id = user.id
        token.role = user.role
        token.permissions = PERMISSIONS[user.role] ?? []
        token.tenantId = user.tenantId
      }
      if (trigger === "update") {
        const tenantId = allowedTenantSwitch(token, session)
        if (tenantId !== null) {
          token.tenantId = tenantId
          token.permissions = PERMISSIONS[token.role] ?? []
        }
      }
      return token
    },
    async session({ session, token }) {
      session.user = {
        ...session.user,
        id: token.id,
        role: token.role,
        permissions: token.permissions,
        tenantId: token.tenantId,
      }
      return session
    },
  },
}

async function readBody(req) {
  const chunks = []
  for await (const chunk of req) chunks.push(chunk)
  return Buffer.concat(chunks)
}

const server = http.createServer(async (req, res) => {
  try {
    if (req.url === "/api/ping") {
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8" })
      res.end("pong")
      return
    }
    if (!req.url.startsWith("/api/auth/")) {
      res.writeHead(404)
      res.end()
      return
    }
    const headers = new Headers()
    for (const [name, value] of Object.entries(req.headers)) {
      if (Array.isArray(value)) for (const item of value) headers.append(name, item)
      else if (value !== undefined) headers.set(name, value)
    }
    const hasBody = req.method !== "GET" && req.method !== "HEAD"
    const request = new Request(new URL(req.url, origin), {
      method: req.method,
      headers,
      body: hasBody ? await readBody(req) : undefined,
    })
    const response = await Auth(request, config)
    const out = {}
    for (const [name, value] of response.headers) {
      if (name !== "set-cookie") out[name] = value
    }
    const cookies = response.headers.getSetCookie()
    if (cookies.length > 0) out["set-cookie"] = cookies
    res.writeHead(response.status, out)
    res.end(Buffer.from(await response.arrayBuffer()))
  } catch (error) {
    res.writeHead(500)
    res.end(String(error?.message ?? error))
  }
})

server.listen(port, "127.0.0.1", () => {
  origin = `http://127.0.0.1:${server.address().port}`
  console.error(`authjs-server: @auth/core listening on ${origin}`)
})
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)))
