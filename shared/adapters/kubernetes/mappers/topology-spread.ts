// `spec.topologySpreadConstraints`, with the API's defaults filled in and `matchLabelKeys` already folded into
// the selector, so the core sees exactly the constraint kube-scheduler enforces.

import type { TopologySpreadConstraint } from '../../../core/model/pod.js';
import { at, type FieldReader } from './fields.js';
import { foldLabelKeys, readLabelSelector } from './label-selector.js';

/**
 * The constraints of a pod whose labels are `podLabels`. Defaults are Kubernetes': `nodeAffinityPolicy: Honor`
 * (only nodes the pod's node affinity allows are domains), `nodeTaintsPolicy: Ignore` (taints do not exclude
 * a node), `whenUnsatisfiable: DoNotSchedule`. `matchLabelKeys` is folded into `labelSelector` as
 * `key In [pod's value]` and then left out, so nothing downstream folds it a second time.
 */
export function readTopologySpread(
  value: unknown,
  podLabels: Readonly<Record<string, string>>,
  path: string,
  r: FieldReader,
): TopologySpreadConstraint[] {
  return r.array(value, path).map((item, i) => {
    const where = at(path, i);
    const c = r.record(item, where);
    const selector = readLabelSelector(c.labelSelector, at(where, 'labelSelector'), r);
    const matchLabelKeys = r.stringList(c.matchLabelKeys, at(where, 'matchLabelKeys'));
    const labelSelector = foldLabelKeys(selector, matchLabelKeys, podLabels, 'In');
    const minDomains = r.integer(c.minDomains, at(where, 'minDomains'));
    return {
      maxSkew: r.integer(c.maxSkew, at(where, 'maxSkew')) ?? r.fail(at(where, 'maxSkew'), 'missing: an integer ≥ 1'),
      topologyKey: r.requiredString(c.topologyKey, at(where, 'topologyKey')),
      whenUnsatisfiable: (r.string(c.whenUnsatisfiable, at(where, 'whenUnsatisfiable')) ??
        'DoNotSchedule') as TopologySpreadConstraint['whenUnsatisfiable'],
      ...(labelSelector ? { labelSelector } : {}),
      ...(minDomains !== undefined ? { minDomains } : {}),
      nodeAffinityPolicy: (r.string(c.nodeAffinityPolicy, at(where, 'nodeAffinityPolicy')) ??
        'Honor') as TopologySpreadConstraint['nodeAffinityPolicy'],
      nodeTaintsPolicy: (r.string(c.nodeTaintsPolicy, at(where, 'nodeTaintsPolicy')) ??
        'Ignore') as TopologySpreadConstraint['nodeTaintsPolicy'],
    };
  });
}
