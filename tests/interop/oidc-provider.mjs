// A real OpenID Provider for the OIDC tests: `oidc-provider` on a loopback port.
//
// Environment: PORT (0 for a free one); CLIENTS, a JSON array of
// {"client_id","client_secret","redirect_uris":[…]}; ID_TOKEN_TTL and ACCESS_TOKEN_TTL in
// seconds (default 60). PKCE (S256) is required of every client. The one account is
// `alice` (any password), whose login and consent the test completes through the provider's
// development interaction pages. Prints `listening on <issuer>` on stderr when ready.
import http from "node:http";
import Provider from "oidc-provider";

const clients = JSON.parse(process.env.CLIENTS ?? "[]").map((client) => ({
  grant_types: ["authorization_code"],
  response_types: ["code"],
  token_endpoint_auth_method: "client_secret_basic",
  ...client,
}));
const ttl = (name) => Number(process.env[name] ?? 60);

const accounts = {
  alice: {
    sub: "alice",
    email: "alice@acme.example",
    email_verified: true,
    name: "Alice Example",
    picture: "https://acme.example/alice.png",
  },
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
  server.on("request", provider.callback());
  console.error(`listening on ${issuer}`);
});
