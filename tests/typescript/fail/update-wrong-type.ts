// expect: error TS2322: Type 'number' is not assignable to type 'string'.
// An updatable claim takes its own type: a tenant id is a string.
import { useSession } from "next-auth/react";
import type { DemoAuthUpdateSession } from "../../../examples/demo/next-auth";

export async function switchTenant(): Promise<void> {
  const { update: untypedUpdate } = useSession();
  const update: DemoAuthUpdateSession = untypedUpdate;
  await update({ tenantId: 42 });
}
