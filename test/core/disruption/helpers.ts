// Shared by the disruption specs: nodes of a pool with a catalogue type's labels and allocatable, pods running
// on them, a snapshot that manages every node of a given pool, and a plan checked by the invariant checker.

import { expect } from 'vitest';
import { LABEL_NODEPOOL } from '../../../shared/core/labels.js';
import type { InstanceType } from '../../../shared/core/model/instancetype.js';
import type { Node } from '../../../shared/core/model/node.js';
import type { Disruption, Plan } from '../../../shared/core/model/plan.js';
import type { Pod } from '../../../shared/core/model/pod.js';
import type { Snapshot } from '../../../shared/core/model/snapshot.js';
import {
  instanceType,
  type NodeOverrides,
  node,
  type PodOverrides,
  pod,
  type SnapshotOverrides,
  snapshot,
  ZONES,
} from '../../fixtures/builders.js';
import { planChecked } from '../scheduling/helpers.js';

export { planChecked };

/** The builders' epoch: nodes are created then, and a snapshot's `now` is one hour later. */
export const T0 = Date.parse('2026-11-01T00:00:00Z');
export const NOW = T0 + 3_600_000;
export const MINUTE = 60_000;
export const HOUR = 3_600_000;

/** A small catalogue: on-demand at the price given, spot at 70% of it, in every test zone. */
export const SMALL = instanceType('small', { cpu: '2', memory: '4Gi', price: 0.1 });
export const MEDIUM = instanceType('medium', { cpu: '4', memory: '8Gi', price: 0.2 });
export const LARGE = instanceType('large', { cpu: '8', memory: '16Gi', price: 0.4 });
export const TYPES = [SMALL, MEDIUM, LARGE];

/** A managed node of pool `default` (on-demand, zone a) with the type's labels, capacity and allocatable. */
export function poolNode(name: string, type: InstanceType, overrides: NodeOverrides = {}): Node {
  const built = node(name, {
    type: type.name,
    zone: ZONES[0],
    capacityType: 'on-demand',
    pool: 'default',
    ...overrides,
    labels: { ...type.labels, ...overrides.labels },
  });
  return { ...built, capacity: type.capacity, allocatable: type.allocatable };
}

/** A pod running on `nodeName`, started at T0. */
export function runningOn(nodeName: string, overrides: PodOverrides = {}): Pod {
  return pod({ phase: 'Running', nodeName, startTime: T0, ...overrides });
}

/** A snapshot whose managed nodes are those whose nodepool label names one of its pools (as `plan` decides). */
export function cluster(overrides: SnapshotOverrides = {}): Snapshot {
  const s = snapshot({ instanceTypes: TYPES, ...overrides });
  const pools = new Set(s.nodePools.map((p) => p.name));
  const managed = s.nodes.filter((n) => pools.has(n.labels[LABEL_NODEPOOL] ?? '')).map((n) => n.name);
  return { ...s, managedNodes: overrides.managedNodes ?? new Set(managed) };
}

/** The plan's one disruption; fails when there is not exactly one. */
export function onlyDisruption(result: Plan): Disruption {
  expect(result.disruptions, JSON.stringify(result.disruptions)).toHaveLength(1);
  return result.disruptions[0] as Disruption;
}

export function blockedReason(result: Plan, nodeName: string): string | undefined {
  return result.blocked.find((b) => b.node === nodeName)?.reason;
}
