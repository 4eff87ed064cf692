// Drift detection (DESIGN.md §5 "Drift", karpenter-core §3.6): a managed node is drifted when its labels no
// longer satisfy its pool's requirements or lack the pool template's labels, or when the hash annotations
// fleetwright copies onto a node at registration differ from the current pool template / node class spec.
// Nodes without the annotations (launched by something else, or not yet annotated) are judged by labels only.

import {
  ANNOTATION_DRIFTED_SINCE,
  ANNOTATION_IMAGE_ID,
  ANNOTATION_NODECLASS_HASH,
  ANNOTATION_NODEPOOL_HASH,
} from '../labels.js';
import type { Node } from '../model/node.js';
import type { NodeClass, NodePool } from '../model/nodepool.js';
import { plannedNode } from '../plan/planned-node.js';
import { Requirements } from '../requirements/requirements.js';
import { REASONS } from './budgets.js';
import type { Candidate } from './candidates.js';
import type { Command } from './command.js';
import { count, listNames } from './describe.js';
import { simulateRemoval } from './simulate.js';
import { ledger, type PassContext } from './world.js';

/** Why the node drifted from its pool and node class, or undefined when it has not. */
export function driftReason(
  node: Node,
  pool: NodePool,
  nodeClass: NodeClass | undefined,
  currentImages?: readonly string[],
): string | undefined {
  // Strict: a pool requirement on a key the node lacks is drift unless it only asks for absence
  // (Karpenter's `StrictlyCompatible` of the node's labels with the pool's requirements).
  const conflict = Requirements.fromLabels(node.labels).incompatibility(Requirements.fromWire(pool.requirements));
  if (conflict) return `its labels no longer satisfy nodepool "${pool.name}" (${conflict})`;
  for (const [key, value] of Object.entries(pool.labels)) {
    if (node.labels[key] !== value) return `it lacks nodepool "${pool.name}"'s template label ${key}=${value}`;
  }
  const poolHash = node.annotations[ANNOTATION_NODEPOOL_HASH];
  if (poolHash !== undefined && poolHash !== pool.templateHash) {
    return `nodepool "${pool.name}"'s template changed since launch (${ANNOTATION_NODEPOOL_HASH} ${poolHash}, now ${pool.templateHash})`;
  }
  const classHash = node.annotations[ANNOTATION_NODECLASS_HASH];
  if (nodeClass && classHash !== undefined && classHash !== nodeClass.specHash) {
    return `node class "${nodeClass.name}" changed since launch (${ANNOTATION_NODECLASS_HASH} ${classHash}, now ${nodeClass.specHash})`;
  }
  // AMI drift (Karpenter's AMIDrift): a new release behind an alias, or changed selector terms, drifts every
  // node still running an AMI the class no longer selects. Unknown images (offline) drift nothing.
  const image = node.annotations[ANNOTATION_IMAGE_ID];
  if (
    image !== undefined &&
    currentImages !== undefined &&
    currentImages.length > 0 &&
    !currentImages.includes(image)
  ) {
    return `its AMI ${image} is no longer selected by node class "${pool.nodeClassName}" (now ${currentImages.join(', ')})`;
  }
  return undefined;
}

/** When the node was first seen drifted: its `fleetwright.io/drifted-since` annotation, else `now`. */
export function driftedSince(node: Node, now: number): number {
  const text = node.annotations[ANNOTATION_DRIFTED_SINCE];
  const parsed = text === undefined ? Number.NaN : Date.parse(text);
  return Number.isNaN(parsed) ? now : parsed;
}

/** Drift's one-at-a-time order: drifted longest first, then oldest node, then name. */
export function byDriftOrder<T extends { readonly node: Node; readonly driftedSince: number }>(a: T, b: T): number {
  return (
    a.driftedSince - b.driftedSince ||
    a.node.creationTimestamp - b.node.creationTimestamp ||
    (a.node.name < b.node.name ? -1 : a.node.name > b.node.name ? 1 : 0)
  );
}

/** Drift may take the node: it drifted, and pod-level protections are absent or waived by terminationGracePeriod. */
export function qualifiesForDrift(c: Candidate): boolean {
  return c.drift !== undefined && (!c.podProtection || c.pool.terminationGracePeriodMs !== null);
}

/**
 * The drift command (DESIGN.md §5 "Drift"): every empty drifted node the budgets allow, together; otherwise the
 * first non-empty drifted node, in drift order, whose pods all find a place — on existing nodes or on as many
 * new nodes as they need, with no price check. Pools with no Drifted budget left are skipped.
 */
export function driftCommand(ctx: PassContext, candidates: readonly Candidate[]): Command | undefined {
  const budget = ledger(ctx, REASONS.drift);
  const drifted = candidates.filter(qualifiesForDrift).sort(byDriftOrder);
  const empty = drifted.filter((c) => c.empty).filter((c) => budget.take(c.pool.name));
  if (empty.length > 0) {
    const what = empty.length === 1 ? 'empty drifted node' : `${count(empty.length, 'empty drifted node')}`;
    return { method: 'drift', candidates: empty, replacements: [], reason: `${what}: ${empty[0]?.drift}` };
  }
  for (const candidate of drifted) {
    if (candidate.empty || budget.remaining(candidate.pool.name) <= 0) continue;
    const sim = simulateRemoval(ctx, new Set([candidate.name]));
    if (sim.unplaced.size > 0) continue;
    const replacements = sim.claims.map(plannedNode);
    const where = [
      ...(sim.destinations.size > 0 ? [listNames([...sim.destinations.keys()])] : []),
      ...(replacements.length > 0 ? [count(replacements.length, 'new node')] : []),
    ].join(' and ');
    const verb = sim.moved.length === 1 ? 'goes' : 'go';
    const reason = `${candidate.drift}; its ${count(sim.moved.length, 'pod')} ${verb} to ${where}`;
    return { method: 'drift', candidates: [candidate], replacements, reason };
  }
  return undefined;
}
