/** The dashboard's tabs, in order; each names its tab (`#tab-…`), its panel (`#screen-…`) and its URL hash. */
export const TABS = ["interviews", "keys", "webhooks"] as const;
export type Tab = (typeof TABS)[number];

const isTab = (s: string): s is Tab => (TABS as readonly string[]).includes(s);

/**
 * Wires the ARIA tab list: click or arrow keys switch tabs, the URL hash
 * remembers the open one (so a reload or a shared link lands on it), and
 * `onShow` is told each time a tab opens. `start` opens the tab the hash names.
 */
export function setupTabs(onShow: (tab: Tab) => void): { current(): Tab; show(tab: Tab): void; start(): void } {
  const buttons = TABS.map((t) => document.getElementById(`tab-${t}`) as HTMLButtonElement);
  let open: Tab = "interviews";

  function show(tab: Tab, focus = false): void {
    open = tab;
    TABS.forEach((t, i) => {
      const selected = t === tab;
      buttons[i]!.setAttribute("aria-selected", String(selected));
      buttons[i]!.tabIndex = selected ? 0 : -1;
      document.getElementById(`screen-${t}`)!.hidden = !selected;
    });
    if (focus) buttons[TABS.indexOf(tab)]!.focus();
    const hash = tab === "interviews" ? "" : `#${tab}`;
    if (location.hash !== hash) history.replaceState(null, "", hash || location.pathname + location.search);
    onShow(tab);
  }

  buttons.forEach((button, i) => {
    button.addEventListener("click", () => show(TABS[i]!));
    button.addEventListener("keydown", (e) => {
      const step = { ArrowRight: 1, ArrowLeft: -1, Home: -i, End: TABS.length - 1 - i }[e.key];
      if (step === undefined) return;
      e.preventDefault();
      show(TABS[(i + step + TABS.length) % TABS.length]!, true);
    });
  });
  window.addEventListener("hashchange", () => {
    const tab = location.hash.slice(1);
    show(isTab(tab) ? tab : "interviews");
  });

  return {
    current: () => open,
    show: (tab) => show(tab),
    start: () => {
      const tab = location.hash.slice(1);
      show(isTab(tab) ? tab : "interviews");
    },
  };
}
