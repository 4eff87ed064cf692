// Line charts as inline SVG: no script, no network, nothing to load — the report opens from disk anywhere and
// prints. Each chart has a title, a y axis with a few round ticks, minutes on the x axis, one path per series,
// and the scenario's steps as dashed vertical markers so cause and effect line up.

export interface Series {
  readonly name: string;
  readonly color: string;
  readonly values: readonly number[];
}

export interface ChartInput {
  readonly id: string;
  readonly title: string;
  /** Milliseconds since the start, one per value. */
  readonly t: readonly number[];
  readonly series: readonly Series[];
  readonly format: (y: number) => string;
  /** Scenario steps: time (ms) and label. */
  readonly markers: readonly { readonly t: number; readonly label: string }[];
  /** Fixed top of the y axis (utilisation: 1). */
  readonly yMax?: number;
}

const W = 720;
const H = 220;
const PAD = { left: 56, right: 16, top: 28, bottom: 28 };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A "nice" axis top and step for values up to `max`. */
function ticks(max: number): { top: number; step: number } {
  if (max <= 0) return { top: 1, step: 0.25 };
  const raw = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  return { top: Math.ceil(max / step) * step, step };
}

export function lineChart(input: ChartInput): string {
  const { t, series } = input;
  const end = Math.max(1, t.at(-1) ?? 1);
  const max = input.yMax ?? Math.max(0, ...series.flatMap((s) => s.values));
  const { top, step } = ticks(max);
  const x = (ms: number) => PAD.left + (ms / end) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - (v / top) * (H - PAD.top - PAD.bottom);
  const grid: string[] = [];
  for (let v = 0; v <= top + 1e-9; v += step) {
    grid.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v)}" y2="${y(v)}" class="grid"/>`);
    grid.push(`<text x="${PAD.left - 6}" y="${y(v) + 4}" text-anchor="end">${escapeHtml(input.format(v))}</text>`);
  }
  const minutes = Math.max(1, Math.round(end / 60_000));
  const every = minutes > 20 ? 5 : minutes > 8 ? 2 : 1;
  for (let m = 0; m <= minutes; m += every) {
    grid.push(`<text x="${x(m * 60_000)}" y="${H - 8}" text-anchor="middle">${m}m</text>`);
  }
  const markers = input.markers.map(
    (m) =>
      `<line x1="${x(m.t)}" x2="${x(m.t)}" y1="${PAD.top}" y2="${H - PAD.bottom}" class="marker"><title>${escapeHtml(m.label)}</title></line>`,
  );
  const paths = series.map((s) => {
    const d = s.values.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(t[i] ?? 0).toFixed(1)},${y(v).toFixed(1)}`).join('');
    return `<path d="${d}" stroke="${s.color}" class="series" data-series="${escapeHtml(s.name)}"/>`;
  });
  const legend = series.map(
    (s, i) =>
      `<g transform="translate(${PAD.left + i * 150},12)"><rect width="10" height="10" fill="${s.color}"/><text x="14" y="9">${escapeHtml(s.name)}</text></g>`,
  );
  return (
    `<figure><figcaption>${escapeHtml(input.title)}</figcaption>` +
    `<svg id="${input.id}" class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeHtml(input.title)}">` +
    `${grid.join('')}${markers.join('')}${paths.join('')}${legend.join('')}</svg></figure>`
  );
}
