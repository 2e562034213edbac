/**
 * One camera per candidate (the interview-room issue): a verified candidate's script publishes a
 * second video track (declared as a microphone, or a second camera) beside its camera. Real
 * livekit-server, real webhooks to the kit, rtc-node publishers and Chromium through livekit-client. The kit stops the decoy, records
 * `extra_video_track` with the source and size, raises a high flag and removes the candidate; an
 * honest camera with a real audio microphone raises nothing.
 */
import {
  AudioFrame,
  AudioSource,
  LocalAudioTrack,
  LocalVideoTrack,
  Room,
  RoomEvent,
  TrackPublishOptions,
  TrackSource,
  VideoBufferType,
  VideoFrame,
  VideoSource,
} from "@livekit/rtc-node";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { fixture, launchBrowser, loopbackContext } from "../helpers/browser.js";
import { hashSecret } from "../../server/security/index.js";
import { pollForEvent } from "../helpers/events.js";
import { type RunningKit, startKit } from "../helpers/kit-server.js";

let kit: RunningKit;
const rooms: Room[] = [];
const timers: ReturnType<typeof setInterval>[] = [];

beforeAll(async () => {
  kit = await startKit();
});
afterEach(async () => {
  // Each test's candidates leave and its rooms close, so their monitors do not keep the shared worker
  // busy judging grey frames while the next test waits for its own monitor.
  for (const t of timers.splice(0)) clearInterval(t);
  await Promise.all(rooms.splice(0).map((r) => r.disconnect().catch(() => {})));
  await kit?.closeRooms().catch(() => {});
});
afterAll(async () => {
  await kit?.stop();
});

/** A verified candidate of a fresh interview, connected to its interview room with the kit's own token. */
async function verifiedCandidate(): Promise<{ interviewId: string; room: Room; identity: string; interviewerUrl: string }> {
  const { json, token, headers } = await kit.api.candidateSession({ candidate: { name: "Decoy" } });
  // The verifier's pass is covered by the liveness suites; here it is written to the store directly.
  const session = await kit.app.store.findSession(json.id!, hashSecret(headers["x-candidate-session"]!));
  await kit.app.store.markSessionVerified(session!.id, new Date().toISOString());
  const res = await kit.api.call("POST", `/v1/candidate/${token}/join`, { headers });
  const grant = (await res.json()) as { serverUrl: string; token: string; identity: string };
  expect(res.status, JSON.stringify(grant)).toBe(200);
  const room = new Room();
  rooms.push(room);
  await room.connect(grant.serverUrl, grant.token, { autoSubscribe: false, dynacast: false });
  return { interviewId: json.id!, room, identity: grant.identity, interviewerUrl: json.interviewerUrl! };
}

/** Publishes a video track of `width`×`height` grey frames under `source`. */
async function publishVideo(room: Room, name: string, source: TrackSource, width: number, height: number): Promise<string> {
  const video = new VideoSource(width, height);
  const track = LocalVideoTrack.createVideoTrack(name, video);
  const pub = await room.localParticipant!.publishTrack(track, new TrackPublishOptions({ source, simulcast: false }));
  timers.push(
    setInterval(() => {
      const data = new Uint8Array((width * height * 3) / 2).fill(128);
      video.captureFrame(new VideoFrame(data, width, height, VideoBufferType.I420));
    }, 66),
  );
  return pub.sid!;
}

/** Publishes a real audio track (silence) as the microphone. */
async function publishAudio(room: Room): Promise<string> {
  const audio = new AudioSource(48_000, 1);
  const track = LocalAudioTrack.createAudioTrack("mic", audio);
  const pub = await room.localParticipant!.publishTrack(track, new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE }));
  timers.push(setInterval(() => void audio.captureFrame(new AudioFrame(new Int16Array(480), 48_000, 1, 480)).catch(() => {}), 10));
  return pub.sid!;
}

