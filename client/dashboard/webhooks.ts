import { type WebhookEndpoint, WebhookEventType } from "../../shared/webhooks.js";
import { h, mount } from "../ui/dom.js";
import type { DeliveryLog } from "./deliveries.js";
import type { Screen, SessionSource } from "./session.js";
import { busy, confirmAction, secretPanel, showError, when } from "./widgets.js";

/** What each event means, for the checkbox list; a new event type will not compile until it is described. */
const EVENT_HINTS: Record<WebhookEventType, string> = {
  "interview.created": "an interview link was made",
  "interview.link_opened": "the candidate opened their link",
  "candidate.camera_refused": "the candidate refused the camera",
  "verification.passed": "the liveness check passed",
  "verification.failed": "a liveness attempt failed",
  "verification.attempts_exhausted": "no liveness attempts left",
  "interview.started": "the video call began",
  "interview.ended": "the video call ended",
  "identity.face_mismatch": "a different face took over the call",
  "identity.video_not_live": "the candidate's camera showed a still picture or a looping clip",
  "identity.face_reused": "the face matches another candidate",
  "identity.changed": "the face differs from earlier rounds",
  "identity.extra_video_track": "the candidate published a second video track",
  "identity.network_reused": "the candidate's network was used by other candidates",
  "identity.device_reused": "the candidate's reported device was used by other candidates",
  "interview.document_checked": "the candidate's identity document was read and checked",
  "interview.observation_recorded": "the interviewer ticked the advisory checklist",
  "interview.risk_changed": "the interview's risk level changed",
  "interview.personal_data_redacted": "the candidate's personal data was redacted",
};

const ROTATE_NOTE =
  "The old secret stays valid for 24 hours: until then each delivery is signed with both, so update your receiver before it expires.";

/**
 * The Webhooks tab: registered endpoints with their state, a form that
 * registers one (its `whsec_` secret shown once), rotating and deleting, and
 * the way into each endpoint's delivery log.
 */
