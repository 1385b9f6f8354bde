// Server-side code reading the demo's token: every claim is typed on `JWT`.
import type { JWT } from "next-auth/jwt";

export function describeToken(token: JWT): string {
  const role: "admin" | "editor" | "viewer" = token.role;
  const tenantId: string | undefined = token.tenantId;
  const id: string = token.id;
  const subject: string | undefined = token.sub;
  return `${subject ?? id} ${role} ${tenantId ?? "no tenant"}`;
}
