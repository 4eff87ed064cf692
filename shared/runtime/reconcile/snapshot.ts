// One tick's snapshot (DESIGN.md §1): the watched cluster, the config in force, the instance types of every node
// class with their current offerings, and the fleet's unregistered instances as in-flight nodes. Pending pods
// count only once the kube-scheduler marked them Unschedulable (DESIGN.md §4): a pod it has not tried yet may
// still fit an existing node. Managed nodes are those whose providerID names one of our instances.

import type { InstanceType } from '../../core/model/instancetype.js';
import type { Node } from '../../core/model/node.js';
import { isPending } from '../../core/model/pod.js';
import type { Snapshot } from '../../core/model/snapshot.js';
import type { CloudInstance, CloudProvider } from '../../core/ports/cloud.js';
import type { RuntimeConfig } from '../config.js';
import { errorFields } from '../observability/log.js';
import type { ClusterContents } from './cluster-view.js';
import type { Fleet } from './fleet.js';
import { holdsCapacity, inFlightNode } from './in-flight.js';

/** Where a node class that cannot be resolved is reported: the function's logger, or the CLI's warnings. */
export interface ProblemLog {
  error(message: string, fields: Record<string, unknown>): void;
  warn(message: string, fields: Record<string, unknown>): void;
}

export interface World {
  readonly snapshot: Snapshot;
  /** The cluster as watched (registered nodes only, every pod). */
  readonly cluster: ClusterContents;
  readonly config: RuntimeConfig;
  /** Our live instances by providerID. */
  readonly instances: ReadonlyMap<string, CloudInstance>;
  /** Unregistered instances, as the nodes they count as. */
  readonly inFlight: readonly Node[];
  /** Registered nodes by providerID. */
  readonly nodesByProviderID: ReadonlyMap<string, Node>;
}

/**
 * `resolve` for every node class, by class name; a class it fails for is logged at `level` and left out (its
 * pools cannot launch without types; without images nothing drifts by AMI).
 */
async function perNodeClass<T>(
  config: RuntimeConfig,
  logger: ProblemLog,
  what: string,
  level: 'error' | 'warn',
  resolve: (nodeClass: RuntimeConfig['nodeClasses'][number]) => Promise<T>,
): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  await Promise.all(
    config.nodeClasses.map(async (nodeClass) => {
      try {
        out.set(nodeClass.name, await resolve(nodeClass));
      } catch (error) {
        logger[level](`${what} of a node class could not be resolved`, {
          nodeClass: nodeClass.name,
          ...errorFields(error),
        });
      }
    }),
  );
  return out;
}

/** Every node class's instance types. */
export function resolveTypes(
  cloud: Pick<CloudProvider, 'instanceTypes'>,
  config: RuntimeConfig,
  logger: ProblemLog,
): Promise<Map<string, readonly InstanceType[]>> {
  return perNodeClass(config, logger, 'instance types', 'error', (c) => cloud.instanceTypes(c));
}

/** The AMIs each node class selects now. */
export function resolveImages(
  cloud: Pick<CloudProvider, 'images'>,
  config: RuntimeConfig,
  logger: ProblemLog,
): Promise<Map<string, readonly string[]>> {
  return perNodeClass(config, logger, 'images', 'warn', (c) => cloud.images(c));
}

export function buildWorld(input: {
  readonly cluster: ClusterContents;
  readonly config: RuntimeConfig;
  readonly fleet: Pick<Fleet, 'byProviderID'>;
  readonly instanceTypes: ReadonlyMap<string, readonly InstanceType[]>;
  readonly images?: ReadonlyMap<string, readonly string[]>;
  readonly now: number;
}): World {
  const { cluster, config, fleet, instanceTypes, images, now } = input;
  const instances = fleet.byProviderID();
  const nodesByProviderID = new Map<string, Node>();
  for (const node of cluster.nodes) if (node.providerID) nodesByProviderID.set(node.providerID, node);
  const pools = new Map(config.nodePools.map((p) => [p.name, p]));
  const inFlight: Node[] = [];
  for (const instance of instances.values()) {
    // An instance whose Node was deleted still counts until garbage collection terminates it: over-counting
    // capacity for a tick delays a pod, under-counting it launches a node nobody needs.
    if (nodesByProviderID.has(instance.providerID) || !holdsCapacity(instance)) continue;
    const pool = instance.nodePool === undefined ? undefined : pools.get(instance.nodePool);
    const classTypes = instanceTypes.get(pool?.nodeClassName ?? instance.nodeClass ?? '') ?? [];
    inFlight.push(
      inFlightNode(
        instance,
        pool,
        classTypes.find((t) => t.name === instance.instanceType),
      ),
    );
  }
  const managed = new Set(inFlight.map((n) => n.name));
  for (const node of cluster.nodes) if (node.providerID && instances.has(node.providerID)) managed.add(node.name);
  const snapshot: Snapshot = {
    now,
    pods: cluster.pods.filter((p) => !isPending(p) || p.unschedulable === true),
    nodes: [...cluster.nodes, ...inFlight],
    daemonSets: cluster.daemonSets,
    pdbs: cluster.pdbs,
    nodePools: config.nodePools,
    nodeClasses: config.nodeClasses,
    instanceTypes,
    settings: config.settings,
    managedNodes: managed,
    ...(images ? { images } : {}),
  };
  return { snapshot, cluster, config, instances, inFlight, nodesByProviderID };
}
