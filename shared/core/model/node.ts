// A cluster node (or a launched instance that has not registered yet) as the decision core sees it.

import type { Resources } from '../resources/resources.js';
import type { Taint } from './taints.js';

export interface Node {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly capacity: Resources;
  readonly allocatable: Resources;
  /** Epoch milliseconds. */
  readonly creationTimestamp: number;
  readonly deletionTimestamp?: number;
  readonly providerID?: string;
  /** The `Ready` condition is `True`. */
  readonly ready: boolean;
  readonly unschedulable?: boolean;
}
