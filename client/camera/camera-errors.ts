import type { CameraFailure } from "../../shared/candidate.js";

/** A camera failure with its name, thrown by `openCamera`. */
export class CameraError extends Error {
  constructor(readonly failure: CameraFailure, detail?: string) {
    super(detail ?? failure);
    this.name = "CameraError";
  }
}

/**
 * Maps what `getUserMedia` throws onto the kit's named failures. Browsers
 * disagree on names (Firefox and old Chrome use the legacy ones), so each
 * failure accepts every spelling seen in the wild.
 */
export function cameraFailureFrom(err: unknown): CameraFailure {
  if (err instanceof CameraError) return err.failure;
  const name = (err as { name?: string } | null)?.name ?? "";
  switch (name) {
    case "NotAllowedError":
    case "PermissionDeniedError":
    case "SecurityError":
      return "PermissionDenied";
    case "NotFoundError":
    case "DevicesNotFoundError":
    case "OverconstrainedError":
    case "ConstraintNotSatisfiedError":
      return "NoCamera";
    case "NotReadableError":
    case "TrackStartError":
    case "AbortError":
      return "DeviceInUse";
    case "TypeError":
      return "Unsupported";
    default:
      return "Other";
  }
}
