import type { InterviewEvent } from "../../shared/interview.js";

/** What stands for another interview's candidate where the reader may not see who it is. */
export const ANOTHER_CANDIDATE = "Another candidate";

/**
 * The events with other candidates' names and emails taken out of identity checks (the interview
 * ids and similarities stay). Only API keys with the `personal_data` scope see who else a face
 * matched; an interviewer link or a narrower key sees that it matched, and where.
 */
export function hideOtherCandidates(events: InterviewEvent[]): InterviewEvent[] {
  return events.map((e) => {
    if (e.type === "network_checked" && !e.legacy) {
      const matches = e.data.matches.map(({ candidateEmail: _email, ...rest }) => ({ ...rest, candidateName: ANOTHER_CANDIDATE }));
      return { ...e, data: { ...e.data, matches } };
    }
    if (e.type === "device_checked" && !e.legacy) {
      const matches = e.data.matches.map(({ candidateEmail: _email, ...rest }) => ({ ...rest, candidateName: ANOTHER_CANDIDATE }));
      return { ...e, data: { ...e.data, matches } };
    }
    if (e.type === "document_checked" && !e.legacy) {
      const matches = e.data.matches.map(({ candidateEmail: _email, ...rest }) => ({ ...rest, candidateName: ANOTHER_CANDIDATE }));
      return { ...e, data: { ...e.data, matches } };
    }
    if (e.type !== "identity_checked" || !Array.isArray((e.data as { reused?: unknown }).reused)) return e;
    const data = e.data as { reused: Array<{ candidateEmail?: string }> };
    const reused = data.reused.map(({ candidateEmail: _email, ...rest }) => ({ ...rest, candidateName: ANOTHER_CANDIDATE }));
    return { ...e, data: { ...data, reused } } as InterviewEvent;
  });
}
