import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { activeLanguage, applyLanguage, applyStringOverrides, onStringsChange, strings } from "./active.js";
import { en } from "./en.js";
import { TABLES } from "./locales.js";

// Unit test without a DOM: `document` is a stand-in holding only <html>'s lang and dir.
const html = { lang: "", dir: "" };
beforeEach(() => {
  vi.stubGlobal("document", { documentElement: html });
});
afterEach(() => {
  applyStringOverrides({});
  applyLanguage("en");
  vi.unstubAllGlobals();
});

describe("the live strings", () => {
  it("start in English", () => {
    expect(activeLanguage()).toBe("en");
    expect(strings.consentHeading).toBe(en.consentHeading);
  });

  it("follow applyLanguage, in place, and set <html lang dir>", () => {
    const held = strings;
    applyLanguage("ja");
    expect(held).toBe(strings);
    expect(strings.consentHeading).toBe(TABLES.ja.consentHeading);
    expect(strings.guidance.noFace).toBe(TABLES.ja.guidance.noFace);
    expect(strings.stepOf(1, 3)).toBe(TABLES.ja.stepOf(1, 3));
    expect(html).toEqual({ lang: "ja", dir: "ltr" });
    applyLanguage("zh-CN");
    expect(html).toEqual({ lang: "zh-CN", dir: "ltr" });
    expect(strings.retry).toBe(TABLES["zh-CN"].retry);
  });

  it("keep the host's overrides across a language change, other keys following the language", () => {
    const report = applyStringOverrides({ consentHeading: "قبل أن تنضم", guidance: { noFace: "لا نرى وجهًا" }, stepOf: "{i}/{n}" });
    expect(report.applied).toEqual(["consentHeading", "guidance.noFace", "stepOf"]);
    applyLanguage("ko");
    expect(strings.consentHeading).toBe("قبل أن تنضم");
    expect(strings.guidance.noFace).toBe("لا نرى وجهًا");
    expect(strings.guidance.hold).toBe(TABLES.ko.guidance.hold);
    expect(strings.stepOf(2, 3)).toBe("2/3");
    expect(strings.consentBody).toBe(TABLES.ko.consentBody);
    applyLanguage("es");
    expect(strings.consentHeading).toBe("قبل أن تنضم");
    expect(strings.guidance.moveBack).toBe(TABLES.es.guidance.moveBack);
  });

  it("drop earlier overrides when new ones are applied, and ignore refused values", () => {
    applyLanguage("es");
    applyStringOverrides({ retry: "Otra vez", mute: "Sin sonido" });
    const report = applyStringOverrides({ mute: 5, unknown: "x" });
    expect(report).toEqual({ applied: [], unknownKeys: ["unknown"], invalid: ["mute"] });
    expect(strings.retry).toBe(TABLES.es.retry);
    expect(strings.mute).toBe(TABLES.es.mute);
  });

  it("never change the shipped tables", () => {
    applyStringOverrides({ retry: "Changed", camera: { NoCamera: "Changed" } });
    expect(TABLES.en.retry).toBe("Try again");
    expect(en.camera.NoCamera).not.toBe("Changed");
  });

  it("tell listeners after every change until they unsubscribe", () => {
    const seen: string[] = [];
    const stop = onStringsChange(() => seen.push(strings.retry));
    applyLanguage("ja");
    applyStringOverrides({ retry: "再試行" });
    stop();
    applyLanguage("ko");
    expect(seen).toEqual([TABLES.ja.retry, "再試行"]);
  });
});
