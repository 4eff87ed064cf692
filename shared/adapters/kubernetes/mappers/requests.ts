// What a pod spec asks of a node: effective resource requests (karpenter-core §2.2) and host ports.

import {
  type ContainerResources,
  containerRequests,
  effectiveRequests,
  type HostPort,
  type InitContainerResources,
} from '../../../core/model/pod.js';
import { CPU, MEMORY, type Resources } from '../../../core/resources/resources.js';
import { at, type FieldReader, type Json } from './fields.js';

/**
 * Resources that pod-level `spec.resources` (Kubernetes ≥ 1.34, PodLevelResources) may set; for these the pod
 * level replaces the sum of the containers, as upstream `PodRequests` does.
 */
const POD_LEVEL_RESOURCES: readonly string[] = [CPU, MEMORY];

/**
 * The pod's effective requests: `effectiveRequests` over its containers and init containers (sidecars are
 * init containers with `restartPolicy: Always`) plus `spec.overhead` and one `pods`. A container with a limit
 * but no request counts the limit, as the API server's defaulting would have made it.
 */
export function readRequests(spec: Json, path: string, r: FieldReader): Resources {
  const containersPath = at(path, 'containers');
  const initPath = at(path, 'initContainers');
  const containers = r
    .array(spec.containers, containersPath)
    .map((c, i) => readContainerResources(r.record(c, at(containersPath, i)), at(containersPath, i), r));
  const initContainers = r.array(spec.initContainers, initPath).map((item, i): InitContainerResources => {
    const c = r.record(item, at(initPath, i));
    const restartPolicy = r.string(c.restartPolicy, at(at(initPath, i), 'restartPolicy'));
    return { ...readContainerResources(c, at(initPath, i), r), ...(restartPolicy ? { restartPolicy } : {}) };
  });
  const overhead = r.resources(spec.overhead, at(path, 'overhead'));
  const requests = effectiveRequests({ containers, initContainers, overhead });
  return withPodLevelResources(requests, spec.resources, overhead, at(path, 'resources'), r);
}

function readContainerResources(container: Json, path: string, r: FieldReader): ContainerResources {
  const resourcesPath = at(path, 'resources');
  const resources = r.record(container.resources, resourcesPath);
  return {
    requests: r.resources(resources.requests, at(resourcesPath, 'requests')),
    limits: r.resources(resources.limits, at(resourcesPath, 'limits')),
  };
}

/** Pod-level requests (or limits, defaulted to requests likewise) override the containers' sum, plus overhead. */
function withPodLevelResources(
  requests: Resources,
  value: unknown,
  overhead: Resources,
  path: string,
  r: FieldReader,
): Resources {
  const podLevel = r.optionalRecord(value, path);
  if (!podLevel) return requests;
  const declared = containerRequests({
    requests: r.resources(podLevel.requests, at(path, 'requests')),
    limits: r.resources(podLevel.limits, at(path, 'limits')),
  });
  const out: Record<string, number> = { ...requests };
  for (const name of POD_LEVEL_RESOURCES) {
    const amount = declared[name];
    if (amount !== undefined) out[name] = amount + (overhead[name] ?? 0);
  }
  return out;
}

/**
 * Host ports the pod's containers bind. Only `spec.containers` count, as in Karpenter's `GetHostPorts` and
 * kube-scheduler's NodePorts plugin; protocol defaults to TCP and hostIP to '' (every address).
 */
export function readHostPorts(spec: Json, path: string, r: FieldReader): HostPort[] {
  const containersPath = at(path, 'containers');
  return r.array(spec.containers, containersPath).flatMap((item, i) => {
    const portsPath = at(at(containersPath, i), 'ports');
    const container = r.record(item, at(containersPath, i));
    return r.array(container.ports, portsPath).flatMap((p, j) => {
      const where = at(portsPath, j);
      const port = r.record(p, where);
      const hostPort = r.integer(port.hostPort, at(where, 'hostPort')) ?? 0;
      if (hostPort <= 0) return [];
      return [
        {
          port: hostPort,
          protocol: r.string(port.protocol, at(where, 'protocol')) || 'TCP',
          hostIP: r.string(port.hostIP, at(where, 'hostIP')) ?? '',
        },
      ];
    });
  });
}
