import { z } from "zod";

/** Every kind of interview event; `shared/events.ts` gives the data of each. */
export const EventType = z.enum([
  "interview_created",
  "link_opened",
  "interviewer_link_opened",
  "camera_granted",
  "camera_refused",
  "camera_unavailable",
  "virtual_camera_suspected",
  "liveness_started",
  "liveness_passed",
  "liveness_failed",
  "token_issued",
  /** A newer candidate identity took the interview's one candidate place; the earlier one was removed. */
  "candidate_replaced",
  /** The kit removed a participant from the room: the interview had ended, or its candidate token was superseded. */
  "participant_removed",
  /** The interviewer link was rotated through the API: the old link no longer resolves. */
  "interviewer_link_rotated",
  "participant_joined",
  "participant_left",
  "track_published",
  "track_unpublished",
  "room_finished",
  "face_present",
  "face_absent",
  "multiple_faces",
  "camera_off",
  "camera_on",
  "video_degraded",
  "rechallenge_sent",
  "rechallenge_result",
  /** The server-side monitor joined the interview room. */
  "monitor_started",
  /** The interview's monitor stopped reporting while the candidate was in the room; another was dispatched. */
  "monitor_lost",
  /** The monitor started judging this camera track of the candidate: the one the interviewer is shown. */
  "camera_judged",
  /** The candidate joined the interview room and published no camera in time. */
  "no_video",
  /** The monitor saw a face other than the verified reference for several seconds. */
  "face_mismatch",
  "face_match_restored",
  /** The monitor saw no natural micro-motion of the face for several seconds: a still picture. */
  "static_video",
  /** The monitor saw the face's crops repeat at one steady lag: a clip on a loop. */
  "looped_video",
  /**
   * The candidate published a video track besides its one camera (another source, or a second
   * camera): the kit stopped it and removed the candidate from the room.
   */
  "extra_video_track",
  /** A pass stored a reference face; data compares it with the candidate's earlier rounds and every other candidate. */
  "identity_checked",
  /** The interviewer accepted a later pass's face as the reference the monitor compares with. */
  "reference_accepted",
  /** The candidate's address or network was seen in other interviews under other names (a laptop farm). */
  "network_checked",
  /** The candidate's reported machine (user agent, screen, GPU, camera…) was seen in other interviews under other names. */
  "device_checked",
  /** The candidate's identity document, read by the verifier after a pass, and the kit's checks of it. */
  "document_checked",
  /** A pass stored no reference face (none reported, or it could not be stored): the monitor has no face of it to compare. */
  "no_reference_face",
  /** A session joined the interview without having sent any environment, network or camera report. */
  "signals_missing",
  "interview_ended",
  /** An ATS (Greenhouse) sent this interview as a test: which test, and where to tell it the result is ready. */
  "ats_test_sent",
  /** The kit told the ATS the test is complete (its answer's status, or why it could not). */
  "ats_notified",
  "environment_reported",
  "network_reported",
  /** The interviewer ticked items of the advisory's checklist (payment requests, refused video...). */
  "interviewer_observed",
  /** The candidate's personal data was removed (API call or retention); data keeps the risk level from before. */
  "personal_data_redacted",
]);
export type EventType = z.infer<typeof EventType>;
