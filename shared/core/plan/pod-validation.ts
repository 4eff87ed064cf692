// Pods the provisioner refuses before scheduling, each with the reason a person can act on
// (Karpenter's `Validate`, karpenter-core §1.2).

import { LABEL_NODEPOOL, normalizeLabelKey, restrictedLabelReason } from '../labels.js';
import type { Pod } from '../model/pod.js';
import { type NodeSelectorRequirement, OPERATORS } from '../requirements/requirement.js';

const INTEGER = /^[0-9]+$/;

/** Why the pod cannot be provisioned for, or undefined when it can. */
export function validatePod(pod: Pod): string | undefined {
  if (pod.usesMatchFields) return 'node affinity uses matchFields, which node provisioning cannot satisfy';
  for (const key of Object.keys(pod.nodeSelector)) {
    const restricted = restrictedLabelReason(normalizeLabelKey(key));
    if (restricted) return `nodeSelector: ${restricted}`;
  }
  for (const [i, term] of pod.requiredNodeAffinity.entries()) {
    for (const r of term.matchExpressions) {
      const problem = requirementProblem(r);
      if (problem) return `required node affinity term ${i}: ${problem}`;
    }
  }
  for (const [i, term] of pod.preferredNodeAffinity.entries()) {
    for (const r of term.preference.matchExpressions) {
      const problem = requirementProblem(r);
      if (problem) return `preferred node affinity term ${i}: ${problem}`;
    }
  }
  const wantsOtherNodes = pod.requiredNodeAffinity[0]?.matchExpressions.some(
    (r) => r.key === LABEL_NODEPOOL && r.operator === 'DoesNotExist',
  );
  if (wantsOtherNodes) return `requires ${LABEL_NODEPOOL} DoesNotExist: it asks for nodes no NodePool manages`;
  return undefined;
}

function requirementProblem(r: NodeSelectorRequirement): string | undefined {
  const restricted = restrictedLabelReason(normalizeLabelKey(r.key));
  if (restricted) return restricted;
  if (!OPERATORS.includes(r.operator)) {
    return `operator "${r.operator}" on ${r.key} is not supported (expected one of ${OPERATORS.join(', ')})`;
  }
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
    case 'NotIn':
      return values.length === 0 ? `${r.key} ${r.operator} needs at least one value` : undefined;
    case 'Exists':
    case 'DoesNotExist':
      return values.length > 0 ? `${r.key} ${r.operator} takes no values` : undefined;
    default:
      return values.length !== 1 || !INTEGER.test(values[0] as string)
        ? `${r.key} ${r.operator} needs a single non-negative integer, got [${values.join(', ')}]`
        : undefined;
  }
}
