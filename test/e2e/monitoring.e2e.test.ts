/**
 * The server-side interview monitor: real LiveKit, real Chromium for both
 * sides, real recorded faces, and the kit's own monitor job decoding the
 * candidate's camera in the interview room. The interviewer's browser only
 * shows what the monitor recorded.
 */
import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { tokenOf } from "../helpers/app.js";
import { fixture, launchBrowser, loopbackContext } from "../helpers/browser.js";
import { pollForEvent } from "../helpers/events.js";
import { type RunningKit, startKit } from "../helpers/kit-server.js";
import { consentAndPass } from "../helpers/candidate-page.js";
import { installMeshPlayer, showScene } from "../helpers/mesh-player.js";
import { dispatchedJob, postReport } from "../helpers/verifier-job.js";

const SHOTS = path.resolve(import.meta.dirname, "../../test-results/screenshots");
let kit: RunningKit;
const browsers: Browser[] = [];

// A worker of the suite's own: the run's shared worker may be full of other suites' monitors still
// waiting out their kit's silence, and LiveKit drops a dispatch no worker has room for.
beforeAll(async () => {
  kit = await startKit({ isolated: { portBase: 17980, worker: true } });
}, 180_000);
/**
 * Interviews a test started: each is ended after its test, passed or failed, so its monitor leaves
 * the suite's one worker. (A failed test that left its monitor running once starved the next test's
 * monitor of a place on the worker.)
 */
const started: string[] = [];
afterEach(async () => {
  // Ended already (410) is fine: only the monitors still running matter.
  for (const interviewerUrl of started.splice(0)) await kit.api.call("POST", `/v1/interviewer/${tokenOf(interviewerUrl)}/end`);
});
afterAll(async () => {
  await Promise.all(browsers.map((b) => b.close()));
  await kit?.stop();
});

