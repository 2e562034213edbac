import { z } from "zod";

/**
 * The Greenhouse Assessment Partner API, as the kit serves it (greenhouse-api-docs,
 * `source/includes/assessment/`). Greenhouse sends `null` for properties without a value.
 */

/** One entry of `GET list_tests`. */
export const GreenhouseTest = z.object({ partner_test_id: z.string(), partner_test_name: z.string() });
export type GreenhouseTest = z.infer<typeof GreenhouseTest>;

/** Body of `POST send_test`. `url` is where the partner sends its body-less `PATCH` once the test is complete. */
export const GreenhouseSendTest = z.object({
  partner_test_id: z.string().min(1).max(100),
  candidate: z.object({
    first_name: z.string().trim().min(1).max(100),
    last_name: z.string().trim().min(1).max(100),
    email: z.email().max(320),
    phone_number: z.string().max(50).nullish(),
    resume_url: z.string().max(2000).nullish(),
    greenhouse_profile_url: z.string().max(2000).nullish(),
  }),
  url: z.url({ protocol: /^https?$/ }).max(2000),
});
export type GreenhouseSendTest = z.infer<typeof GreenhouseSendTest>;

/** Answer to `send_test`: the test instance, which is the kit's interview. */
export const GreenhouseSentTest = z.object({ partner_interview_id: z.string() });

/** The kit's statuses; Greenhouse treats only `complete` specially and shows the others as they are. */
export const GreenhousePartnerStatus = z.enum(["pending", "in_progress", "complete", "expired"]);
export type GreenhousePartnerStatus = z.infer<typeof GreenhousePartnerStatus>;

/** Answer to `GET test_status`: `partner_profile_url` is required once complete; `metadata` is flat, of primitives. */
export const GreenhouseTestStatus = z.object({
  partner_status: GreenhousePartnerStatus,
  partner_profile_url: z.string().optional(),
  partner_score: z.number().min(0).max(100).optional(),
  metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});
export type GreenhouseTestStatus = z.infer<typeof GreenhouseTestStatus>;

/** Body of `POST response_error`: Greenhouse found one of the kit's answers malformed. Always `api_call` and `errors`. */
export const GreenhouseResponseError = z.object({
  api_call: z.string().min(1).max(100),
  errors: z.array(z.string().max(2000)).max(100),
  partner_test_id: z.union([z.string(), z.number()]).nullish(),
  partner_test_name: z.string().max(500).nullish(),
  partner_interview_id: z.union([z.string(), z.number()]).nullish(),
  candidate_email: z.string().max(320).nullish(),
});
export type GreenhouseResponseError = z.infer<typeof GreenhouseResponseError>;

/** What the kit offers as tests (assessment profiles): only what it can check today. */
export const AtsProfile = z.enum(["liveness", "liveness_interview"]);
export type AtsProfile = z.infer<typeof AtsProfile>;
