import { type MeshPublisherOptions, startMeshPublisher } from "./mesh-publisher.js";
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

/** What {@link passWithMeshPlayer} saw: the last status, and each attempt's ticket. */
export interface MeshPass {
  status: Record<string, unknown>;
  tickets: { challengeId: string; serverUrl: string }[];
}

/**
 * Passes a link's liveness check as a cooperative candidate: the mesh-face player (a live 3D render
 * of one photo, the reenactment level of attack) follows the target as an rtc-node publisher. A
 * failed attempt is retried while the link has attempts left, as the product lets a candidate do;
 * a real-media judgement on a busy machine may need it. Returns once passed or out of attempts.
 */
export async function passWithMeshPlayer(
  api: Api,
  token: string,
  headers: Record<string, string>,
  options: Omit<MeshPublisherOptions, "url" | "token"> = {},
): Promise<MeshPass> {
  const tickets: MeshPass["tickets"] = [];
  for (;;) {
    const res = await api.call("POST", `/v1/candidate/${token}/liveness`, { headers });
    const ticket = await res.json();
    if (res.status !== 201) throw new Error(`no liveness ticket: ${res.status} ${JSON.stringify(ticket)}`);
    tickets.push({ challengeId: ticket.challengeId, serverUrl: ticket.serverUrl });
    const player = await startMeshPublisher({ url: ticket.serverUrl, token: ticket.token, maxFramerate: 15, ...options });
    let status: Record<string, unknown>;
    try {
      status = await waitForStatus(api, token, headers, ticket.challengeId, 90_000);
    } finally {
      await player.stop();
    }
    if (status.state === "passed" || !(Number(status.attemptsLeft) > 0 || status.refunded)) return { status, tickets };
    console.log(`mesh-face player: attempt ${tickets.length} ${JSON.stringify(status)}; retrying as a candidate may`);
  }
}
