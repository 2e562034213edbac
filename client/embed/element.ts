/**
 * `/embed.js`: the custom elements `<verify-interview>` (the candidate's
 * verification) and `<verify-interview-room>` (the interviewer's room). No
 * dependencies; built by `scripts/build-embed.ts`. The kit's page runs in an
 * iframe on the kit's origin; this file only frames it, sizes it, passes the
 * theme and text in, and re-emits its events as DOM `CustomEvent`s.
 */
import {
  CANDIDATE_EVENTS,
  CONFIG_FRAGMENT,
  type EmbedConfig,
  type EmbedEventName,
  HOST_SOURCE,
  type HostMessage,
  PROTOCOL_VERSION,
  ROOM_EVENTS,
  asFrameMessage,
} from "./protocol.js";
import { THEME_VARS, type ThemeVar, checkTheme, checkThemeVars } from "./theme.js";
import type { VerifyInterviewElement, VerifyInterviewRoomElement, VerifyInterviewStrings, VerifyTheme } from "./verify-interview.js";

/** A frame that has loaded but said nothing by then was refused by the kit (this origin is not allowed). */
const SILENT_FRAME_MS = 4000;
const LANG = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}$/;
const STYLE = `:host{display:block}iframe{display:block;width:100%;height:560px;border:0;background:transparent}`;

const warn = (message: string) => console.warn(`<verify-interview>: ${message}`);

abstract class VerifyFrameElement extends HTMLElement {
  static observedAttributes = ["src", "theme", "lang"];
  protected abstract readonly events: readonly EmbedEventName[];
  private frame: HTMLIFrameElement | undefined;
  private kitOrigin: string | undefined;
  private heard = false;
  /** The config the frame has (from its URL or the last `configure`), to send only what changed. */
  private sent = "";
  private silentTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly onMessage = (e: MessageEvent) => this.receive(e);

  get src(): string {
    return this.getAttribute("src") ?? "";
  }
  set src(value: string) {
    this.setAttribute("src", value);
  }
  get theme(): VerifyTheme {
    return checkTheme(this.getAttribute("theme")) ?? "light";
  }
  set theme(value: VerifyTheme) {
    this.setAttribute("theme", value);
  }

  connectedCallback(): void {
    window.addEventListener("message", this.onMessage);
    this.load();
  }

  disconnectedCallback(): void {
    window.removeEventListener("message", this.onMessage);
    clearTimeout(this.silentTimer);
    this.frame?.remove();
    this.frame = undefined;
  }

  attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    if (!this.isConnected || old === value) return;
    if (name === "src" || name === "lang") this.load();
    else this.configure();
  }

  /** Text overrides (only the candidate element sends any). */
  protected textConfig(): unknown {
    return undefined;
  }

  /** The theme and variables as this element states them now; bad values are warned about and left out. */
  private config(): EmbedConfig {
    const attr = this.getAttribute("theme");
    const theme = checkTheme(attr ?? undefined);
    if (attr !== null && !theme) warn(`theme="${attr}" is not light, dark or auto; ignored`);
    const style = getComputedStyle(this);
    const raw: Partial<Record<ThemeVar, string>> = {};
    for (const [name, property] of Object.entries(THEME_VARS) as [ThemeVar, string][]) {
      const value = style.getPropertyValue(property).trim();
      if (value) raw[name] = value;
    }
    const { vars, rejected } = checkThemeVars(raw, (v) => CSS.supports("color", v));
    for (const r of rejected) warn(`${r}; ignored`);
    const strings = this.textConfig();
    // `vars` always goes, empty or not: a variable the host removed (or that turned invalid) must leave the frame too.
    return { ...(theme ? { theme } : {}), vars, ...(strings ? { strings } : {}) };
  }

  private load(): void {
    clearTimeout(this.silentTimer);
    this.frame?.remove();
    this.frame = undefined;
    this.heard = false;
    let url: URL;
    try {
      url = new URL(this.src, document.baseURI);
      if (!/^https?:$/.test(url.protocol)) throw new Error("not http(s)");
    } catch {
      if (this.src) this.emit("error", { code: "bad_src", message: `src="${this.src}" is not an http(s) URL of the kit` });
      return;
    }
    const root = this.shadowRoot ?? this.attachShadow({ mode: "open" });
    const config = this.config();
    // The kit checks this origin against EMBED_ALLOWED_ORIGINS and lets only it frame the page.
    url.searchParams.set("embed_origin", location.origin);
    const lang = this.getAttribute("lang");
    if (lang && LANG.test(lang)) url.searchParams.set("lang", lang);
    else if (lang) warn(`lang="${lang}" is not a language tag; ignored`);
    if (config.theme) url.searchParams.set("theme", config.theme);
    const { theme: _t, vars, strings } = config;
    const rest = { ...(vars && Object.keys(vars).length ? { vars } : {}), ...(strings ? { strings } : {}) };
    // Variables and text travel in the fragment: the page reads them before it draws, and they never reach a server log.
    url.hash = Object.keys(rest).length ? `${CONFIG_FRAGMENT}=${encodeURIComponent(JSON.stringify(rest))}` : "";
    this.sent = JSON.stringify(config);
    this.kitOrigin = url.origin;
    const frame = document.createElement("iframe");
    frame.allow = "camera; microphone; autoplay";
    frame.title = this.localName === "verify-interview" ? "Identity check" : "Interview room";
    frame.src = url.href;
    frame.addEventListener("load", () => {
      if (this.heard || this.frame !== frame) return;
      this.silentTimer = setTimeout(() => {
        if (!this.heard && this.frame === frame) {
          this.emit("error", {
            code: "frame_blocked",
            message: `The kit's page did not start in this frame: is ${location.origin} listed in the kit's EMBED_ALLOWED_ORIGINS?`,
          });
        }
      }, SILENT_FRAME_MS);
    });
    const style = document.createElement("style");
    style.textContent = STYLE;
    root.replaceChildren(style, frame);
    this.frame = frame;
  }

  /** Sends the current theme and text to the frame, when they differ from what it has. */
  protected configure(): void {
    if (!this.frame?.contentWindow || !this.kitOrigin || !this.heard) return;
    const config = this.config();
    const json = JSON.stringify(config);
    if (json === this.sent) return;
    this.sent = json;
    const message: HostMessage = { source: HOST_SOURCE, v: PROTOCOL_VERSION, type: "configure", config };
    this.frame.contentWindow.postMessage(message, this.kitOrigin);
  }

  private receive(e: MessageEvent): void {
    // Only this element's own frame, showing the kit's origin: a message from any other window or origin is ignored.
    if (!this.frame || e.source !== this.frame.contentWindow || e.origin !== this.kitOrigin) return;
    const message = asFrameMessage(e.data);
    if (!message) return;
    if (message.type === "hello") {
      this.heard = true;
      clearTimeout(this.silentTimer);
      this.configure();
    } else if (message.type === "resize") {
      this.frame.style.height = `${Math.min(Math.max(Math.ceil(message.height), 120), 4000)}px`;
    } else if ((this.events as readonly string[]).includes(message.name)) {
      this.emit(message.name, message.detail);
    }
  }

  private emit(name: string, detail: Record<string, unknown>): void {
    this.dispatchEvent(new CustomEvent(name, { detail }));
  }
}

/** `<verify-interview src="CANDIDATE_URL">`: the candidate's verification, with a signed `verified` event. */
class VerifyInterview extends VerifyFrameElement implements VerifyInterviewElement {
  protected readonly events = CANDIDATE_EVENTS;
  private text: VerifyInterviewStrings | undefined;

  get strings(): VerifyInterviewStrings | undefined {
    return this.text;
  }
  set strings(value: VerifyInterviewStrings | undefined) {
    this.text = value;
    this.configure();
  }

  protected override textConfig(): unknown {
    return this.text;
  }
}

/** `<verify-interview-room src="INTERVIEWER_URL">`: the interviewer's room, for tools that hold interviews in their own UI. */
class VerifyInterviewRoom extends VerifyFrameElement implements VerifyInterviewRoomElement {
  protected readonly events = ROOM_EVENTS;
}

for (const [tag, element] of [
  ["verify-interview", VerifyInterview],
  ["verify-interview-room", VerifyInterviewRoom],
] as const) {
  // A page that loads the script twice keeps the first definition.
  if (!customElements.get(tag)) customElements.define(tag, element);
}