const events = (id: string) => kit.app.store.listEvents(id);
const disconnected = (room: Room) =>
  new Promise<void>((resolve) => {
    if (!room.isConnected) return resolve();
    room.once(RoomEvent.Disconnected, () => resolve());
  });

async function expectDecoyCaught(interviewId: string, room: Room | (() => Promise<void>), decoySid: string, cameraSid: string, source: string, size: [number, number]) {
  const caught = await pollForEvent(events, interviewId, (e) => e.type === "extra_video_track", 30_000);
  expect(caught.data).toMatchObject({ trackSid: decoySid, source, kind: "VIDEO", width: size[0], height: size[1], cameraSid, detectedBy: "webhook" });
  const removed = await pollForEvent(events, interviewId, (e) => e.type === "participant_removed", 30_000);
  expect(removed.data).toMatchObject({ role: "candidate", reason: "extra_video_track" });
  await (typeof room === "function" ? room() : disconnected(room));
  const report = await (await kit.api.call("GET", `/v1/interviews/${interviewId}/report`, { headers: kit.api.auth })).json();
  const flag = report.flags.find((f: { id: string }) => f.id === "extra_video_track");
  expect(flag).toMatchObject({ severity: "high", advisoryFlag: "identity" });
  expect(flag.explanation).toContain(source);
}

describe("one camera per candidate, enforced from LiveKit's webhooks", () => {
  it("a video track declared as a microphone is stopped, flagged, and its publisher removed", async () => {
    const { interviewId, room } = await verifiedCandidate();
    const camera = await publishVideo(room, "camera", TrackSource.SOURCE_CAMERA, 640, 480);
    const decoy = await publishVideo(room, "not-a-mic", TrackSource.SOURCE_MICROPHONE, 320, 240);
    await expectDecoyCaught(interviewId, room, decoy, camera, "MICROPHONE", [320, 240]);
  }, 90_000);

  it("a second camera track is stopped, flagged, and its publisher removed", async () => {
    const { interviewId, room } = await verifiedCandidate();
    const camera = await publishVideo(room, "camera", TrackSource.SOURCE_CAMERA, 640, 480);
    const decoy = await publishVideo(room, "camera-2", TrackSource.SOURCE_CAMERA, 480, 360);
    await expectDecoyCaught(interviewId, room, decoy, camera, "CAMERA", [480, 360]);
  }, 90_000);

  it("a camera unpublished and published again is one camera, not a decoy", async () => {
    const { interviewId, room } = await verifiedCandidate();
    const first = await publishVideo(room, "camera", TrackSource.SOURCE_CAMERA, 640, 480);
    await pollForEvent(events, interviewId, (e) => e.type === "track_published" && (e.data as { trackSid?: string }).trackSid === first, 30_000);
    await room.localParticipant!.unpublishTrack(first);
    const again = await publishVideo(room, "camera", TrackSource.SOURCE_CAMERA, 640, 480);
    await pollForEvent(events, interviewId, (e) => e.type === "track_published" && (e.data as { trackSid?: string }).trackSid === again, 30_000);
    await new Promise((r) => setTimeout(r, 2000));
    expect((await events(interviewId)).map((e) => e.type)).not.toContain("extra_video_track");
    expect(room.isConnected).toBe(true);
  }, 90_000);

  it("one camera and an audio microphone raise nothing and stay in the room", async () => {
    const { interviewId, room } = await verifiedCandidate();
    const camera = await publishVideo(room, "camera", TrackSource.SOURCE_CAMERA, 640, 480);
    const mic = await publishAudio(room);
    // Both publications reach the kit through LiveKit's webhooks; then nothing more happens.
    await pollForEvent(events, interviewId, (e) => e.type === "track_published" && (e.data as { trackSid?: string }).trackSid === mic, 30_000);
    await pollForEvent(events, interviewId, (e) => e.type === "track_published" && (e.data as { trackSid?: string }).trackSid === camera, 30_000);
    await new Promise((r) => setTimeout(r, 2000));
    const types = (await events(interviewId)).map((e) => e.type);
    expect(types).not.toContain("extra_video_track");
    expect(types).not.toContain("participant_removed");
    expect(room.isConnected).toBe(true);
  }, 90_000);
});

