/**
 * The candidate page's language, in real Chromium on the built page: `?lang=` (the widget's `lang`)
 * first, then the browser's languages; and a layout that holds at 360 px when a host's text is
 * right to left (Arabic) or has a compound word longer than the screen is wide.
 * Screenshots go to test-results/ for a person to look at.
 */
import fs from "node:fs";
import path from "node:path";
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CandidateView } from "../../shared/candidate.js";
import { TABLES } from "../../client/i18n/index.js";
import { launchChromium } from "../../scripts/chromium.js";
import { loopbackContext } from "../helpers/browser.js";
import { tokenOf } from "../helpers/app.js";
import { type RunningKit, startKit } from "../helpers/kit-server.js";

const RESULTS = path.resolve(import.meta.dirname, "../../test-results");

let kit: RunningKit;
let link: string;
let view: CandidateView;
const browsers: Browser[] = [];

beforeAll(async () => {
  kit = await startKit();
  const { json } = await kit.api.createInterview({ candidate: { name: "Ana Ortiz" } });
  link = json.candidateUrl!;
  view = CandidateView.parse(await (await kit.api.call("GET", `/v1/candidate/${tokenOf(link)}`)).json());
  fs.mkdirSync(RESULTS, { recursive: true });
});
afterAll(async () => {
  await Promise.all(browsers.map((b) => b.close()));
  await kit?.stop();
});

/** Opens the candidate link in its own Chromium (no camera needed) and waits for the consent screen. */
async function consentScreen(url: string, options: { args?: string[]; context?: BrowserContextOptions } = {}): Promise<Page> {
  const browser = await launchChromium(["--use-fake-ui-for-media-stream", ...(options.args ?? [])]);
  browsers.push(browser);
  const page = await (await loopbackContext(browser, options.context)).newPage();
  page.on("pageerror", (err) => console.error("candidate page error:", err.message));
  await page.goto(url);
  await page.waitForSelector("body[data-state=consent]", { timeout: 20_000 });
  return page;
}

const shown = (page: Page) =>
  page.evaluate(() => ({
    lang: document.documentElement.lang,
    dir: document.documentElement.dir,
    languages: [...navigator.languages],
    documentTitle: document.title,
    title: document.getElementById("title")!.textContent,
    heading: document.querySelector("#panel h2")!.textContent,
    template: document.getElementById("consent-template")!.textContent,
    button: document.getElementById("consent")!.textContent,
  }));

describe("the candidate page's language", () => {
  it('shows Japanese on the consent screen with ?lang=ja, whatever the browser prefers', async () => {
    const page = await consentScreen(`${link}?lang=ja`, { context: { locale: "es-ES" } });
    const ja = TABLES.ja;
    expect(await shown(page)).toMatchObject({
      lang: "ja",
      dir: "ltr",
      title: ja.title,
      documentTitle: ja.title,
      heading: ja.consentHeading,
      template: ja.consentFaceTemplate(view.faceTemplateDays),
      button: ja.consentAccept,
    });
    await page.setViewportSize({ width: 360, height: 640 });
    await page.screenshot({ path: path.join(RESULTS, "languages-ja-360.png"), fullPage: true });
  }, 60_000);

  it("follows a Korean browser when the link asks for no language, or for one not shipped", async () => {
    const options = { args: ["--lang=ko"], context: { locale: "ko-KR" } };
    const page = await consentScreen(link, options);
    const ko = TABLES.ko;
    const first = await shown(page);
    expect(first.languages[0]).toBe("ko-KR");
    expect(first).toMatchObject({ lang: "ko", title: ko.title, heading: ko.consentHeading, button: ko.consentAccept });
    // Traditional Chinese is not shipped: the browser's Korean comes next.
    await page.goto(`${link}?lang=zh-TW`);
    await page.waitForSelector("body[data-state=consent]");
    expect(await shown(page)).toMatchObject({ lang: "ko", heading: ko.consentHeading });
    // Simplified Chinese is, under any of its tags.
    await page.goto(`${link}?lang=zh-Hans-SG`);
    await page.waitForSelector("body[data-state=consent]");
    expect(await shown(page)).toMatchObject({ lang: "zh-CN", heading: TABLES["zh-CN"].consentHeading, button: TABLES["zh-CN"].consentAccept });
  }, 60_000);

  it("stays English for an English browser without ?lang", async () => {
    const page = await consentScreen(link, { context: { locale: "en-US" } });
    expect(await shown(page)).toMatchObject({ lang: "en", heading: TABLES.en.consentHeading, button: TABLES.en.consentAccept });
  }, 60_000);
});

