// Our instances in EC2 (DESIGN.md §2 "Ownership", "In flight"): listing them by the cluster tag, terminating
// only those that carry it (checked before the call; the IAM policy enforces the same), and naming them after
// their node once registered.

import type { Instance } from '@aws-sdk/client-ec2';
import type { CloudInstance, InstanceState, TerminateResult } from '../../../core/ports/cloud.js';
import { isNotFound } from '../errors.js';
import { collectPages, type Ec2Api } from './api.js';
import {
  fromTagList,
  TAG_CLUSTER,
  TAG_NAME,
  TAG_NODECLASS,
  TAG_NODECLASS_HASH,
  TAG_NODEPOOL,
  TAG_NODEPOOL_HASH,
} from './tags.js';

type InstanceApi = Pick<Ec2Api, 'describeInstances' | 'terminateInstances' | 'createTags'>;

/** Every state an instance holds capacity (or is on its way out) in; terminated ones are gone. */
export const LIVE_STATES: readonly InstanceState[] = ['pending', 'running', 'stopping', 'stopped', 'shutting-down'];
/** DescribeInstances' maximum page size (with filters). */
const PAGE_SIZE = 1000;
/** TerminateInstances takes this many ids per call. */
const TERMINATE_BATCH = 1000;

/** A described instance as the port's CloudInstance; undefined when EC2 left out its id, type or zone. */
export function toCloudInstance(instance: Instance): CloudInstance | undefined {
  const { InstanceId: id, InstanceType: type, Placement } = instance;
  const zone = Placement?.AvailabilityZone;
  const state = instance.State?.Name as InstanceState | undefined;
  if (id === undefined || type === undefined || zone === undefined || state === undefined) return undefined;
  const tags = fromTagList(instance.Tags);
  const optional = {
    imageId: instance.ImageId,
    subnetId: instance.SubnetId,
    nodePool: tags[TAG_NODEPOOL],
    nodeClass: tags[TAG_NODECLASS],
    nodePoolHash: tags[TAG_NODEPOOL_HASH],
    nodeClassHash: tags[TAG_NODECLASS_HASH],
  };
  return {
    instanceId: id,
    providerID: `aws:///${zone}/${id}`,
    instanceType: type,
    zone,
    // EC2 sets InstanceLifecycle only for spot (and scheduled) instances.
    capacityType: instance.InstanceLifecycle === 'spot' ? 'spot' : 'on-demand',
    state,
    launchTime: instance.LaunchTime?.getTime() ?? 0,
    securityGroupIds: (instance.SecurityGroups ?? []).flatMap((g) => (g.GroupId === undefined ? [] : [g.GroupId])),
    tags,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
  };
}

async function describe(api: InstanceApi, filters: { Name: string; Values: string[] }[]): Promise<Instance[]> {
  const reservations = await collectPages(
    (NextToken) =>
      api.describeInstances({
        Filters: filters,
        MaxResults: PAGE_SIZE,
        ...(NextToken === undefined ? {} : { NextToken }),
      }),
    (page) => page.Reservations,
  );
  return reservations.flatMap((r) => r.Instances ?? []);
}

/** Every live instance carrying `fleetwright.io/cluster=<cluster>`. */
export async function listInstances(api: InstanceApi, cluster: string): Promise<CloudInstance[]> {
  const instances = await describe(api, [
    { Name: `tag:${TAG_CLUSTER}`, Values: [cluster] },
    { Name: 'instance-state-name', Values: [...LIVE_STATES] },
  ]);
  return instances.flatMap((i) => toCloudInstance(i) ?? []);
}

/** TerminateInstances over `ids`; ids EC2 no longer knows count as gone (one by one, to tell them apart). */
async function terminate(api: InstanceApi, ids: readonly string[], terminating: string[], gone: string[]) {
  try {
    await api.terminateInstances({ InstanceIds: [...ids] });
    terminating.push(...ids);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    // One unknown id fails the whole call: retry the others alone.
    if (ids.length === 1) gone.push(...ids);
    else for (const id of ids) await terminate(api, [id], terminating, gone);
  }
}

/**
 * Terminates the ids that are ours. Looked up first by an `instance-id` filter (unlike `InstanceIds`, it does not
 * fail the whole call for one unknown id): ours and live -> TerminateInstances; shutting down -> already going;
 * terminated -> gone; anyone else's -> refused, never terminated. An id the lookup does not return is gone,
 * unless `launchedByUs` has it: DescribeInstances may not list an instance seconds old, and it must not leak.
 */
export async function terminateInstances(
  api: InstanceApi,
  cluster: string,
  ids: readonly string[],
  launchedByUs: ReadonlySet<string> = new Set(),
): Promise<TerminateResult> {
  if (ids.length === 0) return { terminating: [], gone: [], refused: [] };
  const found = new Map(
    (await describe(api, [{ Name: 'instance-id', Values: [...ids] }])).map((i) => [i.InstanceId, i]),
  );
  const toTerminate: string[] = [];
  const terminating: string[] = [];
  const gone: string[] = [];
  const refused: { instanceId: string; reason: string }[] = [];
  for (const id of new Set(ids)) {
    const instance = found.get(id);
    const state = instance?.State?.Name;
    if (instance === undefined) (launchedByUs.has(id) ? toTerminate : gone).push(id);
    else if (state === 'terminated') gone.push(id);
    else if (fromTagList(instance.Tags)[TAG_CLUSTER] !== cluster) {
      refused.push({ instanceId: id, reason: `not tagged ${TAG_CLUSTER}=${cluster}` });
    } else if (state === 'shutting-down') terminating.push(id);
    else toTerminate.push(id);
  }
  for (let i = 0; i < toTerminate.length; i += TERMINATE_BATCH) {
    await terminate(api, toTerminate.slice(i, i + TERMINATE_BATCH), terminating, gone);
  }
  return { terminating, gone, refused };
}

/** Sets `Name` to the node's name: only after registration, when the name is known (research/aws-provider.md §j.3). */
export async function tagRegistered(api: InstanceApi, instanceId: string, nodeName: string): Promise<void> {
  await api.createTags({ Resources: [instanceId], Tags: [{ Key: TAG_NAME, Value: nodeName }] });
}