/** Where the test page and livekit-client's own bundle are served (routed in the browser, never by the kit). */
const attackBase = () => `${kit.url}/__attack`;

/**
 * A candidate's browser that joins with the kit's grant through livekit-client, publishes its camera,
 * then runs `attack` on it: the decoys a devtools script or extension on the candidate page can add.
 */
async function browserDecoy(browser: Browser, attack: "microphone_source" | "second_camera_after_mute") {
  const { json, token, headers } = await kit.api.candidateSession({ candidate: { name: "Decoy in the browser" } });
  const session = await kit.app.store.findSession(json.id!, hashSecret(headers["x-candidate-session"]!));
  await kit.app.store.markSessionVerified(session!.id, new Date().toISOString());
  const res = await kit.api.call("POST", `/v1/candidate/${token}/join`, { headers });
  const grant = (await res.json()) as { serverUrl: string; token: string };
  expect(res.status).toBe(200);

  const context = await loopbackContext(browser);
  const bundle = path.resolve("node_modules/livekit-client/dist/livekit-client.esm.mjs");
  // Served by the browser's router at the kit's origin, so the page stays a loopback document (a
  // fulfilled document counts as public and Chromium then refuses its requests to loopback LiveKit).
  await context.route(`${attackBase()}/**`, (route) =>
    route.request().url().endsWith("/livekit-client.mjs")
      ? route.fulfill({ contentType: "text/javascript", path: bundle })
      : route.fulfill({ contentType: "text/javascript", body: 'import * as lk from "/__attack/livekit-client.mjs"; window.lk = lk;' }),
  );
  const page: Page = await context.newPage();
  await page.goto(`${kit.url}/healthz`);
  await page.addScriptTag({ url: `${attackBase()}/expose.mjs`, type: "module" });
  await page.waitForFunction(() => "lk" in window);
  const published = await page.evaluate(
    async ({ grant, attack }) => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the bundle, loaded into the page above
      const { Room, Track } = (window as unknown as { lk: any }).lk;
      const room = new Room();
      (window as unknown as { lkRoom: unknown }).lkRoom = room;
      await room.connect(grant.serverUrl, grant.token);
      const camera = (await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 } })).getVideoTracks()[0]!;
      // Read now: a mute may stop this track and the unmute start a new one.
      const { width, height } = camera.getSettings();
      const decoyTrack = camera.clone();
      const cameraPub = await room.localParticipant.publishTrack(camera, { source: Track.Source.Camera, simulcast: false });
      if (attack === "second_camera_after_mute") {
        await cameraPub.mute();
        await new Promise((r) => setTimeout(r, 500));
        await cameraPub.unmute();
      }
      const decoyPub = await room.localParticipant.publishTrack(decoyTrack, {
        source: attack === "microphone_source" ? Track.Source.Microphone : Track.Source.Camera,
        simulcast: false,
      });
      return { camera: cameraPub.trackSid as string, decoy: decoyPub.trackSid as string, width: width!, height: height! };
    },
    { grant, attack },
  );
  const removed = () =>
    page.waitForFunction(() => (window as unknown as { lkRoom: { state: string } }).lkRoom.state === "disconnected", undefined, { timeout: 30_000 }).then(() => {});
  return { interviewId: json.id!, ...published, removed, close: () => context.close() };
}

describe("one camera per candidate, from the candidate's browser through livekit-client", () => {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser({ camera: fixture("face.mjpeg") });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("publishTrack(camera, { source: Microphone }) is stopped, flagged, and its publisher removed", async () => {
    const decoy = await browserDecoy(browser!, "microphone_source");
    await expectDecoyCaught(decoy.interviewId, decoy.removed, decoy.decoy, decoy.camera, "MICROPHONE", [decoy.width, decoy.height]);
    await decoy.close();
  }, 90_000);

  it("a second camera published after a mute and unmute of the first is stopped, flagged, and its publisher removed", async () => {
    const decoy = await browserDecoy(browser!, "second_camera_after_mute");
    await expectDecoyCaught(decoy.interviewId, decoy.removed, decoy.decoy, decoy.camera, "CAMERA", [decoy.width, decoy.height]);
    await decoy.close();
  }, 90_000);
});

