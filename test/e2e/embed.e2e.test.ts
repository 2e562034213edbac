/**
 * The embeddable widget in real Chromium: an HR tool's page on another origin
 * (another port of 127.0.0.1) loads the kit's /embed.js and embeds the candidate
 * and interviewer pages with `<verify-interview>` and `<verify-interview-room>`.
 * Real livekit-server, the real verifier worker, the mesh-face player (a live 3D render of one photo).
 */
import fs from "node:fs";
import path from "node:path";
import { createRemoteJWKSet, decodeJwt, errors, jwtVerify } from "jose";
import type { Browser, Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CompletionClaims } from "../../shared/embed.js";
import { candidateIdentity } from "../../server/verification/index.js";
import { fixture, launchBrowser, loopbackContext } from "../helpers/browser.js";
import { identityCheckVerifier } from "../embed-examples/verify-token.js";
import { type HostSite, hostPage, startHostSite } from "../helpers/host-page.js";
import { type RunningKit, startKit } from "../helpers/kit-server.js";
import { installMeshPlayer } from "../helpers/mesh-player.js";

const SHOTS = path.resolve(import.meta.dirname, "../../test-results/screenshots");
type WidgetEvent = { name: string; detail: Record<string, unknown> };
declare global {
  interface Window {
    __events: WidgetEvent[];
  }
}

let kit: RunningKit;
/** An HR tool the kit allows (EMBED_ALLOWED_ORIGINS), and one it does not. */
let allowed: HostSite;
let stranger: HostSite;
const browsers: Browser[] = [];

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  allowed = await startHostSite();
  stranger = await startHostSite();
  kit = await startKit({ embedAllowedOrigins: [allowed.origin] });
});
afterAll(async () => {
  await Promise.all(browsers.map((b) => b.close()));
  await kit?.stop();
  await allowed?.stop();
  await stranger?.stop();
});

/** Opens a host page in a fresh Chromium: the mesh-face player as camera, a camera file, or none. */
async function openHost(
  url: string,
  camera: "player" | string | null,
  options: { denyPermission?: boolean; colorScheme?: "dark" | "light" } = {},
): Promise<Page> {
  const browser = await launchBrowser({ camera: camera === "player" ? null : camera, denyPermission: options.denyPermission });
  browsers.push(browser);
  const context = await loopbackContext(browser, { viewport: { width: 1180, height: 860 }, colorScheme: options.colorScheme ?? "light" });
  // The init script runs in every frame, the kit's included: the player becomes the frame's camera.
  if (camera === "player") await installMeshPlayer(context);
  const page = await context.newPage();
  page.on("pageerror", (err) => console.error("host page error:", err.message));
  await page.goto(url);
  return page;
}

const eventsOf = (page: Page) => page.evaluate(() => window.__events);
const names = (events: WidgetEvent[]) => events.map((e) => e.name);
const waitForEvent = (page: Page, name: string, timeout = 30_000) =>
  page.waitForFunction((n) => window.__events.some((e) => e.name === n), name, { timeout });
