// A NodeChange (taints, labels, annotations, cordon) turned into the merge patch that applies it to a Node as
// it is now. Computed again from a fresh read after every conflict (client/optimistic.ts), so it must depend
// on nothing but the node and the change.

import type { Node as K8sNode, Taint as K8sTaint } from 'kubernetes-types/core/v1.js';
import type { NodeChange } from '../../core/ports/cluster.js';

/** The merge patch for `change` against `node`, or undefined when the node already looks like that. */
export function nodeChangePatch(node: K8sNode, change: NodeChange): Record<string, unknown> | undefined {
  const spec: Record<string, unknown> = {};
  const metadata: Record<string, unknown> = {};
  const taints = changedTaints(node.spec?.taints ?? [], change);
  if (taints) spec.taints = taints;
  if (change.unschedulable !== undefined && change.unschedulable !== (node.spec?.unschedulable ?? false)) {
    spec.unschedulable = change.unschedulable;
  }
  const labels = changedEntries(node.metadata?.labels ?? {}, change.labels);
  if (labels) metadata.labels = labels;
  const annotations = changedEntries(node.metadata?.annotations ?? {}, change.annotations);
  if (annotations) metadata.annotations = annotations;
  const patch = {
    ...(Object.keys(spec).length > 0 ? { spec } : {}),
    ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
  };
  return Object.keys(patch).length > 0 ? patch : undefined;
}

/**
 * The whole new taint list (taints have no merge key, so a patch must carry all of them), or undefined when
 * it is unchanged. Existing taints keep their fields (`timeAdded`) and their order; added ones go last.
 */
function changedTaints(current: readonly K8sTaint[], change: NodeChange): K8sTaint[] | undefined {
  const same = (a: Pick<K8sTaint, 'key' | 'effect'>, b: Pick<K8sTaint, 'key' | 'effect'>) =>
    a.key === b.key && a.effect === b.effect;
  let next = current.filter((t) => !(change.removeTaints ?? []).some((r) => same(r, t)));
  for (const add of change.addTaints ?? []) {
    const wanted: K8sTaint = { key: add.key, effect: add.effect, ...(add.value ? { value: add.value } : {}) };
    const index = next.findIndex((t) => same(t, wanted));
    if (index < 0) next = [...next, wanted];
    else if ((next[index]?.value ?? '') !== (wanted.value ?? '')) next = next.with(index, wanted);
  }
  const unchanged =
    next.length === current.length && next.every((t, i) => t === current[i] || sameTaintFields(t, current[i]));
  return unchanged ? undefined : next;
}

function sameTaintFields(a: K8sTaint, b: K8sTaint | undefined): boolean {
  return b !== undefined && a.key === b.key && a.effect === b.effect && (a.value ?? '') === (b.value ?? '');
}

/** Only the keys that differ; `null` removes (merge-patch semantics). Undefined when nothing differs. */
function changedEntries(
  current: Readonly<Record<string, string>>,
  wanted: Readonly<Record<string, string | null>> | undefined,
): Record<string, string | null> | undefined {
  const out: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(wanted ?? {})) {
    if (value === null ? key in current : current[key] !== value) out[key] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
