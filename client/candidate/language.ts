import { applyLanguage, type Locale, onStringsChange, resolveLanguage, strings } from "../i18n/index.js";

/** Elements that show candidate text; each takes its direction from its own text. */
const TEXT = "h1, h2, p, button, label, strong, .banner, .overlay, option";

/**
 * A host's override may be in a right-to-left script (Arabic, Hebrew) while the page's language is
 * left to right: `dir="auto"` lets each text element follow its first strong character, so such a
 * sentence reads and aligns right to left without turning the whole layout around.
 */
function autoDirection(root: Element): void {
  const mark = (el: Element) => {
    if (el.matches(TEXT) && !el.hasAttribute("dir")) el.setAttribute("dir", "auto");
  };
  const markTree = (el: Element) => {
    mark(el);
    el.querySelectorAll(TEXT).forEach(mark);
  };
  markTree(root);
  // Mutation records are delivered before the next paint, so new text never shows with the wrong direction.
  new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) if (node instanceof Element) markTree(node);
  }).observe(root, { childList: true, subtree: true });
}

/**
 * Picks the page's language from `?lang=` (the widget passes its host's `lang` there), then the
 * browser's languages, applies it, and calls `rerender` whenever the strings change later (a
 * host's overrides arriving by message). Returns the language chosen.
 */
export function startLanguage(rerender: () => void): Locale {
  const requested = new URLSearchParams(location.search).get("lang");
  const locale = resolveLanguage(requested, navigator.languages?.length ? navigator.languages : [navigator.language]);
  applyLanguage(locale);
  const showTitle = () => {
    document.title = strings.title;
  };
  showTitle();
  autoDirection(document.querySelector("main") ?? document.body);
  onStringsChange(() => {
    showTitle();
    rerender();
  });
  return locale;
}
