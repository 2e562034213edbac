import type { client } from "./app.js";

type Api = ReturnType<typeof client>;

/** Polls a verification's status until it is no longer pending (the verifier decided, or was lost). */
export async function waitForStatus(
  api: Api,
  token: string,
  headers: Record<string, string>,
  challengeId: string,
  timeoutMs = 60_000,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await (await api.call("GET", `/v1/candidate/${token}/liveness/${challengeId}`, { headers })).json();
    if (status.state !== "pending" || Date.now() > deadline) return status;
    await new Promise((r) => setTimeout(r, 250));
  }
}