/** The kit's page inside the widget, once its document is the kit's. */
const kitFrame = (page: Page): Frame => {
  const frame = page.frames().find((f) => f.url().startsWith(kit.url));
  if (!frame) throw new Error(`no kit frame; frames: ${page.frames().map((f) => f.url()).join(", ")}`);
  return frame;
};
/** Polls the interview's timeline until `type` is recorded (the page reports some outcomes without waiting). */
async function recorded(id: string, type: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if ((await interviewEvents(id)).some((e) => e.type === type)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${type} not recorded within ${ms} ms; saw ${(await interviewEvents(id)).map((e) => e.type).join(", ")}`);
}
const interviewEvents = async (id: string): Promise<Array<{ type: string; data: Record<string, unknown> }>> =>
  (await (await kit.api.call("GET", `/v1/interviews/${id}`, { headers: kit.api.auth })).json()).events;
/** The whole host page: the viewport grows to it first, since Chromium paints no iframe content outside the viewport. */
async function shot(page: Page, name: string): Promise<void> {
  const viewport = page.viewportSize()!;
  const height = await page.evaluate(() => Math.ceil(document.documentElement.scrollHeight));
  if (height > viewport.height) await page.setViewportSize({ width: viewport.width, height });
  await page.screenshot({ path: path.join(SHOTS, name) });
  if (height > viewport.height) await page.setViewportSize(viewport);
}

describe("a bona fide candidate in an HR tool's page", () => {
  it("emits the events in order and a completion token the host's backend verifies for its own origin only", async () => {
    const { json } = await kit.api.createInterview({ candidate: { name: "Kim Min-jun" }, claimedLocation: { country: "KR" } });
    const element = `<verify-interview src="${json.candidateUrl}" theme="light"></verify-interview>`;
    const page = await openHost(allowed.page("/verify", hostPage({ kitUrl: kit.url, element })), "player");
    await waitForEvent(page, "ready");
    const frame = page.frameLocator("verify-interview iframe");
    await frame.locator("#consent").waitFor();
    // The element sized itself to the page inside it.
    const frameHeight = await kitFrame(page).evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
    await page.waitForFunction((h) => document.querySelector("verify-interview")!.shadowRoot!.querySelector("iframe")!.style.height === `${h}px`, frameHeight);
    await shot(page, "embed-light-consent.png");

    await frame.locator("#consent").click();
    await waitForEvent(page, "verification-started", 60_000);
    await shot(page, "embed-light-check.png");
    // A cooperative person passes; on this shared 2-core machine a starved verifier can still misread the
    // following. Such an attempt must show as its own events; the candidate then retries, as a person would.
    for (let attempt = 1; ; attempt++) {
      await page.waitForFunction((n) => window.__events.filter((e) => ["joined", "verification-failed", "error"].includes(e.name)).length >= n, attempt, {
        timeout: 120_000,
      });
      const last = (await eventsOf(page)).at(-1)!;
      if (last.name !== "verification-failed" || attempt === 3) break;
      console.warn(`attempt ${attempt} failed (${JSON.stringify(last.detail)}); retrying`);
      await frame.locator("#retry").click();
    }
    let events = await eventsOf(page);
    const failures = (await interviewEvents(json.id!)).filter((e) => e.type === "liveness_failed").map((e) => e.data.reasons);
    const sequence = names(events).join(",");
    expect(sequence, JSON.stringify(failures)).toMatch(
      /^ready,consent,(verification-started,(step,)?verification-failed,){0,2}verification-started,step,verified,joined$/,
    );
    expect(events[0]!.detail).toEqual({ attemptsLeft: 3 });
    const started = events.filter((e) => e.name === "verification-started");
    expect(started.map((e) => e.detail)).toEqual(started.map((_, i) => ({ totalSteps: 1, attemptsLeft: 2 - i })));
    for (const failed of events.filter((e) => e.name === "verification-failed")) {
      expect(failed.detail).toMatchObject({ failure: expect.stringMatching(/^[A-Za-z]+$/), attemptsLeft: expect.any(Number) });
    }
    const lastSteps = events.slice(events.lastIndexOf(started.at(-1)!) + 1).filter((e) => e.name === "step");
    expect(lastSteps.map((e) => [e.detail.index, e.detail.total])).toEqual([[0, 1]]);
    await shot(page, "embed-light-joined.png");

    // The host's backend: five lines of jose against the kit's JWKS, with its own origin as audience.
    const { token } = events.find((e) => e.name === "verified")!.detail as { token: string };
    const jwks = createRemoteJWKSet(new URL(`${kit.url}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(token, jwks, { issuer: kit.url, audience: allowed.origin });
    const claims = CompletionClaims.parse(payload);
    expect(claims).toMatchObject({ interview_id: json.id, verdict: "passed", aud: allowed.origin });
    // The embedding guide's backend check (docs/embedding.md), word for word: the token is good for this interview, once.
    const verifyIdentityCheck = identityCheckVerifier(kit.url, allowed.origin);
    await expect(verifyIdentityCheck(token, "iv_another_application")).rejects.toThrow(/another interview/);
    expect(await verifyIdentityCheck(token, json.id!)).toMatchObject({ interviewId: json.id });
    await expect(verifyIdentityCheck(token, json.id!)).rejects.toThrow(/already used/);
    // The session in the token is the one the kit let into the room.
    const issued = (await interviewEvents(json.id!)).filter((e) => e.type === "token_issued").map((e) => e.data.identity);
    expect(issued).toContain(candidateIdentity(claims.candidate_session));

    // The same token is worthless to another host, and any change to it breaks the signature.
    await expect(jwtVerify(token, jwks, { issuer: kit.url, audience: stranger.origin })).rejects.toBeInstanceOf(errors.JWTClaimValidationFailed);
    const [h, , s] = token.split(".");
    const tampered = Buffer.from(JSON.stringify({ ...decodeJwt(token), risk_level: "clear", aud: stranger.origin })).toString("base64url");
    await expect(jwtVerify(`${h}.${tampered}.${s}`, jwks, { issuer: kit.url, audience: stranger.origin })).rejects.toBeInstanceOf(
      errors.JWSSignatureVerificationFailed,
    );

    // The interviewer, in the same HR tool, holds the interview with <verify-interview-room> and ends it.
    const roomElement = `<verify-interview-room src="${json.interviewerUrl}" theme="dark"></verify-interview-room>`;
    const room = await openHost(
      allowed.page("/room", hostPage({ kitUrl: kit.url, element: roomElement, dark: true, heading: "Interview: Kim Min-jun", lead: "Backend engineer, round 2. The kit verified the candidate before letting them in." })),
      fixture("face.mjpeg"),
    );
    await waitForEvent(room, "ready");
    const roomFrame = room.frameLocator("verify-interview-room iframe");
    await roomFrame.locator("#join").click();
    await waitForEvent(room, "joined");
    await roomFrame.locator("#candidate-video").waitFor({ timeout: 30_000 });
    await shot(room, "embed-dark-room.png");
    await roomFrame.locator("#end").click();
    await waitForEvent(room, "ended", 60_000);
    await waitForEvent(page, "ended", 60_000);
    events = await eventsOf(page);
    expect(names(events).slice(-2)).toEqual(["joined", "ended"]);
    expect(names(await eventsOf(room))).toEqual(["ready", "joined", "ended"]);
  }, 240_000);
});

