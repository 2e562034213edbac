import { CameraError } from "./camera-errors.js";

const DEVICE_KEY = "verify-kit.cameraId";

/** The camera's size for the face check and the interview. */
export const CAMERA_SIZE = { width: { ideal: 640 }, height: { ideal: 480 } } as const;
/** The size the document step asks for: an MRZ character is ~11 px wide at 640 and ~23 at 1280 (docs/documents.md). */
export const DOCUMENT_CAMERA_SIZE = { width: { ideal: 1280 }, height: { ideal: 720 } } as const;

/** Opens the camera, preferring the device the candidate chose last time. */
export async function openCamera(deviceId?: string): Promise<MediaStream> {
  if (!window.isSecureContext || !navigator.mediaDevices?.getUserMedia) {
    throw new CameraError("Unsupported", "getUserMedia is unavailable (not a secure context?)");
  }
  const preferred = deviceId ?? localStorage.getItem(DEVICE_KEY) ?? undefined;
  const video: MediaTrackConstraints = { ...CAMERA_SIZE, frameRate: { ideal: 30 } };
  try {
    return await navigator.mediaDevices.getUserMedia({
      video: preferred ? { ...video, deviceId: { ideal: preferred } } : video,
      audio: false,
    });
  } catch (err) {
    throw err instanceof Error ? err : new CameraError("NoCamera", String(err));
  }
}

/** Remembers the candidate's camera choice for the next visit. */
export function rememberCamera(deviceId: string): void {
  localStorage.setItem(DEVICE_KEY, deviceId);
}

/** The video inputs the browser lists, once permission has been granted. */
export async function listCameras(): Promise<MediaDeviceInfo[]> {
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices.filter((d) => d.kind === "videoinput");
}

/** Stops every track of a stream. */
export function stopStream(stream: MediaStream | undefined): void {
  stream?.getTracks().forEach((t) => t.stop());
}
