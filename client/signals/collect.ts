import type { CandidateType, ConnectionInfo, DeviceTraits, EnvironmentReport, NetworkReport, ZoneReading } from "../../shared/signals.js";

/** How long the Web Worker may take to answer before the report goes without it. */
const WORKER_TIMEOUT_MS = 1500;
/** The wire contract's bounds; longer lists are cut here rather than refused by the server. */
const MAX_LANGUAGES = 20;
const MAX_RTT_SAMPLES = 120;

/**
 * Reads the time zone and its January and July offsets in the current realm.
 * It uses only globals, because its source is also run inside a Web Worker.
 */
export function readZone(): ZoneReading {
  const year = new Date().getFullYear();
  return {
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    offsetJanuary: new Date(year, 0, 1, 12).getTimezoneOffset(),
    offsetJuly: new Date(year, 6, 1, 12).getTimezoneOffset(),
  };
}

/** The Web Worker's whole program: the same reading, posted back once. */
export const ZONE_WORKER_SOURCE = `postMessage((${readZone.toString()})());`;

/**
 * Runs `readZone` in a Web Worker made from a Blob URL (the page CSP allows
 * `worker-src 'self' blob:`). Resolves undefined when workers are unavailable,
 * blocked or too slow: the report is still worth sending without it.
 */
