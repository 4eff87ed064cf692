// How `plan --cluster` prints the change a config would cause: one JSON object for scripts, or a summary
// followed by the proposed plan's tables for a person.

import { count, listNames } from '../../core/disruption/describe.js';
import type { ConfigDiff } from '../../core/status/config-diff.js';
import { dollars } from '../table.js';
import { renderTable } from './render.js';

export function renderDiffJson(diff: ConfigDiff, cluster: string, documents: readonly string[]): string {
  const { live, proposed, ...change } = diff;
  return `${JSON.stringify({ cluster, documents, change, proposed, live }, null, 2)}\n`;
}

/** Nodes or pods named on one line. */
const NAMES_SHOWN = 6;
const names = (list: readonly string[]) => listNames(list, NAMES_SHOWN);

export function renderDiffTable(diff: ConfigDiff, cluster: string, documents: readonly string[]): string {
  const out = [`Config change for cluster ${cluster}: ${documents.join(', ')}`];
  const replaced = diff.drifted.filter((d) => d.kept === undefined);
  const kept = diff.drifted.filter((d) => d.kept !== undefined);
  if (diff.drifted.length === 0) out.push('  no node drifts');
  if (replaced.length > 0) {
    out.push(`  ${count(replaced.length, 'node')} would drift and be replaced, a drift budget's worth at a time:`);
    const byReason = new Map<string, string[]>();
    for (const d of replaced) byReason.set(d.reason, [...(byReason.get(d.reason) ?? []), d.node]);
    for (const [reason, nodes] of byReason) out.push(`    ${names(nodes)}: ${reason}`);
  }
  if (kept.length > 0) {
    out.push(`  ${count(kept.length, 'node')} would drift but stay, because their pods would have nowhere to go:`);
    for (const d of kept) out.push(`    ${d.node}: ${d.reason}; ${d.kept}`);
  }
  for (const s of diff.stranded) out.push(`  pod ${s.pod} could no longer be placed: ${s.reason}`);
  if (diff.placed.length > 0) out.push(`  pods that could now be placed: ${names(diff.placed)}`);
  const c = diff.hourlyCost;
  out.push(
    `  $/h: ${dollars(c.now)} now; ${dollars(c.live)} with the stored config; ${dollars(c.proposed)} with this change` +
      (replaced.length > 0 ? ' once the drifted nodes are replaced' : ''),
  );
  out.push('', 'The plan with this change, now:', renderTable(diff.proposed));
  return `${out.join('\n')}\n`;
}
