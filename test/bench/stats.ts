/** Small statistics and formatting helpers for the benchmark. */

/** The q-quantile (0..1) by linear interpolation; NaN for an empty list. */
export function quantile(values: readonly number[], q: number): number {
  const xs = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return Number.NaN;
  const pos = (xs.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return xs[lo]! + (xs[hi]! - xs[lo]!) * (pos - lo);
}

export const median = (values: readonly number[]) => quantile(values, 0.5);
export const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** Length of the union of [start, end) intervals, clipped to [from, to). */
export function unionLength(intervals: ReadonlyArray<readonly [number, number]>, from: number, to: number): number {
  const clipped = intervals
    .map(([s, e]) => [Math.max(s, from), Math.min(e, to)] as const)
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let curS = Number.NaN;
  let curE = Number.NaN;
  for (const [s, e] of clipped) {
    if (!(s <= curE)) {
      if (curE > curS) total += curE - curS;
      curS = s;
      curE = e;
    } else if (e > curE) {
      curE = e;
    }
  }
  if (curE > curS) total += curE - curS;
  return total;
}

/** Fixed decimals, or "n/a" for a missing figure. */
export function fmt(value: number | undefined | null, digits = 1, unit = ""): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return "n/a";
  return `${value.toFixed(digits)}${unit}`;
}

export function kib(bytes: number | undefined | null): string {
  if (bytes === undefined || bytes === null || !Number.isFinite(bytes)) return "n/a";
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

export const pct = (ratio: number | undefined | null, digits = 0) =>
  ratio === undefined || ratio === null || !Number.isFinite(ratio) ? "n/a" : `${(ratio * 100).toFixed(digits)}%`;

/** A Markdown table with the first column left-aligned and the rest right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `:${"-".repeat(w + 1)}` : `${"-".repeat(w + 1)}:`)).join("|")}|`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}
