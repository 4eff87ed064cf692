// Plain-text tables for benchmark output: a header row, a rule, then the rows; a column is right-aligned when
// its first row holds a number (or a figure such as "1.2 s" or "97%"), else left-aligned.

export type Cell = string | number;

export interface Column {
  readonly title: string;
  readonly align?: 'left' | 'right';
}

const NUMERIC = /^[-+~≥<>]?\s*[\d.,]+\s*(µs|ms|s|%|x|MB)?$/;

export function formatTable(columns: readonly Column[], rows: readonly (readonly Cell[])[]): string {
  const text = rows.map((row) => row.map(String));
  const widths = columns.map((c, i) => Math.max(c.title.length, ...text.map((r) => (r[i] ?? '').length)));
  const right = columns.map((c, i) => {
    if (c.align) return c.align === 'right';
    const first = rows[0]?.[i];
    return typeof first === 'number' || NUMERIC.test(String(first ?? ''));
  });
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (right[i] ? cell.padStart(widths[i] as number) : cell.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(columns.map((c) => c.title)), rule, ...text.map(line)].join('\n');
}

/** `1234567.8` -> `1,234,568`; `digits` decimals. */
export function num(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A duration given in ms, shown as µs, ms or s with three significant figures. */
export function duration(ms: number): string {
  if (ms < 1) return `${(ms * 1000).toPrecision(3)} µs`;
  if (ms < 1000) return `${ms.toPrecision(3)} ms`;
  return `${(ms / 1000).toPrecision(3)} s`;
}

/** A ratio as a percentage with one decimal. */
export function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`;
}
