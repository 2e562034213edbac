import { randomInt } from "node:crypto";
import { type Observation, Rechallenge } from "../../shared/monitoring.js";
import { AppError } from "../errors/index.js";
import type { RequestMeta, Timeline } from "../interviews/index.js";
import { newId } from "../security/index.js";
import type { InterviewRecord, Store } from "../store/index.js";

/** How long the candidate has to perform a re-challenge step. */
export const RECHALLENGE_MS = 20_000;
const RECHALLENGE_STEPS = Rechallenge.shape.step.options;

/**
 * In-interview verification on the interviewer's side: observations of the
 * received video, and re-challenges whose result the interviewer's own
 * detection decides.
 */
export class MonitoringService {
  constructor(private readonly deps: { store: Store; timeline: Timeline; now: () => Date }) {}

  /** Records one observation as an interview event. */
  async observe(interview: InterviewRecord, observation: Observation, meta: RequestMeta): Promise<void> {
    const { type, ...data } = observation;
    if (type === "rechallenge_result") await this.checkRechallenge(interview, observation.rechallengeId);
    await this.deps.timeline.record(interview, { type, actor: "interviewer", ...meta, data });
  }

  /** Issues one random step for the candidate to perform now. */
  async rechallenge(interview: InterviewRecord, meta: RequestMeta): Promise<Rechallenge> {
    const now = this.deps.now();
    const challenge: Rechallenge = {
      rechallengeId: newId("rc"),
      step: RECHALLENGE_STEPS[randomInt(RECHALLENGE_STEPS.length)]!,
      expiresAt: new Date(now.getTime() + RECHALLENGE_MS).toISOString(),
    };
    await this.deps.timeline.record(interview, { type: "rechallenge_sent", actor: "interviewer", ...meta, data: { ...challenge } });
    return challenge;
  }

  /** A result must answer a re-challenge of this interview, once, before it expires. */
  private async checkRechallenge(interview: InterviewRecord, rechallengeId: string): Promise<void> {
    const events = await this.deps.store.listEvents(interview.id);
    const sent = events.find((e) => e.type === "rechallenge_sent" && e.data.rechallengeId === rechallengeId);
    if (!sent) throw new AppError("challenge_unknown", "No such re-challenge for this interview", "rechallengeId");
    if (events.some((e) => e.type === "rechallenge_result" && e.data.rechallengeId === rechallengeId)) {
      throw new AppError("challenge_finished", "This re-challenge already has a result");
    }
    // A little grace past the deadline for the result's own round trip.
    if (this.deps.now().getTime() > Date.parse(String(sent.data.expiresAt)) + 5_000) {
      throw new AppError("challenge_finished", "This re-challenge has expired");
    }
  }
}
