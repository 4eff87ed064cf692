// The pod as the decision core sees it: already parsed (quantities in canonical units, requirements in wire
// form), with only the fields scheduling, disruption and termination read. Mappers in
// `adapters/kubernetes/mappers` build it from API objects; tests build it with `test/fixtures` builders.

import type { NodeSelectorRequirement } from '../requirements/requirement.js';
import { add, addInto, max, PODS, type Resources } from '../resources/resources.js';
import type { LabelSelector } from './selectors.js';
import type { Toleration } from './taints.js';

export interface NodeSelectorTerm {
  readonly matchExpressions: readonly NodeSelectorRequirement[];
}

export interface PreferredSchedulingTerm {
  readonly weight: number;
  readonly preference: NodeSelectorTerm;
}

export interface PodAffinityTerm {
  readonly topologyKey: string;
  readonly labelSelector?: LabelSelector;
  /** Empty = the pod's own namespace. */
  readonly namespaces?: readonly string[];
  readonly namespaceSelector?: LabelSelector;
}

export interface WeightedPodAffinityTerm {
  readonly weight: number;
  readonly podAffinityTerm: PodAffinityTerm;
}

export interface TopologySpreadConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
  readonly labelSelector?: LabelSelector;
  readonly minDomains?: number;
  readonly nodeAffinityPolicy?: 'Honor' | 'Ignore';
  readonly nodeTaintsPolicy?: 'Honor' | 'Ignore';
  readonly matchLabelKeys?: readonly string[];
}

export interface HostPort {
  readonly port: number;
  readonly protocol: string;
  /** '' or '0.0.0.0' = every address. */
  readonly hostIP: string;
}

export interface ContainerResources {
  readonly requests: Resources;
  readonly limits: Resources;
}

export interface InitContainerResources extends ContainerResources {
  /** 'Always' makes an init container a sidecar (KEP-753). */
  readonly restartPolicy?: string;
}

export interface OwnerReference {
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly controller?: boolean;
}

export interface Pod {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly ownerReferences: readonly OwnerReference[];
  /** Epoch milliseconds. */
  readonly creationTimestamp: number;
  readonly deletionTimestamp?: number;
  readonly startTime?: number;
  readonly phase: string;
  readonly nodeName?: string;
  readonly nominatedNodeName?: string;
  readonly priorityClassName?: string;
  readonly priority?: number;
  readonly terminationGracePeriodSeconds?: number;
  /** Effective requests (see `effectiveRequests`), including `pods: 1`. */
  readonly requests: Resources;
  readonly nodeSelector: Readonly<Record<string, string>>;
  /** Required node affinity: OR of terms. Empty = none. */
  readonly requiredNodeAffinity: readonly NodeSelectorTerm[];
  readonly preferredNodeAffinity: readonly PreferredSchedulingTerm[];
  readonly podAffinity: readonly PodAffinityTerm[];
  readonly preferredPodAffinity: readonly WeightedPodAffinityTerm[];
  readonly podAntiAffinity: readonly PodAffinityTerm[];
  readonly preferredPodAntiAffinity: readonly WeightedPodAffinityTerm[];
  readonly tolerations: readonly Toleration[];
  readonly topologySpreadConstraints: readonly TopologySpreadConstraint[];
  readonly hostPorts: readonly HostPort[];
  /**
   * Names of the PersistentVolumeClaims (in the pod's namespace) its volumes use: `persistentVolumeClaim`
   * volumes, and generic ephemeral volumes (their claim is `<pod name>-<volume name>`). Absent when none.
   */
  readonly persistentVolumeClaims?: readonly string[];
  /** Whether kube-scheduler marked it `PodScheduled=False/Unschedulable`. */
  readonly unschedulable?: boolean;
  /** Node-selector terms with `matchFields`, which Karpenter rejects; kept so validation can say so. */
  readonly usesMatchFields?: boolean;
}

export function podKey(pod: { readonly namespace: string; readonly name: string }): string {
  return `${pod.namespace}/${pod.name}`;
}

/** A container's requests with the API server's defaulting: a limit with no request counts as the request. */
export function containerRequests(c: ContainerResources): Resources {
  const out: Record<string, number> = { ...c.requests };
  for (const key in c.limits) if (out[key] === undefined) out[key] = c.limits[key] as number;
  return out;
}

/**
 * The pod's effective requests, as kube-scheduler and Karpenter compute them (karpenter-core §2.2):
 * per resource, max(Σ app containers + Σ sidecars, for each regular init container: its requests + Σ sidecars
 * started before it), plus `spec.overhead`, plus one `pods`.
 */
export function effectiveRequests(spec: {
  readonly containers: readonly ContainerResources[];
  readonly initContainers?: readonly InitContainerResources[];
  readonly overhead?: Resources;
}): Resources {
  const running: Record<string, number> = {};
  for (const c of spec.containers) addInto(running, containerRequests(c));
  let sidecars: Resources = {};
  let initPeak: Resources = {};
  for (const init of spec.initContainers ?? []) {
    const requests = containerRequests(init);
    if (init.restartPolicy === 'Always') {
      sidecars = add(sidecars, requests);
      // A sidecar's own start needs everything started before it plus itself.
      initPeak = max(initPeak, sidecars);
    } else {
      initPeak = max(initPeak, add(requests, sidecars));
    }
  }
  addInto(running, sidecars);
  return add(max(running, initPeak), spec.overhead ?? {}, { [PODS]: 1 });
}

export function isOwnedBy(pod: Pod, kind: string): boolean {
  return pod.ownerReferences.some((o) => o.kind === kind);
}

export function isDaemonSetPod(pod: Pod): boolean {
  return isOwnedBy(pod, 'DaemonSet');
}

/** Static pods show up in the API as mirror pods owned by their Node. */
export function isMirrorPod(pod: Pod): boolean {
  return isOwnedBy(pod, 'Node') || pod.annotations['kubernetes.io/config.mirror'] !== undefined;
}

export function isTerminal(pod: Pod): boolean {
  return pod.phase === 'Succeeded' || pod.phase === 'Failed';
}

export function isTerminating(pod: Pod): boolean {
  return pod.deletionTimestamp !== undefined;
}

/** Active = neither terminal nor terminating. */
export function isActive(pod: Pod): boolean {
  return !isTerminal(pod) && !isTerminating(pod);
}

/**
 * Pending in the sense of `fleetwright plan` (DESIGN §5): not bound, active, not a DaemonSet pod, not
 * nominated. The Lambda additionally requires the kube-scheduler's Unschedulable condition.
 */
export function isPending(pod: Pod): boolean {
  return !pod.nodeName && isActive(pod) && !isDaemonSetPod(pod) && !pod.nominatedNodeName;
}
