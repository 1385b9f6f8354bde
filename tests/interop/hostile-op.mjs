// A lying OpenID Provider for tests/oidc_attacks.rs: discovery, a key set, an authorization
// endpoint that redirects straight back with a code (no login), and a token endpoint whose
// id_token is shaped by the mode the test sets. Loopback only, node:http and `jose`.
//
// Environment: PORT (0 for a free one), CLIENT_ID, CLIENT_SECRET. Prints `listening on
// <issuer>` on stderr when ready.
//
// Test endpoints (the test drives them; a real provider has none of these):
//   POST /test/mode   a JSON object, the mode of every later token response (members below)
//   GET  /test/stats  {"jwksFetches","tokenRequests","jkuFetches","authorizations",
//                     "lastIdToken"}
//   GET  /rogue-jwks  a key set holding the rogue key: the `jku` an attack names (counted)
//
// Mode members (all optional; `{}` is an honest provider):
//   iss, aud, azp     the claims' values (`null` leaves the claim out); default: the
//                     issuer, the client id, no azp
//   exp, iat          seconds from now (default 300 and 0)
//   nonce             "keep" (default: the authorization request's), "absent", or a value
//   alg               "RS256" (default), "none" (unsecured), "HS256" (keyed with the client
//                     secret)
//   key               "current" (default, in the key set), "rogue" (never published),
//                     "rotated" (published only once `rotate` is set)
//   kid               the header's kid (default: the key's)
//   jku               true: a `jku` header pointing at /rogue-jwks, signed by the rogue key
//   forge             true: the signature's bytes changed
//   duplicate         an object whose members are written into the claims a second time
//                     (`{"sub":"alice"}`: `"sub":"mallory",…,"sub":"alice"`), then signed
//   rotate            true: the key set publishes the rotated key too
//   hang              true: the token endpoint never answers
//   huge              true: the token response is padded past 2 MiB
//   extra             an object of further claims for the id_token (a long `groups` list,
//                     as Entra and Okta send, makes a large but honest token)
//   error             an OAuth error for the authorization redirect (with an
//                     error_description holding markup) instead of a code
import http from "node:http";
import { randomBytes } from "node:crypto";
import * as jose from "jose";

const clientId = process.env.CLIENT_ID ?? "hostile-client";
const clientSecret = process.env.CLIENT_SECRET ?? "hostile-secret";

const keys = {};
for (const name of ["current", "rogue", "rotated"]) {
  const { publicKey, privateKey } = await jose.generateKeyPair("RS256", { extractable: true });
  const jwk = await jose.exportJWK(publicKey);
  jwk.kid = `${name}-${randomBytes(4).toString("hex")}`;
  jwk.alg = "RS256";
  jwk.use = "sig";
  keys[name] = { privateKey, jwk };
}

let mode = {};
const stats = {
  jwksFetches: 0,
  tokenRequests: 0,
  jkuFetches: 0,
  authorizations: 0,
  lastIdToken: null,
};
/** The nonce of each code handed out. */
const codes = new Map();

const json = (res, status, body) => {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
};

const readBody = (req) =>
  new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });

async function idToken(issuer, nonce) {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: issuer,
    sub: "mallory",
    aud: clientId,
    exp: now + (mode.exp ?? 300),
    iat: now + (mode.iat ?? 0),
    email: "mallory@hostile.example",
    email_verified: true,
    name: "Mallory",
    ...(mode.extra ?? {}),
  };
  for (const claim of ["iss", "aud", "azp"]) {
    if (claim in mode) {
      if (mode[claim] === null) delete claims[claim];
      else claims[claim] = mode[claim];
    }
  }
  const wanted = mode.nonce ?? "keep";
  if (wanted === "keep") claims.nonce = nonce;
  else if (wanted !== "absent") claims.nonce = wanted;

  const alg = mode.alg ?? "RS256";
  if (alg === "none") {
    const header = jose.base64url.encode(JSON.stringify({ alg: "none", typ: "JWT" }));
    return `${header}.${jose.base64url.encode(JSON.stringify(claims))}.`;
  }
  if (alg === "HS256") {
    return new jose.SignJWT(claims)
      .setProtectedHeader({ alg: "HS256", kid: mode.kid ?? keys.current.jwk.kid })
      .sign(new TextEncoder().encode(clientSecret));
  }
  const key = keys[mode.jku ? "rogue" : (mode.key ?? "current")];
  const header = { alg: "RS256", kid: mode.kid ?? key.jwk.kid };
  if (mode.jku) header.jku = `${issuer}/rogue-jwks`;
  let payload = JSON.stringify(claims);
  for (const [name, value] of Object.entries(mode.duplicate ?? {})) {
    payload = `${payload.slice(0, -1)},${JSON.stringify(name)}:${JSON.stringify(value)}}`;
  }
  let token = await new jose.CompactSign(new TextEncoder().encode(payload))
    .setProtectedHeader(header)
    .sign(key.privateKey);
  if (mode.forge) {
    // The claims stay; the signature is another one's: the first bytes turned over.
    const [h, p, s] = token.split(".");
    const bytes = jose.base64url.decode(s);
    for (let i = 0; i < 8; i++) bytes[i] ^= 0xff;
    token = `${h}.${p}.${jose.base64url.encode(bytes)}`;
  }
  return token;
}

