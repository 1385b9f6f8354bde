// The npm package `jose` as a peer of our bearer tokens, for tests/bearer_interop.rs:
// another service verifying the tokens we issue against our published key set, and another
// signer making tokens with our key. Loopback only.
//
//   node interop/bearer-jose.mjs verify <jwks-url> <issuer> <audience> <token>
//     Verifies <token> with jose's remote key set (fetched from <jwks-url>), the algorithms
//     EdDSA and ES256, and the issuer and audience given. Prints one JSON line:
//     {"ok":true,"header":{…},"payload":{…}} or {"ok":false,"code":"ERR_…"}.
//   node interop/bearer-jose.mjs sign <private-jwk> <alg> <kid> <claims-json>
//     Signs <claims-json> as given (jose sets nothing) with the private JWK, header
//     {"alg","kid","typ":"JWT"}. Prints the token.
import { SignJWT, createRemoteJWKSet, importJWK, jwtVerify } from "jose";

const [mode, ...args] = process.argv.slice(2);

if (mode === "verify") {
  const [jwksUrl, issuer, audience, token] = args;
  const keys = createRemoteJWKSet(new URL(jwksUrl));
  try {
    const { payload, protectedHeader } = await jwtVerify(token, keys, {
      issuer,
      audience,
      algorithms: ["EdDSA", "ES256"],
    });
    console.log(JSON.stringify({ ok: true, header: protectedHeader, payload }));
  } catch (error) {
    console.log(JSON.stringify({ ok: false, code: error.code ?? String(error) }));
  }
} else if (mode === "sign") {
  const [jwk, alg, kid, claims] = args;
  const key = await importJWK(JSON.parse(jwk), alg);
  const token = await new SignJWT(JSON.parse(claims))
    .setProtectedHeader({ alg, kid, typ: "JWT" })
    .sign(key);
  console.log(token);
} else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
