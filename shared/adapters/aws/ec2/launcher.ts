// Launching one planned node (research/aws-provider.md §b.2–b.7): its instance-type options × the allowed zones
// that have a subnet and an available offering become CreateFleet overrides; each (AMI, max pods) group gets a
// launch template (max pods is baked into user data); one CreateFleet call starts one instance.
//
// After capacity errors the call is repeated with the overrides that remain, a few times: EC2 reports errors
// only for the pools it tried, so the rest may still have capacity, and answering from the same pass is faster
// than a re-plan. Capacity type never changes within a launch: spot -> on-demand fallback is the next plan's
// choice, once the spot offerings show unavailable (§c).

import { CAPACITY_TYPE_ON_DEMAND, CAPACITY_TYPE_SPOT } from '../../../core/labels.js';
import type { InstanceType } from '../../../core/model/instancetype.js';
import type { LaunchedInstance, LaunchRequest } from '../../../core/ports/cloud.js';
import { awsErrorCode, isLaunchTemplateNotFound, isUnfulfillableCapacity, launchFailureReason } from '../errors.js';
import { type Ami, amiFor } from './amis.js';
import type { Ec2Api } from './api.js';
import type { ClusterInfo } from './cluster.js';
import {
  createFleetInput,
  errorCodes,
  type FleetError,
  type FleetInstance,
  type FleetOutcome,
  type FleetRequest,
  type LaunchCapacityType,
  parseFleetOutput,
  recordFleetErrors,
} from './fleet.js';
import { LaunchError } from './launch-error.js';
import { launchTemplateData, launchTemplateName, type NodeClassSpec } from './launch-template-data.js';
import type { LaunchTemplates } from './launch-templates.js';
import { type Subnet, subnetPerZone } from './subnets.js';
import { launchTags, launchTemplateTags } from './tags.js';
import type { UnavailableOfferings } from './unavailable-offerings.js';
import { bootstrapLabels, renderUserData } from './user-data/bootstrap.js';

/** CreateFleet calls per launch: the first, then retries with the overrides capacity errors left. */
export const MAX_FLEET_ATTEMPTS = 3;
/** Karpenter's `maxInstanceTypes`: more types rarely help and bloat the request. */
const MAX_INSTANCE_TYPES = 60;

/** Everything a launch needs, resolved by the provider for the request's node class. */
export interface LaunchContext {
  readonly ec2: Pick<Ec2Api, 'createFleet'>;
  readonly launchTemplates: LaunchTemplates;
  readonly unavailable: UnavailableOfferings;
  readonly cluster: ClusterInfo;
  readonly spec: NodeClassSpec;
  readonly instanceTypes: readonly InstanceType[];
  readonly subnets: readonly Subnet[];
  readonly amis: readonly Ami[];
  readonly securityGroupIds: readonly string[];
  readonly instanceProfile: string;
  readonly now: () => number;
  /** A fresh CreateFleet client token per call. */
  readonly clientToken: () => string;
}

interface Candidate {
  readonly type: InstanceType;
  readonly ami: Ami;
  readonly zone: string;
  readonly subnet: Subnet;
}

/** Overrides still worth trying: option × allowed zone with a usable subnet and an offering not marked since. */
function candidates(ctx: LaunchContext, request: LaunchRequest, capacityType: string, now: number): Candidate[] {
  const byName = new Map(ctx.instanceTypes.map((t) => [t.name, t]));
  const subnets = subnetPerZone(ctx.subnets, ctx.unavailable, now);
  const zones = request.zones ?? [request.node.zone];
  const out: Candidate[] = [];
  for (const name of request.node.instanceTypeOptions.slice(0, MAX_INSTANCE_TYPES)) {
    const type = byName.get(name);
    const ami = type === undefined ? undefined : amiFor(ctx.amis, type);
    if (type === undefined || ami === undefined) continue;
    for (const zone of zones) {
      const subnet = subnets.get(zone);
      const sold = type.offerings.some((o) => o.zone === zone && o.capacityType === capacityType && o.available);
      const key = { instanceType: name, zone, capacityType };
      if (subnet && sold && !ctx.unavailable.isOfferingUnavailable(key, now)) out.push({ type, ami, zone, subnet });
    }
  }
  return out;
}

/** One launch template per (AMI, max pods); returns the template name of each candidate's group. */
async function ensureTemplates(ctx: LaunchContext, request: LaunchRequest, list: readonly Candidate[]) {
  const { cluster, spec } = ctx;
  const tags = launchTags(cluster.name, request.nodePool, request.nodeClass, spec.tags);
  const names = new Map<string, string>();
  for (const c of list) {
    const maxPods = c.type.capacity.pods ?? 0;
    const group = `${c.ami.id}|${maxPods}`;
    if (names.has(group)) continue;
    const userData = renderUserData(request.nodeClass.amiFamily, {
      cluster,
      labels: bootstrapLabels(request.node),
      taints: request.node.taints,
      maxPods,
      kubelet: spec.kubelet,
      userData: spec.userData,
      instanceStorePolicy: spec.instanceStorePolicy,
    });
    const data = launchTemplateData({
      spec,
      family: request.nodeClass.amiFamily,
      imageId: c.ami.id,
      instanceProfile: ctx.instanceProfile,
      securityGroupIds: ctx.securityGroupIds,
      userData,
      tags,
    });
    const name = launchTemplateName(cluster.name, data);
    await ctx.launchTemplates.ensure(
      { name, data, tags: launchTemplateTags(cluster.name, request.nodeClass) },
      ctx.now(),
    );
    names.set(group, name);
  }
  return (c: Candidate) => names.get(`${c.ami.id}|${c.type.capacity.pods ?? 0}`) as string;
}

