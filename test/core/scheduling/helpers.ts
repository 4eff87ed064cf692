// Shared by the scheduling specs: plan a snapshot, run the invariant checker, and name results by intent.

import { expect } from 'vitest';
import type { Plan, PlannedNode } from '../../../shared/core/model/plan.js';
import type { Snapshot } from '../../../shared/core/model/snapshot.js';
import { plan } from '../../../shared/core/plan/build-plan.js';
import { checkInvariants } from '../../fixtures/invariants.js';

export function planChecked(snapshot: Snapshot): Plan {
  const result = plan(snapshot);
  checkInvariants(snapshot, result);
  return result;
}

export function nodeOf(result: Plan, podName: string): PlannedNode {
  const found = result.newNodes.find((n) => n.pods.includes(`default/${podName}`));
  if (!found) throw new Error(`default/${podName} is on no new node: ${JSON.stringify(result.unschedulable)}`);
  return found;
}

export function expectScheduled(result: Plan, ...podNames: string[]): void {
  const placed = new Set([...result.newNodes.flatMap((n) => n.pods), ...result.existingNodes.flatMap((n) => n.pods)]);
  for (const name of podNames) expect(placed.has(`default/${name}`), `default/${name} should be scheduled`).toBe(true);
}

export function expectPending(result: Plan, podName: string, reason?: RegExp): void {
  const entry = result.unschedulable.find((u) => u.pod === `default/${podName}`);
  expect(entry, `default/${podName} should be unschedulable`).toBeDefined();
  if (reason) expect(entry?.reason).toMatch(reason);
}
