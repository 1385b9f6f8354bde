// expect: error TS2353: Object literal may only specify known properties, and 'role' does not exist in type 'DemoAuthUpdate'.
// A claim declared without `update = check` cannot be sent by `update()`.
import { useSession } from "next-auth/react";
import type { DemoAuthUpdateSession } from "../../../examples/demo/next-auth";

export async function promote(): Promise<void> {
  const { update: untypedUpdate } = useSession();
  const update: DemoAuthUpdateSession = untypedUpdate;
  await update({ role: "admin" });
}
