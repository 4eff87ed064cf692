// Kubelet settings moved from the NodePool (v1beta1 `spec.template.spec.kubelet`) to the EC2NodeClass (v1
// `spec.kubelet`). The move is unambiguous only when the class is in the input and every pool of the input
// that uses it has the same settings (or the class already has exactly those): otherwise a class would
// hold settings some of its pools never asked for. Karpenter's migration guide gives the same rule: pools
// that share a class with different kubelet settings need a class each.

import { isPlainObject } from '../fields.js';
import { EC2NODECLASS_KIND } from '../nodeclass-schema.js';
import { NODEPOOL_KIND } from '../nodepool-schema.js';
import { type Draft, note, objectAt, sortedJson } from './draft.js';

const POOL_KUBELET = ['spec', 'template', 'spec', 'kubelet'];
const WHY = 'v1 keeps kubelet settings on the EC2NodeClass';

interface PoolKubelet {
  readonly pool: Draft;
  /** undefined when the pool has none. */
  readonly kubelet: Record<string, unknown> | undefined;
}

function nodeClassName(pool: Draft): string | undefined {
  const name = objectAt(pool.raw, ['spec', 'template', 'spec', 'nodeClassRef'])?.name;
  return typeof name === 'string' ? name : undefined;
}

function poolKubelet(pool: Draft): Record<string, unknown> | undefined {
  const value = objectAt(pool.raw, ['spec', 'template', 'spec'])?.kubelet;
  return isPlainObject(value) ? value : undefined;
}

/** Moves each pool's kubelet settings to its node class where that is unambiguous, and notes each outcome. */
export function moveKubeletToNodeClasses(drafts: readonly Draft[]): void {
  const byClass = new Map<string, PoolKubelet[]>();
  for (const pool of drafts.filter((d) => d.kind === NODEPOOL_KIND)) {
    const className = nodeClassName(pool);
    if (className === undefined) continue;
    const list = byClass.get(className) ?? [];
    list.push({ pool, kubelet: poolKubelet(pool) });
    byClass.set(className, list);
  }
  for (const [className, pools] of byClass) {
    const withKubelet = pools.filter((p) => p.kubelet !== undefined);
    if (withKubelet.length === 0) continue;
    const nodeClass = drafts.find((d) => d.kind === EC2NODECLASS_KIND && d.name === className);
    const problem = ambiguity(className, pools, nodeClass);
    if (problem) {
      for (const { pool } of withKubelet) dropPoolKubelet(pool, `not carried over: ${WHY}, and ${problem}`);
      continue;
    }
    const spec = objectAt((nodeClass as Draft).raw, ['spec']) as Record<string, unknown>;
    spec.kubelet = withKubelet[0]?.kubelet;
    for (const { pool } of withKubelet)
      dropPoolKubelet(pool, `moved to EC2NodeClass/${className} spec.kubelet: ${WHY}`);
    note(
      nodeClass as Draft,
      ['spec', 'kubelet'],
      `taken from NodePool ${withKubelet.map((p) => p.pool.name).join(', ')}: ${WHY}`,
    );
  }
}

/** Why the pools' kubelet settings cannot go to their class, or undefined when they can. */
function ambiguity(className: string, pools: readonly PoolKubelet[], nodeClass: Draft | undefined): string | undefined {
  const settings = pools.find((p) => p.kubelet)?.kubelet;
  if (!nodeClass) {
    return `EC2NodeClass ${JSON.stringify(className)} is not in the input: put ${JSON.stringify(settings)} in its spec.kubelet`;
  }
  const spec = objectAt(nodeClass.raw, ['spec']);
  if (!spec) return `EC2NodeClass ${JSON.stringify(className)} has no spec to take them`;
  const distinct = new Set(pools.map((p) => (p.kubelet ? sortedJson(p.kubelet) : 'none')));
  if (distinct.size > 1) {
    const names = pools.map((p) => p.pool.name).join(', ');
    return `NodePools ${names} share EC2NodeClass ${JSON.stringify(className)} with different kubelet settings: give each its own EC2NodeClass`;
  }
  if (isPlainObject(spec.kubelet) && sortedJson(spec.kubelet) !== [...distinct][0]) {
    return `EC2NodeClass ${JSON.stringify(className)} already has different kubelet settings`;
  }
  return undefined;
}

function dropPoolKubelet(pool: Draft, message: string): void {
  const templateSpec = objectAt(pool.raw, POOL_KUBELET.slice(0, -1));
  if (templateSpec) delete templateSpec.kubelet;
  note(pool, POOL_KUBELET, message);
}
