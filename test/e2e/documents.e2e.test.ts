/**
 * The identity document step (the identity-documents issue), end to end: real livekit-server, the
 * suite's real verifier worker (liveness judge, Tesseract, human's face model), and the rtc-node
 * mesh-face player, which passes the liveness check and then, when the verifier asks, holds a
 * synthetic specimen document up to the same camera track at 1280x720. The kit records
 * `document_checked` and the report raises the document flags. Reuse and expiry are the kit's own
 * logic on a read (test/documents-api.test.ts); a candidate without a document is the Chromium case below.
 *
 * The bona fide face is the mesh-face render of skimage's astronaut, so a specimen with the
 * astronaut's portrait is "the same person" and one with skimage's cameraman is another.
 */
import sharp from "sharp";
import type { EventData } from "../../shared/events.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PORTRAIT_MATCH_THRESHOLD } from "../../server/documents/thresholds.js";
import { SPECIMEN_PASSPORT, type SpecimenData } from "../helpers/documents/mrz-lines.js";
import { holdUp, portraitOf, renderDocument } from "../helpers/documents/specimen.js";
import { openCandidate } from "../helpers/candidate-page.js";
import { pollForEvent } from "../helpers/events.js";
import { type RunningKit, startKit } from "../helpers/kit-server.js";
import { loadMeshFace, type MeshFace } from "../helpers/mesh-face.js";
import { startMeshPublisher } from "../helpers/mesh-publisher.js";
import { rgbaToI420 } from "../helpers/mesh-render.js";
import { waitForStatus } from "../helpers/verification.js";

let kit: RunningKit;
let face: MeshFace;

beforeAll(async () => {
  kit = await startKit();
  face = await loadMeshFace();
}, 120_000);
afterAll(async () => {
  await kit?.stop();
});

type DocumentFrame = { i420: Uint8Array; width: number; height: number };

/** The document held up at 1280x720 in three slightly different ways (tilt, blur, noise), as I420. */
async function heldUp(data: SpecimenData, portrait: "astronaut" | "cameraman"): Promise<DocumentFrame[]> {
  const page = await renderDocument(data, await portraitOf(portrait));
  const poses = [
    { tiltDeg: 4, blur: 0.5, noise: 3, seed: 1 },
    { tiltDeg: -3, blur: 0.7, noise: 4, seed: 2 },
    { tiltDeg: 2, blur: 0.6, noise: 3, seed: 3 },
  ];
  return Promise.all(
    poses.map(async (p) => {
      const jpeg = await holdUp(page, { width: 1280, height: 720, fill: 0.62, ...p });
      const { data: rgba } = await sharp(jpeg).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      return { i420: rgbaToI420(new Uint8Array(rgba), 1280, 720, new Uint8Array((1280 * 720 * 3) / 2)), width: 1280, height: 720 };
    }),
  );
}

const events = (id: string) => kit.app.store.listEvents(id);

/**
 * A candidate of a fresh interview (document step on) passes liveness with the mesh-face player and,
 * when asked, shows `frames` (none: keeps showing the face). Failed liveness attempts are retried as
 * the product lets a candidate. Resolves with the interview and its `document_checked` data.
 */
async function showDocument(body: Record<string, unknown>, frames: DocumentFrame[]) {
  const { json, token, headers } = await kit.api.candidateSession({ document: "optional", ...body });
  for (let attempt = 1; ; attempt++) {
    const res = await kit.api.call("POST", `/v1/candidate/${token}/liveness`, { headers });
    const ticket = await res.json();
    expect(res.status, JSON.stringify(ticket)).toBe(201);
    const player = await startMeshPublisher({ url: ticket.serverUrl, token: ticket.token, face, maxFramerate: 15, simulcast: false, documentFrames: frames });
    try {
      const status = await waitForStatus(kit.api, token, headers, ticket.challengeId, 90_000);
      if (status.state !== "passed") {
        expect(attempt, `liveness kept failing: ${JSON.stringify(status)}`).toBeLessThan(3);
        continue;
      }
      const checked = await pollForEvent(events, json.id!, (e) => e.type === "document_checked", 90_000).catch((err) => {
        console.log("DEBUG messages", player.messages.map((m) => m.message.type).filter((t) => t !== "target").join(","), player.framesSent);
        throw err;
      });
      expect(player.messages.some((m) => m.message.type === "document_prompt")).toBe(true);
      return { interviewId: json.id!, data: checked.data as EventData<"document_checked"> };
    } finally {
      await player.stop();
    }
  }
}

async function flagsOf(interviewId: string): Promise<Record<string, { severity: string; explanation: string }>> {
  const report = await (await kit.api.call("GET", `/v1/interviews/${interviewId}/report`, { headers: kit.api.auth })).json();
  return Object.fromEntries(report.flags.map((f: { id: string }) => [f.id, f]));
}
const documentFlagIds = (flags: Record<string, unknown>) => Object.keys(flags).filter((id) => id.startsWith("document_")).sort();

