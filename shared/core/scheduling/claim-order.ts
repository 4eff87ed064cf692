// Planned nodes ordered by how many pods they hold, fewest first (ties: oldest first), so a pod goes to the
// least-loaded planned node that can take it (karpenter-core §1.5). Kept sorted incrementally: one claim grows
// by one pod per placement, so it moves right by a binary search instead of a re-sort of thousands of claims.

import type { NodeClaim } from './node-claim.js';

export class ClaimOrder {
  private readonly sorted: NodeClaim[] = [];
  private readonly created: NodeClaim[] = [];

  add(claim: NodeClaim): void {
    this.created.push(claim);
    this.sorted.splice(this.search(claim.pods.length, claim.seq), 0, claim);
  }

  /** Call after one pod was added to `claim`. */
  grew(claim: NodeClaim): void {
    const from = this.search(claim.pods.length - 1, claim.seq);
    if (this.sorted[from] !== claim) throw new Error(`claim order lost track of ${claim.hostname}`);
    this.sorted.splice(from, 1);
    this.sorted.splice(this.search(claim.pods.length, claim.seq), 0, claim);
  }

  byLoad(): readonly NodeClaim[] {
    return this.sorted;
  }

  inCreationOrder(): NodeClaim[] {
    return [...this.created];
  }

  /** First index whose (pod count, seq) is not below the given one. */
  private search(count: number, seq: number): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.sorted[mid] as NodeClaim;
      if (c.pods.length < count || (c.pods.length === count && c.seq < seq)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
