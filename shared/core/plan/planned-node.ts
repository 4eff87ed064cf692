// A node the plan would launch, in the shape `fleetwright plan` prints (DESIGN.md §5): its instance-type options
// as a launch would send them, the estimated type and offering, its labels, taints and pods.

import {
  LABEL_CAPACITY_TYPE,
  LABEL_HOSTNAME,
  LABEL_NODECLASS,
  LABEL_NODEPOOL,
  LABEL_ZONE,
  WELL_KNOWN_LABELS,
} from '../labels.js';
import type { PlannedNode } from '../model/plan.js';
import { podKey } from '../model/pod.js';
import type { NodeClaim } from '../scheduling/node-claim.js';
import { chooseOffering, MAX_INSTANCE_TYPES, priceOptions, roundPrice, withoutExotic } from './offerings.js';

/**
 * What `plannedNode` reads of a claim. Consolidation passes a claim whose options and requirements it narrowed
 * (cheaper types only, spot only), so this is a shape rather than the class.
 */
export type ClaimShape = Pick<NodeClaim, 'options' | 'requirements' | 'template' | 'pods' | 'hostname'>;

/** Plain code-unit order for names, so output sorts the same everywhere (no locale). */
export const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** What a launch for this claim would get (DESIGN.md §5 "Choosing a node's offering"). */
export function plannedNode(claim: ClaimShape): PlannedNode {
  const options = priceOptions(withoutExotic(claim.options, claim.requirements), claim.requirements).slice(
    0,
    MAX_INSTANCE_TYPES,
  );
  const cheapest = options[0];
  if (!cheapest) throw new Error(`planned node ${claim.hostname} has no instance type with an allowed offering`);
  const offering = chooseOffering(cheapest);
  const pool = claim.template.pool;
  const custom = Object.fromEntries(
    Object.entries(claim.requirements.labels()).filter(([k]) => !WELL_KNOWN_LABELS.has(k) && k !== LABEL_HOSTNAME),
  );
  return {
    nodePool: pool.name,
    instanceType: cheapest.type.name,
    instanceTypeOptions: options.map((o) => o.type.name),
    capacityType: offering.capacityType,
    zone: offering.zone,
    hourlyPrice: roundPrice(offering.price),
    labels: sortKeys({
      ...custom,
      ...cheapest.type.labels,
      ...pool.labels,
      [LABEL_ZONE]: offering.zone,
      [LABEL_CAPACITY_TYPE]: offering.capacityType,
      [LABEL_NODEPOOL]: pool.name,
      [LABEL_NODECLASS]: pool.nodeClassName,
    }),
    taints: [...pool.taints, ...pool.startupTaints],
    pods: claim.pods.map((v) => podKey(v.pod)).sort(byName),
  };
}

function sortKeys(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => byName(a, b)));
}