export function webhooksScreen(session: SessionSource, log: DeliveryLog): Screen {
  const list = document.getElementById("endpoint-list")!;
  const empty = document.getElementById("endpoints-empty")!;
  const listError = document.getElementById("endpoints-error")!;
  const form = document.getElementById("endpoint-create") as HTMLFormElement;
  const result = document.getElementById("endpoint-create-result")!;
  const choices = document.getElementById("event-choices")!;

  mount(
    choices,
    ...WebhookEventType.options.map((type) =>
      h(
        "label",
        { class: "check" },
        h("input", { type: "checkbox", name: "events", value: type, disabled: true }),
        h("span", {}, h("code", {}, type), h("span", { class: "muted" }, ` ${EVENT_HINTS[type]}`)),
      ),
    ),
  );
  const eventBoxes = () => [...choices.querySelectorAll<HTMLInputElement>("input[name=events]")];
  const scope = () => (form.querySelector<HTMLInputElement>("input[name=scope]:checked")?.value === "some" ? "some" : "all");
  form.addEventListener("change", () => {
    for (const box of eventBoxes()) box.disabled = scope() === "all";
    choices.hidden = scope() === "all";
  });

  async function refresh(): Promise<void> {
    const s = session();
    if (!s) return;
    try {
      const { endpoints } = await s.api.endpoints();
      mount(listError);
      empty.hidden = endpoints.length > 0;
      mount(list, ...endpoints.map(item));
      const shown = log.endpoint();
      if (shown) {
        const still = endpoints.find((e) => e.id === shown);
        if (still) log.open(still);
        else log.close();
      }
    } catch (err) {
      showError(listError, err);
    }
  }

  function item(ep: WebhookEndpoint): HTMLLIElement {
    const slot = h("div", { class: "slot", "aria-live": "polite" });
    const disabled = ep.disabledAt !== null;
    return h(
      "li",
      { class: `endpoint${disabled ? " disabled" : ""}`, "data-endpoint-id": ep.id },
      h(
        "div",
        { class: "endpoint-head" },
        h("code", { class: "url" }, ep.url),
        h("span", { class: `pill ${disabled ? "bad" : "ok"}`, "data-state": disabled ? "disabled" : "active" }, disabled ? "disabled" : "active"),
      ),
      ep.description ? h("p", { class: "description" }, ep.description) : null,
      h(
        "p",
        { class: "meta muted" },
        "Events: ",
        ep.events === null ? "all" : ep.events.join(", "),
        " · registered ",
        when(ep.createdAt),
      ),
      disabled
        ? h(
            "div",
            { class: "banner warn" },
            "Disabled ",
            when(ep.disabledAt),
            ": the receiver answered 410 Gone, so nothing more is sent to it. Delete it and register the URL again to resume.",
          )
        : null,
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", class: "secondary small", "aria-label": `Delivery log of ${ep.url}`, onclick: () => log.open(ep, true) }, "Delivery log"),
        h("button", { type: "button", class: "secondary small", "aria-label": `Rotate the secret of ${ep.url}`, onclick: (e) => void rotate(ep, slot, e) }, "Rotate secret"),
        h("button", { type: "button", class: "danger small", "aria-label": `Delete ${ep.url}`, onclick: (e) => void remove(ep, slot, e) }, "Delete"),
      ),
      slot,
    );
  }

  async function rotate(ep: WebhookEndpoint, slot: HTMLElement, e: Event): Promise<void> {
    const s = session();
    if (!s) return;
    const ok = await confirmAction({ title: "Rotate the signing secret?", body: `A new secret is made for ${ep.url}. ${ROTATE_NOTE}`, confirm: "Rotate secret" });
    if (!ok) return;
    try {
      const rotated = await busy(e.target as HTMLButtonElement, () => s.api.rotateSecret(ep.id));
      mount(slot, secretPanel({ title: "New signing secret", secret: rotated.secret, id: `rotated-secret-${ep.id}`, note: ROTATE_NOTE }));
    } catch (err) {
      showError(slot, err);
    }
  }

  async function remove(ep: WebhookEndpoint, slot: HTMLElement, e: Event): Promise<void> {
    const s = session();
    if (!s) return;
    const ok = await confirmAction({
      title: "Delete this endpoint?",
      body: `Nothing more is sent to ${ep.url}; its delivery log and any deliveries not yet sent are deleted too.`,
      confirm: "Delete endpoint",
    });
    if (!ok) return;
    try {
      await busy(e.target as HTMLButtonElement, () => s.api.deleteEndpoint(ep.id));
      await refresh();
    } catch (err) {
      showError(slot, err);
    }
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const s = session();
    if (!s) return;
    const data = new FormData(form);
    const events = scope() === "all" ? undefined : eventBoxes().filter((b) => b.checked).map((b) => WebhookEventType.parse(b.value));
    if (events && events.length === 0) {
      mount(result, h("div", { class: "banner error", role: "alert" }, "Choose at least one event, or send every event."));
      return;
    }
    const description = String(data.get("description") ?? "").trim();
    const submit = form.querySelector<HTMLButtonElement>("button[type=submit]");
    void busy(submit, async () => {
      try {
        const created = await s.api.createEndpoint({ url: String(data.get("url") ?? "").trim(), ...(events ? { events } : {}), ...(description ? { description } : {}) });
        mount(
          result,
          secretPanel({
            title: "Endpoint registered",
            secret: created.secret,
            id: "new-endpoint-secret",
            note: "Your receiver checks each delivery's webhook-signature header with this secret (Standard Webhooks).",
          }),
        );
        form.reset();
        form.dispatchEvent(new Event("change"));
        form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
        await refresh();
      } catch (err) {
        showError(result, err, form);
      }
    });
  });

  function clear(): void {
    for (const el of [list, result, listError]) mount(el);
    form.reset();
    form.dispatchEvent(new Event("change"));
    log.close();
  }

  return { refresh, clear };
}
