// Node taints and pod tolerations. Effects and operators pass through as written: the API server validated
// objects read from a cluster, and for hand-written ones an unknown effect simply matches nothing.

import type { Taint, TaintEffect, Toleration } from '../../../core/model/taints.js';
import { at, type FieldReader } from './fields.js';

/** `spec.taints` of a Node. */
export function readTaints(value: unknown, path: string, r: FieldReader): Taint[] {
  return r.array(value, path).map((item, i) => {
    const where = at(path, i);
    const t = r.record(item, where);
    const taintValue = r.string(t.value, at(where, 'value'));
    return {
      key: r.requiredString(t.key, at(where, 'key')),
      ...(taintValue ? { value: taintValue } : {}),
      effect: r.requiredString(t.effect, at(where, 'effect')) as TaintEffect,
    };
  });
}

/** `spec.tolerations` of a pod. `tolerationSeconds` is dropped: it only matters once a pod runs. */
export function readTolerations(value: unknown, path: string, r: FieldReader): Toleration[] {
  return r.array(value, path).map((item, i) => {
    const where = at(path, i);
    const t = r.record(item, where);
    const key = r.string(t.key, at(where, 'key'));
    const operator = r.string(t.operator, at(where, 'operator'));
    const tolerationValue = r.string(t.value, at(where, 'value'));
    const effect = r.string(t.effect, at(where, 'effect'));
    return {
      ...(key ? { key } : {}),
      ...(operator ? { operator: operator as Toleration['operator'] } : {}),
      ...(tolerationValue !== undefined ? { value: tolerationValue } : {}),
      ...(effect ? { effect: effect as TaintEffect } : {}),
    };
  });
}
