// PodDisruptionBudgets as disruption and termination read them: which budgets cover a pod and how many
// disruptions each allows right now. `status.disruptionsAllowed` is used when the object carries it; a
// hand-written PDB without status gets the number the disruption controller would compute from its spec and the
// given pods (DESIGN.md §5 "Existing nodes").

import { isActive, isMirrorPod, type Pod } from '../model/pod.js';
import { selectorMatches } from '../model/selectors.js';
import type { PodDisruptionBudget } from '../model/workloads.js';

/** `namespace/name`, how PDBs are named in reasons. */
export function pdbKey(pdb: PodDisruptionBudget): string {
  return `${pdb.namespace}/${pdb.name}`;
}

/** Does the PDB select this pod? A PDB only covers pods of its own namespace; no selector covers nothing. */
export function covers(pdb: PodDisruptionBudget, pod: Pod): boolean {
  return pdb.namespace === pod.namespace && selectorMatches(pdb.selector, pod.labels);
}

/**
 * What the disruption controller would write in `status.disruptionsAllowed`: healthy pods minus the pods that
 * must stay healthy. Healthy is "bound and Running" (the core has no readiness). Percentages round up, as
 * `GetScaledValueFromIntOrPercent(…, true)` does for both fields; with neither field every healthy pod may go.
 */
export function computedDisruptionsAllowed(pdb: PodDisruptionBudget, pods: readonly Pod[]): number {
  const selected = pods.filter((p) => isActive(p) && covers(pdb, p));
  const expected = selected.length;
  const healthy = selected.filter((p) => p.nodeName !== undefined && p.phase === 'Running').length;
  let desiredHealthy = 0;
  if (pdb.maxUnavailable !== undefined) desiredHealthy = expected - scaled(pdb.maxUnavailable, expected);
  else if (pdb.minAvailable !== undefined) desiredHealthy = scaled(pdb.minAvailable, expected);
  return Math.max(0, healthy - desiredHealthy);
}

function scaled(value: string, total: number): number {
  if (value.endsWith('%')) return Math.ceil((Number(value.slice(0, -1)) * total) / 100);
  return Number(value);
}

/** The snapshot's PDBs with their allowances, asked per pod. */
export class PdbIndex {
  private readonly allowances = new Map<PodDisruptionBudget, number>();

  constructor(
    readonly pdbs: readonly PodDisruptionBudget[],
    pods: readonly Pod[],
  ) {
    for (const pdb of pdbs) {
      this.allowances.set(pdb, pdb.disruptionsAllowed ?? computedDisruptionsAllowed(pdb, pods));
    }
  }

  /** The PDBs covering the pod. Mirror pods are never evicted, so their PDBs never apply (Karpenter's rule). */
  covering(pod: Pod): PodDisruptionBudget[] {
    if (isMirrorPod(pod)) return [];
    return this.pdbs.filter((pdb) => covers(pdb, pod));
  }

  allowed(pdb: PodDisruptionBudget): number {
    return this.allowances.get(pdb) ?? 0;
  }

  /**
   * Why evicting the pod would be refused right now, or undefined: a PDB that allows no disruption, or several
   * PDBs at once (the eviction API refuses a pod covered by more than one).
   */
  blocks(pod: Pod): string | undefined {
    const covering = this.covering(pod);
    if (covering.length > 1) {
      return `is covered by several PodDisruptionBudgets (${covering.map(pdbKey).sort().join(', ')})`;
    }
    const [pdb] = covering;
    if (pdb && this.allowed(pdb) <= 0)
      return `is covered by PodDisruptionBudget ${pdbKey(pdb)}, which allows no disruption`;
    return undefined;
  }
}
