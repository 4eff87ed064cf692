// metav1.LabelSelector, as used by PDBs, pod (anti-)affinity and topology spread, plus the `matchLabelKeys`
// folding Kubernetes applies to the last two.

import type { LabelSelector, LabelSelectorRequirement } from '../../../core/model/selectors.js';
import { at, type FieldReader } from './fields.js';

/**
 * A label selector, or undefined when absent (which matches nothing, unlike `{}`, which matches everything).
 * Operators are passed through unchecked: the API server has validated objects read from a cluster, and
 * `selectorMatches` treats an unknown operator as no constraint rather than crashing.
 */
export function readLabelSelector(value: unknown, path: string, r: FieldReader): LabelSelector | undefined {
  const selector = r.optionalRecord(value, path);
  if (!selector) return undefined;
  const expressionsPath = at(path, 'matchExpressions');
  const matchExpressions = r.array(selector.matchExpressions, expressionsPath).map((item, i) => {
    const where = at(expressionsPath, i);
    const e = r.record(item, where);
    const values = r.stringList(e.values, at(where, 'values'));
    return {
      key: r.requiredString(e.key, at(where, 'key')),
      operator: r.requiredString(e.operator, at(where, 'operator')) as LabelSelectorRequirement['operator'],
      ...(values.length > 0 ? { values } : {}),
    };
  });
  const matchLabels = r.stringMap(selector.matchLabels, at(path, 'matchLabels'));
  return {
    ...(Object.keys(matchLabels).length > 0 ? { matchLabels } : {}),
    ...(matchExpressions.length > 0 ? { matchExpressions } : {}),
  };
}

/**
 * Folds `matchLabelKeys` (operator In) or `mismatchLabelKeys` (NotIn) into a selector with the incoming pod's
 * own label values, as kube-scheduler does: `key In [the pod's value]` for each key the pod carries; keys the
 * pod lacks are ignored, and an absent selector stays absent (the API forbids the keys without a selector).
 */
export function foldLabelKeys(
  selector: LabelSelector | undefined,
  keys: readonly string[],
  podLabels: Readonly<Record<string, string>>,
  operator: 'In' | 'NotIn',
): LabelSelector | undefined {
  if (!selector) return undefined;
  const added: LabelSelectorRequirement[] = [];
  for (const key of keys) {
    const value = podLabels[key];
    if (value !== undefined) added.push({ key, operator, values: [value] });
  }
  if (added.length === 0) return selector;
  return { ...selector, matchExpressions: [...(selector.matchExpressions ?? []), ...added] };
}
