// What a DoNotSchedule zonal topology spread forces on any plan, for the packing bounds (lp-bound.ts,
// whole-node-bound.ts). Pods carrying the same zone spread constraint (a Deployment's replicas) number n; with
// maxSkew m over D zones every zone holds at least ⌈(n − (D−1)·m)/D⌉ of them, on nodes of that zone. With
// maxSkew 1 the rest (n mod D) go one each to distinct zones. The bench's Deployments select exactly their own
// replicas, which is what counting the pods that carry the constraint assumes.

import { LABEL_ZONE } from '../../shared/core/labels.js';
import type { Pod } from '../../shared/core/model/pod.js';
import { addInto, type Resources } from '../../shared/core/resources/resources.js';

export interface ZonalSplit {
  readonly zones: readonly string[];
  /** What every zone must hold at least. */
  readonly floor: Resources;
  /**
   * With maxSkew 1 and identical replicas everywhere: per Deployment, how many replicas are left over after the
   * floors, and their requests; each goes to a different zone. Undefined when that does not hold.
   */
  readonly remainders?: readonly { readonly count: number; readonly requests: Resources }[];
  /** Every pod carries a zone spread (no pod may go to any zone at will). */
  readonly complete: boolean;
}

/** The split the workload's zone spreads force over `zones`, or undefined when no pod spreads over zones. */
export function zonalSplit(pods: readonly Pod[], zones: readonly string[]): ZonalSplit | undefined {
  const groups = new Map<string, { maxSkew: number; pods: Pod[] }>();
  let spread = 0;
  for (const p of pods) {
    const c = p.topologySpreadConstraints.find(
      (t) => t.topologyKey === LABEL_ZONE && t.whenUnsatisfiable === 'DoNotSchedule',
    );
    if (!c) continue;
    spread++;
    const key = `${p.namespace}|${JSON.stringify(c)}`;
    const group = groups.get(key) ?? { maxSkew: c.maxSkew, pods: [] };
    group.pods.push(p);
    groups.set(key, group);
  }
  if (groups.size === 0) return undefined;
  const d = zones.length;
  const floor: Record<string, number> = {};
  const remainders: { count: number; requests: Resources }[] = [];
  let exact = true;
  for (const { maxSkew, pods: replicas } of groups.values()) {
    const atLeast = Math.max(0, Math.ceil((replicas.length - (d - 1) * maxSkew) / d));
    addInto(floor, smallestSum(replicas, atLeast));
    const same = replicas.every((p) => JSON.stringify(p.requests) === JSON.stringify(replicas[0]?.requests));
    exact &&= maxSkew === 1 && same;
    const left = replicas.length - d * atLeast;
    if (left > 0 && replicas[0]) remainders.push({ count: left, requests: replicas[0].requests });
  }
  return { zones, floor, ...(exact ? { remainders } : {}), complete: spread === pods.length };
}

/** Per resource, the sum of the `k` smallest requests: a floor whichever replicas a zone gets. */
function smallestSum(pods: readonly Pod[], k: number): Resources {
  const out: Record<string, number> = {};
  const keys = new Set(pods.flatMap((p) => Object.keys(p.requests)));
  for (const r of keys) {
    const sorted = pods.map((p) => p.requests[r] ?? 0).sort((a, b) => a - b);
    out[r] = sorted.slice(0, k).reduce((a, b) => a + b, 0);
  }
  return out;
}
