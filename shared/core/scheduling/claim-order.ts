// Planned nodes ordered by how many pods they hold, fewest first (ties: oldest first), so a pod goes to the
// least-loaded planned node that can take it (karpenter-core §1.5). Kept sorted incrementally: one claim grows
// by one pod per placement, so it moves right by a binary search instead of a re-sort of thousands of claims.
// The same order is also kept per zone (claims whose zone is decided, and the undecided ones), so a pod that
// must join a zone looks only at claims that can be there.

import { LABEL_ZONE } from '../labels.js';
import { getOrInsert } from '../memo.js';
import type { NodeClaim } from './node-claim.js';

const UNDECIDED = '';

/** Claims sorted by (pod count, creation order). */
class LoadOrder {
  readonly list: NodeClaim[] = [];

  insert(claim: NodeClaim, count = claim.pods.length): void {
    this.list.splice(this.search(count, claim.seq), 0, claim);
  }

  remove(claim: NodeClaim, count: number): void {
    const at = this.search(count, claim.seq);
    if (this.list[at] !== claim) throw new Error(`claim order lost track of ${claim.hostname}`);
    this.list.splice(at, 1);
  }

  /** First index whose (pod count, seq) is not below the given one. */
  private search(count: number, seq: number): number {
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.list[mid] as NodeClaim;
      if (c.pods.length < count || (c.pods.length === count && c.seq < seq)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function zoneOf(claim: NodeClaim): string {
  return claim.requirements.get(LABEL_ZONE)?.singleValue() ?? UNDECIDED;
}

export class ClaimOrder {
  private readonly all = new LoadOrder();
  private readonly byZone = new Map<string, LoadOrder>();
  private readonly zones = new Map<NodeClaim, string>();
  private readonly created: NodeClaim[] = [];
  private readonly byHostname = new Map<string, NodeClaim>();

  add(claim: NodeClaim): void {
    this.created.push(claim);
    this.byHostname.set(claim.hostname, claim);
    this.all.insert(claim);
    this.placeInZone(claim);
  }

  /** Call after one pod was added to `claim` (its zone may have been decided by it). */
  grew(claim: NodeClaim): void {
    const before = claim.pods.length - 1;
    this.all.remove(claim, before);
    this.all.insert(claim);
    this.zoneOrder(this.zones.get(claim) as string).remove(claim, before);
    this.placeInZone(claim);
  }

  byLoad(): readonly NodeClaim[] {
    return this.all.list;
  }

  get size(): number {
    return this.all.list.length;
  }

  /** Claims that are, or may still be, in one of `zones`, in load order. */
  *inZones(zones: ReadonlySet<string>): Generator<NodeClaim> {
    const lists = [...zones, UNDECIDED].map((z) => this.byZone.get(z)?.list ?? []).filter((l) => l.length > 0);
    const at = lists.map(() => 0);
    for (;;) {
      let best = -1;
      for (let i = 0; i < lists.length; i++) {
        const c = (lists[i] as NodeClaim[])[at[i] as number];
        if (!c) continue;
        const b = best < 0 ? undefined : (lists[best] as NodeClaim[])[at[best] as number];
        if (!b || c.pods.length < b.pods.length || (c.pods.length === b.pods.length && c.seq < b.seq)) best = i;
      }
      if (best < 0) return;
      // Claims are yielded before the caller may add to one, and the caller stops after an add.
      yield (lists[best] as NodeClaim[])[at[best] as number] as NodeClaim;
      at[best] = (at[best] as number) + 1;
    }
  }

  /** The claims with these hostnames, in load order. */
  withHostnames(hostnames: Iterable<string>): NodeClaim[] {
    const out: NodeClaim[] = [];
    for (const h of hostnames) {
      const claim = this.byHostname.get(h);
      if (claim) out.push(claim);
    }
    return out.sort((a, b) => a.pods.length - b.pods.length || a.seq - b.seq);
  }

  inCreationOrder(): NodeClaim[] {
    return [...this.created];
  }

  private placeInZone(claim: NodeClaim): void {
    const zone = zoneOf(claim);
    this.zones.set(claim, zone);
    this.zoneOrder(zone).insert(claim);
  }

  private zoneOrder(zone: string): LoadOrder {
    return getOrInsert(this.byZone, zone, () => new LoadOrder());
  }
}
