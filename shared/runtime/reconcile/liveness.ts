// Step 2 of a tick (DESIGN.md §2): liveness and garbage collection, which keep the fleet and the cluster telling
// the same story.
// - An instance that has not registered within the registration timeout is terminated and its offering marked
//   unavailable (it may be a bad AMI or a broken zone; karpenter-core §5 "Liveness").
// - An instance that registered once (we named it) and whose Node is gone was deleted from the cluster, for
//   example by `kubectl delete node`: it is terminated.
// - A Node of ours whose instance is gone and that is not Ready is deleted (karpenter-core §5 "Garbage collection").
// - Launch templates no launch uses any more are deleted.
// "Not listed" and "not in the cluster" are only believed from a complete listing and a readable cluster.

import { ANNOTATION_NODEPOOL_HASH } from '../../core/labels.js';
import type { Node } from '../../core/model/node.js';
import type { CloudInstance } from '../../core/ports/cloud.js';
import { EVENT_REASON } from '../observability/events.js';
import { errorFields } from '../observability/log.js';
import { mayAct, type TickContext } from './context.js';
import { instanceIdOf } from './fleet.js';
import { holdsCapacity } from './in-flight.js';
import type { World } from './snapshot.js';

/**
 * An instance named after its node is only garbage once this old. The `Name` tag is our registration mark, but a
 * node class may also set `Name` (its tags are copied at launch); this keeps such an instance from being taken
 * for a deleted node's while it boots.
 */
export const DELETED_NODE_MIN_AGE_MS = 5 * 60_000;

export interface LivenessRecord {
  readonly registrationTimeouts: string[];
  readonly deletedNodeInstances: string[];
  readonly orphanNodes: string[];
  launchTemplatesDeleted?: number;
}

export async function collectGarbage(ctx: TickContext, world: World): Promise<LivenessRecord> {
  const record: LivenessRecord = { registrationTimeouts: [], deletedNodeInstances: [], orphanNodes: [] };
  if (!ctx.fleet.current || world.cluster.unreadableNodes > 0) return record;
  const now = ctx.clock.now();
  const timeout = world.config.settings.registrationTimeoutMs;
  for (const instance of world.instances.values()) {
    if (world.nodesByProviderID.has(instance.providerID) || !holdsCapacity(instance)) continue;
    const age = now - instance.launchTime;
    if (instance.tags.Name === undefined && age >= timeout) record.registrationTimeouts.push(instance.instanceId);
    else if (instance.tags.Name !== undefined && age >= DELETED_NODE_MIN_AGE_MS) {
      record.deletedNodeInstances.push(instance.instanceId);
    }
  }
  for (const node of world.cluster.nodes) if (isOrphan(node, world)) record.orphanNodes.push(node.name);
  if (!mayAct(ctx)) return record;
  await terminateTimedOut(ctx, world, record.registrationTimeouts);
  await terminate(ctx, record.deletedNodeInstances, 'its Node was deleted');
  for (const name of record.orphanNodes) await deleteOrphan(ctx, world, name);
  if (ctx.memory.lastTemplateGc === undefined || now - ctx.memory.lastTemplateGc >= ctx.options.launchTemplateGcMs) {
    ctx.memory.lastTemplateGc = now;
    try {
      record.launchTemplatesDeleted = await ctx.cloud.deleteUnusedLaunchTemplates();
    } catch (error) {
      ctx.logger.warn('could not delete unused launch templates', errorFields(error));
    }
  }
  return record;
}

/** Ours (we annotated it at registration), its instance not listed, and not Ready: nothing runs there any more. */
function isOrphan(node: Node, world: World): boolean {
  if (node.ready || node.annotations[ANNOTATION_NODEPOOL_HASH] === undefined) return false;
  if (!node.providerID || instanceIdOf(node.providerID) === undefined) return false;
  return !world.instances.has(node.providerID);
}

async function terminateTimedOut(ctx: TickContext, world: World, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const byId = new Map([...world.instances.values()].map((i) => [i.instanceId, i]));
  const terminated = await terminate(ctx, ids, 'it did not register within the registration timeout');
  for (const id of terminated) {
    const instance = byId.get(id) as CloudInstance;
    ctx.cloud.markUnavailable({
      instanceType: instance.instanceType,
      zone: instance.zone,
      capacityType: instance.capacityType,
    });
    ctx.metrics.record('UnregisteredInstances', 1);
  }
}

/** Terminates `ids`; returns those now terminating or gone. */
async function terminate(ctx: TickContext, ids: readonly string[], why: string): Promise<string[]> {
  if (ids.length === 0) return [];
  try {
    const result = await ctx.cloud.terminate(ids);
    const done = [...result.terminating, ...result.gone];
    ctx.fleet.forget(done);
    ctx.metrics.record('NodesTerminated', result.terminating.length);
    ctx.logger.info('terminated instances', { instances: result.terminating, why, refused: result.refused });
    return done;
  } catch (error) {
    ctx.logger.warn('could not terminate instances', { instances: ids, why, ...errorFields(error) });
    return [];
  }
}

async function deleteOrphan(ctx: TickContext, world: World, name: string): Promise<void> {
  const node = world.cluster.nodes.find((n) => n.name === name) as Node;
  ctx.events.node(name, EVENT_REASON.instanceGone, `instance ${instanceIdOf(node.providerID)} no longer exists`);
  try {
    const outcome = await ctx.writer.deleteNode(name, { providerID: node.providerID as string });
    ctx.logger.info('deleted a node whose instance is gone', { node: name, outcome });
  } catch (error) {
    ctx.logger.warn('could not delete a node whose instance is gone', { node: name, ...errorFields(error) });
  }
}