describe("failures", () => {
  it("a refused camera emits camera-failed with PermissionDenied", async () => {
    const { json } = await kit.api.createInterview({ candidate: { name: "Camera Shy" } });
    const element = `<verify-interview src="${json.candidateUrl}"></verify-interview>`;
    const page = await openHost(allowed.page("/refused", hostPage({ kitUrl: kit.url, element })), fixture("face.mjpeg"), { denyPermission: true });
    await waitForEvent(page, "ready");
    await page.frameLocator("verify-interview iframe").locator("#consent").click();
    await waitForEvent(page, "camera-failed");
    const events = await eventsOf(page);
    expect(names(events)).toEqual(["ready", "consent", "camera-failed"]);
    expect(events[2]!.detail).toEqual({ failure: "PermissionDenied" });
    await recorded(json.id!, "camera_refused");
  });

  it("a host origin the kit does not allow cannot show the page, even when it claims an allowed origin", async () => {
    const { json } = await kit.api.createInterview({ candidate: { name: "Elsewhere" } });
    const claimed = new URL(json.candidateUrl!);
    claimed.searchParams.set("embed_origin", allowed.origin);
    const element = `<verify-interview src="${json.candidateUrl}"></verify-interview>`;
    // A hand-made iframe naming the allowed origin: the kit lets only that origin frame the response, and this is not it.
    const extra = `<iframe id="claimed" src="${claimed.href}" allow="camera; microphone"></iframe>`;
    const page = await openHost(stranger.page("/embed", hostPage({ kitUrl: kit.url, element, extra })), fixture("face.mjpeg"));
    await waitForEvent(page, "error", 20_000);
    const events = await eventsOf(page);
    expect(names(events)).toEqual(["error"]);
    expect(events[0]!.detail.code).toBe("frame_blocked");
    // Chromium shows its error page in both frames; the kit's page never ran, so it never even opened the link.
    expect(page.frames().filter((f) => f.url().startsWith("chrome-error://")).length).toBe(2);
    expect(page.frames().some((f) => f.url().startsWith(kit.url))).toBe(false);
    expect((await interviewEvents(json.id!)).map((e) => e.type)).not.toContain("link_opened");
  });

  it("ignores postMessage from any window but the widget's own frame, on both sides", async () => {
    const { json } = await kit.api.createInterview({ candidate: { name: "Forged Messages" } });
    const element = `<verify-interview src="${json.candidateUrl}"></verify-interview>`;
    // Another origin's frame on the same host page (an ad, a chat widget…) that tries both directions.
    const foreign = stranger.page("/foreign", "<!doctype html><title>foreign</title><p>third party</p>");
    // The element's frame sits in its shadow tree, out of `window.frames`; this plain iframe of the same page is
    // reachable from the foreign frame, so the page's own check is what stands between them.
    const reachable = new URL(json.candidateUrl!);
    reachable.searchParams.set("embed_origin", allowed.origin);
    const extra = `<iframe id="foreign" src="${foreign}" style="display:none"></iframe>
      <iframe id="plain" src="${reachable.href}" allow="camera; microphone" style="width:720px;height:300px;border:0"></iframe>`;
    const page = await openHost(allowed.page("/forged", hostPage({ kitUrl: kit.url, element, extra })), fixture("face.mjpeg"));
    await waitForEvent(page, "ready");
    const frames = await Promise.all(page.frames().map(async (f) => ({ f, id: await (await f.frameElement().catch(() => null))?.getAttribute("id") })));
    const plainFrame = frames.find((x) => x.id === "plain")!.f;
    const widgetFrame = frames.find((x) => x.f.url().startsWith(kit.url) && x.id !== "plain")!.f;
    await plainFrame.waitForSelector("#consent");
    const heading = await plainFrame.textContent("h2");
    const forged = { source: "verify-interview", v: 1, type: "event", name: "verified", detail: { token: "forged.token.value" } };
    const configure = { source: "verify-interview-host", v: 1, type: "configure", config: { theme: "dark", strings: { consentHeading: "HACKED" } } };
    const foreignFrame = page.frames().find((f) => f.url() === foreign)!;
    const reached = await foreignFrame.evaluate(
      ([event, config]) => {
        window.parent.postMessage(event, "*");
        // Every window the foreign frame can reach on the page, the kit's frame among them.
        for (let i = 0; i < window.parent.frames.length; i++) window.parent.frames[i]!.postMessage(config, "*");
        return window.parent.frames.length;
      },
      [forged, configure] as const,
    );
    expect(reached).toBe(2);
    // The host page's own window is not the element's frame either, and nor is another frame of the kit's origin:
    // the plain iframe posts its own `ready` to this page, which the element must not take for its own.
    await page.evaluate((event) => window.postMessage(event, "*"), forged);

    // Round trips through the real channels after the forgeries. The parent's configure reaches the plain frame;
    // the element's reaches its own frame; the element's frame's consent reaches the element.
    await page.evaluate(
      ([config, origin]) => (document.getElementById("plain") as HTMLIFrameElement).contentWindow!.postMessage(config, origin),
      [{ ...configure, config: { strings: { consentHeading: "Before your Acme interview" } } }, kit.url] as const,
    );
    await plainFrame.waitForFunction(() => document.querySelector("h2")?.textContent === "Before your Acme interview");
    await page.evaluate(() => {
      document.querySelector("verify-interview")!.strings = { consentHeading: "Ready when you are" };
    });
    await widgetFrame.waitForFunction(() => document.querySelector("h2")?.textContent === "Ready when you are");
    await widgetFrame.click("#consent");
    await waitForEvent(page, "consent");
    expect(heading).toBe("Before you join");
    // The foreign frame's theme never applied; its "HACKED" text never showed.
    expect(await plainFrame.evaluate(() => document.documentElement.dataset.scheme)).toBe("light");
    expect(names(await eventsOf(page))).toEqual(["ready", "consent"]);
  });
});

