// The commands' terminal output: aligned tables (columns padded to their widest cell, two spaces apart) and
// dollar amounts at the four decimals every price is shown with.

export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** "$0.0421": four decimals, as every $/h and saving is printed (`perHour` adds the "/h"). */
export function dollars(amount: number): string {
  return `$${amount.toFixed(4)}`;
}
