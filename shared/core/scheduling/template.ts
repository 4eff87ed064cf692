// What a NodePool can launch: its requirements (pool requirements ∩ template labels ∩ pool and class labels),
// its taints, the instance types it allows with their DaemonSet overhead, and its remaining limits. Built once
// per solve; each new node of the pool starts from it (Karpenter's NodeClaimTemplate, karpenter-core §1.3).

import { LABEL_CAPACITY_TYPE, LABEL_NODECLASS, LABEL_NODEPOOL, LABEL_ZONE } from '../labels.js';
import type { InstanceType, Offering } from '../model/instancetype.js';
import type { NodePool } from '../model/nodepool.js';
import type { DaemonSet } from '../model/workloads.js';
import { Requirement } from '../requirements/requirement.js';
import { Requirements } from '../requirements/requirements.js';
import { fits, type Resources, subtract } from '../resources/resources.js';
import { daemonOverheadByType } from './daemon-overhead.js';

export class NodeClaimTemplate {
  readonly requirements: Requirements;
  /** Types compatible with the pool that fit their own DaemonSet overhead and have an available offering. */
  readonly instanceTypes: readonly InstanceType[];
  /** Per type: allocatable minus DaemonSet overhead. */
  readonly available = new Map<string, Resources>();
  readonly overhead: Map<string, Resources>;
  readonly hasPreferNoSchedule: boolean;
  /** Per pod signature: the pool's types whose requirements and offerings suit the pod. */
  readonly compatibleCache = new Map<string, InstanceType[]>();
  /** What is left of the pool's limits (absent key = unlimited). */
  readonly remaining: Record<string, number>;

  constructor(
    readonly pool: NodePool,
    types: readonly InstanceType[],
    daemonSets: readonly DaemonSet[],
    usedByExisting: Resources,
  ) {
    this.requirements = Requirements.fromWire(pool.requirements)
      .addAll(Requirements.fromLabels(pool.labels))
      .add(Requirement.single(LABEL_NODEPOOL, pool.name))
      .add(Requirement.single(LABEL_NODECLASS, pool.nodeClassName));
    this.hasPreferNoSchedule = pool.taints.some((t) => t.effect === 'PreferNoSchedule');
    const compatible = types.filter(
      (t) => t.requirements.intersects(this.requirements) && hasOffering(t, this.requirements),
    );
    this.overhead = daemonOverheadByType(daemonSets, this.requirements, pool.taints, compatible);
    const kept: InstanceType[] = [];
    for (const t of compatible) {
      const available = subtract(t.allocatable, this.overhead.get(t.name) ?? {});
      if (!fits(this.overhead.get(t.name) ?? {}, t.allocatable)) continue;
      this.available.set(t.name, available);
      kept.push(t);
    }
    this.instanceTypes = kept;
    this.remaining = {};
    for (const key in pool.limits) this.remaining[key] = (pool.limits[key] as number) - (usedByExisting[key] ?? 0);
  }

  private readonly sorted = new Map<string, InstanceType[]>();

  /** A type's room for pods: allocatable minus DaemonSet overhead. */
  room(type: InstanceType): Resources {
    return this.available.get(type.name) as Resources;
  }

  /** The pool's types by room for `resource`, smallest first (ties in catalogue order). */
  sortedBy(resource: string): readonly InstanceType[] {
    let list = this.sorted.get(resource);
    if (!list) {
      list = [...this.instanceTypes].sort((a, b) => (this.room(a)[resource] ?? 0) - (this.room(b)[resource] ?? 0));
      this.sorted.set(resource, list);
    }
    return list;
  }

  /** Does the pool have room for one more node of this type, pessimistically by capacity? */
  withinLimits(type: InstanceType): boolean {
    for (const key in this.remaining) {
      if (key === 'nodes') continue;
      if ((type.capacity[key] ?? 0) > (this.remaining[key] as number)) return false;
    }
    return true;
  }

  nodesLeft(): boolean {
    return this.remaining.nodes === undefined || this.remaining.nodes >= 1;
  }

  /** Reserves one node against the limits at the largest capacity among its options. */
  reserve(options: readonly InstanceType[]): void {
    for (const key in this.remaining) {
      if (key === 'nodes') {
        this.remaining.nodes = (this.remaining.nodes as number) - 1;
        continue;
      }
      let largest = 0;
      for (const t of options) largest = Math.max(largest, t.capacity[key] ?? 0);
      this.remaining[key] = (this.remaining[key] as number) - largest;
    }
  }
}

/** Offerings of a type that are available and allowed by the requirements' zone and capacity type. */
export function compatibleOfferings(type: InstanceType, requirements: Requirements): Offering[] {
  const zones = requirements.get(LABEL_ZONE);
  const capacityTypes = requirements.get(LABEL_CAPACITY_TYPE);
  return type.offerings.filter(
    (o) => o.available && (!zones || zones.has(o.zone)) && (!capacityTypes || capacityTypes.has(o.capacityType)),
  );
}

export function hasOffering(type: InstanceType, requirements: Requirements): boolean {
  const zones = requirements.get(LABEL_ZONE);
  const capacityTypes = requirements.get(LABEL_CAPACITY_TYPE);
  return type.offerings.some(
    (o) => o.available && (!zones || zones.has(o.zone)) && (!capacityTypes || capacityTypes.has(o.capacityType)),
  );
}
