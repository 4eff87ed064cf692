// The unavailable-offerings ("ICE") cache (research/aws-provider.md §c): offerings, whole capacity types and
// subnets that recently failed a launch. While an entry lives, the offering is reported unavailable, so the
// next plan picks something else (spot -> on-demand fallback happens this way, on the next pass). Marking an
// entry again refreshes its TTL. Keys are Karpenter's: `<capacityType>:<instanceType>:<zone>`.

import type { OfferingKey } from '../../../core/ports/cloud.js';
import { UNAVAILABLE_OFFERING_TTL } from '../ttls.js';

export class UnavailableOfferings {
  /** Key -> expiry (epoch ms). */
  private readonly offerings = new Map<string, number>();
  private readonly capacityTypes = new Map<string, number>();
  private readonly subnets = new Map<string, number>();

  constructor(private readonly ttlMs: number = UNAVAILABLE_OFFERING_TTL) {}

  markOffering(offering: OfferingKey, now: number): void {
    this.offerings.set(offeringKey(offering), now + this.ttlMs);
  }

  /** A whole capacity type, e.g. spot when the Spot service-linked role is missing. */
  markCapacityType(capacityType: string, now: number): void {
    this.capacityTypes.set(capacityType, now + this.ttlMs);
  }

  /** A subnet out of free addresses; its zone stays usable through the zone's other subnets. */
  markSubnet(subnetId: string, now: number): void {
    this.subnets.set(subnetId, now + this.ttlMs);
  }

  isOfferingUnavailable(offering: OfferingKey, now: number): boolean {
    return live(this.capacityTypes, offering.capacityType, now) || live(this.offerings, offeringKey(offering), now);
  }

  isSubnetUnavailable(subnetId: string, now: number): boolean {
    return live(this.subnets, subnetId, now);
  }

  /**
   * The live entries as one string: part of the resolved-instance-types cache key, so a new entry, or one that
   * expires, rebuilds the offerings at once instead of after their own TTL.
   */
  fingerprint(now: number): string {
    const parts: string[] = [];
    for (const [prefix, map] of [
      ['o', this.offerings],
      ['c', this.capacityTypes],
      ['s', this.subnets],
    ] as const) {
      for (const [key, until] of map) {
        if (until > now) parts.push(`${prefix}:${key}`);
        else map.delete(key);
      }
    }
    return parts.sort().join('|');
  }
}

function offeringKey({ capacityType, instanceType, zone }: OfferingKey): string {
  return `${capacityType}:${instanceType}:${zone}`;
}

function live(map: Map<string, number>, key: string, now: number): boolean {
  const until = map.get(key);
  return until !== undefined && now < until;
}
