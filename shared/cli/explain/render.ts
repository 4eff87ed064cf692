// How an explanation is printed: the core's plain data as one JSON object for scripts, or a short, aligned
// `kubectl describe`-like text for a person — the verdict first, then one line per reason.

import { perHour } from '../../core/disruption/describe.js';
import type { NodeExplanation } from '../../core/explain/explain-node.js';
import type { ExistingNodeFit, PodExplanation, PoolVerdict } from '../../core/explain/explain-pod.js';

/** Sub-lines printed per list before "and N more": enough to see the pattern, short enough to read. */
const MAX_LINES = 8;

export function renderExplanationJson(explanation: PodExplanation | NodeExplanation): string {
  return `${JSON.stringify(explanation, null, 2)}\n`;
}

/** One described line: a label, its value, and one sub-line per detail (a reason, a node). */
interface Row {
  readonly label: string;
  readonly value: string;
  readonly details?: readonly string[];
}

/** Rows with their labels padded to one column, details as bullets beneath. */
function block(rows: readonly Row[]): string[] {
  const width = Math.max(0, ...rows.map((r) => r.label.length));
  return rows.flatMap((r) => [`  ${`${r.label}:`.padEnd(width + 2)}${r.value}`.trimEnd(), ...bullets(r.details ?? [])]);
}

function bullets(lines: readonly string[], indent = '    '): string[] {
  const shown = lines.slice(0, MAX_LINES).map((l) => `${indent}- ${l}`);
  if (lines.length > MAX_LINES) shown.push(`${indent}  and ${lines.length - MAX_LINES} more`);
  return shown;
}

/** "kind: message", unless the message already starts with its kind ("taint x:NoSchedule is not tolerated"). */
function reasonLine(r: { readonly kind: string; readonly message: string }): string {
  return r.message.startsWith(r.kind) ? r.message : `${r.kind}: ${r.message}`;
}

function requestsText(requests: Readonly<Record<string, string>>): string {
  const shown = Object.entries(requests).filter(([r]) => r !== 'pods');
  return shown.length === 0 ? 'no requests' : `requests ${shown.map(([r, q]) => `${r} ${q}`).join(' ')}`;
}

function podState(e: PodExplanation): string {
  switch (e.status) {
    case 'bound':
      return `running on ${e.nodeName}`;
    case 'nominated':
      return `nominated to ${e.nodeName}`;
    case 'daemonset':
      return e.nodeName ? `DaemonSet pod on ${e.nodeName}` : 'DaemonSet pod';
    default:
      return e.status;
  }
}

function relaxedText(relaxed: readonly string[]): string {
  return relaxed.length > 0 ? ` (after dropping: ${relaxed.join(', ')})` : '';
}

function existingText(fits: readonly ExistingNodeFit[]): { line: string; details: string[] } {
  if (fits.length === 0) return { line: 'none to consider', details: [] };
  const fitting = fits.filter((f) => f.fits);
  if (fitting.length > 0) {
    const names = fitting.slice(0, 3).map((f) => `${f.node}${relaxedText(f.relaxed)}`);
    const more = fitting.length > 3 ? ` and ${fitting.length - 3} more` : '';
    return { line: `fits on ${names.join(', ')}${more} (${fitting.length} of ${fits.length})`, details: [] };
  }
  return { line: `none of ${fits.length} fits`, details: fits.map((f) => `${f.node}: ${f.reason}`) };
}

function poolLine(v: PoolVerdict): string {
  if (!v.canTake || !v.launch) return 'CANNOT';
  const l = v.launch;
  const types = l.instanceTypeOptions === 1 ? '1 instance type' : `${l.instanceTypeOptions} instance types`;
  return `CAN — ${l.instanceType} ${l.capacityType} ${l.zone}, ${perHour(l.hourlyPrice)} (cheapest of ${types})${relaxedText(v.relaxed)}`;
}

export function renderPodTable(e: PodExplanation): string {
  const out = [`Pod ${e.pod} (${podState(e)}, ${requestsText(e.requests)})`];
  const existing = existingText(e.existingNodes);
  const head: Row[] = [{ label: 'plan', value: e.plan.summary }];
  if (!e.invalid) head.push({ label: 'existing nodes', value: existing.line, details: existing.details });
  out.push(...block(head));
  if (e.nodePools.length === 0) out.push('  no NodePools');
  out.push(
    ...block(
      e.nodePools.map((v) => ({
        label: `pool ${v.nodePool} (weight ${v.weight})`,
        value: poolLine(v),
        details: v.reasons.map(reasonLine),
      })),
    ),
  );
  for (const note of e.notes) out.push(`  note: ${note}`);
  return `${out.join('\n')}\n`;
}

function nodeHeader(e: NodeExplanation): string {
  const parts = [
    e.managed ? `managed, pool ${e.nodePool}` : e.nodePool ? `pool label ${e.nodePool}, not managed` : 'not managed',
  ];
  const type = [e.instanceType, e.capacityType, e.zone].filter(Boolean).join(' ');
  if (type) parts.push(e.hourlyPrice === undefined ? `${type}, price unknown` : `${type}, ${perHour(e.hourlyPrice)}`);
  parts.push(`age ${e.age}`);
  if (!e.initialized) parts.push('not initialized');
  parts.push(e.pods.length === 1 ? '1 pod' : `${e.pods.length} pods`);
  return `Node ${e.node} (${parts.join('; ')})`;
}

function usage(e: NodeExplanation): string {
  return Object.entries(e.allocatable)
    .map(([r, total]) => `${r} ${e.requests[r] ?? '0'}/${total}`)
    .join(', ');
}

function consolidationText(e: NodeExplanation): string {
  const c = e.consolidation;
  if (c.outcome === 'none') return `neither delete nor replace: ${c.reason}`;
  const what =
    c.outcome === 'replace' && c.replacement
      ? `replace with ${c.replacement.instanceType} ${c.replacement.capacityType} ${c.replacement.zone}`
      : 'delete';
  const prices = `${perHour(c.beforePerHour ?? 0)} -> ${perHour(c.afterPerHour ?? 0)}, saves ${perHour(c.savingsPerHour ?? 0)}`;
  return `${what}${c.hypothetical ? ' (if nothing kept it out)' : ''}, ${prices}: ${c.reason}`;
}

export function renderNodeTable(e: NodeExplanation): string {
  const candidate = e.candidate ? (e.reasons.length > 0 ? 'yes, for drift only' : 'yes') : 'no';
  const rows: Row[] = [
    { label: 'plan', value: e.plan.summary },
    { label: 'candidate', value: candidate, details: e.reasons.map(reasonLine) },
    { label: 'requests', value: usage(e) },
  ];
  for (const m of e.methods) {
    rows.push({ label: m.method, value: m.applies ? `yes — ${m.detail}` : `no — ${m.reasons.join('; ') || m.detail}` });
  }
  const leaving =
    e.methods.some((m) => m.method === 'expiration' && m.applies) ||
    e.reasons.some((r) => r.kind === 'being-disrupted');
  if (e.budgets.length > 0 && !leaving) {
    const exhausted = [...new Set(e.budgets.flatMap((b) => (b.exhausted ? [b.exhausted] : [])))];
    rows.push({
      label: 'budgets left',
      value: e.budgets.map((b) => `${b.reason} ${b.left}`).join(', '),
      details: exhausted,
    });
  }
  rows.push({ label: 'consolidating it', value: consolidationText(e) });
  return `${[nodeHeader(e), ...block(rows)].join('\n')}\n`;
}
