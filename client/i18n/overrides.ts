import { z } from "zod";
import { type Strings, en } from "./en.js";

/** One placeholder name per parameter (mapped through a type parameter, so a tuple stays a tuple). */
type Names<P extends readonly unknown[]> = { readonly [I in keyof P]: string };
type TemplateKey = { [K in keyof Strings]: Strings[K] extends (...args: never[]) => string ? K : never }[keyof Strings];

/**
 * The named placeholders a host's template may use in place of each function entry, in parameter
 * order: `stepOf` becomes e.g. "{i} / {n}". The type makes a new function entry without its names,
 * or with the wrong number of them, a compile error.
 */
export const TEMPLATE_PARAMS = {
  consentFaceTemplate: ["days"],
  stepOf: ["i", "n"],
  attemptsLeft: ["n"],
  targetWhere: ["h", "v"],
} as const satisfies TemplateParams;

/** Placeholder names for every function entry, one per parameter. */
export type TemplateParams = { readonly [K in TemplateKey]: Names<Parameters<Strings[K]>> };

/** Longest override accepted; the longest shipped text is a few hundred characters. */
export const MAX_OVERRIDE_LENGTH = 2000;

/** A host's replacement text: plain text (the page only ever sets textContent), never blank. */
const Text = z
  .string()
  .max(MAX_OVERRIDE_LENGTH)
  .refine((s) => s.trim().length > 0, "blank");

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** A template for a function entry: every placeholder known, and each of the entry's values shown. */
function templateSchema(params: readonly string[]) {
  return Text.superRefine((template, ctx) => {
    const used = [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
    for (const name of used) if (!params.includes(name)) ctx.addIssue({ code: "custom", message: `unknown placeholder {${name}}` });
    for (const name of params) if (!used.includes(name)) ctx.addIssue({ code: "custom", message: `missing placeholder {${name}}` });
  }).transform((template) => (...args: unknown[]) =>
    template.replace(PLACEHOLDER, (whole, name: string) => {
      const index = params.indexOf(name);
      return index < 0 ? whole : String(args[index]);
    }),
  );
}

type Entry = { kind: "text" | "template"; schema: z.ZodType<unknown> } | { kind: "record"; entries: Map<string, z.ZodType<string>> };

// One schema per key of the English table, so a new string is overridable without touching this file.
const ENTRIES = new Map<string, Entry>(
  Object.entries(en).map(([key, value]): [string, Entry] => {
    if (typeof value === "string") return [key, { kind: "text", schema: Text }];
    if (typeof value === "function") return [key, { kind: "template", schema: templateSchema(TEMPLATE_PARAMS[key as TemplateKey]) }];
    const entries = new Map<string, z.ZodType<string>>();
    for (const [sub, text] of Object.entries(value)) {
      if (typeof text !== "string") throw new Error(`strings: nested entry ${key}.${sub} must be text`);
      entries.set(sub, Text);
    }
    return [key, { kind: "record", entries }];
  }),
);

/** Overrides that passed validation, ready to lay over a language's table. */
export type ParsedOverrides = Record<string, unknown>;

/** What {@link parseOverrides} made of a host's object; keys are dotted paths such as `guidance.noFace`. */
export interface OverrideReport {
  applied: string[];
  unknownKeys: string[];
  invalid: string[];
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && [Object.prototype, null].includes(Object.getPrototypeOf(v));

/**
 * Validates a host's override object against the known keys. Text entries take a non-blank string;
 * nested records (`guidance`, `camera`…) take an object of such strings; function entries take a
 * template whose `{placeholders}` are exactly the entry's {@link TEMPLATE_PARAMS}. Valid entries are
 * kept even when others are unknown or invalid; only own properties are read. `null` or `undefined`
 * means no overrides; any other non-object is reported as the invalid path `(root)`.
 */
export function parseOverrides(raw: unknown): { values: ParsedOverrides; report: OverrideReport } {
  const values: ParsedOverrides = {};
  const report: OverrideReport = { applied: [], unknownKeys: [], invalid: [] };
  if (raw === null || raw === undefined) return { values, report };
  if (!isPlainObject(raw)) {
    report.invalid.push("(root)");
    return { values, report };
  }
  for (const [key, value] of Object.entries(raw)) {
    const entry = ENTRIES.get(key);
    if (!entry) {
      report.unknownKeys.push(key);
    } else if (entry.kind !== "record") {
      const parsed = entry.schema.safeParse(value);
      if (parsed.success) {
        values[key] = parsed.data;
        report.applied.push(key);
      } else report.invalid.push(key);
    } else if (!isPlainObject(value)) {
      report.invalid.push(key);
    } else {
      const record: Record<string, string> = {};
      for (const [sub, text] of Object.entries(value)) {
        const path = `${key}.${sub}`;
        const schema = entry.entries.get(sub);
        const parsed = schema?.safeParse(text);
        if (!parsed) report.unknownKeys.push(path);
        else if (parsed.success) {
          record[sub] = parsed.data;
          report.applied.push(path);
        } else report.invalid.push(path);
      }
      if (Object.keys(record).length) values[key] = record;
    }
  }
  return { values, report };
}
