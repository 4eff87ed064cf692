// How `fleetwright status` prints: one JSON object for scripts, or a page for a person — per pool first, then the
// cluster's pending pods, the last decisions, the Lease and the config in force.

import { formatDuration } from '../../core/disruption/describe.js';
import { formatQuantity } from '../../core/resources/quantity.js';
import type { DrainView, PoolStatus, StatusReport, Usage } from '../../core/status/status.js';
import { dollars, table } from '../table.js';

export function renderStatusJson(report: StatusReport, cluster: string): string {
  return `${JSON.stringify({ cluster, ...report }, null, 2)}\n`;
}

/** Pending pods on the page, oldest first (a burst can leave thousands; `--output json` has them all). */
const PENDING_SHOWN = 25;

/** Event notes are clipped on the page (`--output json` has them whole; so has `kubectl get events`). */
const NOTE_WIDTH = 110;

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}
const ago = (ms: number) => `${formatDuration(ms)} ago`;

export function renderStatusTable(report: StatusReport, cluster: string): string {
  const out: string[] = [];
  const time = new Date(report.now).toISOString().replace(/\.\d{3}Z$/, 'Z');
  out.push(
    `Cluster ${cluster} at ${time}: ${dollars(report.hourlyCost.now)}/h now, ${dollars(report.hourlyCost.afterPlan)}/h after the plan`,
  );
  if (report.pools.length === 0) out.push('', 'No NodePools in the config in force.');
  for (const pool of report.pools) out.push('', ...renderPool(pool, report.now));
  if (report.otherNodes.count > 0) {
    out.push(
      '',
      `Other nodes (no fleetwright pool): ${report.otherNodes.count}, ${dollars(report.otherNodes.hourlyCost)}/h`,
    );
  }
  out.push('', `Pending pods (${report.pending.length}):`);
  if (report.pending.length === 0) out.push('  none');
  else {
    const shown = report.pending.slice(0, PENDING_SHOWN);
    out.push(
      indent(
        table(
          ['POD', 'AGE', 'WHY'],
          shown.map((p) => [p.pod, formatDuration(p.ageMs), p.reason]),
        ),
      ),
    );
    const more = report.pending.length - shown.length;
    if (more > 0) out.push(`  … and ${more} more, the newest (--output json lists them all)`);
  }
  out.push('', `Last decisions (${report.decisions.length}):`);
  if (report.unreadable.includes('events')) out.push('  unknown: the Events could not be read (see the warning)');
  else if (report.decisions.length === 0) out.push('  none recorded (no Events from fleetwright.io/controller)');
  else
    out.push(
      indent(
        table(
          ['AGE', 'TYPE', 'REASON', 'OBJECT', 'NOTE'],
          report.decisions.map((e) => [
            formatDuration(report.now - e.time),
            e.type,
            e.reason,
            e.regarding,
            clip(e.note, NOTE_WIDTH),
          ]),
        ),
      ),
    );
  out.push('', leaseLine(report));
  out.push(...configLines(report));
  return `${out.join('\n')}\n`;
}

