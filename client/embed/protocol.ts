import type { VerifyInterviewEventDetails, VerifyInterviewRoomEventDetails, VerifyTheme } from "./verify-interview.js";
import type { ThemeVars } from "./theme.js";

/**
 * The postMessage protocol between the widget element (on the host page) and
 * the kit's page in its frame. Plain objects, no dependencies: the element's
 * bundle must stay small. Each side checks the other's window and origin first.
 */

/** `source` of every message the kit's page posts to its embedder. */
export const FRAME_SOURCE = "verify-interview";
/** `source` of every message the element posts into its frame. */
export const HOST_SOURCE = "verify-interview-host";
/** Bumped on an incompatible change; a message of another version is ignored. */
export const PROTOCOL_VERSION = 1;

/** The URL fragment key that carries the initial theme variables and strings (never sent to the server). */
export const CONFIG_FRAGMENT = "verify-config";

/** Events of `<verify-interview>`, in the order a bona fide run emits them (`error` and failures aside). */
export const CANDIDATE_EVENTS = [
  "ready",
  "consent",
  "camera-failed",
  "verification-started",
  "step",
  "verified",
  "verification-failed",
  "joined",
  "ended",
  "error",
] as const satisfies readonly (keyof VerifyInterviewEventDetails)[];

/** Events of `<verify-interview-room>`. */
export const ROOM_EVENTS = ["ready", "joined", "ended", "error"] as const satisfies readonly (keyof VerifyInterviewRoomEventDetails)[];

/** Every event name either element can emit. */
export type EmbedEventName = (typeof CANDIDATE_EVENTS)[number] | (typeof ROOM_EVENTS)[number];

/** What the host sends into the frame: the look and the text. Both sides validate it. */
export interface EmbedConfig {
  theme?: VerifyTheme;
  vars?: ThemeVars;
  strings?: unknown;
}

/** Messages from the frame to the host page. */
export type FrameMessage =
  | { source: typeof FRAME_SOURCE; v: number; type: "hello" }
  | { source: typeof FRAME_SOURCE; v: number; type: "resize"; height: number }
  | { source: typeof FRAME_SOURCE; v: number; type: "event"; name: EmbedEventName; detail: Record<string, unknown> };

/** Messages from the host page into the frame. */
export type HostMessage = { source: typeof HOST_SOURCE; v: number; type: "configure"; config: EmbedConfig };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A well-formed frame message of this protocol version, or undefined. */
export function asFrameMessage(data: unknown): FrameMessage | undefined {
  if (!isObject(data) || data.source !== FRAME_SOURCE || data.v !== PROTOCOL_VERSION) return undefined;
  if (data.type === "hello") return data as FrameMessage;
  if (data.type === "resize" && typeof data.height === "number" && Number.isFinite(data.height)) return data as FrameMessage;
  if (data.type === "event" && typeof data.name === "string" && isObject(data.detail)) return data as FrameMessage;
  return undefined;
}

/** A well-formed host message of this protocol version, or undefined. */
export function asHostMessage(data: unknown): HostMessage | undefined {
  if (!isObject(data) || data.source !== HOST_SOURCE || data.v !== PROTOCOL_VERSION) return undefined;
  return data.type === "configure" && isObject(data.config) ? (data as HostMessage) : undefined;
}
