/**
 * The embedding guide's widget examples (docs/embedding.md: React, plain HTML, the backend's token check)
 * are these files, word for word, and they type-check against the element's
 * published declarations (`client/embed/verify-interview*.d.ts`) with the
 * TypeScript compiler. Each check is also shown failing on a broken variant.
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const EXAMPLES = path.join(ROOT, "test/embed-examples");
const EMBED = path.join(ROOT, "client/embed");
const DECLARATIONS = [path.join(EMBED, "verify-interview.d.ts"), path.join(EMBED, "verify-interview-react.d.ts")];
const read = (name: string) => fs.readFileSync(path.join(EXAMPLES, name), "utf8");

/** The inline module script of the plain-HTML example, as the browser would run it. */
const scriptOf = (html: string) => /<script type="module">\n([\s\S]*?)<\/script>/.exec(html)?.[1] ?? "";

/**
 * Type-checks `files` (path → source; sources not given are read from disk) as a
 * host project would: strict, DOM, React's JSX, the downloaded declarations
 * beside the code (`rootDirs` puts client/embed and the examples in one folder).
 */
/** Parsed library and declaration files, shared by every check (lib.dom.d.ts alone is large). */
const parsed = new Map<string, ts.SourceFile | undefined>();

function diagnostics(files: Record<string, string | undefined>): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
    jsx: ts.JsxEmit.ReactJSX,
    allowJs: true,
    checkJs: true,
    types: [],
    rootDirs: [EXAMPLES, EMBED],
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language) => {
    if (files[path.resolve(file)] !== undefined) return getSourceFile(file, language);
    if (!parsed.has(file)) parsed.set(file, getSourceFile(file, language));
    return parsed.get(file);
  };
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => files[path.resolve(file)] ?? readFile(file);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => files[path.resolve(file)] !== undefined || fileExists(file);
  const program = ts.createProgram([...Object.keys(files), ...DECLARATIONS], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file ? path.relative(ROOT, d.file.fileName) : ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
}

const tsx = path.join(EXAMPLES, "react-example.tsx");
const js = path.join(EXAMPLES, "plain-example.js");
const backend = path.join(EXAMPLES, "verify-token.ts");

// The compiler is CPU-bound; on a busy 2-core machine a first check takes tens of seconds.
describe("widget examples", { timeout: 180_000 }, () => {
  it("the React example type-checks, and a wrong event detail would not", () => {
    const source = read("react-example.tsx");
    expect(diagnostics({ [tsx]: source })).toEqual([]);
    const broken = source.replace("e.detail.token", "e.detail.tokn");
    expect(diagnostics({ [tsx]: broken }).join("\n")).toMatch(/tokn/);
    const badTheme = source.replace('theme="auto"', 'theme="neon"');
    expect(diagnostics({ [tsx]: badTheme }).join("\n")).toMatch(/neon/);
  });

  it("the plain-HTML example's script type-checks as checked JavaScript, and a wrong detail would not", () => {
    const script = scriptOf(read("plain.html"));
    expect(script).toContain('addEventListener("verified"');
    expect(diagnostics({ [js]: script })).toEqual([]);
    expect(diagnostics({ [js]: script.replace("e.detail.failure", "e.detail.failures") }).join("\n")).toMatch(/failures/);
  });

  it("the backend's token check type-checks", () => {
    expect(diagnostics({ [backend]: read("verify-token.ts") })).toEqual([]);
  });

  it("the embedding guide (docs/embedding.md) shows each example exactly as checked here", () => {
    const readme = fs.readFileSync(path.join(ROOT, "docs/embedding.md"), "utf8");
    expect(readme).toContain("```html\n" + read("plain.html") + "```");
    expect(readme).toContain("```tsx\n" + read("react-example.tsx") + "```");
    expect(readme).toContain("```ts\n" + read("verify-token.ts") + "```");
  });
});
