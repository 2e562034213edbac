import "./frame.css";
import { EMBED_ORIGIN_META } from "../../shared/embed.js";
import { applyHostText } from "./host-text.js";
import {
  CONFIG_FRAGMENT,
  type EmbedConfig,
  type EmbedEventName,
  FRAME_SOURCE,
  type FrameMessage,
  PROTOCOL_VERSION,
  asHostMessage,
} from "./protocol.js";
import { THEME_VARS, type ThemeVar, accentInk, checkTheme, checkThemeVars } from "./theme.js";

type Detail = Record<string, unknown>;

/** The kit's page inside a widget: where its events go, and how it sends them. */
export interface FrameBridge {
  /** The embedding page's origin, or undefined when no allowed origin embeds this page (then nothing is posted). */
  readonly origin: string | undefined;
  /**
   * Posts an event to the embedder. `detail` may be a promise: later events wait
   * for it, so the host sees them in the order they happened. A promise that
   * resolves to undefined posts nothing.
   */
  emit(name: EmbedEventName, detail?: Detail | Promise<Detail | undefined>): void;
}

/**
 * The origin this page may post to: the one the kit named in the page (it let
 * only that origin frame this response), when the page is framed, asked for that
 * origin, and the browser's own record of the parent agrees where it keeps one.
 */
function embedderOrigin(): string | undefined {
  const declared = document.querySelector<HTMLMetaElement>(`meta[name="${EMBED_ORIGIN_META}"]`)?.content;
  if (!declared || window.parent === window) return undefined;
  if (new URLSearchParams(location.search).get("embed_origin") !== declared) return undefined;
  const ancestors = location.ancestorOrigins as DOMStringList | undefined;
  if (ancestors && ancestors.length > 0 && ancestors[0] !== declared) return undefined;
  return declared;
}

/** The config the element put in the URL: `?theme=` and `#verify-config=` (variables, text). */
function initialConfig(): EmbedConfig {
  const theme = new URLSearchParams(location.search).get("theme") ?? undefined;
  const fragment = new URLSearchParams(location.hash.slice(1)).get(CONFIG_FRAGMENT);
  let rest: Record<string, unknown> = {};
  if (fragment) {
    try {
      const parsed: unknown = JSON.parse(fragment);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) rest = parsed as Record<string, unknown>;
    } catch {
      console.warn("verify-interview: the configuration in the URL fragment is not JSON; ignored");
    }
  }
  return { ...(theme !== undefined ? { theme: theme as EmbedConfig["theme"] } : {}), vars: rest.vars as EmbedConfig["vars"], strings: rest.strings };
}

const darkQuery = () => window.matchMedia?.("(prefers-color-scheme: dark)");

/** Applies a theme and variables, each validated here again: the URL and messages are anyone's to write. */
function applyLook(config: EmbedConfig): void {
  const root = document.documentElement;
  if (config.theme !== undefined) {
    const theme = checkTheme(config.theme);
    if (!theme) console.warn(`verify-interview: theme ${JSON.stringify(config.theme)} is not light, dark or auto; ignored`);
    else root.dataset.theme = theme;
  }
  const theme = root.dataset.theme;
  root.dataset.scheme = theme === "dark" || (theme === "auto" && darkQuery()?.matches) ? "dark" : "light";
  if (config.vars === undefined) return;
  const { vars, rejected } = checkThemeVars(config.vars, (v) => CSS.supports("color", v));
  for (const r of rejected) console.warn(`verify-interview: ${r}; ignored`);
  for (const name of Object.keys(THEME_VARS) as ThemeVar[]) {
    const value = vars[name];
    if (name === "font") {
      if (value) root.style.setProperty("font-family", value);
      else root.style.removeProperty("font-family");
      continue;
    }
    if (value) root.style.setProperty(`--${name}`, value);
    else root.style.removeProperty(`--${name}`);
    if (name === "accent") {
      if (value) root.style.setProperty("--accent-ink", accentInk(value));
      else root.style.removeProperty("--accent-ink");
    }
  }
}

/**
 * Starts the page's side of the widget: applies the host's theme and text, and,
 * when an allowed origin embeds the page, says hello, reports its height and
 * accepts later configuration from that parent only. Call it before the page
 * first renders; `onConfigChange` re-renders after new text arrives.
 */
export function startFrameBridge(options: { onConfigChange?: () => void } = {}): FrameBridge {
  const origin = embedderOrigin();
  const lang = new URLSearchParams(location.search).get("lang") ?? undefined;
  // The fragment's text and variables are the embedder's: anyone can write a fragment onto a link, so
  // on the kit's page opened directly (or framed by an origin the kit does not allow) they are ignored.
  // Otherwise `#verify-config=` could rewrite the consent text on the kit's own origin.
  const fromUrl = initialConfig();
  const initial: EmbedConfig = origin ? fromUrl : { ...(fromUrl.theme !== undefined ? { theme: fromUrl.theme } : {}) };
  if (!origin && (fromUrl.strings !== undefined || fromUrl.vars !== undefined)) {
    console.warn("verify-interview: text and variables in the URL fragment apply only inside an allowed embedding page; ignored");
  }
  applyLook(initial);
  applyHostText(lang, initial.strings);
  darkQuery()?.addEventListener("change", () => applyLook({}));

  const post = (message: FrameMessage) => {
    if (origin) window.parent.postMessage(message, origin);
  };
  let chain: Promise<void> = Promise.resolve();
  const bridge: FrameBridge = {
    origin,
    emit(name, detail = {}) {
      if (!origin) return;
      chain = chain
        .then(async () => {
          const resolved = await detail;
          if (resolved) post({ source: FRAME_SOURCE, v: PROTOCOL_VERSION, type: "event", name, detail: resolved });
        })
        .catch(() => {});
    },
  };
  if (!origin) return bridge;

  document.documentElement.dataset.embedded = "";
  window.addEventListener("message", (e) => {
    // Only the parent that embeds this page, on the origin the kit allowed: any other window or origin is ignored.
    if (e.source !== window.parent || e.origin !== origin) return;
    const message = asHostMessage(e.data);
    if (!message) return;
    applyLook(message.config);
    if (message.config.strings !== undefined) applyHostText(lang, message.config.strings);
    options.onConfigChange?.();
  });
  post({ source: FRAME_SOURCE, v: PROTOCOL_VERSION, type: "hello" });
  let last = 0;
  new ResizeObserver(() => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height !== last) post({ source: FRAME_SOURCE, v: PROTOCOL_VERSION, type: "resize", height: (last = height) });
  }).observe(document.documentElement);
  return bridge;
}
