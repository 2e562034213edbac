/**
 * Presentation-attack suite (ISO/IEC 30107-3 terms) on the server-verified path, with the
 * production challenge (`follow`): real Chromium, real recorded faces, real livekit-server, the
 * real verifier worker and analyser. Every case here is an attack: fake-camera files that cannot
 * react, and the reactive clip player (real cap12 footage that plays a recorded move when a prompt
 * arrives), which passed the discrete-move challenge and is now a library-of-clips attack. The
 * bona fide player that follows the target (a live 3D render of one photo) and the attacks built
 * for the follow step run as rtc-node publishers in follow.e2e.test.ts. Prints APCER.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixture } from "../helpers/browser.js";
import { type CandidateCamera, consentAndSettle, openCandidate } from "../helpers/candidate-page.js";
import { type RunningKit, startKit } from "../helpers/kit-server.js";

let kit: RunningKit;
type Result = { kind: "attack" | "bona fide"; name: string; schedule: string; verdict: "accepted" | "rejected"; detail: string };
const results: Result[] = [];

/** One attempt: a fresh interview with one verification attempt, a browser whose camera is `camera`. */
async function attempt(kind: Result["kind"], name: string, camera: CandidateCamera, seed?: string): Promise<boolean> {
  const { json } = await kit.api.createInterview({ candidate: { name: `PAD ${name}` } });
  let browser: Browser | undefined;
  try {
    const opened = await openCandidate(seed ? `${json.candidateUrl}?testSeed=${seed}` : json.candidateUrl!, camera);
    browser = opened.browser;
    const state = await consentAndSettle(opened.page);
    const detail = await (await kit.api.call("GET", `/v1/interviews/${json.id}`, { headers: kit.api.auth })).json();
    const events = detail.events as Array<{ type: string; data: Record<string, unknown> }>;
    const passed = events.some((e) => e.type === "liveness_passed") && events.some((e) => e.type === "token_issued");
    const started = events.find((e) => e.type === "liveness_started");
    const failed = events.find((e) => e.type === "liveness_failed");
    const schedule = started
      ? (started.data.steps as string[]).map((s, i) => `${s}@${(started.data.delaysMs as number[])[i]}`).join(" ") +
        // The follow step's path as yaw/pitch waypoints, as the kit drew it.
        ((started.data.path as { yaw: number; pitch: number }[] | undefined)?.map((w) => ` ${w.yaw}/${w.pitch}`).join("") ?? "")
      : "-";
    const why = passed ? `admitted; ${String((events.find((e) => e.type === "liveness_passed")?.data.analysedFps as number) ?? "?")} fps` : `${state}: ${String(failed?.data.failure ?? "")} ${String((failed?.data.reasons as string[] | undefined)?.at(-1) ?? "")}`;
    if (process.env.PAD_TRACE && started) {
      const stored = await kit.app.store.getChallenge(String(started.data.challengeId));
      console.log(name, JSON.stringify(stored?.verdict?.steps), JSON.stringify((stored?.verdict?.trace as unknown[] | undefined)?.slice(0, 400)));
    }
    results.push({ kind, name, schedule, verdict: passed && state === "in_interview" ? "accepted" : "rejected", detail: why.trim() });
    // A refunded failure (lost verifier) is not a verdict on the attack; the suite must not count it as a rejection.
    expect(failed?.data.refunded ?? false, "the verifier was lost mid-attempt").toBe(false);
    return passed && state === "in_interview";
  } finally {
    await browser?.close();
  }
}

beforeAll(async () => {
  kit = await startKit({ maxAttempts: 1 });
});

afterAll(async () => {
  await kit?.stop();
  const attacks = results.filter((r) => r.kind === "attack");
  const accepted = attacks.filter((r) => r.verdict === "accepted").length;
  console.log(
    [
      "",
      "Presentation-attack detection on the server-verified path (ISO/IEC 30107-3)",
      "| kind | attempt | schedule (step@pause ms) | verdict | detail |",
      "|---|---|---|---|---|",
      ...results.map((r) => `| ${r.kind} | ${r.name} | ${r.schedule} | ${r.verdict} | ${r.detail} |`),
      `APCER ${((accepted / Math.max(1, attacks.length)) * 100).toFixed(1)}% (${accepted}/${attacks.length} attacks accepted)`,
      "Bona fide attempts (the follow player) and the follow-specific attacks: follow.e2e.test.ts.",
      "",
    ].join("\n"),
  );
});

const ATTEMPT_MS = 120_000;

describe("attacks are refused", () => {
  const attacks: Array<[string, CandidateCamera]> = [
    ["still photo", { file: "astronaut-still.mjpeg" }],
    ["photo moved, scaled and rotated in 2D", { file: "astronaut-waved.mjpeg" }],
    ["looping replay with every move", { file: "replay-loop.mjpeg" }],
    ["the same replay reversed", { file: "replay-reversed.mjpeg" }],
    ["a recording that ignores the prompts", { player: "ignore" }],
    ["a person turning the wrong way", { player: "wrong_way" }],
    // Passed the discrete moves on every schedule; a clip cannot follow a target nobody recorded.
    ["a library of recorded moves played on each prompt", { player: "cooperative" }],
  ];
  for (const [name, camera] of attacks) {
    it(name, async () => {
      const resolved = camera && "file" in camera ? { file: fixture(camera.file) } : camera;
      expect(await attempt("attack", name, resolved)).toBe(false);
    }, ATTEMPT_MS);
  }
});

// These never show one face, so the check cannot start: each ends at the fit's deadline (15 s), whatever
// the frame rate. They wait side by side rather than one after another.
describe.concurrent("attacks that never show one face are refused", () => {
  const faceless: Array<[string, string]> = [
    ["no face", "noface.mjpeg"],
    ["two faces", "two-faces.mjpeg"],
    ["a cat", "cat.mjpeg"],
  ];
  for (const [name, file] of faceless) {
    it(name, async () => {
      expect(await attempt("attack", name, { file: fixture(file) })).toBe(false);
    }, ATTEMPT_MS);
  }
});
