// The real @auth/core as a test peer: reads {"ops":[...]} as JSON on stdin, runs each op with
// Auth.js's own code and prints {"results":[...]} on stdout, one result per op, in order.
//
// Ops:
//   {"op":"encode","secret":S|[S...],"salt":NAME,"maxAge":SECONDS,"claims":{...}} -> {"token"}
//   {"op":"decode","secret":S|[S...],"salt":NAME,"token":T}                      -> {"claims"} or {"error"}
//   {"op":"chunk","salt":NAME,"token":T}           -> {"cookies":[{"name","value"}...]}  (Auth.js SessionStore)
//   {"op":"join","salt":NAME,"cookies":{NAME:VALUE}} -> {"token"}                       (Auth.js SessionStore)
import { encode, decode } from "@auth/core/jwt"
// SessionStore is not in the package's public exports; import it by file, it is the code
// Auth.js runs to chunk and reassemble the session cookie.
import { SessionStore } from "../node_modules/@auth/core/lib/utils/cookie.js"

const silent = { debug() {}, warn() {}, error() {} }

async function run(op) {
  switch (op.op) {
    case "encode":
      return { token: await encode({ token: op.claims, secret: op.secret, salt: op.salt, maxAge: op.maxAge }) }
    case "decode":
      try {
        const claims = await decode({ token: op.token, secret: op.secret, salt: op.salt })
        return claims ? { claims } : { error: "decode returned null" }
      } catch (error) {
        return { error: String(error?.message ?? error) }
      }
    case "chunk": {
      const store = new SessionStore({ name: op.salt, options: {} }, {}, silent)
      const cookies = store.chunk(op.token, {}).map(({ name, value }) => ({ name, value }))
      return { cookies }
    }
    case "join": {
      const store = new SessionStore({ name: op.salt, options: {} }, op.cookies, silent)
      return { token: store.value }
    }
    default:
      return { error: `unknown op ${op.op}` }
  }
}

let input = ""
for await (const chunk of process.stdin) input += chunk
const { ops } = JSON.parse(input)
const results = []
for (const op of ops) results.push(await run(op))
process.stdout.write(JSON.stringify({ results }))
