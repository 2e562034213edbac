/**
 * In-interview verification on the interviewer's side: real LiveKit, real
 * Chromium for both sides, and the interviewer's own MediaPipe detection on
 * the candidate's received video.
 */
import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tokenOf } from "../helpers/app.js";
import { fixture, launchBrowser, loopbackContext } from "../helpers/browser.js";
import { type RunningKit, startKit } from "../helpers/kit-server.js";
import { installReactivePlayer } from "../helpers/reactive-player.js";
import { dispatchedJob, postReport } from "../helpers/verifier-job.js";

const SHOTS = path.resolve(import.meta.dirname, "../../test-results/screenshots");
let kit: RunningKit;
const browsers: Browser[] = [];

beforeAll(async () => {
  kit = await startKit();
});
afterAll(async () => {
  await Promise.all(browsers.map((b) => b.close()));
  await kit?.stop();
});

/** Opens a page; `camera: "player"` is the reactive player of real footage that follows the verifier's prompts. */
async function open(camera: string, url: string, init?: string): Promise<Page> {
  const browser = await launchBrowser({ camera: camera === "player" ? null : camera });
  browsers.push(browser);
  const context = await loopbackContext(browser, { viewport: { width: 1280, height: 860 } });
  if (camera === "player") await installReactivePlayer(context);
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

type Event = { type: string; data: Record<string, unknown> };
const events = async (id: string): Promise<Event[]> =>
  (await (await kit.api.call("GET", `/v1/interviews/${id}`, { headers: kit.api.auth })).json()).events;

async function waitForEvent(id: string, match: (e: Event) => boolean, ms = 30_000): Promise<Event> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const hit = (await events(id)).find(match);
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`not recorded within ${ms} ms; saw ${(await events(id)).map((e) => e.type).join(", ")}`);
}

/**
 * A candidate whose session already passed, so their page goes straight to the
 * room with whatever the camera shows: the interviewer's monitoring is what is
 * under test here. The pass is posted with the verifier job's own credentials
 * (read from LiveKit's dispatch), because these clips (no face, two faces)
 * could never pass the real verifier.
 */
async function verifiedCandidate(camera: string) {
  const { json, token, headers } = await kit.api.candidateSession({ candidate: { name: "Monitored" } });
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

describe("monitoring the candidate's received video", () => {
  it("shows face present, records camera off with its duration, and a re-challenge round trip", async () => {
    const { json } = await kit.api.createInterview({ candidate: { name: "Live Face" } });
    const candidate = await open("player", json.candidateUrl!);
    await candidate.click("#consent");
    await candidate.waitForSelector("body[data-state=in_interview]", { timeout: 90_000 });
    const interviewer = await interviewerFor(json);

    await interviewer.waitForFunction(() => document.getElementById("face-state")?.textContent === "face present", undefined, {
      timeout: 30_000,
    });
    await waitForEvent(json.id!, (e) => e.type === "face_present");
    fs.mkdirSync(SHOTS, { recursive: true });
    await interviewer.screenshot({ path: path.join(SHOTS, "interview-room.png"), fullPage: true });
    await candidate.screenshot({ path: path.join(SHOTS, "candidate-room.png"), fullPage: true });

    // The candidate turns the camera off, and back on a few seconds later.
    await candidate.click("#toggle-camera");
    await waitForEvent(json.id!, (e) => e.type === "camera_off");
    await new Promise((r) => setTimeout(r, 2500));
    await candidate.click("#toggle-camera");
    const on = await waitForEvent(json.id!, (e) => e.type === "camera_on");
    expect(on.data.offSeconds as number).toBeGreaterThanOrEqual(2);
    expect(on.data.totalOffSeconds as number).toBeGreaterThanOrEqual(on.data.offSeconds as number);

    // Re-challenge: the prompt reaches the candidate and the interviewer's detection records a result.
    await interviewer.waitForSelector("#candidate-video", { timeout: 30_000 });
    await interviewer.click("#rechallenge");
    const sent = await waitForEvent(json.id!, (e) => e.type === "rechallenge_sent");
    const prompt = await candidate.waitForSelector("#rechallenge", { timeout: 15_000 });
    expect(await prompt.getAttribute("data-step")).toBe(sent.data.step);
    const result = await waitForEvent(json.id!, (e) => e.type === "rechallenge_result", 40_000);
    expect(result.data.rechallengeId).toBe(sent.data.rechallengeId);
    expect(typeof result.data.passed).toBe("boolean");

    // Ending the interview closes it for everyone.
    await interviewer.click("#end");
    await waitForEvent(json.id!, (e) => e.type === "interview_ended");
    const got = await (await kit.api.call("GET", `/v1/interviews/${json.id}`, { headers: kit.api.auth })).json();
    expect(got.status).toBe("ended");
    const rejoin = await kit.api.call("POST", `/v1/interviewer/${tokenOf(json.interviewerUrl!)}/join`);
    expect(rejoin.status).toBe(410);
  }, 180_000);

  it("records face_absent when the candidate's camera shows no one", async () => {
    const { json } = await verifiedCandidate(fixture("noface.mjpeg"));
    const interviewer = await interviewerFor(json);
    const absent = await waitForEvent(json.id!, (e) => e.type === "face_absent");
    expect(absent.data.seconds as number).toBeGreaterThanOrEqual(3);
    await interviewer.waitForFunction(() => document.getElementById("face-state")?.textContent === "face absent");
  }, 120_000);

  it("records multiple_faces when two people are in view", async () => {
    const { json } = await verifiedCandidate(fixture("two-faces.mjpeg"));
    await interviewerFor(json);
    const multiple = await waitForEvent(json.id!, (e) => e.type === "multiple_faces");
    expect(multiple.data.count as number).toBeGreaterThanOrEqual(2);
  }, 120_000);
});
