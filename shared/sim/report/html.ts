// The self-contained HTML report of a run: one file, inline CSS and SVG, no script and no network — the summary
// table, charts of nodes and pending pods, $/h and utilisation over time with the scenario's steps marked, and
// the decision log: the scenario's steps, the Kubernetes Events the handlers wrote (with their reasons) and the
// handlers' warnings. Pod-level events (one per pod) are folded away under the node-level ones.

import { escapeHtml, lineChart } from './charts.js';
import { clockText } from './progress.js';
import type { Decision, Sample } from './recorder.js';
import { type Summary, summaryRows } from './summary.js';

export interface ReportInput {
  readonly summary: Summary;
  readonly description?: string;
  readonly samples: readonly Sample[];
  readonly decisions: readonly Decision[];
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:780px;color:#1d2330;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;width:100%}td,th{padding:.25rem .5rem;border-bottom:1px solid #e4e7ee;vertical-align:top;text-align:left}
th{background:#f4f6fa}.summary td:first-child{white-space:nowrap;color:#4a5468;width:12rem}
figure{margin:1rem 0}figcaption{font-weight:600;margin-bottom:.3rem}
svg.chart{width:100%;height:auto;background:#fbfcfe;border:1px solid #e4e7ee;border-radius:6px}
svg text{font-size:11px;fill:#4a5468}.grid{stroke:#e4e7ee}.marker{stroke:#b06;stroke-dasharray:4 3;stroke-width:1.2}
.series{fill:none;stroke-width:2}.log td{font-size:12.5px}.log .t{white-space:nowrap;font-variant-numeric:tabular-nums}
tr.scenario td{background:#fff4fa;font-weight:600}tr.warning td{background:#fff8e6}.muted{color:#6b7385}
`;

export function renderReport(input: ReportInput): string {
  const { summary, samples } = input;
  const t = samples.map((s) => s.t);
  const markers = input.decisions.filter((d) => d.source === 'scenario').map((d) => ({ t: d.t, label: d.text }));
  const charts = [
    lineChart({
      id: 'chart-capacity',
      title: 'Nodes and pending pods',
      t,
      markers,
      format: (v) => String(Math.round(v * 10) / 10),
      series: [
        { name: 'nodes', color: '#2f6fdf', values: samples.map((s) => s.nodes) },
        { name: 'pending pods', color: '#e0742b', values: samples.map((s) => s.pending) },
      ],
    }),
    lineChart({
      id: 'chart-cost',
      title: 'Cost ($/h of running instances)',
      t,
      markers,
      format: (v) => `$${v.toFixed(2)}`,
      series: [{ name: '$/h', color: '#1f9d6b', values: samples.map((s) => s.costPerHour) }],
    }),
    lineChart({
      id: 'chart-utilization',
      title: 'Utilization (requests / allocatable of Ready nodes)',
      t,
      markers,
      yMax: 1,
      format: (v) => `${Math.round(v * 100)}%`,
      series: [
        { name: 'CPU', color: '#7a4fd6', values: samples.map((s) => s.cpuUtilization) },
        { name: 'memory', color: '#d14b8f', values: samples.map((s) => s.memoryUtilization) },
      ],
    }),
  ];
  const rows = summaryRows(summary).map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(v)}</td></tr>`);
  const main = input.decisions.filter((d) => !d.object.startsWith('Pod '));
  const pods = input.decisions.filter((d) => d.object.startsWith('Pod '));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>fleetwright simulation: ${escapeHtml(summary.scenario)}</title><style>${STYLE}</style></head>
<body>
<h1>fleetwright simulation: ${escapeHtml(summary.scenario)}</h1>
<p class="muted">${escapeHtml(input.description ?? '')} — ${summary.simulatedMinutes} min of cluster time through the real reconcile and interruption handlers.</p>
<h2>Summary</h2><table class="summary" id="summary">${rows.join('')}</table>
<h2>Over time</h2>${charts.join('\n')}
<h2>Decision log</h2>
<p class="muted">Scenario steps, the Kubernetes Events the handlers wrote (reason and note, as <code>kubectl get events</code> shows them) and the handlers' warnings.</p>
${logTable('decision-log', main)}
<details><summary>${pods.length} pod events (Nominated, FailedScheduling, ...)</summary>${logTable('pod-log', pods)}</details>
</body></html>
`;
}

function logTable(id: string, decisions: readonly Decision[]): string {
  const rows = decisions.map((d) => {
    const cls = d.source === 'scenario' ? 'scenario' : d.warning ? 'warning' : '';
    return `<tr class="${cls}"><td class="t">${clockText(d.t)}</td><td>${escapeHtml(d.kind)}</td><td>${escapeHtml(d.object)}</td><td>${escapeHtml(d.text)}</td></tr>`;
  });
  return `<table class="log" id="${id}"><tr><th>time</th><th>reason</th><th>object</th><th>what and why</th></tr>${rows.join('')}</table>`;
}
