// The instance types a planned node can still be: a set that only shrinks as pods join. Checking every option
// on every join is what makes big solves quadratic (20 000 pods × hundreds of types), so per resource the
// template's types are kept sorted by room, and a cursor moves past those too small for the node's total:
// each type is dropped once, and a join that drops nothing costs a few comparisons.

import type { InstanceType } from '../model/instancetype.js';
import type { Resources } from '../resources/resources.js';
import type { NodeClaimTemplate } from './template.js';

export class OptionSet {
  private alive: Set<InstanceType>;
  private list: InstanceType[] | undefined;
  /** Per resource: index of the first type in the template's sorted order not yet known to be too small. */
  private readonly lower = new Map<string, number>();
  /** Per resource: index of the largest type that may still be alive. */
  private readonly upper = new Map<string, number>();
  /** Per resource: the ceiling while the set is unchanged (most checks hit a claim that did not change). */
  private ceilings: Record<string, number> = {};

  constructor(
    private readonly template: NodeClaimTemplate,
    types: readonly InstanceType[],
  ) {
    this.alive = new Set(types);
    // Kept, not copied: nothing changes an options list once handed over, and planned nodes seeded with one
    // list (re-packing's repeated fills) then share its priced form (planned-node.ts, offerings.ts).
    this.list = types as InstanceType[];
  }

  get size(): number {
    return this.alive.size;
  }

  /** The options in catalogue order. */
  toArray(): InstanceType[] {
    this.list ??= this.template.instanceTypes.filter((t) => this.alive.has(t));
    return this.list;
  }

  /** The most room any option has for `resource`: a cheap upper bound before exact checks. */
  ceiling(resource: string): number {
    const cached = this.ceilings[resource];
    if (cached !== undefined) return cached;
    const sorted = this.template.sortedBy(resource);
    let j = this.upper.get(resource) ?? sorted.length - 1;
    while (j >= 0 && !this.alive.has(sorted[j] as InstanceType)) j--;
    this.upper.set(resource, j);
    const value = j >= 0 ? (this.template.room(sorted[j] as InstanceType)[resource] ?? 0) : 0;
    this.ceilings[resource] = value;
    return value;
  }

  /** Would at least one option still hold `base` plus `extra`? Does not change the set (nor allocate, mostly). */
  anyHolds(base: Resources, extra: Resources): boolean {
    let dropped: Set<InstanceType> | undefined;
    for (const resource in extra) {
      const amount = (base[resource] ?? 0) + (extra[resource] as number);
      if (amount <= 0) continue;
      const sorted = this.template.sortedBy(resource);
      for (let i = this.lower.get(resource) ?? 0; i < sorted.length; i++) {
        const type = sorted[i] as InstanceType;
        if ((this.template.room(type)[resource] ?? 0) >= amount) break;
        if (!this.alive.has(type)) continue;
        dropped ??= new Set();
        dropped.add(type);
      }
      if (dropped && dropped.size >= this.alive.size) return false;
    }
    return this.alive.size > (dropped?.size ?? 0);
  }

  /** Drops every option that cannot hold `total`. */
  shrinkTo(total: Resources): void {
    for (const resource in total) {
      const amount = total[resource] as number;
      if (amount <= 0) continue;
      const sorted = this.template.sortedBy(resource);
      let i = this.lower.get(resource) ?? 0;
      for (; i < sorted.length; i++) {
        const type = sorted[i] as InstanceType;
        if ((this.template.room(type)[resource] ?? 0) >= amount) break;
        if (this.alive.delete(type)) {
          this.list = undefined;
          this.ceilings = {};
        }
      }
      this.lower.set(resource, i);
    }
  }

  /** Narrows to `types` (a subset, e.g. after a requirement changed). */
  replace(types: readonly InstanceType[]): void {
    this.alive = new Set(types);
    this.list = [...types];
    this.ceilings = {};
  }
}
