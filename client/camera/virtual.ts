/** Labels of common virtual cameras, which can feed a video file or another person's face. */
const VIRTUAL_LABELS = [/\bobs\b/i, /manycam/i, /snap camera/i, /xsplit/i, /mmhmm/i, /camtwist/i, /droidcam/i, /iriun/i, /virtual/i];
/** Chromium's file-backed fake camera is labelled with the file's path. */
const FAKE_FILE = /^\/.*\.(y4m|mjpeg)$|^fake_device/i;

export type CameraSuspicion = { kind: "virtual_label" | "fake_file"; label: string };

/** Why a camera label looks virtual, if it does. */
export function suspectLabel(label: string): CameraSuspicion | undefined {
  if (FAKE_FILE.test(label)) return { kind: "fake_file", label };
  if (VIRTUAL_LABELS.some((re) => re.test(label))) return { kind: "virtual_label", label };
  return undefined;
}

/**
 * True when `getUserMedia` and `enumerateDevices` are still the browser's own
 * functions. A page script or extension that replaces them can feed any video.
 */
export function mediaFunctionsAreNative(md: MediaDevices | undefined): boolean {
  if (!md) return false;
  const isNative = (fn: unknown) =>
    typeof fn === "function" && /\{\s*\[native code\]\s*\}\s*$/.test(Function.prototype.toString.call(fn));
  return isNative(md.getUserMedia) && isNative(md.enumerateDevices);
}
