// `settings.priceAdjustments` (DESIGN.md §3): Savings Plans and RIs make some offerings cheaper than their list
// price. Applied once to the snapshot's catalogue, so every price the core compares or reports (a new node's
// estimate, an existing node's price, a replacement's worst offering, the plan's $/h) is the adjusted one.

import { LABEL_CAPACITY_TYPE, LABEL_ZONE } from '../labels.js';
import type { InstanceType, Offering } from '../model/instancetype.js';
import type { PriceAdjustment } from '../model/settings.js';
import type { Snapshot } from '../model/snapshot.js';

/**
 * The snapshot with every offering's price multiplied by the first adjustment that matches it (the list reads
 * like firewall rules: a specific rule placed first wins over a broad one after it). Unchanged when there are none.
 */
export function withPriceAdjustments(snapshot: Snapshot): Snapshot {
  const adjustments = snapshot.settings.priceAdjustments;
  if (adjustments.length === 0) return snapshot;
  const instanceTypes = new Map(
    [...snapshot.instanceTypes].map(([nodeClass, types]) => [nodeClass, types.map((t) => adjustType(t, adjustments))]),
  );
  return { ...snapshot, instanceTypes };
}

function adjustType(type: InstanceType, adjustments: readonly PriceAdjustment[]): InstanceType {
  let changed = false;
  const offerings = type.offerings.map((o) => {
    const adjustment = adjustments.find((a) => matches(a, type, o));
    if (!adjustment || adjustment.multiplier === 1) return o;
    changed = true;
    return { ...o, price: o.price * adjustment.multiplier };
  });
  return changed ? { ...type, offerings } : type;
}

/** Match keys are full label keys; zone and capacity type are read from the offering, the rest from the type. */
function matches(adjustment: PriceAdjustment, type: InstanceType, offering: Offering): boolean {
  if (adjustment.capacityType !== undefined && adjustment.capacityType !== offering.capacityType) return false;
  for (const [key, values] of Object.entries(adjustment.match)) {
    const value =
      key === LABEL_ZONE ? offering.zone : key === LABEL_CAPACITY_TYPE ? offering.capacityType : type.labels[key];
    if (value === undefined || !values.includes(value)) return false;
  }
  return true;
}
