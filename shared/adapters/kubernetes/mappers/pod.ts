// Pod objects (and pod templates of DaemonSets and workloads) to the core's Pod. Lenient about which fields
// are present, strict about the ones it reads: see fields.ts.

import type { Pod as K8sPod } from 'kubernetes-types/core/v1.js';
import { normalizeLabelKey } from '../../../core/labels.js';
import type { OwnerReference, Pod } from '../../../core/model/pod.js';
import { readAffinity } from './affinity.js';
import { at, FieldReader, type Json } from './fields.js';
import { objectLabel, readMetadata } from './metadata.js';
import { readHostPorts, readRequests } from './requests.js';
import { readTolerations } from './taints.js';
import { readTopologySpread } from './topology-spread.js';
import { readClaimNames } from './volumes.js';

/** Identity and metadata of a pod, however it was obtained (a Pod object, or built from a template). */
export interface PodIdentity {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly ownerReferences: readonly OwnerReference[];
  readonly creationTimestamp: number;
  readonly deletionTimestamp?: number;
}

type PodStatusFields = Pick<Pod, 'phase' | 'startTime' | 'nominatedNodeName' | 'unschedulable'>;

/**
 * A Pod object as `kubectl get pods -o json` prints it (or any subset). Without `metadata.uid` the UID is
 * `<namespace>/<name>`; without `status` the pod is `Pending`. Throws MappingError for a field it cannot use.
 */
export function toPod(obj: K8sPod): Pod {
  const r = new FieldReader(objectLabel('Pod', obj, true));
  const json = r.record(obj, '(root)');
  const meta = readMetadata(json, r);
  const identity: PodIdentity = { ...meta, uid: meta.uid ?? `${meta.namespace}/${meta.name}` };
  const spec = r.record(json.spec, 'spec');
  return buildPod(identity, readStatus(json.status, r), spec, 'spec', r);
}

/**
 * A pending pod built from `spec.template` (a PodTemplateSpec) of a DaemonSet or workload. `identity` is what
 * the controller would set; the template brings labels and annotations. `object` names the owner in errors,
 * whose paths then start at `spec.template`.
 */
export function podFromTemplate(
  template: unknown,
  identity: Omit<PodIdentity, 'labels' | 'annotations'>,
  object: string,
): Pod {
  const r = new FieldReader(object);
  const path = 'spec.template';
  const json = r.optionalRecord(template, path) ?? r.fail(path, 'missing: a pod template is required');
  const metaPath = at(path, 'metadata');
  const meta = r.record(json.metadata, metaPath);
  const labels = r.stringMap(meta.labels, at(metaPath, 'labels'));
  const annotations = r.stringMap(meta.annotations, at(metaPath, 'annotations'));
  const spec = r.record(json.spec, at(path, 'spec'));
  return buildPod({ ...identity, labels, annotations }, { phase: 'Pending' }, spec, at(path, 'spec'), r);
}

function buildPod(identity: PodIdentity, status: PodStatusFields, spec: Json, path: string, r: FieldReader): Pod {
  // matchLabelKeys in affinity and spread constraints resolve against the pod's own labels.
  const labels = identity.labels;
  const claims = readClaimNames(spec, identity.name, path, r);
  return {
    ...identity,
    ...status,
    nodeName: r.string(spec.nodeName, at(path, 'nodeName')) || undefined,
    priorityClassName: r.string(spec.priorityClassName, at(path, 'priorityClassName')) || undefined,
    priority: r.integer(spec.priority, at(path, 'priority')),
    terminationGracePeriodSeconds: r.integer(
      spec.terminationGracePeriodSeconds,
      at(path, 'terminationGracePeriodSeconds'),
    ),
    requests: readRequests(spec, path, r),
    nodeSelector: readNodeSelector(spec.nodeSelector, at(path, 'nodeSelector'), r),
    ...readAffinity(spec.affinity, labels, at(path, 'affinity'), r),
    tolerations: readTolerations(spec.tolerations, at(path, 'tolerations'), r),
    topologySpreadConstraints: readTopologySpread(
      spec.topologySpreadConstraints,
      labels,
      at(path, 'topologySpreadConstraints'),
      r,
    ),
    hostPorts: readHostPorts(spec, path, r),
    // Only when there are some: most pods have none, and a snapshot holds every pod of the cluster.
    ...(claims.length > 0 ? { persistentVolumeClaims: claims } : {}),
  };
}

/** `spec.nodeSelector` with legacy keys (`beta.kubernetes.io/arch`, ...) under their current names. */
function readNodeSelector(value: unknown, path: string, r: FieldReader): Record<string, string> {
  const selector = r.stringMap(value, path);
  return Object.fromEntries(Object.entries(selector).map(([key, v]) => [normalizeLabelKey(key), v]));
}

function readStatus(value: unknown, r: FieldReader): PodStatusFields {
  const status = r.record(value, 'status');
  return {
    phase: r.string(status.phase, 'status.phase') || 'Pending',
    startTime: r.timestamp(status.startTime, 'status.startTime'),
    nominatedNodeName: r.string(status.nominatedNodeName, 'status.nominatedNodeName') || undefined,
    unschedulable: isMarkedUnschedulable(status.conditions, r),
  };
}

/** kube-scheduler's verdict: condition `PodScheduled` is `False` with reason `Unschedulable`. */
function isMarkedUnschedulable(value: unknown, r: FieldReader): boolean {
  return r.array(value, 'status.conditions').some((item, i) => {
    const c = r.record(item, at('status.conditions', i));
    return c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable';
  });
}
