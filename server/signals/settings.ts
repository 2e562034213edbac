import { z } from "zod";

/** Tuning for the signal rules. Parse `{}` to get the defaults. */
export const SignalSettings = z.object({
  /** How far apart link opens from different networks may be and still count together. */
  windowHours: z.number().positive().max(24 * 30).default(24),
  /** Client clock minus server clock beyond which the clock counts as wrong. */
  clockSkewSeconds: z.number().positive().max(86_400).default(120),
  /**
   * Where the media server the candidate connects to stands. Leave it unset
   * with a distributed SFU (LiveKit Cloud picks an edge near the candidate),
   * or the round-trip rule would compare against the wrong place.
   */
  serverLocation: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }).optional(),
  /** Light in fibre covers about 200 km per millisecond one way, so 100 km per millisecond of round trip. */
  kmPerMsRoundTrip: z.number().positive().default(100),
  /** Taken off the distance: the candidate may live at the edge of the claimed city, and the server's spot is approximate. */
  cityRadiusKm: z.number().nonnegative().default(50),
});
export type SignalSettings = z.output<typeof SignalSettings>;
export type SignalSettingsInput = z.input<typeof SignalSettings>;
