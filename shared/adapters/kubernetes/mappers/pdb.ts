// PodDisruptionBudget objects to the core's PodDisruptionBudget.

import type { PodDisruptionBudget as K8sPodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { PodDisruptionBudget } from '../../../core/model/workloads.js';
import { FieldReader } from './fields.js';
import { readLabelSelector } from './label-selector.js';
import { objectLabel, readMetadata } from './metadata.js';

/**
 * A PDB. `minAvailable`/`maxUnavailable` are kept as text (`"2"`, `"50%"`) because their meaning depends on
 * the pods counted later. `disruptionsAllowed` is taken from `status` only when it is a number there: the
 * disruption controller always writes it, so its absence means a hand-written object whose budget the core
 * should compute from the spec and the given pods (DESIGN §5).
 */
export function toPodDisruptionBudget(obj: K8sPodDisruptionBudget): PodDisruptionBudget {
  const r = new FieldReader(objectLabel('PodDisruptionBudget', obj, true));
  const json = r.record(obj, '(root)');
  const meta = readMetadata(json, r);
  const spec = r.record(json.spec, 'spec');
  const status = r.record(json.status, 'status');
  const minAvailable = readIntOrPercent(spec.minAvailable, 'spec.minAvailable', r);
  const maxUnavailable = readIntOrPercent(spec.maxUnavailable, 'spec.maxUnavailable', r);
  if (minAvailable !== undefined && maxUnavailable !== undefined) {
    r.fail('spec', 'minAvailable and maxUnavailable are mutually exclusive');
  }
  const selector = readLabelSelector(spec.selector, 'spec.selector', r);
  const disruptionsAllowed = r.integer(status.disruptionsAllowed, 'status.disruptionsAllowed');
  const policy = r.string(spec.unhealthyPodEvictionPolicy, 'spec.unhealthyPodEvictionPolicy');
  return {
    namespace: meta.namespace,
    name: meta.name,
    ...(selector ? { selector } : {}),
    ...(minAvailable !== undefined ? { minAvailable } : {}),
    ...(maxUnavailable !== undefined ? { maxUnavailable } : {}),
    ...(disruptionsAllowed !== undefined ? { disruptionsAllowed } : {}),
    ...(policy ? { unhealthyPodEvictionPolicy: policy as PodDisruptionBudget['unhealthyPodEvictionPolicy'] } : {}),
  };
}

/** An IntOrString: a non-negative integer or a percentage such as "50%". */
function readIntOrPercent(value: unknown, path: string, r: FieldReader): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = typeof value === 'number' ? String(value) : r.string(value, path);
  if (text === undefined || !/^(\d+%?)$/.test(text.trim())) {
    r.fail(path, `expected an integer or a percentage such as "50%", got ${JSON.stringify(value)}`);
  }
  return text.trim();
}
