// kube-controller-manager's disruption controller, and the simulation's referee. The controller recomputes every
// PodDisruptionBudget's status from the pods each second (the API server's eviction handler only counts
// `disruptionsAllowed` down). The referee watches pod deletions: a Ready pod under a PDB removed by anyone but
// the simulation itself (so by fleetwright: an eviction, or a delete that bypassed eviction) while its budget
// had no disruption left is "evicted past a PDB" — the number the summary promises is zero.

import { selectorMatches } from '../../core/model/selectors.js';
import type { SimClock } from '../clock.js';
import { type BudgetStatus, pdbStatus } from '../kube-api/pdb-status.js';
import { type ClusterObjects, isReadyPod, isTerminalPod, type PdbObject, type PodObject, podKeyOf } from './objects.js';

/** The disruption controller's resync: it reacts to pod events; a second is close enough. */
export const BUDGET_PERIOD_MS = 1_000;

export type { BudgetStatus };

export class DisruptionBudgets {
  /** Pods evicted (or deleted) by fleetwright past their budget: `namespace/name (pdb)`. */
  readonly violations: string[] = [];
  /** Pods fleetwright removed (evictions and deletions), in total. */
  evictions = 0;

  constructor(
    private readonly clock: SimClock,
    private readonly objects: ClusterObjects,
  ) {
    objects.store.subscribe((change) => {
      if (change.resource.plural !== 'pods' || change.type !== 'DELETED') return;
      this.judge(change.object as PodObject);
    });
  }

  start(): void {
    const loop = () => {
      this.sync();
      this.clock.setTimer(BUDGET_PERIOD_MS, loop);
    };
    this.clock.setTimer(0, loop);
  }

  /** Writes every PDB's status as the controller would. */
  sync(): void {
    const pods = this.objects.pods();
    for (const pdb of this.objects.pdbs()) {
      const status = budgetStatus(pdb, pods);
      const current = pdb.status;
      if (
        current?.disruptionsAllowed === status.disruptionsAllowed &&
        current?.currentHealthy === status.currentHealthy &&
        current?.expectedPods === status.expectedPods
      ) {
        continue;
      }
      this.objects.update('poddisruptionbudgets', { ...pdb, status: { ...current, ...status, observedGeneration: 1 } });
    }
  }

  private judge(pod: PodObject): void {
    if (this.objects.takeOwnDeletion(podKeyOf(pod))) return;
    this.evictions += 1;
    if (!isReadyPod(pod) || isTerminalPod(pod)) return;
    const pods = this.objects.pods();
    for (const pdb of this.objects.pdbs()) {
      if (!covers(pdb, pod)) continue;
      // After the deletion: fewer healthy pods than the budget wants means this one went past it.
      const status = budgetStatus(pdb, pods);
      if (status.currentHealthy < status.desiredHealthy) {
        this.violations.push(`${podKeyOf(pod)} (PodDisruptionBudget ${pdb.metadata.name})`);
      }
    }
  }
}

function covers(pdb: PdbObject, pod: PodObject): boolean {
  return (
    pdb.metadata.namespace === pod.metadata.namespace &&
    selectorMatches(pdb.spec?.selector as never, pod.metadata.labels ?? {})
  );
}

/** The disruption controller's arithmetic (pkg/controller/disruption): healthy, desired, allowed. */
export function budgetStatus(pdb: PdbObject, pods: readonly PodObject[]): BudgetStatus {
  const covered = pods.filter((p) => covers(pdb, p) && !isTerminalPod(p));
  return pdbStatus(
    pdb.spec ?? {},
    covered.map((p) => ({ ready: isReadyPod(p), terminating: Boolean(p.metadata.deletionTimestamp) })),
  );
}
