// One decision pass over a snapshot, up to the point where decisions are taken: prices adjusted, nodes read,
// expired nodes marked as leaving, pending pods (and the pods of leaving nodes) placed, and the disruption
// candidates sorted out. `plan` turns it into the printed plan; `revalidate` re-derives it 15 s later.

import { type CandidateScan, scanCandidates } from '../disruption/candidates.js';
import { withExpirations } from '../disruption/expiration.js';
import { type PassContext, passContext } from '../disruption/world.js';
import type { Snapshot } from '../model/snapshot.js';
import { type NodeState, nodeStates } from './cluster-state.js';
import { withPriceAdjustments } from './price-adjustments.js';
import { type Provisioning, provision } from './provision.js';

export interface Pass {
  /** The snapshot with `settings.priceAdjustments` applied to every offering. */
  readonly snapshot: Snapshot;
  /** Node states; nodes this plan expires are marked as being disrupted. */
  readonly states: readonly NodeState[];
  readonly expired: readonly NodeState[];
  readonly provisioning: Provisioning;
  readonly context: PassContext;
  readonly scan: CandidateScan;
}

/** Runs a pass over the snapshot up to the disruption decisions. */
export function startPass(input: Snapshot): Pass {
  const snapshot = withPriceAdjustments(input);
  const { states, expired } = withExpirations(snapshot, nodeStates(snapshot));
  const provisioning = provision(snapshot, states);
  const context = passContext(snapshot, states, provisioning);
  return { snapshot, states, expired, provisioning, context, scan: scanCandidates(context, states) };
}
