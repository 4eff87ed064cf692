// Registration bookkeeping (DESIGN.md §2 "Ownership", "Labels"): once an instance of ours shows up as a Node, the
// node gets the hash tags as annotations (drift compares them with the pool and class in force), the pool
// template's labels the kubelet may not set itself (NodeRestriction forbids the kubernetes.io and k8s.io domains
// beyond a few), and the instance gets its `Name` tag. The annotation's arrival is the `NodesRegistered` count.

import { ANNOTATION_IMAGE_ID, ANNOTATION_NODECLASS_HASH, ANNOTATION_NODEPOOL_HASH } from '../../core/labels.js';
import type { Node } from '../../core/model/node.js';
import type { NodePool } from '../../core/model/nodepool.js';
import type { CloudInstance } from '../../core/ports/cloud.js';
import { errorFields } from '../observability/log.js';
import { mayAct, type TickContext } from './context.js';
import type { World } from './snapshot.js';

/** Label domains the kubelet may set on its own Node despite NodeRestriction. */
const KUBELET_ALLOWED_DOMAINS = ['kubelet.kubernetes.io', 'node.kubernetes.io'];

/** Nodes annotated (registered) in this tick, by name. */
export async function recordRegistrations(ctx: TickContext, world: World): Promise<string[]> {
  const registered: string[] = [];
  const pools = new Map(world.config.nodePools.map((p) => [p.name, p]));
  for (const node of world.cluster.nodes) {
    const instance = node.providerID ? world.instances.get(node.providerID) : undefined;
    if (!instance) continue;
    const annotations = missingAnnotations(node, instance);
    const labels = missingLabels(node, instance.nodePool ? pools.get(instance.nodePool) : undefined);
    if (mayAct(ctx) && (Object.keys(annotations).length > 0 || Object.keys(labels).length > 0)) {
      try {
        const result = await ctx.writer.updateNode(node.name, { annotations, labels });
        if (result.outcome === 'updated' && annotations[ANNOTATION_NODEPOOL_HASH] !== undefined) {
          registered.push(node.name);
          ctx.metrics.record('NodesRegistered', 1);
        }
      } catch (error) {
        ctx.logger.warn('could not annotate a registered node', { node: node.name, ...errorFields(error) });
      }
    }
    await nameInstance(ctx, instance, node);
  }
  return registered;
}

/** The hash tags the node lacks; never overwritten, since they record what the node was launched from. */
function missingAnnotations(node: Node, instance: CloudInstance): Record<string, string> {
  const out: Record<string, string> = {};
  if (instance.nodePoolHash && node.annotations[ANNOTATION_NODEPOOL_HASH] === undefined) {
    out[ANNOTATION_NODEPOOL_HASH] = instance.nodePoolHash;
  }
  if (instance.nodeClassHash && node.annotations[ANNOTATION_NODECLASS_HASH] === undefined) {
    out[ANNOTATION_NODECLASS_HASH] = instance.nodeClassHash;
  }
  if (instance.imageId && node.annotations[ANNOTATION_IMAGE_ID] === undefined) {
    out[ANNOTATION_IMAGE_ID] = instance.imageId;
  }
  return out;
}

/** Pool template labels in domains the kubelet may not set, that the node lacks. */
function missingLabels(node: Node, pool: NodePool | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(pool?.labels ?? {})) {
    if (restrictedForKubelet(key) && node.labels[key] !== value) out[key] = value;
  }
  return out;
}

export function restrictedForKubelet(key: string): boolean {
  const slash = key.indexOf('/');
  if (slash < 0) return false;
  const domain = key.slice(0, slash);
  const restricted = ['kubernetes.io', 'k8s.io'].some((d) => domain === d || domain.endsWith(`.${d}`));
  return restricted && !KUBELET_ALLOWED_DOMAINS.some((d) => domain === d || domain.endsWith(`.${d}`));
}

/** `Name` = node name, once: DescribeInstances shows the tag up to a listing later, so remember it was set. */
async function nameInstance(ctx: TickContext, instance: CloudInstance, node: Node): Promise<void> {
  if (instance.tags.Name === node.name || ctx.memory.named.has(instance.instanceId) || !mayAct(ctx)) return;
  ctx.memory.named.add(instance.instanceId);
  try {
    await ctx.cloud.tagRegistered(instance.instanceId, node.name);
  } catch (error) {
    ctx.memory.named.delete(instance.instanceId);
    ctx.logger.warn('could not name an instance after its node', {
      instance: instance.instanceId,
      ...errorFields(error),
    });
  }
}