const server = http.createServer(async (req, res) => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const url = new URL(req.url, issuer);
  try {
    if (req.method === "GET" && url.pathname === "/.well-known/openid-configuration") {
      return json(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ["code"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
        token_endpoint_auth_methods_supported: ["client_secret_basic"],
        code_challenge_methods_supported: ["S256"],
      });
    }
    if (req.method === "GET" && url.pathname === "/jwks") {
      stats.jwksFetches += 1;
      const published = [keys.current.jwk];
      if (mode.rotate) published.push(keys.rotated.jwk);
      return json(res, 200, { keys: published });
    }
    if (req.method === "GET" && url.pathname === "/rogue-jwks") {
      stats.jkuFetches += 1;
      return json(res, 200, { keys: [keys.rogue.jwk] });
    }
    if (req.method === "GET" && url.pathname === "/authorize") {
      stats.authorizations += 1;
      const redirect = new URL(url.searchParams.get("redirect_uri"));
      assert(url.searchParams.get("client_id") === clientId, "client_id");
      assert(url.searchParams.get("code_challenge_method") === "S256", "PKCE S256");
      redirect.searchParams.set("state", url.searchParams.get("state") ?? "");
      if (mode.error) {
        redirect.searchParams.set("error", mode.error);
        redirect.searchParams.set(
          "error_description",
          "<script>alert('op')</script> Your account is locked, call +1-555-0100",
        );
      } else {
        const code = randomBytes(16).toString("hex");
        codes.set(code, url.searchParams.get("nonce"));
        redirect.searchParams.set("code", code);
      }
      res.writeHead(302, { location: redirect.toString() });
      return res.end();
    }
    if (req.method === "POST" && url.pathname === "/token") {
      stats.tokenRequests += 1;
      const form = new URLSearchParams(await readBody(req));
      if (mode.hang) return; // never answered: the client's timeout must end it
      const basic = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString("base64")}`;
      if (req.headers.authorization !== basic) return json(res, 401, { error: "invalid_client" });
      const code = form.get("code");
      if (!codes.has(code) || !form.get("code_verifier")) {
        return json(res, 400, { error: "invalid_grant" });
      }
      const nonce = codes.get(code);
      codes.delete(code);
      stats.lastIdToken = await idToken(issuer, nonce);
      return json(res, 200, {
        access_token: randomBytes(16).toString("hex"),
        token_type: "Bearer",
        expires_in: 3600,
        id_token: stats.lastIdToken,
        ...(mode.huge ? { padding: "x".repeat(2 * 1024 * 1024 + 1) } : {}),
      });
    }
    if (req.method === "POST" && url.pathname === "/test/mode") {
      mode = JSON.parse(await readBody(req));
      return json(res, 200, mode);
    }
    if (req.method === "GET" && url.pathname === "/test/stats") {
      return json(res, 200, stats);
    }
    return json(res, 404, { error: "not_found" });
  } catch (error) {
    console.error("hostile-op error", error);
    return json(res, 500, { error: "server_error" });
  }
});

function assert(condition, what) {
  if (!condition) throw new Error(`bad authorization request: ${what}`);
}

server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  console.error(`listening on http://127.0.0.1:${server.address().port}`);
});
