import type { ObservationData, ObservationInput, ObservationRecorded } from "../../shared/observations.js";
import { notFound } from "../errors/index.js";
import type { InterviewRecord, Store } from "../store/index.js";
import type { RequestMeta, Timeline } from "../timeline/index.js";

/** The interviewer's checklist of the advisory's red flags, recorded as `interviewer_observed` events. */
export class ObservationService {
  constructor(private readonly deps: { store: Store; timeline: Timeline }) {}

  /** Through the API key, by interview id. */
  async recordById(id: string, input: ObservationInput, meta: RequestMeta): Promise<ObservationRecorded> {
    const interview = await this.deps.store.getInterview(id);
    if (!interview) throw notFound("Interview");
    return this.record(interview, input, "api", meta);
  }

  async record(interview: InterviewRecord, input: ObservationInput, via: ObservationData["via"], meta: RequestMeta): Promise<ObservationRecorded> {
    const data: ObservationData = { items: input.items, ...(input.note ? { note: input.note } : {}), via };
    const event = await this.deps.timeline.record(interview, { type: "interviewer_observed", actor: "interviewer", ...meta, data });
    return { recorded: "interviewer_observed", eventId: event.id, items: input.items, at: event.at };
  }
}
