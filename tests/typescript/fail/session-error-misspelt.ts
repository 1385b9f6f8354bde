// expect: error TS2367: This comparison appears to be unintentional because the types '"RefreshAccessTokenError" | undefined' and '"RefreshTokenError"' have no overlap.
// `session.error` is the typed `SessionError`: a misspelt error code is an error.
import { useSession } from "next-auth/react";

export function refreshFailed(): boolean {
  const { data: session } = useSession();
  return session?.error === "RefreshTokenError";
}
