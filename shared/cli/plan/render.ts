// How a plan is printed: exactly one JSON object for scripts (DESIGN.md §5), or tables for a person.

import { listNames } from '../../core/disruption/describe.js';
import type { Plan } from '../../core/model/plan.js';
import { dollars, table } from '../table.js';

export function renderJson(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

/** Pods named in a table cell, as many as fit. */
const PODS_SHOWN = 4;
const listPods = (pods: readonly string[]) => listNames(pods, PODS_SHOWN);

export function renderTable(plan: Plan): string {
  const out: string[] = [];
  if (plan.newNodes.length > 0) {
    out.push(`New nodes (${plan.newNodes.length}):`);
    out.push(
      table(
        ['#', 'NODEPOOL', 'TYPE', 'ZONE', 'CAPACITY', '$/H', 'PODS', ''],
        plan.newNodes.map((n, i) => [
          String(i + 1),
          n.nodePool,
          n.instanceType,
          n.zone,
          n.capacityType,
          dollars(n.hourlyPrice),
          String(n.pods.length),
          listPods(n.pods),
        ]),
      ),
    );
  } else out.push('New nodes: none');
  if (plan.existingNodes.length > 0) {
    out.push('', 'Pods placed on existing nodes:');
    out.push(
      table(
        ['NODE', 'PODS', ''],
        plan.existingNodes.map((n) => [n.name, String(n.pods.length), listPods(n.pods)]),
      ),
    );
  }
  if (plan.unschedulable.length > 0) {
    out.push('', `Unschedulable pods (${plan.unschedulable.length}):`);
    out.push(
      table(
        ['POD', 'REASON'],
        plan.unschedulable.map((u) => [u.pod, u.reason]),
      ),
    );
  }
  if (plan.disruptions.length > 0) {
    out.push('', 'Disruptions:');
    out.push(
      table(
        ['METHOD', 'KIND', 'NODES', 'SAVES $/H', 'REASON'],
        plan.disruptions.map((d) => [d.method, d.kind, d.nodes.join(', '), dollars(d.savingsPerHour), d.reason]),
      ),
    );
  }
  if (plan.blocked.length > 0) {
    out.push('', 'Blocked nodes:');
    out.push(
      table(
        ['NODE', 'REASON'],
        plan.blocked.map((b) => [b.node, b.reason]),
      ),
    );
  }
  const placed =
    plan.newNodes.reduce((n, node) => n + node.pods.length, 0) +
    plan.existingNodes.reduce((n, e) => n + e.pods.length, 0);
  out.push(
    '',
    `Total: ${placed} pods placed, ${plan.unschedulable.length} unschedulable, ${plan.newNodes.length} new nodes; ` +
      `$/h ${plan.hourlyCost.before.toFixed(4)} -> ${plan.hourlyCost.after.toFixed(4)}`,
  );
  return `${out.join('\n')}\n`;
}
