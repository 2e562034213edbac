import { EVENT_DATA } from "../../shared/events.js";
import { IdentityChecked } from "../../shared/identity.js";
import { documentFlags } from "../signals/document.js";
import { ObservationData } from "../../shared/observations.js";
import { RedactionRecord } from "../../shared/redaction.js";
import type { InterviewEvent } from "../../shared/interview.js";
import type { WebhookEvent } from "../../shared/webhooks.js";
import type { RiskChange } from "../store/index.js";

/** One outgoing event a timeline event causes; `onceKey` makes it at most once per endpoint (and interview). */
export interface OutgoingEvent {
  event: WebhookEvent;
  onceKey?: string;
}

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const str = (v: unknown) => (typeof v === "string" ? v : undefined);

/**
 * The outgoing webhook events that a recorded timeline event causes, in the
 * order they are sent. Pure: the same event always maps to the same events.
 * Only identifiers and outcomes leave the kit: no names, emails, IPs or faces.
 */
export function toWebhookEvents(interviewId: string, e: Pick<InterviewEvent, "type" | "at" | "data">): OutgoingEvent[] {
  const timestamp = e.at;
  const one = (event: WebhookEvent, onceKey?: string): OutgoingEvent[] => [{ event, ...(onceKey ? { onceKey } : {}) }];
  // Read field by field with type checks: legacy rows (data that no longer matches its type) map the same way.
  const d = e.data as Record<string, unknown>;
  switch (e.type) {
    case "interview_created":
      return one({ type: "interview.created", timestamp, data: { interviewId } });
    case "link_opened":
      return one({ type: "interview.link_opened", timestamp, data: { interviewId } });
    case "camera_refused":
      return one({ type: "candidate.camera_refused", timestamp, data: { interviewId } });
    case "liveness_passed":
      return one({ type: "verification.passed", timestamp, data: { interviewId, challengeId: str(d.challengeId) ?? "" } });
    case "liveness_failed": {
      const challengeId = str(d.challengeId) ?? "";
      const attemptsLeft = Math.max(0, Math.trunc(num(d.attemptsLeft) ?? 0));
      const refunded = d.refunded === true;
      const failure = str(d.failure);
      const out: OutgoingEvent[] = [
        {
          event: {
            type: "verification.failed",
            timestamp,
            data: { interviewId, challengeId, ...(failure ? { failure } : {}), refunded, attemptsLeft },
          },
        },
      ];
      if (attemptsLeft === 0 && !refunded) {
        out.push({ event: { type: "verification.attempts_exhausted", timestamp, data: { interviewId, challengeId } } });
      }
      return out;
    }
    case "participant_joined":
      // The candidate joining the interview room starts the interview; later rejoins do not.
      if (d.role !== "candidate") return [];
      return one({ type: "interview.started", timestamp, data: { interviewId } }, `interview.started:${interviewId}`);
    case "interview_ended":
      return one({ type: "interview.ended", timestamp, data: { interviewId } }, `interview.ended:${interviewId}`);
    case "face_mismatch": {
      const seconds = num(d.seconds);
      const threshold = num(d.threshold);
      return one({
        type: "identity.face_mismatch",
        timestamp,
        data: { interviewId, ...(seconds !== undefined ? { seconds } : {}), ...(threshold !== undefined ? { threshold } : {}) },
      });
    }
    case "extra_video_track": {
      const source = typeof d.source === "string" ? d.source : "";
      const trackSid = typeof d.trackSid === "string" ? d.trackSid : "";
      return one({ type: "identity.extra_video_track", timestamp, data: { interviewId, source, trackSid } }, `identity.extra_video_track:${interviewId}:${trackSid}`);
    }
    case "static_video":
    case "looped_video": {
      const kind = e.type === "static_video" ? "static" : "looped";
      const seconds = num(d.seconds);
      const periodSeconds = num(d.periodSeconds);
      return one({
        type: "identity.video_not_live",
        timestamp,
        data: { interviewId, kind, ...(seconds !== undefined ? { seconds } : {}), ...(periodSeconds !== undefined ? { periodSeconds } : {}) },
      });
    }
    case "identity_checked": {
      const parsed = IdentityChecked.safeParse(d);
      if (!parsed.success) return [];
      const out: OutgoingEvent[] = [];
      const { reused, rounds } = parsed.data;
      if (reused.length) {
        out.push({
          event: {
            type: "identity.face_reused",
            timestamp,
            data: { interviewId, matches: reused.map((r) => ({ interviewId: r.interviewId, similarity: r.similarity })) },
          },
        });
      }
      const changed = rounds.filter((r) => !r.samePerson);
      if (changed.length) {
        out.push({
          event: {
            type: "identity.changed",
            timestamp,
            data: { interviewId, rounds: changed.map((r) => ({ interviewId: r.interviewId, round: r.round, similarity: r.similarity })) },
          },
        });
      }
      return out;
    }
    case "network_checked": {
      const parsed = EVENT_DATA.network_checked.safeParse(d);
      if (!parsed.success || !parsed.data.matches.length) return [];
      const matches = parsed.data.matches.map((m) => ({ interviewId: m.interviewId, sameAddress: m.sameAddress }));
      return one({ type: "identity.network_reused", timestamp, data: { interviewId, matches } });
    }
    case "device_checked": {
      const parsed = EVENT_DATA.device_checked.safeParse(d);
      if (!parsed.success || !parsed.data.matches.length) return [];
      return one({ type: "identity.device_reused", timestamp, data: { interviewId, matches: parsed.data.matches.map((m) => ({ interviewId: m.interviewId })) } });
    }
    case "document_checked": {
      const parsed = EVENT_DATA.document_checked.safeParse(d);
      if (!parsed.success) return [];
      const { challengeId, outcome, portrait } = parsed.data;
      return one(
        {
          type: "interview.document_checked",
          timestamp,
          data: { interviewId, challengeId, outcome, flags: documentFlags(parsed.data), ...(portrait.kind === "compared" ? { portraitSimilarity: portrait.similarity } : {}) },
        },
        `interview.document_checked:${challengeId}`,
      );
    }
    case "interviewer_observed": {
      const parsed = ObservationData.safeParse(d);
      if (!parsed.success) return [];
      return one({ type: "interview.observation_recorded", timestamp, data: { interviewId, items: parsed.data.items, via: parsed.data.via } });
    }
    case "personal_data_redacted": {
      const parsed = RedactionRecord.pick({ reason: true, removed: true }).safeParse(d);
      if (!parsed.success) return [];
      const { reason, removed } = parsed.data;
      return one(
        { type: "interview.personal_data_redacted", timestamp, data: { interviewId, reason, removed } },
        `interview.personal_data_redacted:${interviewId}`,
      );
    }
    default:
      return [];
  }
}

/** The `interview.risk_changed` event for a change of the stored risk level that `e` caused. */
export function riskChangedEvent(interviewId: string, e: Pick<InterviewEvent, "type" | "at">, change: RiskChange): OutgoingEvent {
  return { event: { type: "interview.risk_changed", timestamp: e.at, data: { interviewId, from: change.from, to: change.to, cause: e.type } } };
}