function renderPool(pool: PoolStatus, now: number): string[] {
  const { nodes } = pool;
  const out = [
    `NodePool ${pool.name} (node class ${pool.nodeClass}, weight ${pool.weight}): ${nodes.registered} nodes ` +
      `(${nodes.ready} ready, ${nodes.disrupting} being disrupted), ${pool.inFlight.length} launching, ${dollars(pool.hourlyCost)}/h`,
  ];
  const unregistered = pool.inFlight.length + pool.unregistered.length + pool.nodeDeleted.length;
  if (unregistered > 0) out.push(`  (the table, limits and $/h count the ${unregistered} unregistered instances too)`);
  if (pool.groups.length > 0) {
    out.push(
      indent(
        table(
          ['TYPE', 'ZONE', 'CAPACITY', 'NODES', '$/H'],
          pool.groups.map((g) => [g.instanceType, g.zone, g.capacityType, String(g.count), dollars(g.hourlyCost)]),
        ),
      ),
    );
  }
  out.push(`  limits: ${pool.usage.map(usageText).join(', ')}`);
  out.push(
    `  disruption budget left: ${pool.budgets
      .map(
        (b) =>
          `${b.reason} ${b.remaining === null ? 'unlimited' : `${b.remaining}/${b.allowed}`}${b.note ? ` (${b.note})` : ''}`,
      )
      .join(', ')}`,
  );
  for (const i of pool.inFlight)
    out.push(
      `  launching: ${i.instanceId} ${i.instanceType} ${i.capacityType} ${i.zone}, ${i.state}, launched ${ago(i.ageMs)}`,
    );
  for (const i of pool.unregistered)
    out.push(
      `  NOT REGISTERED: ${i.instanceId} ${i.instanceType} ${i.zone}, launched ${ago(i.ageMs)}; the controller terminates it`,
    );
  for (const i of pool.nodeDeleted)
    out.push(
      `  NODE DELETED: ${i.instanceId} ${i.instanceType} ${i.zone}: its Node is gone; the controller terminates it`,
    );
  for (const b of pool.blocked) out.push(`  blocked: ${b.node}: ${b.reason}`);
  for (const d of pool.drains) out.push(...drainLines(d, now));
  for (const d of pool.disruptions) out.push(`  next: ${d}`);
  return out;
}

/** How many of a drain's waiting pods the page lists. */
const WAITING_SHOWN = 3;

function drainLines(d: DrainView, now: number): string[] {
  const deadline = d.deadline === undefined ? '' : `, forced in ${formatDuration(d.deadline - now)}`;
  if (d.phase === 'drained')
    return [
      `  draining: ${d.node} (${d.reason}): drained; its volumes detach, then the Node and instance go${deadline}`,
    ];
  const lines = [`  draining: ${d.node} (${d.reason}): ${d.waiting.length} pods to go${deadline}`];
  for (const w of d.waiting.slice(0, WAITING_SHOWN)) lines.push(`    - ${w.subject}: ${w.reason}`);
  if (d.waiting.length > WAITING_SHOWN) lines.push(`    - … and ${d.waiting.length - WAITING_SHOWN} more`);
  return lines;
}

function usageText(u: Usage): string {
  const amount = (v: number) => {
    if (u.resource === 'hourlyCost') return dollars(v);
    if (u.resource === 'nodes') return String(v);
    // Memory reads best in GiB at node scale (formatQuantity would say 64231Mi).
    if (u.resource === 'memory' && v >= 2 ** 30) return `${(v / 2 ** 30).toFixed(1)}Gi`;
    return formatQuantity(u.resource, v);
  };
  const name = u.resource === 'hourlyCost' ? '$/h' : u.resource;
  return u.limit === undefined ? `${name} ${amount(u.used)}` : `${name} ${amount(u.used)}/${amount(u.limit)}`;
}

function leaseLine(report: StatusReport): string {
  const lease = report.lease;
  if (report.unreadable.includes('lease')) return 'Lease: unknown (it could not be read; see the warning)';
  if (!lease) return 'Lease: none (the controller has not run against this cluster)';
  if (!lease.holder) return 'Lease: free (released by the last holder)';
  const since = lease.acquiredAt === undefined ? '' : ` since ${ago(report.now - lease.acquiredAt)}`;
  return lease.active
    ? `Lease: held by ${lease.holder}${since}, expires in ${formatDuration(lease.expiresAt - report.now)}`
    : `Lease: last held by ${lease.holder}${since}, expired ${ago(report.now - lease.expiresAt)} (no controller running now)`;
}

function configLines(report: StatusReport): string[] {
  const { config } = report;
  const docs = config.documents.map((d) => `${d.kind}/${d.name} v${d.version}`).join(', ');
  if (config.latest) return [`Config ${config.prefix}: the latest versions are in force (${docs || 'no documents'})`];
  const out = [`Config ${config.prefix}: NOT the latest — some documents are invalid:`];
  for (const d of config.invalid) {
    const fallback =
      d.fallbackVersion === undefined ? 'nothing in force for it' : `version ${d.fallbackVersion} stays in force`;
    out.push(`  ${d.parameter}: ${fallback}`);
    for (const e of d.errors) out.push(`    ${e}`);
  }
  return out;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}