describe("the document step after a liveness pass, in the same room and on the same camera", () => {
  let matching: DocumentFrame[];
  beforeAll(async () => {
    matching = await heldUp(SPECIMEN_PASSPORT, "astronaut");
  });

  it("reads a matching passport: its fields, a keyed hash instead of the number, the portrait matching the live face, no flag", async () => {
    const { interviewId, data } = await showDocument({ candidate: { name: "Min-jun Kim" }, claimedLocation: { country: "KR" } }, matching);
    expect(data).toMatchObject({ outcome: "read", mode: "optional", checks: { expired: false, nameMatches: true, nationalityMatches: true } });
    expect(data.document).toMatchObject({ format: "TD3", issuingState: "KOR", nationality: "KOR", surname: "KIM", givenNames: "MIN JUN", birthDate: "900314" });
    expect(data.document!.numberHash).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(await events(interviewId))).not.toContain(SPECIMEN_PASSPORT.documentNumber);
    const portrait = data.portrait.kind === "compared" ? data.portrait : undefined;
    console.log(`portrait of the same person: similarity ${portrait?.similarity} (threshold ${PORTRAIT_MATCH_THRESHOLD}); ${data.framesRead} frames read, ${data.lookedMs} ms`);
    expect(portrait).toMatchObject({ kind: "compared", threshold: PORTRAIT_MATCH_THRESHOLD });
    expect(portrait!.similarity).toBeGreaterThanOrEqual(PORTRAIT_MATCH_THRESHOLD);
    expect(documentFlagIds(await flagsOf(interviewId))).toEqual([]);
  }, 240_000);

  it("flags another person's document: the portrait, the name, and a Korean document against a claimed Japan", async () => {
    const other = await heldUp({ ...SPECIMEN_PASSPORT, surname: "PARK", givenNames: "SEO YEON", documentNumber: "MP7394774" }, "cameraman");
    const { interviewId, data } = await showDocument({ candidate: { name: "Haruto Tanaka" }, claimedLocation: { country: "JP" } }, other);
    console.log(`portrait of another person: similarity ${data.portrait.kind === "compared" ? data.portrait.similarity : data.portrait.kind}`);
    expect(data).toMatchObject({ outcome: "read", checks: { nameMatches: false, nationalityMatches: false, claimedCountry: "JP", documentCountry: "KR" } });
    expect(data.portrait.kind).toBe("compared");
    const flags = await flagsOf(interviewId);
    expect(documentFlagIds(flags)).toEqual(["document_face_mismatch", "document_name_mismatch", "document_nationality_mismatch"]);
    expect(flags.document_face_mismatch!.severity).toBe("high");
  }, 240_000);

  it("flags a document whose check digit was edited as invalid", async () => {
    const forged = await heldUp({ ...SPECIMEN_PASSPORT, breakCheckDigit: true }, "astronaut");
    const { interviewId, data } = await showDocument({ candidate: { name: "Min-jun Kim" } }, forged);
    expect(data).toMatchObject({ outcome: "invalid", failedChecks: expect.arrayContaining([expect.stringMatching(/documentNumber/i)]) });
    expect(data.document).toBeUndefined();
    expect(documentFlagIds(await flagsOf(interviewId))).toEqual(["document_invalid"]);
  }, 240_000);
});

describe("the candidate page's document step (Chromium, the in-page mesh player)", () => {
  it("names the document at consent, asks for it after the pass, and lets a candidate without one go on to the interview", async () => {
    const { json } = await kit.api.createInterview({ candidate: { name: "Min-jun Kim" }, document: "optional" });
    const { browser, page } = await openCandidate(json.candidateUrl!, { mesh: {} });
    try {
      await page.waitForSelector("#consent-document");
      expect(await page.textContent("#consent-document")).toMatch(/identity document.*machine-readable zone.*cannot be turned back/);
      await page.click("#consent");
      for (let attempt = 1; ; attempt++) {
        await page.waitForSelector("#instruction[data-phase=document], body[data-state=check_failed]", { timeout: 120_000 });
        if ((await page.evaluate(() => document.body.dataset.state)) !== "check_failed") break;
        expect(attempt, "the mesh player kept failing the check").toBeLessThan(3);
        await page.click("#retry");
      }
      expect(await page.textContent("#hint")).toMatch(/passport photo page or ID card/);
      await page.click("#document-skip");
      await page.waitForSelector("body[data-state=in_interview]", { timeout: 60_000 });
      expect(await page.$("#document-skip")).toBeNull();
      // The verifier looked for its full time, saw no document, and said so.
      const checked = await pollForEvent(events, json.id!, (e) => e.type === "document_checked", 90_000);
      expect(checked.data).toMatchObject({ outcome: "unreadable", mode: "optional" });
      expect(documentFlagIds(await flagsOf(json.id!))).toEqual(["document_unreadable"]);
    } finally {
      await browser.close();
    }
  }, 300_000);
});
