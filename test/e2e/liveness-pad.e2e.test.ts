/**
 * Presentation-attack suite (ISO/IEC 30107-3 terms): real Chromium, fake-camera
 * files made from real faces, real MediaPipe, real LiveKit. Every attack must
 * be refused; every bona fide attempt — the real webcam clip cut to follow the
 * order a test seed gives — must pass. Prints APCER and BPCER.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSteps, seededRandom } from "../../server/liveness/index.js";
import { fixture, launchBrowser, loopbackContext } from "../helpers/browser.js";
import { bonafideClip, seedStartingWith } from "../helpers/pad.js";
import { type RunningKit, startKit } from "../helpers/kit-server.js";

let kit: RunningKit;
const results: Array<{ kind: "attack" | "bona fide"; name: string; seed: string; steps: string; verdict: string; detail: string }> = [];

/** One attempt: a fresh interview, a browser whose camera plays `camera`, the challenge fixed by `seed`. */
async function attempt(camera: string, seed: string): Promise<{ passed: boolean; detail: string }> {
  const { json } = await kit.api.createInterview({ candidate: { name: "PAD attempt" } });
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser({ camera });
    const context = await loopbackContext(browser);
    const page = await context.newPage();
    await page.goto(`${json.candidateUrl}?testSeed=${encodeURIComponent(seed)}`);
    await page.click("#consent");
    await page.waitForSelector(
      "body[data-state=in_interview], body[data-state=check_failed], body[data-state=blocked], body[data-state=camera_failed]",
      { timeout: 120_000 },
    );
    const state = await page.evaluate(() => document.body.dataset.state);
    const events = (await (await kit.api.call("GET", `/v1/interviews/${json.id}`, { headers: kit.api.auth })).json()).events as Array<{
      type: string;
      data: Record<string, unknown>;
    }>;
    const passed = events.some((e) => e.type === "liveness_passed") && events.some((e) => e.type === "token_issued");
    const failed = events.find((e) => e.type === "liveness_failed" || e.type === "camera_unavailable");
    const detail = passed
      ? "admitted"
      : `${state}: ${String(failed?.data.failure ?? "")} ${String((failed?.data.reasons as string[] | undefined)?.[0] ?? "")}`.trim();
    return { passed: passed && state === "in_interview", detail };
  } finally {
    await browser?.close();
  }
}

beforeAll(async () => {
  kit = await startKit(17940, { maxAttempts: 1 });
});

afterAll(async () => {
  await kit?.stop();
  const attacks = results.filter((r) => r.kind === "attack");
  const bonafide = results.filter((r) => r.kind === "bona fide");
  const apcer = attacks.filter((r) => r.verdict === "accepted").length / Math.max(1, attacks.length);
  const bpcer = bonafide.filter((r) => r.verdict === "rejected").length / Math.max(1, bonafide.length);
  const rows = results.map((r) => `| ${r.kind} | ${r.name} | ${r.steps} | ${r.verdict} | ${r.detail} |`);
  console.log(
    [
      "",
      "Presentation-attack detection (ISO/IEC 30107-3)",
      "| kind | attempt | issued steps | verdict | detail |",
      "|---|---|---|---|---|",
      ...rows,
      `APCER ${(apcer * 100).toFixed(1)}% (${attacks.filter((r) => r.verdict === "accepted").length}/${attacks.length} attacks accepted)`,
      `BPCER ${(bpcer * 100).toFixed(1)}% (${bonafide.filter((r) => r.verdict === "rejected").length}/${bonafide.length} bona fide attempts rejected)`,
      "",
    ].join("\n"),
  );
});

async function run(kind: "attack" | "bona fide", name: string, camera: string, seed: string) {
  const steps = generateSteps(seededRandom(seed)).join(",");
  const { passed, detail } = await attempt(camera, seed);
  results.push({ kind, name, seed, steps, verdict: passed ? "accepted" : "rejected", detail });
  return passed;
}

/** One attempt runs at most the face fit and five step deadlines; several share a test. */
const ATTEMPT_MS = 120_000;
const left = seedStartingWith("turn_left");
const closer = seedStartingWith("move_closer");
const right = seedStartingWith("turn_right");

describe("bona fide attempts pass", () => {
  for (const { seed, steps } of [left, closer, right]) {
    it(`the real webcam clip cut to ${steps.join(", ")}`, async () => {
      expect(await run("bona fide", `webcam clip (${seed})`, bonafideClip(steps), seed)).toBe(true);
    }, ATTEMPT_MS);
  }
});

describe("attacks are refused", () => {
  it("a still photo", async () => {
    expect(await run("attack", "still photo", fixture("astronaut-still.mjpeg"), left.seed)).toBe(false);
  }, 3 * ATTEMPT_MS);

  it("the photo moved, scaled and rotated in 2D", async () => {
    expect(await run("attack", "waved photo", fixture("astronaut-waved.mjpeg"), closer.seed)).toBe(false);
  }, 3 * ATTEMPT_MS);

  it("a looping replay that contains every pose", async () => {
    for (const s of [left, closer, right]) {
      expect(await run("attack", "replay loop", fixture("replay-loop.mjpeg"), s.seed)).toBe(false);
    }
  }, 3 * ATTEMPT_MS);

  it("the bona fide clip against a different order", async () => {
    expect(await run("attack", "bona fide clip, wrong order", bonafideClip(left.steps), right.seed)).toBe(false);
  }, 3 * ATTEMPT_MS);

  it("no face, two faces, and a cat", async () => {
    expect(await run("attack", "no face", fixture("noface.mjpeg"), left.seed)).toBe(false);
    expect(await run("attack", "two faces", fixture("two-faces.mjpeg"), left.seed)).toBe(false);
    expect(await run("attack", "cat", fixture("cat.mjpeg"), left.seed)).toBe(false);
  }, 3 * ATTEMPT_MS);
});
