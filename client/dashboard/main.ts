import { DocumentMode } from "../../shared/documents.js";
import "../ui/styles.css";
import type { InterviewSummary } from "../../shared/interview.js";
import { ApiError } from "../api/http.js";
import { h, mount } from "../ui/dom.js";
import { statusLabel } from "../ui/labels.js";
import { DashboardApi } from "./api.js";
import { deliveryLog } from "./deliveries.js";
import { renderDetail } from "./detail.js";
import { keysScreen } from "./keys.js";
import type { Session } from "./session.js";
import { setupTabs } from "./tabs.js";
import { webhooksScreen } from "./webhooks.js";

const KEY = "verify-kit.apiKey";
const keyForm = document.getElementById("key-form") as HTMLFormElement;
const app = document.getElementById("app")!;
const rows = document.getElementById("rows")!;
const detail = document.getElementById("detail")!;
const live = document.getElementById("live-status")!;
const value = (id: string) => (document.getElementById(id) as HTMLInputElement).value.trim();
const RISK_TONE = { high: "bad", review: "warn", clear: "ok" } as const;
const signOut = document.getElementById("sign-out") as HTMLButtonElement;
let api: DashboardApi | undefined;
let session: Session | undefined;
let selected: string | undefined;
let stream: AbortController | undefined;

const log = deliveryLog(() => session);
const screens = { keys: keysScreen(() => session), webhooks: webhooksScreen(() => session, log) };
const tabs = setupTabs((tab) => {
  if (tab === "interviews") void refreshList();
  else void screens[tab].refresh();
});

function claimText(iv: InterviewSummary): string {
  const c = iv.claimedLocation;
  return c ? [c.city, c.country].filter(Boolean).join(", ") : "—";
}

async function refreshList(): Promise<void> {
  if (!api) return;
  const { interviews } = await api.list();
  document.getElementById("empty")!.hidden = interviews.length > 0;
  mount(
    rows,
    ...interviews.map((iv) =>
      h(
        "tr",
        { "data-id": iv.id, class: iv.id === selected ? "selected" : "", onclick: () => void select(iv.id) },
        h("td", { class: "name" }, iv.candidate.name),
        h("td", {}, claimText(iv)),
        h("td", {}, h("span", { class: "pill", "data-status": iv.status }, statusLabel(iv.status))),
        h("td", {}, h("span", { class: `pill ${RISK_TONE[iv.riskLevel]}` }, iv.riskLevel)),
        h("td", { class: "muted" }, new Date(iv.createdAt).toLocaleString()),
      ),
    ),
  );
}

async function select(id: string): Promise<void> {
  if (!api) return;
  selected = id;
  const [iv, report] = await Promise.all([api.get(id), api.report(id)]);
  await renderDetail(detail, api, iv, report, (other) => void select(other));
  void refreshList();
}

let pending: ReturnType<typeof setTimeout> | undefined;
/** Coalesces bursts of live events into one refresh. */
function scheduleRefresh(interviewId: string): void {
  clearTimeout(pending);
  pending = setTimeout(() => {
    void refreshList();
    if (interviewId === selected) void select(interviewId);
    // A timeline event may have queued webhook deliveries: an open delivery log shows them.
    if (tabs.current() === "webhooks" && log.endpoint()) void log.refresh();
  }, 150);
}

/** Back to the key form, with `message` saying why (a revoked key, a wrong one). */
function close(message?: string): void {
  stream?.abort();
  stream = undefined;
  api = undefined;
  session = undefined;
  selected = undefined;
  // Nothing of the signed-out key's view stays in the page, least of all a secret on display.
  screens.keys.clear();
  screens.webhooks.clear();
  for (const id of ["rows", "detail", "result"]) mount(document.getElementById(id)!);
  detail.hidden = true;
  sessionStorage.removeItem(KEY);
  keyForm.hidden = false;
  app.hidden = true;
  signOut.hidden = true;
  live.textContent = "offline";
  live.className = "pill";
  mount(document.getElementById("key-error")!, message ? h("div", { class: "banner error", role: "alert" }, message) : null);
}

async function open(key: string): Promise<void> {
  const candidate = new DashboardApi(key, () => {
    if (api === candidate) close("This API key is no longer accepted: it was revoked or removed from the configuration. Enter another key.");
  });
  api = candidate;
  try {
    await refreshList();
  } catch (err) {
    close(err instanceof ApiError ? err.message : String(err));
    return;
  }
  session = { api: candidate, key };
  (document.getElementById("api-key") as HTMLInputElement).value = "";
  sessionStorage.setItem(KEY, key);
  keyForm.hidden = true;
  app.hidden = false;
  signOut.hidden = false;
  tabs.start();
  stream?.abort();
  stream = new AbortController();
  live.textContent = "live";
  live.className = "pill ok";
  void api.follow((e) => scheduleRefresh(e.interviewId), stream.signal);
}

signOut.addEventListener("click", () => close());
keyForm.addEventListener("submit", (e) => {
  e.preventDefault();
  void open(value("api-key"));
});

const copyable = (label: string, url: string, id: string) =>
  h(
    "div",
    {},
    h("label", {}, label),
    h("code", { class: "link", id }, url),
    h("div", { class: "actions" }, h("button", { type: "button", class: "secondary", onclick: () => void navigator.clipboard?.writeText(url) }, "Copy link")),
  );

async function createInterview(e: Event): Promise<void> {
  e.preventDefault();
  if (!api) return;
  const result = document.getElementById("result")!;
  const country = value("country");
  const documentMode = DocumentMode.safeParse(value("document")).data;
  const body = {
    candidate: { name: value("name"), ...(value("email") ? { email: value("email") } : {}) },
    ...(country ? { claimedLocation: { country, ...(value("city") ? { city: value("city") } : {}) } } : {}),
    ...(documentMode ? { document: documentMode } : {}),
  };
  try {
    const created = await api.create(body);
    mount(
      result,
      h("div", { class: "banner ok" }, "Created. Send the candidate link; keep the interviewer link for yourself."),
      copyable("Candidate link", created.candidateUrl, "candidate-url"),
      copyable("Interviewer link", created.interviewerUrl, "interviewer-url"),
    );
    (e.target as HTMLFormElement).reset();
    await refreshList();
  } catch (err) {
    mount(result, h("div", { class: "banner error" }, err instanceof ApiError ? err.message : String(err)));
  }
}
document.getElementById("create")!.addEventListener("submit", (e) => void createInterview(e));

const saved = sessionStorage.getItem(KEY);
if (saved) void open(saved);
else keyForm.hidden = false;
