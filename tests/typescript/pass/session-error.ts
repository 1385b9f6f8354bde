// The seed's client-side refresh handling: `session.error` is typed at the top level of the
// session (the demo's `oidc` provider refreshes), so the check below compiles as written.
import { signIn, useSession } from "next-auth/react";

export function signInAgainWhenRefreshFailed(): void {
  const { data: session } = useSession();
  if (session?.error === "RefreshAccessTokenError") {
    void signIn("oidc");
  }
}
