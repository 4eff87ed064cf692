// DaemonSet objects to the core's DaemonSet: its identity plus the pod its template would create on every
// node, which is what daemon overhead (karpenter-core §2.3) is computed from.

import type { DaemonSet as K8sDaemonSet } from 'kubernetes-types/apps/v1.js';
import type { DaemonSet } from '../../../core/model/workloads.js';
import { FieldReader } from './fields.js';
import { objectLabel, readMetadata } from './metadata.js';
import { podFromTemplate } from './pod.js';

/**
 * A DaemonSet. Its `pod` is built from `spec.template` in the DaemonSet's namespace, named after it, with a
 * controller owner reference of kind DaemonSet so the core recognizes it as a daemon pod (never pending on
 * its own). Template errors are reported against the DaemonSet, at `spec.template....`.
 */
export function toDaemonSet(obj: K8sDaemonSet): DaemonSet {
  const label = objectLabel('DaemonSet', obj, true);
  const r = new FieldReader(label);
  const json = r.record(obj, '(root)');
  const meta = readMetadata(json, r);
  const uid = meta.uid ?? `${meta.namespace}/${meta.name}`;
  const spec = r.record(json.spec, 'spec');
  const pod = podFromTemplate(
    spec.template,
    {
      namespace: meta.namespace,
      name: meta.name,
      uid: `${uid}-template`,
      ownerReferences: [{ kind: 'DaemonSet', name: meta.name, uid, controller: true }],
      creationTimestamp: meta.creationTimestamp,
    },
    label,
  );
  return { namespace: meta.namespace, name: meta.name, uid, pod };
}
