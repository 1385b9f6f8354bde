"use client";
// The tenant switcher: next-auth's client `update()`, typed by the generated declarations so
// that only what the Poem configuration lets a client change can be sent.
import { useRouter } from "next/navigation";
import { useSession } from "next-auth/react";
import { useEffect, useState } from "react";
import type { DemoAuthUpdateSession, TenantId } from "../../demo/next-auth";

export function TenantSwitcher({ tenants }: { tenants: readonly TenantId[] }) {
  const { data: session, update: untypedUpdate } = useSession();
  const update: DemoAuthUpdateSession = untypedUpdate;
  const router = useRouter();
  const [result, setResult] = useState("");
  // Set once React has hydrated the buttons, so a script knows a click reaches `update()`.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const switchTo = async (tenantId: TenantId) => {
    const updated = await update({ tenantId });
    setResult(updated?.user.tenantId === tenantId ? `switched to ${tenantId}` : "switch refused");
    // The server components read the cookie the update just set.
    router.refresh();
  };
  return (
    <p id="tenant-switcher" data-ready={ready ? "yes" : "no"}>
      Switch tenant (client <code>update()</code>, now <span id="client-tenant">{session?.user.tenantId ?? "none"}</span>):{" "}
      {tenants.map((tenant) => (
        <button key={tenant} type="button" className="tenant" data-tenant={tenant} onClick={() => void switchTo(tenant)}>
          {tenant}
        </button>
      ))}{" "}
      <span id="switch-result">{result}</span>
    </p>
  );
}