describe("layout with a host's right-to-left and overlong text, at 360 × 640", () => {
  const GERMAN = "Gesichtserkennungsüberprüfungsvorgangseinverständniserklärungsbestätigungsschaltfläche";
  const ARABIC_HEADING = "قبل أن تنضم إلى المقابلة";
  const ARABIC_BODY =
    "تحتاج هذه المقابلة إلى الكاميرا. نتحقق من وجود شخص حقيقي واحد أمامها قبل انضمامك، ونسجل الوقت وعنوان الشبكة وتفاصيل المتصفح للمحاور. لا نشارك أي شيء مع أي شخص آخر.";

  it("wraps the long word, turns the Arabic text right to left, and never scrolls sideways", async () => {
    expect(GERMAN.length).toBeGreaterThan(60);
    const page = await consentScreen(`${link}?lang=en`, { context: { viewport: { width: 360, height: 640 } } });
    // The page renders each string as a text node (h() in client/ui/dom.ts); put the host's texts
    // where its render would, replacing the rendered elements so they arrive as new nodes.
    await page.evaluate(
      ({ german, heading, body }) => {
        const swap = (el: Element, text: string) => {
          const next = el.cloneNode(false) as Element;
          next.removeAttribute("dir");
          next.textContent = text;
          el.replaceWith(next);
        };
        swap(document.getElementById("title")!, `${german} ${german.slice(0, 20)}`);
        swap(document.querySelector("#panel h2")!, heading);
        swap(document.querySelector("#panel p")!, body);
        swap(document.getElementById("consent-template")!, `${german}: ${german}${german}`);
        swap(document.getElementById("consent")!, german);
      },
      { german: GERMAN, heading: ARABIC_HEADING, body: ARABIC_BODY },
    );
    await page.screenshot({ path: path.join(RESULTS, "languages-override-360.png"), fullPage: true });

    const layout = await page.evaluate(() => {
      const box = (el: Element) => {
        const r = el.getBoundingClientRect();
        return { left: r.left, right: r.right, height: r.height, scroll: el.scrollWidth, client: el.clientWidth };
      };
      const textRight = (el: Element) => {
        const range = document.createRange();
        range.selectNodeContents(el);
        return Math.max(...[...range.getClientRects()].map((r) => r.right));
      };
      const heading = document.querySelector("#panel h2")!;
      const button = document.getElementById("consent")!;
      const lineHeight = parseFloat(getComputedStyle(button).lineHeight) || 20;
      return {
        page: { scroll: document.documentElement.scrollWidth, inner: innerWidth },
        elements: ["#title", "#panel h2", "#panel p", "#consent-template", "#consent", ".card"].map((s) => ({ s, ...box(document.querySelector(s)!) })),
        headingDir: getComputedStyle(heading).direction,
        headingGap: heading.getBoundingClientRect().right - parseFloat(getComputedStyle(heading).paddingRight) - textRight(heading),
        buttonDir: getComputedStyle(button).direction,
        buttonLines: button.getBoundingClientRect().height / lineHeight,
        // The control: without the wrapping rule the button's word would widen the page.
        unwrappedScroll: (() => {
          button.style.overflowWrap = "normal";
          const scroll = document.documentElement.scrollWidth;
          button.style.overflowWrap = "";
          return scroll;
        })(),
      };
    });
    console.log("layout at 360 px:", JSON.stringify(layout));
    expect(layout.page.scroll).toBeLessThanOrEqual(layout.page.inner);
    for (const el of layout.elements) {
      expect(el.left, el.s).toBeGreaterThanOrEqual(0);
      expect(el.right, el.s).toBeLessThanOrEqual(layout.page.inner);
      expect(el.scroll, `${el.s} overflows its own box`).toBeLessThanOrEqual(el.client);
    }
    expect(layout.headingDir).toBe("rtl");
    expect(Math.abs(layout.headingGap), "the Arabic heading is aligned to the right").toBeLessThan(2);
    expect(layout.buttonDir).toBe("ltr");
    expect(layout.buttonLines).toBeGreaterThan(1.5);
    expect(layout.unwrappedScroll).toBeGreaterThan(layout.page.inner);
  }, 60_000);
});
