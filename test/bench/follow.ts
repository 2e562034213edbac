/**
 * Follow-challenge benchmark: time to verdict and the judge's figures for the mesh-face player (a
 * live 3D render of one photo following the target), one verification at a time, on the run's own
 * livekit-server and verifier worker. No browsers.
 *
 * For each check: camera published → verdict (the candidate's wait once the camera is on), ticket
 * → verdict, the verifier's analysed frame rate, and the fitted lag, gains and correlations. Prints
 * medians. Usage:
 *   npm run bench:follow -- [--runs=5]
 */
import path from "node:path";
import type { VerdictReport } from "../../shared/verifier-job.js";
import { spawnVerifierWorker } from "../../server/verifier/spawn.js";
import { startKit } from "../helpers/kit-server.js";
import { startTestLiveKit } from "../helpers/livekit.js";
import { startMeshPublisher } from "../helpers/mesh-publisher.js";
import { waitForStatus } from "../helpers/verification.js";
import { fmt, median, table } from "./stats.js";

/** livekit-server takes this port and the next two (clear of the test suites' and other benches' bases). */
const PORT_BASE = 18070;
const runs = Math.max(1, Number.parseInt(process.argv.find((a) => a.startsWith("--runs="))?.slice(7) ?? "5", 10) || 5);

const kit = await startKit({
  livekit: async (webhookUrl) => {
    const lk = await startTestLiveKit(PORT_BASE, webhookUrl);
    const worker = spawnVerifierWorker(lk.settings, { VERIFIER_IDLE_PROCESSES: "1" });
    await worker.ready;
    return { settings: lk.settings, stop: async () => (await worker.stop(), await lk.stop()) };
  },
});

const rows: Record<string, number | string>[] = [];
try {
  for (let i = 0; i < runs; i++) {
    const { token, headers } = await kit.api.candidateSession({ candidate: { name: `Follow bench ${i}` } });
    const ticketAt = Date.now();
    const res = await kit.api.call("POST", `/v1/candidate/${token}/liveness`, { headers, body: {} });
    const ticket = (await res.json()) as { challengeId: string; serverUrl: string; token: string };
    if (!res.ok) throw new Error(`ticket refused: ${res.status} ${JSON.stringify(ticket)}`);
    const player = await startMeshPublisher({ url: ticket.serverUrl, token: ticket.token, reactionMs: 300, maxFramerate: 15 });
    const publishedAt = Date.now();
    const status = (await waitForStatus(kit.api, token, headers, ticket.challengeId, 90_000)) as { state: string; failure?: string };
    const doneAt = Date.now();
    await player.stop();
    const verdict = (await kit.app.store.getChallenge(ticket.challengeId))?.verdict as Partial<VerdictReport> | undefined;
    const f = verdict?.steps?.[0]?.follow;
    rows.push({
      run: i + 1,
      verdict: status.state === "passed" ? "passed" : `${status.state} ${status.failure ?? ""}`,
      publishedToVerdictMs: doneAt - publishedAt,
      ticketToVerdictMs: doneAt - ticketAt,
      analysedFps: verdict?.analysedFps ?? Number.NaN,
      lagMs: f?.lagMs ?? Number.NaN,
      yawR: f?.yaw?.r ?? Number.NaN,
      pitchR: f?.pitch?.r ?? Number.NaN,
      yawGain: f?.yaw?.gain ?? Number.NaN,
      pitchGain: f?.pitch?.gain ?? Number.NaN,
      planar: f?.planarResidual ?? Number.NaN,
      boxJump: f?.largestBoxJump ?? Number.NaN,
    });
    console.log(JSON.stringify(rows.at(-1)));
  }
} finally {
  await kit.stop();
}

const col = (k: string) => rows.map((r) => r[k]).filter((v): v is number => typeof v === "number");
console.log(
  table(
    ["figure", "median", "min", "max"],
    ["publishedToVerdictMs", "ticketToVerdictMs", "analysedFps", "lagMs", "yawR", "pitchR", "yawGain", "pitchGain", "planar", "boxJump"].map((k) => {
      const digits = k.endsWith("Ms") ? 0 : k === "analysedFps" ? 1 : 3;
      return [k, fmt(median(col(k)), digits), fmt(Math.min(...col(k)), digits), fmt(Math.max(...col(k)), digits)];
    }),
  ),
);
console.log(`${rows.filter((r) => r.verdict === "passed").length}/${rows.length} passed; ${path.basename(import.meta.filename)} on ${new Date().toISOString()}`);
