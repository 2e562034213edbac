import type { InterviewEvent, InterviewStatus } from "../../shared/interview.js";
import { h } from "./dom.js";

/** Words for the timeline, the verdict and the status, shared by the dashboard and the interviewer page. */

const LABELS: Record<InterviewEvent["type"], string> = {
  interview_created: "Interview created",
  link_opened: "Candidate opened the link",
  interviewer_link_opened: "Interviewer joined from the link",
  camera_granted: "Camera turned on",
  camera_refused: "Camera refused",
  camera_unavailable: "Camera unavailable",
  virtual_camera_suspected: "Virtual or tampered camera suspected",
  liveness_started: "Liveness check started",
  liveness_passed: "Liveness check passed",
  liveness_failed: "Liveness check failed",
  token_issued: "Room access granted",
  candidate_replaced: "Earlier candidate session replaced by a new one",
  participant_removed: "Removed from the room",
  interviewer_link_rotated: "Interviewer link replaced",
  participant_joined: "Joined the room",
  participant_left: "Left the room",
  track_published: "Started sending media",
  track_unpublished: "Stopped sending media",
  room_finished: "Room closed",
  face_present: "Face visible",
  face_absent: "Face absent",
  multiple_faces: "More than one face",
  camera_off: "Candidate camera off",
  camera_on: "Candidate camera back on",
  video_degraded: "Video quality dropped",
  rechallenge_sent: "Re-challenge sent",
  rechallenge_result: "Re-challenge result",
  monitor_started: "Server-side monitor watching",
  monitor_lost: "Server-side monitor lost: another was sent",
  camera_judged: "Monitor judging the candidate's camera",
  no_video: "Joined without sending video",
  face_mismatch: "Face differs from the verified person",
  face_match_restored: "Verified face back",
  reference_accepted: "Interviewer accepted a new reference face",
  network_checked: "Same network as other candidates' interviews",
  document_checked: "Identity document read and checked",
  device_checked: "Same reported device as other candidates' interviews",
  static_video: "Camera shows a still picture: no natural movement of the face",
  looped_video: "Camera shows a clip on a loop: the face repeats itself",
  extra_video_track: "Second video track from the candidate stopped; candidate removed",
  identity_checked: "Reference face stored and compared",
  no_reference_face: "Passed without a reference face: the monitor cannot compare faces",
  signals_missing: "Joined without the browser's time zone, network or camera reports",
  interview_ended: "Interview ended",
  ats_test_sent: "Sent as a test from the applicant-tracking system",
  ats_notified: "Applicant-tracking system told the result is ready",
  environment_reported: "Browser time zone and language recorded",
  network_reported: "Network path recorded",
  interviewer_observed: "Interviewer observation recorded",
  personal_data_redacted: "Personal data redacted",
};

/** Events that are red flags for the interviewer. */
export const RED_FLAGS = new Set<InterviewEvent["type"]>([
  "camera_refused",
  "camera_unavailable",
  "virtual_camera_suspected",
  "liveness_failed",
  "candidate_replaced",
  "face_absent",
  "multiple_faces",
  "camera_off",
  "video_degraded",
  "no_video",
  "face_mismatch",
  "static_video",
  "looped_video",
  "extra_video_track",
  "no_reference_face",
  "signals_missing",
]);

/** A one-line, plain-text description of an event for the timeline. */
export function describeEvent(e: InterviewEvent): string {
  const parts = [LABELS[e.type] ?? e.type];
  // Read across types (and from legacy rows): whichever of these the event carries.
  const d: object = e.data;
  if ("role" in d && typeof d.role === "string") parts.push(`(${d.role})`);
  if ("source" in d && typeof d.source === "string") parts.push(`· ${d.source.toLowerCase()}`);
  if ("failure" in d && typeof d.failure === "string") parts.push(`· ${d.failure}`);
  if (e.ip) parts.push(`· ${e.ip}`);
  return parts.join(" ");
}

/** An interview status as words: `in_interview` becomes "in interview". */
export const statusLabel = (status: InterviewStatus): string => status.replace("_", " ");

/** Where liveness stands: the latest verdict on the timeline, or none yet. */
export type Verdict = "passed" | "failed" | "none";

export const VERDICT_LABELS: Record<Verdict, string> = { passed: "passed", failed: "failed", none: "not yet" };

/** The latest liveness verdict among the events, with the reasons the verifier gave. */
export function livenessVerdict(events: InterviewEvent[]): { verdict: Verdict; reasons: string[] } {
  for (const e of [...events].reverse()) {
    if (e.type !== "liveness_passed" && e.type !== "liveness_failed") continue;
    return { verdict: e.type === "liveness_passed" ? "passed" : "failed", reasons: e.legacy ? [] : e.data.reasons };
  }
  return { verdict: "none", reasons: [] };
}

/** The timeline as list items, newest first, red flags marked; `time` formats each event's time. */
export function eventItems(events: InterviewEvent[], time: (at: Date) => string): HTMLLIElement[] {
  return [...events].reverse().map((e) =>
    h("li", { "data-type": e.type }, h("time", {}, time(new Date(e.at))), h("span", { class: RED_FLAGS.has(e.type) ? "pill bad" : "" }, describeEvent(e))),
  );
}
