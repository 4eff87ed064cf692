// DaemonSets and PodDisruptionBudgets, reduced to what scheduling and disruption need.

import type { Pod } from './pod.js';
import type { LabelSelector } from './selectors.js';

export interface DaemonSet {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  /** A pod built from `spec.template` (requests, node affinity, tolerations, host ports). */
  readonly pod: Pod;
}

export interface PodDisruptionBudget {
  readonly namespace: string;
  readonly name: string;
  readonly selector?: LabelSelector;
  /** An integer or a percentage; at most one of the two is set. */
  readonly minAvailable?: string;
  readonly maxUnavailable?: string;
  /** `status.disruptionsAllowed` when the object carries a status. */
  readonly disruptionsAllowed?: number;
  readonly unhealthyPodEvictionPolicy?: 'IfHealthyBudget' | 'AlwaysAllow';
}
