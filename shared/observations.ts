import { z } from "zod";
import { CONTROL_OR_FORMAT } from "./text.js";

/** What an interviewer can tick on the advisory's checklist; each item becomes a risk flag. */
export const ObservationItem = z.enum([
  "asked_crypto_payment",
  "asked_payment_platform_or_other_account",
  "refused_or_avoided_video",
  "camera_pointed_away_or_covered",
  "location_contradicted",
]);
export type ObservationItem = z.infer<typeof ObservationItem>;

/** Body of `POST /v1/interviews/:id/observations` and `POST /v1/interviewer/:token/observations`. */
export const ObservationInput = z.strictObject({
  items: z
    .array(ObservationItem)
    .min(1)
    .max(ObservationItem.options.length)
    .refine((items) => new Set(items).size === items.length, { message: "must not repeat an item" }),
  note: z
    .string()
    .trim()
    .max(500)
    .refine((s) => !CONTROL_OR_FORMAT.test(s), { message: "must not contain control or invisible formatting characters" })
    .optional(),
});
export type ObservationInput = z.infer<typeof ObservationInput>;

/** Data of the `interviewer_observed` event. */
export const ObservationData = z.object({
  items: z.array(ObservationItem),
  note: z.string().optional(),
  /** Which door the observation came through: the API key or the interviewer link. */
  via: z.enum(["api", "interviewer_link"]),
});
export type ObservationData = z.infer<typeof ObservationData>;

/** Answer to both observation routes. */
export const ObservationRecorded = z.object({
  recorded: z.literal("interviewer_observed"),
  eventId: z.number().int(),
  items: z.array(ObservationItem),
  at: z.iso.datetime(),
});
export type ObservationRecorded = z.infer<typeof ObservationRecorded>;
