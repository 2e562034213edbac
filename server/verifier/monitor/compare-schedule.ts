import type { FaceObservation } from "../analyzer/index.js";

/** How often to compare while nothing changes and the face keeps matching clearly. */
export const STEADY_COMPARE_MS = 2_000;
/** How often to compare otherwise: after a change in view, below or near the threshold. */
export const ALERT_COMPARE_MS = 1_000;
/** A match this far above the threshold, twice in a row, counts as clear. */
const CLEAR_MARGIN = 0.1;
/** A face box whose centre moves this far (as a fraction of the frame) or whose width changes this much is a change in view. */
const MOVED = 0.15;
const RESIZED = 0.25;

/**
 * When the monitor embeds the face. An embedding costs about three times a
 * detection (faceres 130-155 ms against 50 ms), so a clearly matching face
 * that stays put is compared every 2 s, and anything that could be a swap
 * (the face left, several faces, the box jumped or resized, a weak match)
 * brings comparisons back to once a second, starting at the next sample.
 */
export class CompareSchedule {
  private last = -Infinity;
  private recent: number[] = [];
  private box: FaceObservation["box"] | undefined;
  private changed = true;

  constructor(private readonly threshold: number) {}

  /** Whether the sample at `t` should carry an embedding. */
  due(t: number): boolean {
    const clear = !this.changed && this.recent.length >= 2 && this.recent.every((s) => s >= this.threshold + CLEAR_MARGIN);
    return t - this.last >= (clear ? STEADY_COMPARE_MS : ALERT_COMPARE_MS) || (this.changed && t - this.last >= ALERT_COMPARE_MS / 2);
  }

  /** A presence sample's faces: a different count or a jumped box is a change in view. */
  sawFaces(faces: FaceObservation[]): void {
    const face = faces.length === 1 ? faces[0] : undefined;
    if (!face) {
      this.changed = true;
      this.box = undefined;
      return;
    }
    if (this.box) {
      const dx = Math.abs(face.box.x + face.box.w / 2 - (this.box.x + this.box.w / 2));
      const dy = Math.abs(face.box.y + face.box.h / 2 - (this.box.y + this.box.h / 2));
      if (dx > MOVED || dy > MOVED || Math.abs(face.box.w / this.box.w - 1) > RESIZED) this.changed = true;
    } else {
      this.changed = true;
    }
    this.box = face.box;
  }

  /** A comparison was made at `t` with this similarity. */
  compared(t: number, similarity: number): void {
    this.last = t;
    this.changed = false;
    this.recent = [...this.recent, similarity].slice(-2);
  }
}
