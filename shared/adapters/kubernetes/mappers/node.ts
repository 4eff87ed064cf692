// Node objects, as `kubectl get nodes -o json` prints them, to the core's Node.

import type { Node as K8sNode } from 'kubernetes-types/core/v1.js';
import { NORMALIZED_LABELS, normalizeLabelKey } from '../../../core/labels.js';
import type { Node } from '../../../core/model/node.js';
import { at, FieldReader } from './fields.js';
import { objectLabel, readMetadata } from './metadata.js';
import { readTaints } from './taints.js';

/**
 * A Node. Labels are normalized (`beta.kubernetes.io/arch` → `kubernetes.io/arch`) so that a node labelled
 * only the legacy way still matches current requirements; `ready` is the `Ready` condition being `True`.
 */
export function toNode(obj: K8sNode): Node {
  const r = new FieldReader(objectLabel('Node', obj, false));
  const json = r.record(obj, '(root)');
  const meta = readMetadata(json, r);
  const spec = r.record(json.spec, 'spec');
  const status = r.record(json.status, 'status');
  return {
    name: meta.name,
    labels: normalizeLabels(meta.labels),
    annotations: meta.annotations,
    taints: readTaints(spec.taints, 'spec.taints', r),
    capacity: r.resources(status.capacity, 'status.capacity'),
    allocatable: r.resources(status.allocatable, 'status.allocatable'),
    creationTimestamp: meta.creationTimestamp,
    deletionTimestamp: meta.deletionTimestamp,
    providerID: r.string(spec.providerID, 'spec.providerID') || undefined,
    ready: isReady(status.conditions, r),
    unschedulable: r.boolean(spec.unschedulable, 'spec.unschedulable'),
  };
}

/**
 * Legacy keys under their current names. Kubelets still set both (`beta.kubernetes.io/arch` and
 * `kubernetes.io/arch`); when both are present the current key's value wins.
 */
export function normalizeLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
  const entries = Object.entries(labels);
  const legacy = entries.filter(([key]) => key in NORMALIZED_LABELS);
  const current = entries.filter(([key]) => !(key in NORMALIZED_LABELS));
  return Object.fromEntries([...legacy.map(([key, value]) => [normalizeLabelKey(key), value]), ...current]);
}

function isReady(value: unknown, r: FieldReader): boolean {
  return r.array(value, 'status.conditions').some((item, i) => {
    const c = r.record(item, at('status.conditions', i));
    return c.type === 'Ready' && c.status === 'True';
  });
}
