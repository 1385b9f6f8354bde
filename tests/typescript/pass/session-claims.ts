// A client component of a Next.js front end of the demo: the session's claims are typed by
// `examples/demo/next-auth.d.ts`, and `update()` through the type it names.
import { useSession } from "next-auth/react";
import type { DemoAuthUpdateSession } from "../../../examples/demo/next-auth";

export function tenantBadge(): string {
  const { data: session, update: untypedUpdate } = useSession();
  const update: DemoAuthUpdateSession = untypedUpdate;
  if (!session) {
    return "signed out";
  }
  const isAdmin: boolean = session.user.role === "admin";
  const tenantId: string | undefined = session.user.tenantId;
  if (tenantId !== undefined) {
    void update({ tenantId });
  }
  // `null` clears an optional claim; an empty update changes nothing.
  void update({ tenantId: null });
  void update({});
  const permissions: ReadonlyArray<"read" | "write" | "delete" | "admin"> =
    session.user.permissions;
  const name: string | null | undefined = session.user.name;
  return `${name ?? ""} ${isAdmin ? "admin" : session.user.role} ${permissions.join(", ")}`;
}