describe("themes, text and language from the host", () => {
  it("applies a dark theme and the host's variables, ignores bad values with a warning, and forwards lang", async () => {
    const { json } = await kit.api.createInterview({ candidate: { name: "Kim Min-jun" } });
    const element = `<verify-interview src="${json.candidateUrl}" theme="dark" lang="ko"></verify-interview>`;
    const page = await openHost(allowed.page("/dark", hostPage({ kitUrl: kit.url, element, dark: true })), fixture("face.mjpeg"));
    const warnings: string[] = [];
    page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
    await waitForEvent(page, "ready");
    const frame = kitFrame(page);
    await frame.waitForSelector("#consent");
    expect(new URL(frame.url()).searchParams.get("lang")).toBe("ko");
    const look = () =>
      frame.evaluate(() => ({
        scheme: document.documentElement.dataset.scheme,
        accent: getComputedStyle(document.documentElement).getPropertyValue("--accent").trim(),
        radius: getComputedStyle(document.documentElement).getPropertyValue("--radius").trim(),
        button: getComputedStyle(document.getElementById("consent")!).backgroundColor,
      }));
    expect(await look()).toEqual({ scheme: "dark", accent: "#0f766e", radius: "12px", button: "rgb(15, 118, 110)" });
    await shot(page, "embed-dark-lang-ko-consent.png");

    // A bad accent and an unknown theme: warned about and ignored, the last good look stays.
    await page.evaluate(() => {
      const el = document.querySelector("verify-interview")!;
      el.style.setProperty("--verify-accent", "url(https://evil.example/x)");
      el.setAttribute("theme", "neon");
    });
    await page.evaluate(() => document.querySelector("verify-interview")!.setAttribute("theme", "light"));
    await frame.waitForFunction(() => document.documentElement.dataset.scheme === "light");
    expect((await look()).accent).toBe("#2f5bea");
    expect(warnings.some((w) => w.includes('theme="neon"'))).toBe(true);
    expect(warnings.some((w) => w.includes("--verify-accent") && w.includes("not allowed"))).toBe(true);
  });

  it("follows the system's dark mode with theme=auto", async () => {
    const { json } = await kit.api.createInterview({ candidate: { name: "Auto Theme" } });
    const element = `<verify-interview src="${json.candidateUrl}" theme="auto"></verify-interview>`;
    const page = await openHost(allowed.page("/auto", hostPage({ kitUrl: kit.url, element, dark: true })), fixture("face.mjpeg"), {
      colorScheme: "dark",
    });
    await waitForEvent(page, "ready");
    expect(await kitFrame(page).evaluate(() => document.documentElement.dataset.scheme)).toBe("dark");
  });

  it("ignores text overrides in the URL fragment on the kit's own page opened directly (review 2, finding 19)", async () => {
    const { json } = await kit.api.createInterview({ candidate: { name: "Fragment Direct" } });
    const browser = await launchBrowser({ camera: fixture("face.mjpeg") });
    browsers.push(browser);
    const page = await (await loopbackContext(browser)).newPage();
    const warnings: string[] = [];
    page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
    const config = encodeURIComponent(JSON.stringify({ strings: { consentHeading: "We keep nothing", consentFaceTemplate: "We keep nothing {days}" } }));
    await page.goto(`${json.candidateUrl!}#verify-config=${config}`);
    await page.waitForSelector("h2");
    expect(await page.textContent("h2")).not.toContain("We keep nothing");
    expect(await page.textContent("body")).not.toContain("We keep nothing");
    expect(warnings.some((w) => /apply only inside an allowed embedding page/.test(w))).toBe(true);
  });

  it("gives a widget made in script its text and accent before the page first draws (URL fragment), refusing unknown keys", async () => {
    const { json } = await kit.api.createInterview({ candidate: { name: "Scripted Widget" } });
    const page = await openHost(allowed.page("/scripted", hostPage({ kitUrl: kit.url, element: "" })), fixture("face.mjpeg"));
    const warnings: string[] = [];
    page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
    await page.evaluate((src) => {
      const widget = document.createElement("verify-interview");
      widget.strings = { consentHeading: "Before your Acme interview", camera: { NoCamera: "Plug in a webcam" }, attemptsLeft: "n/a", bogus: "x" };
      widget.style.setProperty("--verify-accent", "#ffd400");
      widget.addEventListener("ready", (e) => window.__events.push({ name: "ready", detail: (e as CustomEvent).detail }));
      widget.src = src;
      document.querySelector("main")!.append(widget);
    }, json.candidateUrl!);
    await waitForEvent(page, "ready");
    const frame = kitFrame(page);
    // The text and the accent travelled in the fragment, which no server sees.
    expect(new URL(frame.url()).hash).toMatch(/^#verify-config=/);
    expect(await frame.textContent("h2")).toBe("Before your Acme interview");
    // A light accent gets dark button text.
    expect(await frame.evaluate(() => getComputedStyle(document.getElementById("consent")!).color)).toBe("rgb(17, 24, 39)");
    expect(warnings.filter((w) => /string override "(attemptsLeft|bogus)"/.test(w))).toHaveLength(2);
    await shot(page, "embed-light-scripted.png");
  });
});
