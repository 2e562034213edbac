import { z } from "zod";
import { ClaimedLocation, CountryCode, TimeZone } from "./location.js";

/** Minutes, as `Date#getTimezoneOffset()` returns them; real zones stay within ±14 h. */
const OffsetMinutes = z.number().int().min(-840).max(840);

/** Epoch milliseconds between 2000 and 2100: anything else is a broken or forged clock value. */
const EpochMs = z.number().int().min(946_684_800_000).max(4_102_444_800_000);

function isLanguageTag(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

/** A BCP 47 language tag such as `ko-KR` or `zh-Hans-CN`. */
export const LanguageTag = z
  .string()
  .min(2)
  .max(64)
  .refine(isLanguageTag, { message: "must be a BCP 47 language tag, like ko-KR" });

/** Time zone name and its offsets in January and July, read in one JavaScript realm. */
export const ZoneReading = z.strictObject({
  timeZone: TimeZone,
  offsetJanuary: OffsetMinutes,
  offsetJuly: OffsetMinutes,
});
export type ZoneReading = z.infer<typeof ZoneReading>;

/** `navigator.connection`, where the browser has it. */
export const ConnectionInfo = z.strictObject({
  effectiveType: z.string().regex(/^[a-z0-9-]{1,16}$/).optional(),
  rtt: z.number().nonnegative().max(60_000).optional(),
  downlink: z.number().nonnegative().max(100_000).optional(),
});
export type ConnectionInfo = z.infer<typeof ConnectionInfo>;

/**
 * Stable characteristics of the browser's machine, as it reports them: with the user agent, time
 * zone, languages and the camera, the kit keys a hash of them to find one device behind several
 * names (`device_reused`). Reported values: a script can vary them; honest laptop farms rarely do.
 */
export const DeviceTraits = z.strictObject({
  platform: z.string().max(64),
  screen: z.strictObject({
    width: z.number().int().nonnegative().max(20_000),
    height: z.number().int().nonnegative().max(20_000),
    pixelRatio: z.number().positive().max(16),
  }),
  /** WEBGL_debug_renderer_info's unmasked renderer, where the browser gives it. */
  webglRenderer: z.string().max(200).optional(),
  hardwareConcurrency: z.number().int().positive().max(1024).optional(),
});
export type DeviceTraits = z.infer<typeof DeviceTraits>;

/** Body of the candidate's environment report: what the browser says about where it is. */
export const EnvironmentReport = ZoneReading.extend({
  /** The same values read inside a Web Worker; a spoofing extension often patches only the page. */
  worker: ZoneReading.optional(),
  languages: z.array(LanguageTag).max(20),
  locale: LanguageTag,
  connection: ConnectionInfo.optional(),
  /** The browser's clock when the report was made, for clock skew. */
  clientTime: EpochMs,
  /** The server's clock as the page last saw it, echoed back; the server's receive time stays authoritative. */
  serverTime: EpochMs.optional(),
  device: DeviceTraits.optional(),
});
export type EnvironmentReport = z.infer<typeof EnvironmentReport>;

/** ICE candidate types, as WebRTC stats name them. */
export const CandidateType = z.enum(["host", "srflx", "prflx", "relay"]);
export type CandidateType = z.infer<typeof CandidateType>;

/** Body of the candidate's network report, made after joining the LiveKit room. */
export const NetworkReport = z.strictObject({
  /** Type of the local candidate of the selected pair; `relay` means the media goes through TURN. */
  candidateType: CandidateType.optional(),
  remoteCandidateType: CandidateType.optional(),
  /** The local candidate's `networkType` (Chromium): wifi, ethernet, cellular, vpn, ... */
  networkType: z.string().regex(/^[a-z0-9-]{1,16}$/).optional(),
  protocol: z.enum(["udp", "tcp"]).optional(),
  relayProtocol: z.enum(["udp", "tcp", "tls"]).optional(),
  /** Round-trip times of the selected pair, in milliseconds. */
  rttMs: z.array(z.number().nonnegative().max(60_000)).max(120),
});
export type NetworkReport = z.infer<typeof NetworkReport>;

export const RiskLevel = z.enum(["clear", "review", "high"]);
export type RiskLevel = z.infer<typeof RiskLevel>;

export const Severity = z.enum(["low", "medium", "high"]);
export type Severity = z.infer<typeof Severity>;

/** The red flags of the 2022 advisory on North Korean IT workers that a flag can support. */
export const AdvisoryFlag = z.enum(["refuses_video", "payment", "many_ips", "location_mismatch", "identity"]);
export type AdvisoryFlag = z.infer<typeof AdvisoryFlag>;

/** Every kind of flag the signal rules raise. Clients switch on the id; titles may change. */
export const FlagId = z.enum([
  "camera_refused",
  "many_ips",
  "timezone_mismatch",
  "ip_country_mismatch",
  "ip_timezone_mismatch",
  "hosting_network",
  "relay_connection",
  "vpn_interface",
  "worker_mismatch",
  "zone_offset_mismatch",
  "clock_skew",
  "implausible_rtt",
  "zone_changed",
  "face_mismatch",
  "extra_video_track",
  /** The monitor saw a still picture or a looping clip on the candidate's camera, not live video. */
  "video_not_live",
  "identity_changed",
  "face_reused",
  /** The candidate's address or network was used in other interviews under other names (a laptop farm). */
  "network_reused",
  /** The same reported machine (a keyed hash of its browser's characteristics) under other names: review only. */
  "device_reused",
  /** The identity document (`document_checked`): its portrait, name, nationality, validity, reuse, or no read at all. */
  "document_face_mismatch",
  "document_name_mismatch",
  "document_nationality_mismatch",
  "document_expired",
  "document_invalid",
  "document_reused",
  "document_unreadable",
  "no_video",
  /** A pass stored no reference face: the monitor cannot compare the interview's face with the verified one. */
  "no_reference_face",
  /** A session joined without sending any environment, network or camera report. */
  "signals_missing",
  /** Interviewer checklist items (`interviewer_observed`), one flag per item. */
  "observed_crypto_payment",
  "observed_payment_platform_or_other_account",
  "observed_refused_or_avoided_video",
  "observed_camera_pointed_away_or_covered",
  "observed_location_contradicted",
]);
export type FlagId = z.infer<typeof FlagId>;

export const RiskFlag = z.object({
  id: FlagId,
  severity: Severity,
  advisoryFlag: AdvisoryFlag,
  title: z.string(),
  /** Plain language, for an interviewer who is not a network engineer. */
  explanation: z.string(),
  evidence: z.record(z.string(), z.unknown()),
});
export type RiskFlag = z.infer<typeof RiskFlag>;

/**
 * Where a value in the report comes from: `measured` by the kit itself (the
 * connection's IP, its network in the kit's own databases, the receive time),
 * or `reported` by the candidate's browser, which a candidate can forge.
 */
export const Provenance = z.enum(["reported", "measured"]);
export type Provenance = z.infer<typeof Provenance>;

/** What an offline IP database says about an address. */
export const IpGeo = z.object({
  country: CountryCode.optional(),
  asn: z.number().int().nonnegative().optional(),
  org: z.string().optional(),
});
export type IpGeo = z.infer<typeof IpGeo>;

/** One address the candidate used, with what the databases say about it. */
export const IpObservation = IpGeo.extend({
  ip: z.string(),
  /** A datacentre, cloud or VPN network rather than a home or mobile one. */
  hosting: z.boolean(),
  hostingReason: z.string().optional(),
  /** Loopback, private or otherwise not routed on the internet: no lookup is possible. */
  private: z.boolean(),
  firstSeen: z.iso.datetime(),
  lastSeen: z.iso.datetime(),
  count: z.number().int().positive(),
  /** The IP and its network (ASN, country) are measured by the kit, never taken from the browser. */
  source: z.literal("measured"),
});
export type IpObservation = z.infer<typeof IpObservation>;

export const EnvironmentSummary = z.object({
  report: EnvironmentReport,
  /** Every value in `report` is what the browser said; the receive time (and so the skew's server side) is measured. */
  source: z.literal("reported"),
  receivedAt: z.iso.datetime(),
  /** Client clock minus server clock at receipt, in milliseconds; positive means the client runs ahead. */
  skewMs: z.number(),
  /** The country the reported time zone belongs to, when it belongs to one. */
  zoneCountry: CountryCode.optional(),
});
export type EnvironmentSummary = z.infer<typeof EnvironmentSummary>;

export const NetworkSummary = z.object({
  /** The latest network report, as the browser sent it. */
  report: NetworkReport,
  source: z.literal("reported"),
  receivedAt: z.iso.datetime(),
  /** The smallest round trip over every network report of the interview: a later report can never raise it. */
  minRttMs: z.number().nonnegative().optional(),
  /** `reported` while round trips come from the browser; `measured` only once the kit measures them server-side. */
  rttSource: Provenance,
});
export type NetworkSummary = z.infer<typeof NetworkSummary>;

export const VerificationSummary = z.object({
  status: z.enum(["not_started", "in_progress", "passed", "failed"]),
  camera: z.enum(["unknown", "granted", "refused", "unavailable"]),
  attempts: z.number().int().nonnegative(),
  passedAt: z.iso.datetime().optional(),
  lastFailure: z.string().optional(),
});
export type VerificationSummary = z.infer<typeof VerificationSummary>;

/** Answer to `GET /v1/interviews/:id/report`. */
export const RiskReport = z.object({
  interviewId: z.string(),
  generatedAt: z.iso.datetime(),
  level: RiskLevel,
  claimedLocation: ClaimedLocation.optional(),
  flags: z.array(RiskFlag),
  ips: z.array(IpObservation),
  /** The latest environment report. */
  environment: EnvironmentSummary.nullable(),
  /** Every environment report of the interview, oldest first: a later one never replaces the evidence of an earlier one. */
  environments: z.array(EnvironmentSummary),
  network: NetworkSummary.nullable(),
  verification: VerificationSummary,
  /**
   * Set once the candidate's personal data was redacted: the level is then at least the one
   * recorded just before, and flags raised then are listed without their evidence.
   */
  redactedAt: z.iso.datetime().optional(),
});
export type RiskReport = z.infer<typeof RiskReport>;
