import type { ApiKeySummary } from "../../shared/api-keys.js";
import { h, mount } from "../ui/dom.js";
import type { Screen, SessionSource } from "./session.js";
import { busy, confirmAction, secretPanel, showError, when } from "./widgets.js";

const COLUMNS = ["Name", "Prefix", "Created", "Last used", "Status", "Actions"] as const;

/** True when `secret` is the key listed as `k` (lists show only a prefix, so this is a best guess). */
const isKey = (k: ApiKeySummary, secret: string) => k.prefix.length > 0 && secret.startsWith(k.prefix);

/** A cell that carries its column name, shown as a label when the table stacks on a narrow screen. */
const cell = (column: (typeof COLUMNS)[number], ...children: (Node | string | null)[]) =>
  h("td", { "data-label": column }, children.some(Boolean) ? h("span", {}, ...children) : null);

/**
 * The API keys tab: the keys (configured ones marked, never a secret), a form
 * that makes one and shows its secret once, and revoking with a confirmation.
 */
export function keysScreen(session: SessionSource): Screen {
  const rows = document.getElementById("key-rows")!;
  const listError = document.getElementById("keys-error")!;
  const form = document.getElementById("key-create") as HTMLFormElement;
  const result = document.getElementById("key-create-result")!;
  const name = document.getElementById("key-name") as HTMLInputElement;

  async function refresh(): Promise<void> {
    const s = session();
    if (!s) return;
    try {
      const { keys } = await s.api.keys();
      // The dashboard's own key is marked only when exactly one listed key could be it.
      const mine = keys.filter((k) => !k.revoked && isKey(k, s.key));
      mount(listError);
      mount(rows, ...keys.map((k) => row(k, mine.length === 1 && mine[0] === k)));
    } catch (err) {
      showError(listError, err);
    }
  }

  function row(k: ApiKeySummary, inUse: boolean): HTMLTableRowElement {
    const tr = h("tr", { "data-key-id": k.id, class: k.revoked ? "revoked" : "" });
    const revoke =
      k.source === "configuration" || k.revoked
        ? null
        : h("button", { type: "button", class: "danger small", "aria-label": `Revoke ${k.name}`, onclick: (e) => void revokeKey(k, inUse, tr, e) }, "Revoke");
    mount(
      tr,
      cell(
        "Name",
        h("span", { class: "name" }, k.name),
        k.source === "configuration" || inUse
          ? h(
              "span",
              { class: "tags" },
              k.source === "configuration" ? h("span", { class: "pill", "data-source": "configuration" }, "from configuration") : null,
              inUse ? h("span", { class: "pill info" }, "this dashboard") : null,
            )
          : null,
      ),
      cell("Prefix", h("code", {}, `${k.prefix}…`)),
      cell("Created", when(k.createdAt, k.source === "configuration" ? "at start-up" : "—")),
      cell("Last used", when(k.lastUsedAt, "never", "relative")),
      cell("Status", h("span", { class: `pill ${k.revoked ? "bad" : "ok"}`, "data-revoked": String(k.revoked) }, k.revoked ? "revoked" : "active")),
      cell("Actions", revoke),
    );
    return tr;
  }

  async function revokeKey(k: ApiKeySummary, inUse: boolean, tr: HTMLTableRowElement, e: Event): Promise<void> {
    const s = session();
    if (!s) return;
    const ok = await confirmAction({
      title: `Revoke “${k.name}”?`,
      body: inUse
        ? "This is the key this dashboard is signed in with: you will be signed out. Requests with it are refused from now on; this cannot be undone."
        : "Every request made with this key is refused from now on. This cannot be undone.",
      confirm: "Revoke key",
    });
    if (!ok) return;
    try {
      await busy(e.target as HTMLButtonElement, () => s.api.revokeKey(k.id));
      await refresh();
    } catch (err) {
      // The message goes under the row that was acted on.
      if (tr.nextElementSibling?.classList.contains("row-error")) tr.nextElementSibling.remove();
      const slot = h("div", {});
      showError(slot, err);
      tr.after(h("tr", { class: "row-error" }, h("td", { colspan: String(COLUMNS.length) }, slot)));
    }
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const s = session();
    if (!s) return;
    const submit = form.querySelector<HTMLButtonElement>("button[type=submit]");
    void busy(submit, async () => {
      try {
        const created = await s.api.createKey({ name: name.value });
        mount(
          result,
          secretPanel({
            title: `Key “${created.name}” created`,
            secret: created.secret,
            id: "new-key-secret",
            note: "Send it as “Authorization: Bearer <key>”. Store it in your HR system's secret settings.",
          }),
        );
        form.reset();
        form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
        await refresh();
      } catch (err) {
        showError(result, err, form);
      }
    });
  });

  function clear(): void {
    for (const el of [rows, result, listError]) mount(el);
    form.reset();
  }

  return { refresh, clear };
}
