// A scenario step, done to the world at its time: objects applied as `kubectl apply` would (workloads to their
// controllers, PDBs and pods to the API server), a workload scaled, the busiest spot node(s) reclaimed by EC2
// (warning now, reclaim two minutes later), an offering's capacity taken away, or new AMIs released — the last
// with a cold start of both functions, see below. Each returns a line for the run's timeline.

import type { KubeObject } from '../kube-api/resources.js';
import type { Action } from '../scenario/load.js';
import type { ClusterObject } from '../scenario/objects.js';
import type { SimLambdas } from './lambdas.js';
import type { SimWorld } from './world.js';

export function applyStep(world: SimWorld, lambdas: SimLambdas, action: Action): string {
  switch (action.kind) {
    case 'apply':
      return `applied ${applyObjects(world, action.objects)}`;
    case 'replay':
      return `replayed ${action.file}: ${applyObjects(world, action.objects)}${action.skipped ? ` (${action.skipped} DaemonSet or finished pods left out)` : ''}`;
    case 'scale': {
      const workload = world.workloads.find(action.namespace, action.name);
      if (!workload) return `scale: no workload ${action.namespace}/${action.name} (nothing done)`;
      const from = workload.replicas;
      workload.replicas = action.replicas;
      return `scaled ${workload.kind} ${action.namespace}/${action.name} from ${from} to ${action.replicas} replicas`;
    }
    case 'interruptSpot':
      return interruptSpot(world, action.count, action.nodepool);
    case 'insufficientCapacity': {
      const now = world.clock.now();
      const until = action.forMs === undefined ? undefined : now + action.forMs;
      world.ec2.insufficientCapacity({ ...action.fault, from: now, ...(until === undefined ? {} : { until }) });
      const { instanceType = 'any type', zone = 'any zone', capacityType = 'any capacity type' } = action.fault;
      return `EC2 has no capacity for ${instanceType} in ${zone} (${capacityType})${action.forMs ? ` for ${action.forMs / 60_000} min` : ''}`;
    }
    case 'releaseAmis': {
      const released = world.ec2.releaseAmis();
      // The EC2 adapter caches the public `latest` AMI parameters for 24 h (PUBLIC_SSM_PARAMETER_TTL), per
      // execution environment. Lambda recycles environments on every deploy and at least every few hours; the
      // simulation does it here, so the release is seen now instead of a simulated day later.
      lambdas.coldStart();
      return `released AL2023 ${released.al2023}: every node runs an older AMI now (functions cold-started)`;
    }
  }
}

function applyObjects(world: SimWorld, objects: readonly ClusterObject[]): string {
  const names: string[] = [];
  for (const o of objects) {
    if (o.type === 'workload') {
      world.workloads.add(o.workload);
      names.push(`${o.workload.kind} ${o.workload.namespace}/${o.workload.name} ×${o.workload.replicas}`);
    } else {
      const resource = o.type === 'pdb' ? 'poddisruptionbudgets' : 'pods';
      const existing = world.server.store.get(resource, o.object.metadata.namespace, o.object.metadata.name);
      if (existing) world.server.store.update(resource, { ...o.object, metadata: existing.metadata } as KubeObject);
      else world.server.store.create(resource, o.object);
      names.push(
        `${o.type === 'pdb' ? 'PodDisruptionBudget' : 'Pod'} ${o.object.metadata.namespace}/${o.object.metadata.name}`,
      );
    }
  }
  return names.join(', ');
}

/** The busiest running spot instances with a Node (of `nodepool`, when given) get the two-minute warning. */
function interruptSpot(world: SimWorld, count: number, nodepool: string | undefined): string {
  const podsOn = new Map<string, number>();
  for (const pod of world.objects.pods()) {
    const node = pod.spec?.nodeName;
    if (node) podsOn.set(node, (podsOn.get(node) ?? 0) + 1);
  }
  const nodes = new Map(
    world.objects.nodes().map((n) => [n.spec?.providerID?.split('/').pop() ?? '', n.metadata.name]),
  );
  const candidates = world.ec2.instances
    .all()
    .filter((i) => i.state === 'running' && i.capacityType === 'spot' && nodes.has(i.id))
    .filter((i) => nodepool === undefined || i.tags.get('fleetwright.io/nodepool') === nodepool)
    .sort((a, b) => (podsOn.get(nodes.get(b.id) ?? '') ?? 0) - (podsOn.get(nodes.get(a.id) ?? '') ?? 0));
  const chosen = candidates.slice(0, count);
  for (const instance of chosen) world.ec2.interruptSpot(instance.id);
  if (chosen.length === 0) return 'spot interruption: no running spot node to interrupt (nothing done)';
  const what = chosen.map(
    (i) => `${nodes.get(i.id)} (${i.instanceType}, ${podsOn.get(nodes.get(i.id) ?? '') ?? 0} pods)`,
  );
  return `EC2 sent a spot interruption warning for ${what.join(', ')}: reclaimed in 2 min`;
}
