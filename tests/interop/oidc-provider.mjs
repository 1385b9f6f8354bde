// A real OpenID Provider for the OIDC tests: `oidc-provider` on a loopback port.
//
// Environment: PORT (0 for a free one); CLIENTS, a JSON array of
// {"client_id","client_secret","redirect_uris":[…]}; ID_TOKEN_TTL and ACCESS_TOKEN_TTL in
// seconds (default 60). PKCE (S256) is required of every client. The accounts are `alice`,
// `bob` and `carol` (any password), whose login and consent the test completes through the
// provider's development interaction pages. Prints `listening on <issuer>` on stderr when ready.
//
// With REFRESH=1 (the refresh tests; without it nothing below changes): every client may use
// the refresh_token grant and gets a refresh token at every code exchange, rotated at every
// refresh (a rotated-out token presented again is refused and revokes the grant, as
// oidc-provider does); TOKEN_DELAY_MS delays every token endpoint answer, so that concurrent
// refreshes really overlap; and two test endpoints:
//   GET  /test/refresh-grants  {"attempts": n, "refused": n, "presented": [refresh tokens]}
//   POST /test/revoke-grants   revokes every grant issued so far (its tokens with it), so the
//                              next refresh is answered `invalid_grant`.
import http from "node:http";
import Provider from "oidc-provider";

const refresh = process.env.REFRESH === "1";
const clients = JSON.parse(process.env.CLIENTS ?? "[]").map((client) => ({
  grant_types: refresh ? ["authorization_code", "refresh_token"] : ["authorization_code"],
  response_types: ["code"],
  token_endpoint_auth_method: "client_secret_basic",
  ...client,
}));
const ttl = (name) => Number(process.env[name] ?? 60);
const tokenDelay = Number(process.env.TOKEN_DELAY_MS ?? 0);

// The refresh_token grants seen at the token endpoint, and the grants to revoke.
const refreshGrants = { attempts: 0, refused: 0, presented: [] };
const grantIds = new Set();

const accounts = {
  alice: {
    sub: "alice",
    email: "alice@acme.example",
    email_verified: true,
    name: "Alice Example",
    picture: "https://acme.example/alice.png",
  },
  // Two more, for the tests whose app decides by the account (active, unknown).
  bob: { sub: "bob", email: "bob@acme.example", email_verified: true, name: "Bob Example" },
  carol: { sub: "carol", email: "carol@acme.example", email_verified: true, name: "Carol Example" },
};

const server = http.createServer();
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients,
    pkce: { required: () => true },
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["name", "picture"],
    },
    features: { devInteractions: { enabled: true } },
    ...(refresh
      ? {
          issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
          rotateRefreshToken: true,
        }
      : {}),
    ttl: {
      IdToken: ttl("ID_TOKEN_TTL"),
      AccessToken: ttl("ACCESS_TOKEN_TTL"),
      AuthorizationCode: 60,
      Interaction: 600,
      Session: 600,
      Grant: 600,
    },
    async findAccount(_ctx, id) {
      const claims = accounts[id] ?? { sub: id };
      return { accountId: id, claims: async () => claims };
    },
  });
  // The provider's own log lines are not needed; its errors are.
  provider.on("server_error", (_ctx, error) => console.error("server_error", error));
  if (refresh) {
    provider.use(async (ctx, next) => {
      if (ctx.method === "POST" && ctx.path === "/token" && tokenDelay > 0) {
        await new Promise((resolve) => setTimeout(resolve, tokenDelay));
      }
      await next();
    });
    const seen = (ctx, refused) => {
      const grantId =
        ctx.oidc?.entities?.AuthorizationCode?.grantId ??
        ctx.oidc?.entities?.RefreshToken?.grantId ??
        ctx.oidc?.entities?.Grant?.jti;
      if (grantId) grantIds.add(grantId);
      if (ctx.oidc?.params?.grant_type !== "refresh_token") return;
      refreshGrants.attempts += 1;
      if (refused) refreshGrants.refused += 1;
      refreshGrants.presented.push(ctx.oidc.params.refresh_token);
    };
    provider.on("grant.success", (ctx) => seen(ctx, false));
    provider.on("grant.error", (ctx) => seen(ctx, true));
  }
  const providerCallback = provider.callback();
  server.on("request", async (req, res) => {
    if (refresh && req.url === "/test/refresh-grants" && req.method === "GET") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(refreshGrants));
      return;
    }
    if (refresh && req.url === "/test/revoke-grants" && req.method === "POST") {
      await Promise.all(
        [...grantIds].map((grantId) =>
          Promise.all([
            provider.AccessToken.revokeByGrantId(grantId),
            provider.RefreshToken.revokeByGrantId(grantId),
            provider.Grant.adapter.destroy(grantId),
          ]),
        ),
      );
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ revoked: grantIds.size }));
      return;
    }
    providerCallback(req, res);
  });
  console.error(`listening on ${issuer}`);
});
