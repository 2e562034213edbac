import { z } from "zod";

const regionNames = new Intl.DisplayNames(["en"], { type: "region", fallback: "none" });

/** True when `code` is an assigned ISO 3166-1 alpha-2 country or territory code. */
export function isCountryCode(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code) || code === "ZZ") return false;
  try {
    return regionNames.of(code) !== undefined;
  } catch {
    return false;
  }
}

/** True when `zone` is an IANA time zone name this runtime knows. */
export function isTimeZone(zone: string): boolean {
  if (zone.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const CountryCode = z
  .string()
  .transform((s) => s.toUpperCase())
  .refine(isCountryCode, { message: "must be an ISO 3166-1 alpha-2 country code, like KR or JP" });

export const TimeZone = z
  .string()
  .refine(isTimeZone, { message: "must be an IANA time zone, like Asia/Seoul" });

/** Where the candidate says they live and work. */
export const ClaimedLocation = z.object({
  country: CountryCode,
  city: z.string().trim().min(1).max(120).optional(),
  timezone: TimeZone.optional(),
});
export type ClaimedLocation = z.infer<typeof ClaimedLocation>;
