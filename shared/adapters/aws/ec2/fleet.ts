// One CreateFleet call (research/aws-provider.md §b.7): an `instant` fleet of one instance over every
// (instance type × zone subnet) override, spot by price-capacity-optimized or on-demand by lowest price, tagged
// at launch. And its answer: a call that "succeeds" can still carry per-override errors, which are recorded in
// the unavailable-offerings cache whether or not an instance started (§c, §j.4).

import type {
  CreateFleetCommandInput,
  CreateFleetCommandOutput,
  FleetLaunchTemplateConfigRequest,
  LaunchTemplateAndOverridesResponse,
} from '@aws-sdk/client-ec2';
import { CAPACITY_TYPE_SPOT } from '../../../core/labels.js';
import { isSpotServiceLinkedRoleMissing, isSubnetOutOfAddresses, isUnfulfillableCapacity } from '../errors.js';
import { tagSpecifications } from './tags.js';
import type { UnavailableOfferings } from './unavailable-offerings.js';

export type LaunchCapacityType = 'spot' | 'on-demand';

export interface FleetOverride {
  readonly launchTemplateName: string;
  readonly instanceType: string;
  readonly zone: string;
  readonly subnetId: string;
}

export interface FleetRequest {
  readonly capacityType: LaunchCapacityType;
  readonly overrides: readonly FleetOverride[];
  readonly tags: Readonly<Record<string, string>>;
  /** Unique per attempt: EC2 refuses a reused token with other parameters, and replays the same call. */
  readonly clientToken: string;
  /** `spec.context` of the node class. */
  readonly context?: string | undefined;
}

/** Capacity we ask for per call: one planned node, one instance. */
const TARGET_CAPACITY = 1;
/** A template version we never bump: templates are immutable and named by content. */
const TEMPLATE_VERSION = '$Latest';

function launchTemplateConfigs(overrides: readonly FleetOverride[]): FleetLaunchTemplateConfigRequest[] {
  const byTemplate = new Map<string, FleetOverride[]>();
  for (const o of overrides) byTemplate.set(o.launchTemplateName, [...(byTemplate.get(o.launchTemplateName) ?? []), o]);
  return [...byTemplate].map(([name, list]) => ({
    LaunchTemplateSpecification: { LaunchTemplateName: name, Version: TEMPLATE_VERSION },
    // The zone is redundant with the subnet, but EC2 echoes it in Errors[], which is how an error finds its offering.
    Overrides: list.map((o) => ({
      InstanceType: o.instanceType as never,
      SubnetId: o.subnetId,
      AvailabilityZone: o.zone,
    })),
  }));
}

/** The CreateFleet input for a request. */
export function createFleetInput(request: FleetRequest): CreateFleetCommandInput {
  const spot = request.capacityType === CAPACITY_TYPE_SPOT;
  return {
    Type: 'instant',
    ClientToken: request.clientToken,
    TargetCapacitySpecification: {
      TotalTargetCapacity: TARGET_CAPACITY,
      DefaultTargetCapacityType: request.capacityType,
    },
    ...(spot
      ? { SpotOptions: { AllocationStrategy: 'price-capacity-optimized' } }
      : { OnDemandOptions: { AllocationStrategy: 'lowest-price' } }),
    LaunchTemplateConfigs: launchTemplateConfigs(request.overrides),
    TagSpecifications: tagSpecifications(['instance', 'volume', 'fleet'], request.tags),
    ...(request.context === undefined ? {} : { Context: request.context }),
  };
}

export interface FleetInstance {
  readonly instanceId: string;
  readonly instanceType: string;
  readonly zone: string;
  readonly subnetId?: string;
  readonly capacityType: string;
  readonly launchTemplateName?: string;
}

export interface FleetError {
  readonly code: string;
  readonly message: string;
  readonly capacityType: string;
  readonly instanceType?: string;
  readonly zone?: string;
  readonly subnetId?: string;
}

export interface FleetOutcome {
  /** The instance started, if any. */
  readonly instance?: FleetInstance;
  readonly errors: readonly FleetError[];
}

function where(lto: LaunchTemplateAndOverridesResponse | undefined, zoneOf: (subnetId: string) => string | undefined) {
  const o = lto?.Overrides;
  const subnetId = o?.SubnetId;
  const zone = o?.AvailabilityZone ?? (subnetId === undefined ? undefined : zoneOf(subnetId));
  return {
    ...(o?.InstanceType === undefined ? {} : { instanceType: o.InstanceType as string }),
    ...(zone === undefined ? {} : { zone }),
    ...(subnetId === undefined ? {} : { subnetId }),
  };
}

/** The instance and the errors of a CreateFleet answer; `zoneOf` maps a subnet back to its zone. */
export function parseFleetOutput(
  output: CreateFleetCommandOutput,
  request: FleetRequest,
  zoneOf: (subnetId: string) => string | undefined,
): FleetOutcome {
  const errors: FleetError[] = (output.Errors ?? []).map((e) => ({
    code: e.ErrorCode ?? 'Unknown',
    message: e.ErrorMessage ?? '',
    capacityType: e.Lifecycle ?? request.capacityType,
    ...where(e.LaunchTemplateAndOverrides, zoneOf),
  }));
  for (const launched of output.Instances ?? []) {
    const instanceId = launched.InstanceIds?.[0];
    if (instanceId === undefined) continue;
    const at = where(launched.LaunchTemplateAndOverrides, zoneOf);
    const instanceType = (launched.InstanceType as string | undefined) ?? at.instanceType;
    if (instanceType === undefined || at.zone === undefined) continue;
    const template = launched.LaunchTemplateAndOverrides?.LaunchTemplateSpecification?.LaunchTemplateName;
    return {
      instance: {
        instanceId,
        instanceType,
        zone: at.zone,
        ...(at.subnetId === undefined ? {} : { subnetId: at.subnetId }),
        capacityType: launched.Lifecycle ?? request.capacityType,
        ...(template === undefined ? {} : { launchTemplateName: template }),
      },
      errors,
    };
  }
  return { errors };
}

/**
 * Records capacity errors: a missing Spot service-linked role takes all of spot out; a subnet out of addresses
 * takes only that subnet out (its zone stays usable through its other subnets); every other
 * unfulfillable-capacity code takes its (type, zone, capacity type) out.
 */
export function recordFleetErrors(errors: readonly FleetError[], unavailable: UnavailableOfferings, now: number): void {
  for (const e of errors) {
    if (isSpotServiceLinkedRoleMissing(e.code)) unavailable.markCapacityType(CAPACITY_TYPE_SPOT, now);
    if (isSubnetOutOfAddresses(e.code)) {
      if (e.subnetId !== undefined) unavailable.markSubnet(e.subnetId, now);
    } else if (isUnfulfillableCapacity(e.code) && e.instanceType !== undefined && e.zone !== undefined) {
      unavailable.markOffering({ instanceType: e.instanceType, zone: e.zone, capacityType: e.capacityType }, now);
    }
  }
}

/** Distinct error codes, first-seen order. */
export function errorCodes(errors: readonly FleetError[]): string[] {
  return [...new Set(errors.map((e) => e.code))];
}