export function readZoneInWorker(timeoutMs = WORKER_TIMEOUT_MS): Promise<ZoneReading | undefined> {
  if (typeof Worker === "undefined" || typeof Blob === "undefined" || typeof URL.createObjectURL !== "function") {
    return Promise.resolve(undefined);
  }
  return new Promise((resolve) => {
    let url: string | undefined;
    let worker: Worker | undefined;
    const finish = (value: ZoneReading | undefined) => {
      clearTimeout(timer);
      worker?.terminate();
      if (url) URL.revokeObjectURL(url);
      resolve(value);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    try {
      url = URL.createObjectURL(new Blob([ZONE_WORKER_SOURCE], { type: "text/javascript" }));
      worker = new Worker(url);
      worker.onmessage = (event: MessageEvent<ZoneReading>) => finish(event.data);
      worker.onerror = () => finish(undefined);
    } catch {
      finish(undefined);
    }
  });
}

interface NetworkInformationLike {
  effectiveType?: unknown;
  rtt?: unknown;
  downlink?: unknown;
}

/** `navigator.connection`, kept to the fields and bounds of the wire contract. */
export function readConnection(connection: NetworkInformationLike | undefined): ConnectionInfo | undefined {
  if (!connection) return undefined;
  const out: ConnectionInfo = {};
  if (typeof connection.effectiveType === "string" && /^[a-z0-9-]{1,16}$/.test(connection.effectiveType)) {
    out.effectiveType = connection.effectiveType;
  }
  const bounded = (v: unknown, max: number) => (typeof v === "number" && Number.isFinite(v) && v >= 0 && v <= max ? v : undefined);
  const rtt = bounded(connection.rtt, 60_000);
  const downlink = bounded(connection.downlink, 100_000);
  if (rtt !== undefined) out.rtt = rtt;
  if (downlink !== undefined) out.downlink = downlink;
  return Object.keys(out).length ? out : undefined;
}

/**
 * Collects the candidate's environment report: time zone and offsets in the
 * page and in a Web Worker, languages, connection and the client's clock.
 * Pass `serverTime` (epoch ms, e.g. from a response the page just received)
 * to echo it; the server measures clock skew against its own receive time.
 */
export async function collectEnvironment(serverTime?: number): Promise<EnvironmentReport> {
  const page = readZone();
  const worker = await readZoneInWorker();
  const nav: Partial<Navigator> & { connection?: NetworkInformationLike } = typeof navigator === "undefined" ? {} : navigator;
  const languages = (nav.languages?.length ? [...nav.languages] : nav.language ? [nav.language] : []).slice(0, MAX_LANGUAGES);
  const connection = readConnection(nav.connection);
  return {
    ...page,
    ...(worker ? { worker } : {}),
    languages,
    locale: Intl.DateTimeFormat().resolvedOptions().locale,
    ...(connection ? { connection } : {}),
    clientTime: Date.now(),
    ...(serverTime !== undefined && Number.isFinite(serverTime) ? { serverTime: Math.round(serverTime) } : {}),
    ...(typeof screen !== "undefined" ? { device: readDeviceTraits(nav) } : {}),
  };
}

/** The machine's stable, reported characteristics (see `DeviceTraits`). */
function readDeviceTraits(nav: Partial<Navigator>): DeviceTraits {
  return {
    platform: (nav.platform ?? "").slice(0, 64),
    screen: { width: screen.width, height: screen.height, pixelRatio: Math.min(16, Math.max(0.1, Number(window.devicePixelRatio.toFixed(2)) || 1)) },
    ...(webglRenderer() ? { webglRenderer: webglRenderer()!.slice(0, 200) } : {}),
    ...(nav.hardwareConcurrency ? { hardwareConcurrency: Math.min(1024, nav.hardwareConcurrency) } : {}),
  };
}

let renderer: string | null | undefined;
/** The GPU as WebGL names it (read once: creating a context costs a few ms). */
function webglRenderer(): string | undefined {
  if (renderer === undefined) {
    try {
      const gl = document.createElement("canvas").getContext("webgl");
      const info = gl?.getExtension("WEBGL_debug_renderer_info");
      renderer = gl && info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : null;
    } catch {
      renderer = null;
    }
  }
  return renderer ?? undefined;
}

/** The fields of WebRTC stats entries this module reads; `RTCStats` itself types only `id`, `type` and `timestamp`. */
export interface StatsEntry {
  id: string;
  type: string;
  [field: string]: unknown;
}

const CANDIDATE_TYPES: readonly CandidateType[] = ["host", "srflx", "prflx", "relay"];
const asCandidateType = (v: unknown) => (CANDIDATE_TYPES.includes(v as CandidateType) ? (v as CandidateType) : undefined);
const asToken = (v: unknown) => (typeof v === "string" && /^[a-z0-9-]{1,16}$/.test(v) ? v : undefined);

/**
 * Extracts the selected ICE candidate pair from a `getStats()` result: the
 * local candidate's type and network type, the remote candidate's type, and
 * the pair's current round trip, appended to `previous.rttMs` so repeated
 * calls build up samples (the newest 120 are kept). Pure, for unit tests.
 */
export function collectNetwork(
  stats: RTCStatsReport | Iterable<StatsEntry> | Map<string, StatsEntry>,
  previous?: NetworkReport,
): NetworkReport {
  const entries = [...((stats as Map<string, StatsEntry>).values?.() ?? (stats as Iterable<StatsEntry>))] as StatsEntry[];
  const byId = new Map(entries.map((e) => [e.id, e]));
  const pair = selectedPair(entries, byId);
  const rttMs = [...(previous?.rttMs ?? [])];
  if (!pair) return { ...previous, rttMs };

  const local = byId.get(String(pair.localCandidateId));
  const remote = byId.get(String(pair.remoteCandidateId));
  const rttSeconds = pair.currentRoundTripTime;
  if (typeof rttSeconds === "number" && Number.isFinite(rttSeconds) && rttSeconds >= 0 && rttSeconds <= 60) {
    rttMs.push(Math.round(rttSeconds * 1000 * 10) / 10);
  }
  const candidateType = asCandidateType(local?.candidateType);
  const remoteCandidateType = asCandidateType(remote?.candidateType);
  const networkType = asToken(local?.networkType);
  const protocol = local?.protocol === "udp" || local?.protocol === "tcp" ? local.protocol : undefined;
  const relayProtocol = ["udp", "tcp", "tls"].includes(local?.relayProtocol as string)
    ? (local!.relayProtocol as "udp" | "tcp" | "tls")
    : undefined;
  return {
    ...(candidateType ? { candidateType } : {}),
    ...(remoteCandidateType ? { remoteCandidateType } : {}),
    ...(networkType ? { networkType } : {}),
    ...(protocol ? { protocol } : {}),
    ...(relayProtocol ? { relayProtocol } : {}),
    rttMs: rttMs.slice(-MAX_RTT_SAMPLES),
  };
}

/**
 * Chromium and Safari name the pair on the transport entry; Firefox marks
 * the pair itself `selected`. A nominated, succeeded pair is the last resort.
 */
function selectedPair(entries: StatsEntry[], byId: Map<string, StatsEntry>): StatsEntry | undefined {
  for (const e of entries) {
    if (e.type === "transport" && typeof e.selectedCandidatePairId === "string") {
      const pair = byId.get(e.selectedCandidatePairId);
      if (pair) return pair;
    }
  }
  const pairs = entries.filter((e) => e.type === "candidate-pair");
  return pairs.find((p) => p.selected === true) ?? pairs.find((p) => p.nominated === true && p.state === "succeeded");
}
