// Instance types and offerings as the scheduler consumes them: requirements (every well-known label),
// capacity, allocatable (capacity minus kubelet overhead for the node class), and priced offerings.

import type { Requirements } from '../requirements/requirements.js';
import type { Resources } from '../resources/resources.js';

export interface Offering {
  readonly zone: string;
  readonly capacityType: string;
  /** $/h. */
  readonly price: number;
  readonly available: boolean;
}

export interface InstanceType {
  readonly name: string;
  /** Single-valued labels a node of this type carries (arch, os, instance-*, custom `labels`). Not zone or capacity type. */
  readonly labels: Readonly<Record<string, string>>;
  /**
   * Requirements of the type: its labels as `In`, absent AWS labels as `DoesNotExist`, and zone and
   * capacity type as `In` the values of its offerings.
   */
  readonly requirements: Requirements;
  readonly capacity: Resources;
  readonly allocatable: Resources;
  /** In catalogue order; order breaks price ties. */
  readonly offerings: readonly Offering[];
}
