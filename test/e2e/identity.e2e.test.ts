/**
 * Identity continuity across interviews: the real verifier embeds the face it
 * decoded at each pass (the mesh-face player, a live 3D render of a real
 * photograph, following the target as an rtc-node publisher), and the kit
 * compares it with every template it holds.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IdentityChecked } from "../../shared/identity.js";
import { RiskReport } from "../../shared/signals.js";
import { EMBEDDING_LENGTH } from "../../shared/verifier-job.js";
import { tokenOf } from "../helpers/app.js";
import { pollForEvent } from "../helpers/events.js";
import { type RunningKit, startKit } from "../helpers/kit-server.js";
import { startMeshPublisher } from "../helpers/mesh-publisher.js";
import { passWithMeshPlayer } from "../helpers/verification.js";
import { dispatchedJob, postReport } from "../helpers/verifier-job.js";

let kit: RunningKit;
beforeAll(async () => {
  // A face must differ from the reference for 3 s (production: longer) before the monitor reports it.
  kit = await startKit({ monitor: { mismatchMs: 3_000 } });
});
afterAll(async () => {
  await kit?.stop();
});

/** Creates an interview and passes its verification with the same real face; returns its identity check. */
async function verifiedInterview(candidate: { name: string; email?: string }) {
  const { api } = kit;
  const { json, token, headers } = await api.candidateSession({ candidate });
  expect((await passWithMeshPlayer(api, token, headers)).status).toMatchObject({ state: "passed" });
  const events = (await (await api.call("GET", `/v1/interviews/${json.id}`, { headers: api.auth })).json()).events as {
    type: string;
    data: unknown;
  }[];
  const checked = events.find((e) => e.type === "identity_checked");
  expect(checked, "a pass stores a reference face and records the comparison").toBeDefined();
  const report = RiskReport.parse(await (await api.call("GET", `/v1/interviews/${json.id}/report`, { headers: api.auth })).json());
  return { id: json.id as string, check: IdentityChecked.parse(checked!.data), report };
}

describe("identity across interviews (real verifier, real faces)", () => {
  // A unique email per run: templates of earlier suites in the shared store must not count as rounds.
  const email = `same.person.${Date.now()}@example.com`;

  it("keeps a reference face from several frames, and links the same person's rounds under one email", async () => {
    const first = await verifiedInterview({ name: "Round Tester", email });
    expect(first.check.frames).toBeGreaterThanOrEqual(2);
    expect(first.check.consistency).toBeGreaterThan(first.check.threshold);
    expect(first.check.antispoof.length).toBe(first.check.frames);
    expect(first.check.rounds).toEqual([]);
    const stored = await kit.app.store.monitoring.latestTemplate(first.id);
    expect(stored?.vector.length).toBe(1024);

    const second = await verifiedInterview({ name: "Round Tester", email });
    console.log("same person, round 2:", JSON.stringify(second.check.rounds));
    expect(second.check.rounds).toHaveLength(1);
    expect(second.check.rounds[0]).toMatchObject({ interviewId: first.id, round: 1, samePerson: true });
    expect(second.check.rounds[0]!.similarity).toBeGreaterThanOrEqual(second.check.threshold);
    expect(second.report.flags.map((f) => f.id)).not.toContain("identity_changed");
    expect(second.report.flags.map((f) => f.id)).not.toContain("face_reused");
  }, 240_000);

  it("raises face_reused when the same face comes back under another name, naming the other interview", async () => {
    const other = await verifiedInterview({ name: "Another Persona", email: `persona.${Date.now()}@example.com` });
    const reusedFlag = other.report.flags.find((f) => f.id === "face_reused");
    expect(reusedFlag?.severity).toBe("high");
    expect(other.check.reused.length).toBeGreaterThanOrEqual(1);
    const names = other.check.reused.map((r) => r.candidateName);
    expect(names).toContain("Round Tester");
    expect(reusedFlag!.explanation).toContain("Round Tester");
    expect(reusedFlag!.explanation).toContain(other.check.threshold.toFixed(2));
  }, 180_000);

  it("lets the interviewer accept a later pass's face: the real monitor switches to it and the mismatch ends (review 2, finding 5)", async () => {
    const { api } = kit;
    const { json, token, headers } = await api.candidateSession({ candidate: { name: "Changed Person" } });
    const events = async () => (await (await api.call("GET", `/v1/interviews/${json.id}`, { headers: api.auth })).json()).events as Event[];
    const type = async (t: string) => (await events()).filter((e) => e.type === t);
    const waitFor = (t: string, ms = 90_000) => pollForEvent(events, json.id!, (e) => e.type === t, ms);
    // The interview's first pass is someone else's: posted with the verifier job's own credentials,
    // with a reference face that is not the mesh player's.
    const ticket = await (await api.call("POST", `/v1/candidate/${token}/liveness`, { headers })).json();
    const stranger = Array.from({ length: EMBEDDING_LENGTH }, (_, i) => (i % 2 ? 1 : -1) / Math.sqrt(EMBEDDING_LENGTH));
    const reference = { embedding: stranger, frames: 3, consistency: 0.95, agreement: 0.95, antispoof: [] };
    const firstPass = { type: "verdict", passed: true, reasons: ["posted by the test"], steps: [], trace: [], snapshots: [], framesAnalysed: 0, analysedFps: 0, reference };
    expect((await postReport(api.call, await dispatchedJob(kit.livekit.settings, ticket.room), firstPass)).status).toBe(200);
    // A later pass in the same interview, on a new session, by the mesh-face player: identity_changed, and the monitor keeps the first face.
    const later = { "x-candidate-session": (await (await api.call("POST", `/v1/candidate/${token}/session`)).json()).sessionKey as string };
    const passed = await passWithMeshPlayer(api, token, later);
    expect(passed.status).toMatchObject({ state: "passed" });
    const laterPass = passed.tickets.at(-1)!.challengeId;
    const changed = await (await api.call("GET", `/v1/interviews/${json.id}/report`, { headers: api.auth })).json();
    expect(changed.flags.map((f: { id: string }) => f.id)).toContain("identity_changed");
    const grant = await (await api.call("POST", `/v1/candidate/${token}/join`, { headers: later })).json();
    const camera = await startMeshPublisher({ url: grant.serverUrl, token: grant.token });
    try {
      const mismatch = await waitFor("face_mismatch");
      expect(mismatch.actor).toBe("monitor");
      console.log("against the first face:", JSON.stringify(mismatch.data));
      expect(await type("face_match_restored")).toEqual([]);
      const res = await api.call("POST", `/v1/interviewer/${tokenOf(json.interviewerUrl!)}/reference`, { body: { challengeId: laterPass } });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ challengeId: laterPass, previousChallengeId: ticket.challengeId });
      // The monitor learns of it from its next reply, fetches the face, and the same video now matches.
      const restored = await waitFor("face_match_restored", 60_000);
      console.log("after accepting the later face:", JSON.stringify(restored.data));
      expect(restored.data.similarity as number).toBeGreaterThanOrEqual(restored.data.threshold as number);
      expect(await type("reference_accepted")).toHaveLength(1);
    } finally {
      await camera.stop();
      await api.call("POST", `/v1/interviewer/${tokenOf(json.interviewerUrl!)}/end`);
    }
  }, 240_000);
});

type Event = { type: string; actor: string; at: string; data: Record<string, unknown> };
