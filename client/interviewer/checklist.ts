import { ObservationItem, type ObservationInput } from "../../shared/observations.js";
import { h, mount } from "../ui/dom.js";

/** What the interviewer reads for each item of the advisory's checklist. */
const ITEM_LABELS: Record<ObservationItem, string> = {
  asked_crypto_payment: "Asked to be paid in virtual currency",
  asked_payment_platform_or_other_account: "Asked for payment through a payment platform or to another person's account",
  refused_or_avoided_video: "Refused or avoided video",
  camera_pointed_away_or_covered: "Pointed the camera away or covered it",
  location_contradicted: "Contradicted their claimed location in conversation",
};

/**
 * The advisory's red flags that only a person in the conversation can see,
 * as a checklist: ticked items go to the kit as one observation, and each
 * becomes a flag in the risk report.
 */
export function renderChecklist(holder: HTMLElement, submit: (input: ObservationInput) => Promise<unknown>): void {
  const status = h("p", { class: "muted", id: "checklist-status" });
  const boxes = ObservationItem.options.map((item) =>
    h("label", { style: "display:block;margin:4px 0" }, h("input", { type: "checkbox", name: "observation", value: item }), " ", ITEM_LABELS[item]),
  );
  const note = h("textarea", { id: "checklist-note", rows: "2", maxlength: "500", placeholder: "Note (optional)", style: "width:100%" });
  const send = async () => {
    const items = [...holder.querySelectorAll<HTMLInputElement>("input[name=observation]:checked")].map((b) => b.value as ObservationItem);
    if (!items.length) {
      status.textContent = "Tick at least one item.";
      return;
    }
    const text = (note as HTMLTextAreaElement).value.trim();
    try {
      await submit({ items, ...(text ? { note: text } : {}) });
      status.textContent = `Recorded: ${items.length} item${items.length === 1 ? "" : "s"}.`;
      holder.querySelectorAll<HTMLInputElement>("input[name=observation]").forEach((b) => (b.checked = false));
      (note as HTMLTextAreaElement).value = "";
    } catch (err) {
      status.textContent = `Not recorded: ${(err as Error).message}`;
    }
  };
  mount(holder, ...boxes, note, h("div", { class: "actions" }, h("button", { id: "checklist-submit", class: "secondary", onclick: () => void send() }, "Record")), status);
}
