import { ApiError } from "../api/http.js";
import { h, mount } from "../ui/dom.js";

const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["second", 60],
  ["minute", 60],
  ["hour", 24],
  ["day", 30],
  ["month", 12],
  ["year", Infinity],
];

/** "in 5 seconds", "3 minutes ago": how far `iso` is from now, in the largest whole unit. */
export function relative(iso: string, now = Date.now()): string {
  let value = (Date.parse(iso) - now) / 1000;
  for (const [unit, size] of STEPS) {
    // Compared after rounding, so 3,599 seconds reads "in 1 hour", not "in 60 minutes".
    if (Math.abs(Math.round(value)) < size) return relativeFormat.format(Math.round(value), unit);
    value /= size;
  }
  return relativeFormat.format(Math.round(value), "year");
}

const FORMATS = {
  /** "Nov 26, 2026, 2:18 AM". */
  date: { dateStyle: "medium", timeStyle: "short" },
  /** "Nov 26, 2:18:47 AM": attempts, seconds apart. */
  precise: { month: "short", day: "numeric", hour: "numeric", minute: "2-digit", second: "2-digit" },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

/**
 * A `<time>` for `iso`: the local date and time (`date`, `precise`) with the
 * distance from now as its tooltip, or the distance (`relative`) with the date
 * as the tooltip; `empty` when there is no time.
 */
export function when(iso: string | null, empty = "—", style: keyof typeof FORMATS | "relative" = "date"): HTMLElement {
  if (!iso) return h("span", { class: "muted" }, empty);
  const absolute = new Date(iso).toLocaleString(undefined, FORMATS[style === "relative" ? "date" : style]);
  return style === "relative"
    ? h("time", { datetime: iso, title: absolute }, relative(iso))
    : h("time", { datetime: iso, title: relative(iso) }, absolute);
}

/**
 * Shows an API error in `target` (the form's own message slot) and marks the
 * field the server named, so a screen reader and the eye both land on it.
 */
export function showError(target: HTMLElement, err: unknown, form?: HTMLFormElement): void {
  form?.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
  const message = err instanceof ApiError ? err.message : String(err);
  const field = err instanceof ApiError ? err.field?.split(".")[0] : undefined;
  if (form && field) form.querySelector(`[name="${CSS.escape(field)}"]`)?.setAttribute("aria-invalid", "true");
  mount(target, h("div", { class: "banner error", role: "alert" }, message));
}

/** Runs `work` with `button` disabled, so a double click cannot send a request twice. */
export async function busy<T>(button: HTMLButtonElement | null, work: () => Promise<T>): Promise<T> {
  if (button) button.disabled = true;
  try {
    return await work();
  } finally {
    if (button) button.disabled = false;
  }
}

/** A copy button for `text`; it says "Copied" for a moment when the clipboard took it. */
export function copyButton(text: string, label = "Copy"): HTMLButtonElement {
  const button = h("button", { type: "button", class: "secondary small" }, label);
  button.addEventListener("click", () => {
    void navigator.clipboard?.writeText(text).then(
      () => {
        button.textContent = "Copied";
        setTimeout(() => (button.textContent = label), 1500);
      },
      () => (button.textContent = "Select and copy by hand"),
    );
  });
  return button;
}

/**
 * The panel that shows a new secret this once: the secret, a copy button, and
 * a plain warning. "Done" removes it, so the secret leaves the page.
 */
export function secretPanel(options: { title: string; secret: string; id: string; note?: string }): HTMLElement {
  const panel: HTMLElement = h(
    "section",
    { class: "secret", "aria-label": options.title },
    h("h3", {}, options.title),
    h("p", { class: "secret-warning" }, h("strong", {}, "Copy it now: you won't see this again."), " The kit keeps only a hash of it."),
    options.note ? h("p", { class: "muted" }, options.note) : null,
    h("code", { class: "link", id: options.id }, options.secret),
    h(
      "div",
      { class: "actions" },
      copyButton(options.secret, "Copy secret"),
      h("button", { type: "button", class: "secondary small", onclick: () => panel.remove() }, "Done, I saved it"),
    ),
  );
  return panel;
}

/**
 * Asks before something that cannot be undone, in a modal `<dialog>` (focus
 * stays inside it; Escape cancels). Resolves true only for the confirm button.
 */
export function confirmAction(options: { title: string; body: string; confirm: string }): Promise<boolean> {
  return new Promise((resolve) => {
    const dialog = h(
      "dialog",
      { class: "confirm", "aria-labelledby": "confirm-title" },
      h("h2", { id: "confirm-title" }, options.title),
      h("p", {}, options.body),
      h(
        "form",
        { method: "dialog", class: "actions" },
        h("button", { value: "cancel", class: "secondary", autofocus: true }, "Cancel"),
        h("button", { value: "confirm", class: "danger" }, options.confirm),
      ),
    );
    dialog.addEventListener("close", () => {
      resolve(dialog.returnValue === "confirm");
      dialog.remove();
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}
