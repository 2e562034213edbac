/**
 * Browser-side code for the benchmark, kept as plain JavaScript strings: tsx
 * rewrites named functions with a `__name` helper that does not exist in the
 * page, so functions cannot be handed to Playwright as-is.
 */

/**
 * Installed with `context.addInitScript` before the page's own scripts run:
 * long-task and long-animation-frame observers (buffered), the consent click
 * time, every `data-state` change, and an independent
 * `requestVideoFrameCallback` loop on the camera preview that records how many
 * frames the camera actually presented (so dropped frames can be told apart
 * from a slow camera). Each of these is a few microseconds per event.
 */
export const INIT_SCRIPT = String.raw`(() => {
  const b = { consentAt: null, states: [], longtasks: [], loafs: [], frames: [] };
  Object.defineProperty(window, "__bench", { value: b, enumerable: false });
  try { performance.setResourceTimingBufferSize(2000); } catch {}
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) b.longtasks.push([e.startTime, e.duration]);
    }).observe({ type: "longtask", buffered: true });
  } catch {}
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) b.loafs.push([e.startTime, e.duration, e.blockingDuration ?? 0]);
    }).observe({ type: "long-animation-frame", buffered: true });
  } catch {}
  document.addEventListener("click", (ev) => {
    const t = ev.target;
    if (t && t.closest && t.closest("#consent") && b.consentAt === null) {
      b.consentAt = performance.now();
      performance.mark("bench:consent");
    }
  }, true);
  let last;
  new MutationObserver(() => {
    const s = document.body && document.body.dataset.state;
    if (s && s !== last) {
      last = s;
      b.states.push([s, performance.now()]);
      performance.mark("bench:state:" + s);
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-state"] });
  const hook = () => {
    const v = document.getElementById("camera");
    if (!v || !("requestVideoFrameCallback" in v)) return;
    const cb = (now, meta) => {
      b.frames.push([now, meta.presentedFrames, meta.mediaTime]);
      v.requestVideoFrameCallback(cb);
    };
    v.requestVideoFrameCallback(cb);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", hook);
  else hook();
})();`;

export interface PageResource {
  name: string;
  entryType: string;
  initiatorType: string;
  transferSize: number;
  encodedBodySize: number;
  decodedBodySize: number;
  startTime: number;
  responseEnd: number;
}

export interface PageProbe {
  timeOrigin: number;
  now: number;
  state: string | undefined;
  marks: Record<string, number>;
  /** [startTime, duration] of every `verify-kit:detect` measure. */
  detects: Array<[number, number]>;
  resources: PageResource[];
  consentAt: number | null;
  states: Array<[string, number]>;
  longtasks: Array<[number, number]>;
  loafs: Array<[number, number, number]>;
  /** [rVFC now, presentedFrames, mediaTime] of every camera frame callback. */
  frames: Array<[number, number, number]>;
  hardwareConcurrency: number;
  userAgent: string;
  webgl: string | null;
}

/** Evaluated in the page once the flow has ended; returns everything as plain data. */
export const COLLECT_EXPRESSION = String.raw`(() => {
  const b = window.__bench || { consentAt: null, states: [], longtasks: [], loafs: [], frames: [] };
  const marks = {};
  for (const m of performance.getEntriesByType("mark")) if (!(m.name in marks)) marks[m.name] = m.startTime;
  const detects = performance.getEntriesByName("verify-kit:detect", "measure").map((m) => [m.startTime, m.duration]);
  const pick = (e) => ({
    name: e.name, entryType: e.entryType, initiatorType: e.initiatorType ?? "navigation",
    transferSize: e.transferSize, encodedBodySize: e.encodedBodySize, decodedBodySize: e.decodedBodySize,
    startTime: e.startTime, responseEnd: e.responseEnd,
  });
  const resources = [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")].map(pick);
  let webgl = null;
  try {
    const gl = document.createElement("canvas").getContext("webgl2");
    if (gl) {
      const ext = gl.getExtension("WEBGL_debug_renderer_info");
      webgl = String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
      const lose = gl.getExtension("WEBGL_lose_context");
      if (lose) lose.loseContext();
    }
  } catch {}
  return {
    timeOrigin: performance.timeOrigin, now: performance.now(), state: document.body.dataset.state,
    marks, detects, resources,
    consentAt: b.consentAt, states: b.states, longtasks: b.longtasks, loafs: b.loafs, frames: b.frames,
    hardwareConcurrency: navigator.hardwareConcurrency, userAgent: navigator.userAgent, webgl,
  };
})()`;