/** Opens a page; `camera: "player"` is the mesh-face player (a live 3D render of one photo) that follows the target. */
async function open(camera: string, url: string, init?: string): Promise<Page> {
  const browser = await launchBrowser({ camera: camera === "player" ? null : camera });
  browsers.push(browser);
  const context = await loopbackContext(browser, { viewport: { width: 1280, height: 860 } });
  // A quick follower (200 ms, the low end of a person's reaction): in the room this page also decodes
  // and draws the interviewer, and when the whole suite loads the two cores its target events and
  // frames run late, which the monitor measures as lag.
  if (camera === "player") await installMeshPlayer(context, { reactionMs: 200 });
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

type Event = { type: string; data: Record<string, unknown> };
const events = async (id: string): Promise<Event[]> =>
  (await (await kit.api.call("GET", `/v1/interviews/${id}`, { headers: kit.api.auth })).json()).events;

/**
 * How long the monitor may take to start and report: a deadline only a broken monitor misses. On a
 * busy machine (the suite beside a CPU hog) its job process loads the models in 30–60 s.
 */
const MONITOR_DEADLINE_MS = 120_000;
const waitForEvent = (id: string, match: (e: Event) => boolean, ms?: number) => pollForEvent(events, id, match, ms);

/**
 * A candidate whose session already passed, so their page goes straight to the
 * room with whatever the camera shows: the monitor is what is under test here. The pass is posted with the verifier job's own credentials
 * (read from LiveKit's dispatch), because these clips (no face, two faces)
 * could never pass the real verifier.
 */
async function verifiedCandidate(camera: string) {
  const { json, token, headers } = await kit.api.candidateSession({ candidate: { name: "Monitored" } });
  started.push(json.interviewerUrl!);
  const ticket = await (await kit.api.call("POST", `/v1/candidate/${token}/liveness`, { headers })).json();
  const job = await dispatchedJob(kit.livekit.settings, ticket.room);
  const pass = { type: "verdict", passed: true, reasons: ["posted by the test"], steps: [], trace: [], snapshots: [], framesAnalysed: 0, analysedFps: 0 };
  expect((await postReport(kit.api.call, job, pass)).status).toBe(200);
  const key = headers["x-candidate-session"];
  const storage = `sessionStorage.setItem(${JSON.stringify(`verify-kit.session./v1/candidate/${token}`)}, ${JSON.stringify(key)});`;
  const candidate = await open(camera, json.candidateUrl!, storage);
  await candidate.click("#consent");
  await candidate.waitForSelector("body[data-state=in_interview]", { timeout: 60_000 });
  return { json, candidate };
}

async function interviewerFor(json: Record<string, string>): Promise<Page> {
  const page = await open(fixture("face.mjpeg"), json.interviewerUrl!);
  await page.click("#join");
  await page.waitForSelector("body[data-joined=true]", { timeout: 60_000 });
  await page.waitForSelector("#candidate-video", { timeout: 30_000 });
  return page;
}

/** Ends the interview, so its monitor leaves and frees its place on the worker for the next test's. */
async function endInterview(json: Record<string, string>): Promise<void> {
  expect((await kit.api.call("POST", `/v1/interviewer/${tokenOf(json.interviewerUrl!)}/end`)).status).toBe(200);
}

describe("the server-side monitor in the interview room", () => {
  it("watches a verified candidate: top layer to the interviewer, camera off time, a re-check it judges, and a face swap", async () => {
    const { json } = await kit.api.createInterview({ candidate: { name: "Live Face" } });
    started.push(json.interviewerUrl!);
    const candidate = await open("player", json.candidateUrl!);
    expect(await consentAndPass(candidate)).toBe("in_interview");
    await waitForEvent(json.id!, (e) => e.type === "monitor_started");
    const interviewer = await interviewerFor(json);
    await interviewer.waitForSelector("#face-state[data-state=present]", { timeout: 30_000 });

    // The interviewer's element asks for the top layer: what this browser decodes, read from getStats.
    await interviewer.waitForFunction(() => Number(document.getElementById("remote-status")?.dataset.frameWidth) >= 640, undefined, {
      timeout: MONITOR_DEADLINE_MS,
    });
    const size = await interviewer.evaluate(() => ({ ...document.getElementById("remote-status")!.dataset }));
    expect(Number(size.frameWidth)).toBeGreaterThanOrEqual(640);
    expect(Number(size.frameHeight)).toBeGreaterThanOrEqual(480);
    fs.mkdirSync(SHOTS, { recursive: true });
    await interviewer.screenshot({ path: path.join(SHOTS, "interview-room.png"), fullPage: true });
    await candidate.screenshot({ path: path.join(SHOTS, "candidate-room.png"), fullPage: true });

    // Camera off and back on: the monitor records both and accrues the time off.
    await candidate.click("#toggle-camera");
    const off = await waitForEvent(json.id!, (e) => e.type === "camera_off");
    expect(off.data.reason).toMatch(/muted|unpublished/);
    await new Promise((r) => setTimeout(r, 2500));
    await candidate.click("#toggle-camera");
    const on = await waitForEvent(json.id!, (e) => e.type === "camera_on");
    expect(on.data.offSeconds as number).toBeGreaterThanOrEqual(2);
    expect(on.data.totalOffSeconds as number).toBeGreaterThanOrEqual(on.data.offSeconds as number);

    // Re-check: the monitor prompts after its own pause, moves the target over the candidate's room, and
    // judges the following on the frames it decodes.
    // When the whole suite loads this 2-core machine, the frames of one re-check can arrive too late for
    // its window; the interviewer may then ask again, as a real one would, and that one must pass. A
    // failed first attempt is printed with the monitor's reasons.
    // The interviewer turns their own camera off first, as one might to watch the candidate: on this 2-core
    // machine the candidate's page otherwise decodes it while rendering and encoding its own, which the
    // full suite's runs measured as lags of 1,050-1,140 ms (the judge accepts up to 900).
    await interviewer.click("#toggle-camera");
    const judged = new Set<unknown>();
    let result: Event | undefined;
    for (let attempt = 1; attempt <= 3 && result?.data.passed !== true; attempt++) {
      await interviewer.click("#rechallenge");
      const sent = await waitForEvent(json.id!, (e) => e.type === "rechallenge_sent" && !judged.has(e.data.rechallengeId));
      judged.add(sent.data.rechallengeId);
      expect(sent.data.step).toBe("follow");
      const prompt = await candidate.waitForSelector(`#rechallenge[data-step="follow"]`, { timeout: 20_000 });
      expect(await prompt.getAttribute("data-step")).toBe("follow");
      await candidate.waitForSelector("#recheck-target:not([hidden])", { timeout: 20_000 });
      result = await waitForEvent(json.id!, (e) => e.type === "rechallenge_result" && e.data.rechallengeId === sent.data.rechallengeId, 40_000);
      expect(result).toMatchObject({ actor: "monitor", data: { rechallengeId: sent.data.rechallengeId } });
      if (result.data.passed !== true) console.log(`re-check ${attempt} failed: ${JSON.stringify(result.data)}`);
    }
    expect(result?.data.passed).toBe(true);

    // Splice: another real face takes over the same camera track mid-interview.
    const swappedAt = Date.now();
    await showScene(candidate, "stranger");
    const mismatch = await waitForEvent(json.id!, (e) => e.type === "face_mismatch", 30_000);
    const detectedMs = Date.now() - swappedAt;
    // The detection time is a benchmark figure (npm run bench:monitor), logged here, not asserted.
    console.log("face swap detected after", detectedMs, "ms:", JSON.stringify({ ...mismatch.data }));
    const similarities = mismatch.data.similarities as number[];
    expect(Math.max(...similarities)).toBeLessThan(mismatch.data.threshold as number);
    const shot = await kit.app.store.getSnapshot(json.id!, mismatch.data.snapshotId as number);
    expect(shot?.jpeg.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    await interviewer.waitForSelector("#face-state[data-state=mismatch]", { timeout: 10_000 });
    const report = await (await kit.api.call("GET", `/v1/interviews/${json.id}/report`, { headers: kit.api.auth })).json();
    expect(report.flags.find((f: { id: string }) => f.id === "face_mismatch")).toMatchObject({ severity: "high", advisoryFlag: "identity" });

    // The interviewer records what only a person in the conversation hears: a flag with the advisory's mapping.
    await interviewer.check("input[value=asked_crypto_payment]");
    await interviewer.fill("#checklist-note", "wants USDT");
    await interviewer.click("#checklist-submit");
    await interviewer.waitForSelector("#checklist-status:has-text('Recorded: 1 item')");
    const observed = await waitForEvent(json.id!, (e) => e.type === "interviewer_observed");
    expect(observed.data).toMatchObject({ items: ["asked_crypto_payment"], note: "wants USDT", via: "interviewer_link" });
    const withObservation = await (await kit.api.call("GET", `/v1/interviews/${json.id}/report`, { headers: kit.api.auth })).json();
    expect(withObservation.flags.map((f: { advisoryFlag: string }) => f.advisoryFlag)).toContain("payment");

    // The verified person comes back.
    await showScene(candidate, null);
    await waitForEvent(json.id!, (e) => e.type === "face_match_restored", 30_000);

    // Ending the interview closes it for everyone, the monitor included.
    await interviewer.click("#end");
    await waitForEvent(json.id!, (e) => e.type === "interview_ended");
    const rejoin = await kit.api.call("POST", `/v1/interviewer/${tokenOf(json.interviewerUrl!)}/join`);
    expect(rejoin.status).toBe(410);
  }, 300_000);

  it("records face_absent when the candidate's camera shows no one", async () => {
    const { json } = await verifiedCandidate(fixture("noface.mjpeg"));
    const absent = await waitForEvent(json.id!, (e) => e.type === "face_absent", MONITOR_DEADLINE_MS);
    expect(absent).toMatchObject({ actor: "monitor" });
    expect(absent.data.seconds as number).toBeGreaterThanOrEqual(3);
    const interviewer = await interviewerFor(json);
    await interviewer.waitForSelector("#face-state[data-state=absent]", { timeout: 15_000 });
    await endInterview(json);
  }, 90_000 + MONITOR_DEADLINE_MS);

  it("records multiple_faces when two people are in view", async () => {
    const { json } = await verifiedCandidate(fixture("two-faces.mjpeg"));
    const multiple = await waitForEvent(json.id!, (e) => e.type === "multiple_faces", MONITOR_DEADLINE_MS);
    expect(multiple).toMatchObject({ actor: "monitor" });
    expect(multiple.data.count as number).toBeGreaterThanOrEqual(2);
    await endInterview(json);
  }, 90_000 + MONITOR_DEADLINE_MS);

  it("an interviewer link can no longer post its own re-challenge result or observations", async () => {
    const { json } = await kit.api.createInterview({ candidate: { name: "No Self Grading" } });
    const base = `/v1/interviewer/${tokenOf(json.interviewerUrl!)}`;
    // The link's observations are the advisory checklist only: a face result in any shape is refused.
    const forged = await kit.api.call("POST", `${base}/observations`, {
      body: { type: "rechallenge_result", rechallengeId: "rc_x", passed: true, detail: "trust me" },
    });
    expect(forged.status).toBe(400);
    expect((await forged.json()).error.code).toBe("validation_failed");
    // Without a monitor in the room there is nobody to judge a re-check: a coded refusal, nothing recorded.
    const early = await kit.api.call("POST", `${base}/rechallenge`);
    expect(early.status).toBe(503);
    expect((await early.json()).error.code).toBe("verifier_unavailable");
    expect((await events(json.id!)).some((e) => e.type === "rechallenge_sent" || e.type === "rechallenge_result")).toBe(false);
  });
});
