// expect: error TS2551: Property 'rol' does not exist on type
// A misspelt claim is an error, with the claim suggested.
import { useSession } from "next-auth/react";

export function roleOf(): string | undefined {
  const { data: session } = useSession();
  return session?.user.rol;
}
