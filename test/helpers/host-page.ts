import http from "node:http";
import type { AddressInfo } from "node:net";

/** An HR tool's web server on its own loopback port: another origin than the kit's. */
export interface HostSite {
  origin: string;
  /** Serves `html` at `path` (a page of the host's own). */
  page(path: string, html: string): string;
  stop(): Promise<void>;
}

/** Starts a host site on a free port of 127.0.0.1 (a secure context, like the kit). */
export async function startHostSite(): Promise<HostSite> {
  const pages = new Map<string, string>();
  const server = http.createServer((req, res) => {
    const html = pages.get(new URL(req.url ?? "/", "http://host").pathname);
    if (html === undefined) return void res.writeHead(404).end("not found");
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    page(path, html) {
      pages.set(path, html);
      return `${origin}${path}`;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Every event name the two widget elements emit; a host page records them all in `window.__events`. */
export const WIDGET_EVENTS = [
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
] as const;

export interface HostPageOptions {
  kitUrl: string;
  /** The element's markup, e.g. `<verify-interview src="…" theme="dark"></verify-interview>`. */
  element: string;
  dark?: boolean;
  heading?: string;
  lead?: string;
  /** Extra markup after the element (a foreign frame, a script). */
  extra?: string;
}

/**
 * A plausible HR tool's candidate portal that embeds the widget the way the
 * embedding guide (docs/embedding.md) says: the kit's `/embed.js`, the element, listeners for every event
 * (kept in `window.__events` for the test to read).
 */
export function hostPage(o: HostPageOptions): string {
  const [bg, panel, ink, muted, line] = o.dark
    ? ["#0b0f14", "#121821", "#e6ebf2", "#8c98aa", "#232c3a"]
    : ["#f3f4f6", "#ffffff", "#111827", "#6b7280", "#e5e7eb"];
  const step = (n: number, label: string, state: "done" | "now" | "next") =>
    `<li class="${state}"><span>${state === "done" ? "✓" : n}</span>${label}</li>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Acme Talent · Candidate portal</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<script src="${o.kitUrl}/embed.js"></script>
<style>
  body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: ${bg}; color: ${ink}; }
  header { display: flex; align-items: center; gap: 10px; padding: 14px 28px; background: ${panel}; border-bottom: 1px solid ${line}; font-weight: 700; }
  header .logo { width: 26px; height: 26px; border-radius: 7px; background: #0f766e; }
  header nav { margin-left: auto; font-weight: 500; color: ${muted}; font-size: 0.9rem; }
  .layout { display: grid; grid-template-columns: 230px minmax(0, 1fr); gap: 28px; max-width: 1080px; margin: 28px auto; padding: 0 24px; }
  ol { list-style: none; margin: 0; padding: 18px; background: ${panel}; border: 1px solid ${line}; border-radius: 12px; align-self: start; }
  ol li { display: flex; align-items: center; gap: 10px; padding: 9px 0; color: ${muted}; font-size: 0.92rem; }
  ol li span { display: inline-grid; place-items: center; width: 24px; height: 24px; border-radius: 50%; border: 1px solid ${line}; font-size: 0.8rem; }
  ol li.done span { background: #0f766e; color: #fff; border-color: #0f766e; }
  ol li.now { color: ${ink}; font-weight: 600; }
  ol li.now span { border-color: #0f766e; color: #0f766e; }
  h1 { font-size: 1.45rem; margin: 0 0 6px; }
  p.lead { margin: 0 0 18px; color: ${muted}; }
  verify-interview, verify-interview-room { --verify-accent: #0f766e; --verify-radius: 12px; border: 1px solid ${line}; border-radius: 14px; overflow: hidden; }
</style></head>
<body>
<header><div class="logo"></div>Acme Talent<nav>Help · Sign out</nav></header>
<div class="layout">
  <ol>${step(1, "Application", "done")}${step(2, "Skills assessment", "done")}${step(3, "Identity check", "now")}${step(4, "Video interview", "next")}</ol>
  <main>
    <h1>${o.heading ?? "Verify your identity"}</h1>
    <p class="lead">${o.lead ?? "Our interview partner checks that you are the person who applied. It takes about a minute."}</p>
    ${o.element}
  </main>
</div>
${o.extra ?? ""}
<script>
  window.__events = [];
  for (const el of document.querySelectorAll("verify-interview, verify-interview-room")) {
    for (const name of ${JSON.stringify(WIDGET_EVENTS)}) {
      el.addEventListener(name, (e) => window.__events.push({ name, detail: e.detail, at: Date.now() }));
    }
  }
</script>
</body></html>`;
}
