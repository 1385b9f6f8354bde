// expect: error TS2367: This comparison appears to be unintentional because the types 'Role' and '"superuser"' have no overlap.
// A role the server's `Role` enum does not have is an error.
import { useSession } from "next-auth/react";

export function isSuperuser(): boolean {
  const { data: session } = useSession();
  if (!session) {
    return false;
  }
  return session.user.role === "superuser";
}