describe("the interviewer sees the camera the monitor judges", () => {
  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close();
  });

  it("shows the judged track by SID, says so, and never shows the decoy as the candidate", async () => {
    const { interviewId, room, interviewerUrl } = await verifiedCandidate();
    const camera = await publishVideo(room, "camera", TrackSource.SOURCE_CAMERA, 640, 480);
    const judged = await pollForEvent(events, interviewId, (e) => e.type === "camera_judged", 60_000);
    expect(judged.data).toMatchObject({ trackSid: camera });

    browser = await launchBrowser({ camera: fixture("face.mjpeg") });
    const page = await (await loopbackContext(browser)).newPage();
    await page.goto(interviewerUrl);
    await page.click("#join");
    await page.waitForSelector(`#candidate-video[data-track-sid="${camera}"][data-judged=true]`, { timeout: 60_000 });
    expect(await page.textContent("#remote-status")).toContain("the one the kit watches");

    // A decoy from the candidate: it is never the candidate's video on the page, and the kit removes it.
    const decoy = await publishVideo(room, "not-a-mic", TrackSource.SOURCE_MICROPHONE, 640, 480);
    const shown: string[] = [];
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      shown.push((await page.getAttribute("#candidate-video", "data-track-sid").catch(() => null)) ?? "");
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(shown).not.toContain(decoy);
    await pollForEvent(events, interviewId, (e) => e.type === "extra_video_track", 30_000);
  }, 150_000);
});

describe("one camera per candidate, enforced by the monitor alone when no webhook arrives", () => {
  let lonely: RunningKit;
  beforeAll(async () => {
    // Its own livekit-server, which sends the kit no webhooks, and its own verifier worker (the monitor).
    lonely = await startKit({ isolated: { portBase: 17890, worker: true, noWebhooks: true } });
  }, 120_000);
  afterAll(async () => {
    await lonely?.stop();
  });

  it("the monitor reports a decoy; the kit checks the SFU, stops it and removes the candidate", async () => {
    const { json, token, headers } = await lonely.api.candidateSession({ candidate: { name: "Decoy, no webhooks" } });
    const session = await lonely.app.store.findSession(json.id!, hashSecret(headers["x-candidate-session"]!));
    await lonely.app.store.markSessionVerified(session!.id, new Date().toISOString());
    const res = await lonely.api.call("POST", `/v1/candidate/${token}/join`, { headers });
    const grant = (await res.json()) as { serverUrl: string; token: string };
    expect(res.status).toBe(200);
    const room = new Room();
    rooms.push(room);
    await room.connect(grant.serverUrl, grant.token, { autoSubscribe: false, dynacast: false });
    const listEvents = (id: string) => lonely.app.store.listEvents(id);
    const camera = await publishVideo(room, "camera", TrackSource.SOURCE_CAMERA, 640, 480);
    // The monitor joins (dispatched at the join) and starts judging the camera before the decoy comes.
    await pollForEvent(listEvents, json.id!, (e) => e.type === "monitor_started", 60_000);
    const decoy = await publishVideo(room, "not-a-mic", TrackSource.SOURCE_MICROPHONE, 320, 240);
    const caught = await pollForEvent(listEvents, json.id!, (e) => e.type === "extra_video_track", 60_000);
    expect(caught.data).toMatchObject({ trackSid: decoy, source: "MICROPHONE", cameraSid: camera, detectedBy: "monitor" });
    expect((await listEvents(json.id!)).some((e) => e.type === "track_published")).toBe(false); // no webhook reached the kit
    await pollForEvent(listEvents, json.id!, (e) => e.type === "participant_removed", 30_000);
    await disconnected(room);
  }, 180_000);
});
