import type { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from "../../shared/webhooks.js";
import { h, mount } from "../ui/dom.js";
import type { SessionSource } from "./session.js";
import { busy, relative, showError, when } from "./widgets.js";

/** One endpoint's delivery log, shown under the endpoint list. */
export interface DeliveryLog {
  /** Shows `endpoint`'s log (or reloads it); `focus` moves the keyboard and the view to it. */
  open(endpoint: WebhookEndpoint, focus?: boolean): void;
  close(): void;
  /** The id of the endpoint whose log is open. */
  endpoint(): string | undefined;
  refresh(): Promise<void>;
}

const STATUS_TONE = { delivered: "ok", failed: "bad", pending: "warn", delivering: "info" } as const;
/** How often an open log reloads while a delivery is still on its way. */
const POLL_MS = 2000;
/** A pending delivery due within this long keeps the log polling. */
const SOON_MS = 60_000;

const statusText = (code: number | null) => (code === null ? "no answer" : String(code));
const codeTone = (code: number | null) => (code !== null && code >= 200 && code < 300 ? "ok" : "bad");

function attemptRow(a: WebhookAttempt, n: number): HTMLTableRowElement {
  return h(
    "tr",
    {},
    h("td", { class: "n" }, String(n)),
    h("td", {}, when(a.at, "—", "precise")),
    h("td", {}, h("span", { class: `pill ${codeTone(a.statusCode)}`, "data-code": statusText(a.statusCode) }, statusText(a.statusCode))),
    h("td", { class: "num" }, `${a.durationMs} ms`),
    h("td", { class: "error-text" }, a.error ?? h("span", { class: "muted" }, "—")),
  );
}

/**
 * The delivery log card: each delivery's attempts (status code, duration,
 * time, error), when the next one is due, and a Replay button. While anything
 * is still pending it reloads itself every couple of seconds.
 */
export function deliveryLog(session: SessionSource): DeliveryLog {
  const card = document.getElementById("deliveries")!;
  let current: WebhookEndpoint | undefined;
  /** Counts loads, so an answer overtaken by a newer load (or a close) is dropped. */
  let loads = 0;
  let poll: ReturnType<typeof setTimeout> | undefined;

  const list = h("ol", { class: "deliveries", id: "delivery-list" });
  const error = h("div", { "aria-live": "polite" });
  const title = h("h2", { tabindex: "-1", id: "deliveries-title" }, "Delivery log");
  const target = h("p", { class: "muted small" });
  const held = h("div", { class: "banner warn" });

  function delivery(d: WebhookDelivery): HTMLLIElement {
    const slot = h("div", { "aria-live": "polite" });
    const disabled = current?.disabledAt != null;
    const replay = h(
      "button",
      { type: "button", class: "secondary small", "aria-label": `Replay ${d.type} delivery ${d.id}`, disabled },
      "Replay",
    );
    replay.addEventListener("click", () => void replayOne(d, replay, slot));
    const next = d.nextAttemptAt;
    return h(
      "li",
      { class: "delivery", "data-delivery-id": d.id, "data-status": d.status },
      h(
        "div",
        { class: "delivery-head" },
        h("span", { class: `pill ${STATUS_TONE[d.status]}` }, d.status),
        h("code", { class: "event-type" }, d.type),
        h("span", { class: "muted small" }, when(d.createdAt)),
        h("span", { class: "spacer" }),
        replay,
      ),
      h("p", { class: "muted small ids" }, "webhook-id ", h("code", {}, d.id), " · interview ", h("code", {}, d.payload.data.interviewId)),
      next && !disabled
        ? h("p", { class: "next small" }, "Next attempt ", h("time", { datetime: next }, new Date(next).toLocaleString()), ` (${relative(next)})`)
        : null,
      d.attempts.length
        ? h(
            "table",
            { class: "attempts" },
            h("thead", {}, h("tr", {}, h("th", { scope: "col", class: "n" }, "#"), ...["Time", "Status", "Duration", "Error"].map((c) => h("th", { scope: "col" }, c)))),
            h("tbody", {}, ...d.attempts.map((a, i) => attemptRow(a, i + 1))),
          )
        : h("p", { class: "muted small" }, "Not attempted yet."),
      slot,
    );
  }

  async function replayOne(d: WebhookDelivery, button: HTMLButtonElement, slot: HTMLElement): Promise<void> {
    const s = session();
    if (!s) return;
    try {
      await busy(button, () => s.api.replay(d.id));
      await refresh();
    } catch (err) {
      showError(slot, err);
    }
  }

  async function refresh(): Promise<void> {
    const s = session();
    const ep = current;
    if (!s || !ep) return;
    const load = ++loads;
    clearTimeout(poll);
    try {
      const { deliveries } = await s.api.deliveries(ep.id);
      if (load !== loads) return;
      mount(error);
      mount(list, ...(deliveries.length ? deliveries.map(delivery) : [h("li", { class: "muted empty" }, "No deliveries yet. Events are sent as they happen.")]));
      // Retries hours away are not polled for; one due within the minute (a replay, a first retry) is.
      const soon = Date.now() + SOON_MS;
      const moving = deliveries.some((d) => d.status === "delivering" || (d.nextAttemptAt !== null && Date.parse(d.nextAttemptAt) < soon));
      if (moving && ep.disabledAt === null && !card.hidden) poll = setTimeout(() => void refresh(), POLL_MS);
    } catch (err) {
      if (load === loads) showError(error, err);
    }
  }

  function close(): void {
    current = undefined;
    loads++;
    clearTimeout(poll);
    card.hidden = true;
  }

  function open(ep: WebhookEndpoint, focus = false): void {
    const changed = current?.id !== ep.id;
    current = ep;
    mount(target, "To ", h("code", {}, ep.url));
    held.hidden = ep.disabledAt === null;
    mount(held, "This endpoint is disabled: deliveries are held and cannot be replayed.");
    if (changed) mount(list);
    card.hidden = false;
    void refresh();
    if (focus) {
      card.scrollIntoView({ block: "start", behavior: "smooth" });
      title.focus({ preventScroll: true });
    }
  }

  mount(
    card,
    h(
      "div",
      { class: "card-head" },
      h("div", {}, title, target),
      h(
        "div",
        { class: "actions tight" },
        h("button", { type: "button", class: "secondary small", id: "deliveries-refresh", onclick: () => void refresh() }, "Refresh"),
        h("button", { type: "button", class: "secondary small", "aria-label": "Close the delivery log", onclick: close }, "Close"),
      ),
    ),
    h(
      "p",
      { class: "muted small" },
      "Newest first. A delivery keeps its webhook-id on every retry and replay, so your receiver can ignore repeats.",
    ),
    held,
    error,
    list,
  );

  return { open, close, refresh, endpoint: () => current?.id };
}
