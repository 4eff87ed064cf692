// The simulated cluster's own controllers (scheduler, kubelets, workload and disruption controllers) read and
// write the API server's store directly, as in-process components of a control plane would; fleetwright's
// handlers go through HTTP. This file is the typed view they share, and the ledger of pod deletions the
// simulation itself made (a reclaimed instance's pods, a scale-down), so that only the handlers' evictions are
// judged against PodDisruptionBudgets.

import type { Node as K8sNode, Pod as K8sPod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { KubeObject } from '../kube-api/resources.js';
import type { ObjectStore } from '../kube-api/store.js';

export type PodObject = KubeObject & K8sPod;
export type NodeObject = KubeObject & K8sNode;
export type PdbObject = KubeObject & PodDisruptionBudget;

/** The API server's timestamp format (whole seconds). */
export function timestamp(at: number): string {
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function podKeyOf(pod: { metadata: { namespace?: string; name: string } }): string {
  return `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;
}

export function isTerminalPod(pod: PodObject): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

export function isReadyNode(node: NodeObject): boolean {
  return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
}

export function isReadyPod(pod: PodObject): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
}

export class ClusterObjects {
  /** Pods the simulation deleted itself; the PDB check skips them. */
  private readonly ownDeletions = new Set<string>();

  constructor(readonly store: ObjectStore) {}

  pods(): PodObject[] {
    return this.store.list('pods') as PodObject[];
  }

  nodes(): NodeObject[] {
    return this.store.list('nodes') as NodeObject[];
  }

  pdbs(): PdbObject[] {
    return this.store.list('poddisruptionbudgets') as PdbObject[];
  }

  node(name: string): NodeObject | undefined {
    return this.store.get('nodes', undefined, name) as NodeObject | undefined;
  }

  pod(namespace: string, name: string): PodObject | undefined {
    return this.store.get('pods', namespace, name) as PodObject | undefined;
  }

  /** Deletes a pod on the simulation's own account (not an eviction by fleetwright). */
  deletePod(pod: PodObject): void {
    if (!this.pod(pod.metadata.namespace ?? 'default', pod.metadata.name)) return;
    this.ownDeletions.add(podKeyOf(pod));
    this.store.delete('pods', pod.metadata.namespace, pod.metadata.name);
  }

  /** Whether the simulation deleted this pod itself (consumes the mark). */
  takeOwnDeletion(key: string): boolean {
    return this.ownDeletions.delete(key);
  }

  /** Replaces an object, ignoring a conflict with a concurrent writer (the next pass retries). */
  update(resource: string, object: KubeObject): boolean {
    try {
      this.store.update(resource, object, object.metadata.resourceVersion);
      return true;
    } catch {
      return false;
    }
  }
}