function launchCapacityType(request: LaunchRequest): LaunchCapacityType {
  const { capacityType } = request.node;
  if (capacityType === CAPACITY_TYPE_SPOT || capacityType === CAPACITY_TYPE_ON_DEMAND) return capacityType;
  throw new LaunchError('NoLaunchableOffering', `capacity type ${capacityType} is not launched by fleetwright`, {
    nodePool: request.nodePool.name,
    capacityType,
  });
}

/** The error for a launch that started nothing after `errors`. */
function failure(request: LaunchRequest, capacityType: string, errors: readonly FleetError[]): LaunchError {
  const context = { nodePool: request.nodePool.name, capacityType, codes: errorCodes(errors) };
  if (errors.length === 0) {
    const options = request.node.instanceTypeOptions.join(', ');
    return new LaunchError('NoLaunchableOffering', `no ${capacityType} offering of ${options} is launchable`, context);
  }
  // All capacity errors: the offerings tried are now marked, so a re-plan picks others (Karpenter's rule).
  const blocking = errors.find((e) => !isUnfulfillableCapacity(e.code));
  const reason = blocking === undefined ? 'InsufficientCapacity' : launchFailureReason(blocking.code, blocking.message);
  const detail = errors.map((e) => `${e.code}${e.instanceType ? ` ${e.instanceType}/${e.zone}` : ''}`).join('; ');
  return new LaunchError(reason, detail, context);
}

/** A LaunchError for an error CreateFleet threw (rather than reported per override). */
function thrownFailure(error: unknown, request: LaunchRequest, capacityType: string): LaunchError {
  const code = awsErrorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  return new LaunchError(launchFailureReason(code, message), message, {
    nodePool: request.nodePool.name,
    capacityType,
    codes: code === undefined ? [] : [code],
    cause: error,
  });
}

/**
 * One CreateFleet call over `list`, with its templates made sure of; a template deleted under us is rebuilt once.
 * Whatever fails (user data, templates, the call) comes out as a LaunchError.
 */
async function callFleet(
  ctx: LaunchContext,
  request: LaunchRequest,
  capacityType: LaunchCapacityType,
  list: readonly Candidate[],
  rebuildTemplates = true,
): Promise<FleetOutcome> {
  let fleet: FleetRequest | undefined;
  try {
    const templateOf = await ensureTemplates(ctx, request, list);
    fleet = {
      capacityType,
      overrides: list.map((c) => ({
        launchTemplateName: templateOf(c),
        instanceType: c.type.name,
        zone: c.zone,
        subnetId: c.subnet.id,
      })),
      tags: launchTags(ctx.cluster.name, request.nodePool, request.nodeClass, ctx.spec.tags),
      clientToken: ctx.clientToken(),
      context: ctx.spec.context,
    };
    const output = await ctx.ec2.createFleet(createFleetInput(fleet));
    const subnetZones = new Map(list.map((c) => [c.subnet.id, c.zone]));
    return parseFleetOutput(output, fleet, (id) => subnetZones.get(id));
  } catch (error) {
    if (error instanceof LaunchError) throw error;
    if (fleet === undefined || !isLaunchTemplateNotFound(error) || !rebuildTemplates) {
      throw thrownFailure(error, request, capacityType);
    }
    for (const o of fleet.overrides) ctx.launchTemplates.forget(o.launchTemplateName);
    return callFleet(ctx, request, capacityType, list, false);
  }
}

/** Starts one instance for the request; see the file header for the retry rules. */
export async function launchInstance(ctx: LaunchContext, request: LaunchRequest): Promise<LaunchedInstance> {
  const capacityType = launchCapacityType(request);
  const errors: FleetError[] = [];
  let tried = '';
  for (let attempt = 0; attempt < MAX_FLEET_ATTEMPTS; attempt++) {
    const now = ctx.now();
    const list = candidates(ctx, request, capacityType, now);
    // Stop when nothing is left, or when the errors changed nothing (the same call would fail the same way).
    const key = list.map((c) => `${c.type.name}/${c.zone}/${c.subnet.id}`).join(',');
    if (list.length === 0 || key === tried) break;
    tried = key;
    const outcome = await callFleet(ctx, request, capacityType, list);
    recordFleetErrors(outcome.errors, ctx.unavailable, ctx.now());
    errors.push(...outcome.errors);
    if (outcome.instance) return launched(outcome.instance, list, now);
    if (outcome.errors.length === 0) {
      throw new LaunchError('LaunchFailed', 'CreateFleet returned neither an instance nor an error', {
        nodePool: request.nodePool.name,
        capacityType,
      });
    }
    // Only capacity errors are worth another try: anything else (IAM, a bad AMI) fails the same way again.
    if (outcome.errors.some((e) => !isUnfulfillableCapacity(e.code))) break;
  }
  throw failure(request, capacityType, errors);
}

function launched(instance: FleetInstance, list: readonly Candidate[], now: number): LaunchedInstance {
  const chosen = list.find((c) => c.type.name === instance.instanceType && c.zone === instance.zone);
  const offering = chosen?.type.offerings.find(
    (o) => o.zone === instance.zone && o.capacityType === instance.capacityType,
  );
  return {
    instanceId: instance.instanceId,
    instanceType: instance.instanceType,
    zone: instance.zone,
    capacityType: instance.capacityType,
    providerID: `aws:///${instance.zone}/${instance.instanceId}`,
    imageId: chosen?.ami.id ?? '',
    hourlyPrice: offering?.price ?? 0,
    launchTime: now,
  };
}
