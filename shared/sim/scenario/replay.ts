// A recorded `kubectl get pods -A -o json` as a scenario step: the pods come back as the workloads that owned
// them — a ReplicaSet's pods as a Deployment-like workload of that many replicas, a StatefulSet's and a Job's as
// theirs — so an evicted replayed pod is re-created as it would be in the recorded cluster. DaemonSet pods are
// left out (the simulated nodes run no DaemonSets); pods without a controller are created as bare pods.

import type { Pod as K8sPod } from 'kubernetes-types/core/v1.js';
import type { WorkloadKind } from '../cluster/workloads.js';
import { type ClusterObject, ObjectProblem, pendingCopy, readClusterObject } from './objects.js';

export interface Replayed {
  readonly objects: ClusterObject[];
  /** DaemonSet and terminal pods left out. */
  readonly skipped: number;
}

const OWNER_KINDS: Readonly<Record<string, WorkloadKind>> = {
  ReplicaSet: 'Deployment',
  StatefulSet: 'StatefulSet',
  Job: 'Job',
};

/** Throws ObjectProblem with a path into the recorded list. */
export function replayPods(list: unknown): Replayed {
  const items = (list as { items?: unknown })?.items;
  if (!Array.isArray(items))
    throw new ObjectProblem('items', 'expected the output of `kubectl get pods -A -o json` (a List with items)');
  const groups = new Map<string, { kind: WorkloadKind; pods: K8sPod[] }>();
  const objects: ClusterObject[] = [];
  let skipped = 0;
  items.forEach((item: K8sPod, i) => {
    if (item?.kind !== undefined && item.kind !== 'Pod')
      throw new ObjectProblem(`items[${i}].kind`, `expected Pod, got ${JSON.stringify(item.kind)}`);
    const phase = item?.status?.phase;
    const owner = item?.metadata?.ownerReferences?.find((o) => o.controller) ?? item?.metadata?.ownerReferences?.[0];
    if (phase === 'Succeeded' || phase === 'Failed' || owner?.kind === 'DaemonSet' || owner?.kind === 'Node') {
      skipped += 1;
      return;
    }
    const namespace = item?.metadata?.namespace ?? 'default';
    const kind = owner ? OWNER_KINDS[owner.kind] : undefined;
    if (!owner || !kind) {
      objects.push(within(i, () => readClusterObject(pendingCopy(item as never, namespace) as never)));
      return;
    }
    const key = `${kind}/${namespace}/${owner.name}`;
    const group = groups.get(key) ?? { kind, pods: [] };
    group.pods.push(item);
    groups.set(key, group);
  });
  for (const [key, { kind, pods }] of groups) {
    const [, namespace, name] = key.split('/') as [string, string, string];
    const first = pods[0] as K8sPod;
    const { nodeName: _node, ...spec } = first.spec ?? { containers: [] };
    const template = { metadata: { labels: first.metadata?.labels ?? {} }, spec };
    const doc = {
      kind,
      metadata: { name, namespace },
      spec: { replicas: pods.length, parallelism: pods.length, template },
    };
    objects.push(within(items.indexOf(first), () => readClusterObject(doc)));
  }
  return { objects, skipped };
}

function within<T>(index: number, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ObjectProblem) throw new ObjectProblem(`items[${index}].${error.path}`, error.reason);
    throw error;
  }
}
