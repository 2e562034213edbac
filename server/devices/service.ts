import { identityKey } from "../networks/service.js";
import type { InterviewEvent } from "../../shared/interview.js";
import type { CandidateSessionRecord, InterviewRecord, Store } from "../store/index.js";
import type { Timeline } from "../timeline/index.js";
import { deviceFingerprint, type ReportedDevice } from "./fingerprint.js";

export interface DeviceReuseDeps {
  store: Store;
  timeline: Timeline;
  /** The key of the fingerprint (DOCUMENT_HASH_KEY, domain-separated from the document number's). */
  hashKey: string;
  /** How far back other interviews are compared (NETWORK_REUSE_DAYS, as for networks). */
  windowDays: number;
  now: () => Date;
}

/** At most this many other interviews are named in one check. */
const MAX_MATCHES = 50;

/** The machine a session's browser reported: its latest environment report (with device traits), camera report and user agent. */
export function reportedDevice(events: InterviewEvent[], sessionId: string): ReportedDevice | undefined {
  let environment: Extract<InterviewEvent, { type: "environment_reported" }> | undefined;
  let camera: Extract<InterviewEvent, { type: "camera_granted" }> | undefined;
  for (const e of events) {
    if (e.legacy) continue;
    if (e.type === "environment_reported" && e.data.sessionId === sessionId && e.data.device) environment = e;
    if (e.type === "camera_granted" && e.data.sessionId === sessionId) camera = e;
  }
  // The camera is part of the machine: without its report the fingerprint would be another one.
  if (!environment?.data.device || !environment.userAgent || !camera) return undefined;
  return {
    userAgent: environment.userAgent,
    timeZone: environment.data.timeZone,
    languages: environment.data.languages,
    traits: environment.data.device,
    camera: { label: camera.data.label, width: camera.data.width, height: camera.data.height },
  };
}

/**
 * Laptop farms, the device half: one operator's machine behind several candidates. Once a session has
 * reported both its environment and its camera, and again at each join, the session's reported machine (`reportedDevice`) is hashed with a key (`deviceFingerprint`), kept,
 * and looked up by index among the window's other interviews. Another identity on the same
 * fingerprint is recorded as `device_checked`; the report makes it `device_reused`, review only,
 * since every value in it is reported by the browser.
 */
export class DeviceReuseService {
  constructor(private readonly deps: DeviceReuseDeps) {}

  /** Never throws: evidence must not block a join. */
  async check(interview: InterviewRecord, session: CandidateSessionRecord): Promise<void> {
    try {
      await this.checkOrThrow(interview, session);
    } catch (err) {
      console.error(`device check for interview ${interview.id} failed:`, (err as Error).message);
    }
  }

  private async checkOrThrow(interview: InterviewRecord, session: CandidateSessionRecord): Promise<void> {
    const { store, timeline, now } = this.deps;
    const events = await store.listEvents(interview.id);
    const device = reportedDevice(events, session.id);
    if (!device) return;
    const fingerprint = deviceFingerprint(this.deps.hashKey, device);
    const at = now();
    await store.recordDeviceSighting({ interviewId: interview.id, fingerprint, at: at.toISOString() });
    const since = new Date(at.getTime() - this.deps.windowDays * 86_400_000).toISOString();
    const self = identityKey(interview);
    const matches = (await store.sameDevice(interview.id, fingerprint, since, MAX_MATCHES))
      .filter((m) => identityKey(m) !== self)
      .map((m) => ({ interviewId: m.interviewId, candidateName: m.candidateName, ...(m.candidateEmail ? { candidateEmail: m.candidateEmail } : {}), at: m.at }));
    if (!matches.length) return;
    const seen = (ms: { interviewId: string }[]) => ms.map((m) => m.interviewId).sort().join(",");
    const previous = events.filter((e) => e.type === "device_checked" && !e.legacy).at(-1);
    if (previous?.type === "device_checked" && !previous.legacy && seen(previous.data.matches) === seen(matches)) return;
    await timeline.record(interview, { type: "device_checked", actor: "system", data: { sessionId: session.id, matches } });
  }
}
