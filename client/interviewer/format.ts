import type { InterviewEvent } from "../../shared/interview.js";

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
  no_video: "Joined without sending video",
  face_mismatch: "Face differs from the verified person",
  face_match_restored: "Verified face back",
  identity_checked: "Reference face stored and compared",
  interview_ended: "Interview ended",
  environment_reported: "Browser time zone and language recorded",
  network_reported: "Network path recorded",
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
]);

/** A one-line, plain-text description of an event for the timeline. */
export function describeEvent(e: InterviewEvent): string {
  const parts = [LABELS[e.type] ?? e.type];
  const d = e.data as Record<string, unknown>;
  if (typeof d.role === "string") parts.push(`(${d.role})`);
  if (typeof d.source === "string") parts.push(`· ${d.source.toLowerCase()}`);
  if (typeof d.failure === "string") parts.push(`· ${d.failure}`);
  if (e.ip) parts.push(`· ${e.ip}`);
  return parts.join(" ");
}
