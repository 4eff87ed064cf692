// Why a node is being disrupted, as the value of its `fleetwright.io/disrupted` taint (DESIGN.md §2 "Disruption in
// progress"): together with the start-time annotation it is all a drain needs to resume in a later invocation,
// whichever function started it. Values are valid label values (the taint's value must be one).

import { REASONS } from '../core/disruption/budgets.js';
import type { DisruptionMethod } from '../core/model/plan.js';

/** Taint values set by the interruption function, one per kind of AWS notice that drains a node. */
export const TAINT_REASON = {
  spotInterrupted: 'SpotInterrupted',
  rebalanceRecommended: 'RebalanceRecommended',
  scheduledChange: 'ScheduledChange',
  instanceStopping: 'InstanceStopping',
  capacityReservationInterrupted: 'CapacityReservationInterrupted',
} as const;

/** Taint values set by the reconcile function: the budget reason of each voluntary method, `Expired` for expiration. */
export const METHOD_TAINT_REASON: Record<DisruptionMethod, string> = { ...REASONS, expiration: 'Expired' };

/**
 * Instance ids launched to replace a node (comma-separated). Its drain waits until they are Ready nodes, so pods
 * leave only when there is somewhere to go; an interruption removes it, because AWS will not wait.
 */
export const ANNOTATION_REPLACEMENTS = 'fleetwright.io/replacements';
