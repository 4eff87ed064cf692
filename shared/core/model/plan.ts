// The result of a decision pass, in the exact shape `fleetwright plan --output json` prints (DESIGN.md §5).

import type { Taint } from './taints.js';

export interface PlannedNode {
  readonly nodePool: string;
  readonly instanceType: string;
  readonly instanceTypeOptions: readonly string[];
  readonly capacityType: string;
  readonly zone: string;
  readonly hourlyPrice: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly pods: readonly string[];
}

export interface ExistingNodePlacement {
  readonly name: string;
  readonly pods: readonly string[];
}

export interface Unschedulable {
  readonly pod: string;
  readonly reason: string;
}

export type DisruptionMethod = 'expiration' | 'emptiness' | 'drift' | 'consolidation';

export interface Disruption {
  readonly method: DisruptionMethod;
  readonly kind: 'delete' | 'replace';
  readonly nodes: readonly string[];
  readonly replacements: readonly PlannedNode[];
  readonly savingsPerHour: number;
  readonly reason: string;
}

export interface Blocked {
  readonly node: string;
  readonly reason: string;
}

export interface Plan {
  readonly newNodes: readonly PlannedNode[];
  readonly existingNodes: readonly ExistingNodePlacement[];
  readonly unschedulable: readonly Unschedulable[];
  readonly disruptions: readonly Disruption[];
  readonly blocked: readonly Blocked[];
  readonly hourlyCost: { readonly before: number; readonly after: number };
}
