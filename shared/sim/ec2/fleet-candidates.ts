// The pools one CreateFleet request may launch into: every (launch template config × override) resolved to an
// instance type, subnet, zone, image and price, checked the way EC2 checks them, and ordered by the request's
// allocation strategy. Malformed requests (a template, subnet or type that does not exist) fail the whole call,
// as EC2 does; problems of one pool only (its image, its security groups, a spot price above MaxPrice) become
// that pool's entry in `Errors[]`, and the other pools still launch.
//
// Strategies: lowest-price (on-demand's default) is cheapest first; price-capacity-optimized, EC2's choice for
// spot, is approximated as "cheapest pool that has capacity": simulated pools have no depth, only injected
// capacity faults, so capacity ranks every pool the same; the `prioritized` variants honour Priority first.
// Ties keep the request's order, as the adapter's tests expect of EC2.

import type {
  CreateFleetCommandInput,
  FleetLaunchTemplateConfigRequest,
  FleetLaunchTemplateOverridesRequest,
  FleetLaunchTemplateSpecificationRequest,
} from '@aws-sdk/client-ec2';
import type { SimImages } from './images.js';
import type { SimLaunchTemplate, SimLaunchTemplates } from './launch-templates.js';
import type { SimMarket, SimZone } from './market.js';
import type { SimNetwork, SimSubnetRecord } from './network.js';
import { QueryError } from './query.js';

/** EC2 refuses user data over 16 KiB (after base64 decoding). */
const USER_DATA_LIMIT = 16_384;
const PRIORITIZED = new Set(['prioritized', 'capacity-optimized-prioritized']);

export interface Candidate {
  /** The request's spec, echoed in the answer. */
  readonly spec: FleetLaunchTemplateSpecificationRequest;
  readonly override: FleetLaunchTemplateOverridesRequest;
  readonly template: SimLaunchTemplate;
  readonly instanceType: string;
  readonly subnet: SimSubnetRecord;
  readonly zone: SimZone;
  readonly imageId: string;
  readonly price: number;
  /** Set when this pool cannot launch whatever the capacity: EC2's code and message. */
  readonly problem?: { readonly code: string; readonly message: string };
}

export interface CandidateDeps {
  readonly market: SimMarket;
  readonly network: SimNetwork;
  readonly images: SimImages;
  readonly launchTemplates: SimLaunchTemplates;
}

/** Security groups a template attaches: its own list, or its first interface's. */
export function templateGroups(template: SimLaunchTemplate): string[] {
  return template.data.SecurityGroupIds ?? template.data.NetworkInterfaces?.[0]?.Groups ?? [];
}

function problemOf(deps: CandidateDeps, c: Omit<Candidate, 'problem'>, capacityType: string) {
  const image = deps.images.image(c.imageId);
  if (image === undefined) {
    return { code: 'InvalidAMIID.NotFound', message: `The image id '[${c.imageId}]' does not exist` };
  }
  const arch = deps.market.entry(c.instanceType)?.arch === 'arm64' ? 'arm64' : 'x86_64';
  if (image.Architecture !== arch) {
    return {
      code: 'InvalidParameterValue',
      message: `The architecture '${arch}' of the specified instance type does not match the architecture '${image.Architecture}' of the specified AMI.`,
    };
  }
  const missing = templateGroups(c.template).find((id) => !deps.network.securityGroup(id));
  if (missing) return { code: 'InvalidGroup.NotFound', message: `The security group '${missing}' does not exist` };
  const userData = c.template.data.UserData;
  if (userData && Buffer.from(userData, 'base64').length > USER_DATA_LIMIT) {
    return { code: 'InvalidParameterValue', message: `User data is limited to ${USER_DATA_LIMIT} bytes` };
  }
  const maxPrice = c.override.MaxPrice === undefined ? undefined : Number(c.override.MaxPrice);
  if (capacityType === 'spot' && maxPrice !== undefined && c.price > maxPrice) {
    return {
      code: 'SpotMaxPriceTooLow',
      message: `Your Spot request price of ${maxPrice} is lower than the minimum required Spot request fulfillment price of ${c.price}.`,
    };
  }
  return undefined;
}

function resolveOverride(
  deps: CandidateDeps,
  config: FleetLaunchTemplateConfigRequest,
  template: SimLaunchTemplate,
  override: FleetLaunchTemplateOverridesRequest,
  capacityType: string,
  now: number,
): Candidate {
  const instanceType = override.InstanceType ?? template.data.InstanceType;
  if (instanceType === undefined || !deps.market.entry(instanceType)) {
    throw new QueryError('InvalidParameterValue', `Invalid value '${instanceType}' for InstanceType.`);
  }
  const subnetId = override.SubnetId ?? template.data.NetworkInterfaces?.[0]?.SubnetId;
  const subnet = subnetId === undefined ? undefined : deps.network.subnet(subnetId);
  if (subnet === undefined)
    throw new QueryError('InvalidSubnetID.NotFound', `The subnet ID '${subnetId}' does not exist`);
  if (override.AvailabilityZone !== undefined && override.AvailabilityZone !== subnet.zone.name) {
    throw new QueryError(
      'InvalidParameterValue',
      `The subnet '${subnet.id}' is in ${subnet.zone.name}, not in the requested Availability Zone ${override.AvailabilityZone}.`,
    );
  }
  const price = deps.market.price(instanceType, subnet.zone.name, capacityType, now) ?? Number.POSITIVE_INFINITY;
  const base = {
    spec: config.LaunchTemplateSpecification ?? {},
    override,
    template,
    instanceType,
    subnet,
    zone: subnet.zone,
    imageId: override.ImageId ?? template.data.ImageId ?? '',
    price,
  };
  const problem = problemOf(deps, base, capacityType);
  return problem === undefined ? base : { ...base, problem };
}

/** Every pool of the request, in the order the allocation strategy tries them. */
export function fleetCandidates(deps: CandidateDeps, input: CreateFleetCommandInput, now: number): Candidate[] {
  const capacityType = input.TargetCapacitySpecification?.DefaultTargetCapacityType ?? 'on-demand';
  const candidates: Candidate[] = [];
  for (const config of input.LaunchTemplateConfigs ?? []) {
    const template = deps.launchTemplates.resolve(config.LaunchTemplateSpecification ?? {});
    const overrides = config.Overrides?.length ? config.Overrides : [{}];
    for (const override of overrides) {
      candidates.push(resolveOverride(deps, config, template, override, capacityType, now));
    }
  }
  const strategy =
    capacityType === 'spot' ? input.SpotOptions?.AllocationStrategy : input.OnDemandOptions?.AllocationStrategy;
  const byPriority = strategy !== undefined && PRIORITIZED.has(strategy);
  const priority = (c: Candidate) => c.override.Priority ?? Number.POSITIVE_INFINITY;
  // Array.prototype.sort is stable: equal pools keep the request's order.
  return candidates.sort((a, b) => (byPriority ? priority(a) - priority(b) : 0) || a.price - b.price);
}
