// The loopback API server and the real client, wired for tests: servers are closed after each test, retries
// are fast (milliseconds, not seconds) except where a test is about waiting.

import type {
  Node as K8sNode,
  Pod as K8sPod,
  PersistentVolume,
  PersistentVolumeClaim,
} from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget as K8sPodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { VolumeAttachment as K8sVolumeAttachment } from 'kubernetes-types/storage/v1.js';
import { afterEach } from 'vitest';
import { KubeClient } from '../../../../shared/adapters/kubernetes/client/kube-client.js';
import type { RetryPolicy } from '../../../../shared/adapters/kubernetes/client/retry.js';
import { staticToken, Transport } from '../../../../shared/adapters/kubernetes/client/transport.js';
import {
  type KubernetesClusterOptions,
  KubernetesClusterReader,
  KubernetesClusterWriter,
} from '../../../../shared/adapters/kubernetes/cluster.js';
import type { KubeObject } from '../../../../shared/sim/kube-api/resources.js';
import { DEFAULT_TOKEN, KubeApiServer, type KubeApiServerOptions } from '../../../../shared/sim/kube-api/server.js';
import { nodeObject, podObject } from '../mappers/objects.js';

export const FAST_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 15_000 };

const servers: KubeApiServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A loopback API server, closed after the test. */
export async function startApi(options: KubeApiServerOptions = {}): Promise<KubeApiServer> {
  const server = await KubeApiServer.start(options);
  servers.push(server);
  return server;
}

export function clientFor(server: KubeApiServer, options: { token?: string; retry?: RetryPolicy } = {}): KubeClient {
  return new KubeClient(
    new Transport({
      server: server.url,
      tokens: staticToken(options.token ?? DEFAULT_TOKEN),
      retry: options.retry ?? FAST_RETRY,
    }),
  );
}

/** The port implementations over `server`, as invocation `identity` of cluster `demo`. */
export function clusterFor(
  server: KubeApiServer,
  identity = 'invocation-a',
  options: Partial<KubernetesClusterOptions> = {},
): { reader: KubernetesClusterReader; writer: KubernetesClusterWriter; client: KubeClient } {
  const client = options.client ?? clientFor(server);
  const all = { client, clusterName: 'demo', identity, ...options };
  return { reader: new KubernetesClusterReader(all), writer: new KubernetesClusterWriter(all), client };
}

/** Stores objects as a cluster would hold them. */
export function seed(server: KubeApiServer, plural: string, ...objects: object[]): KubeObject[] {
  return objects.map((o) => server.store.create(plural, o as KubeObject));
}

export function node(name: string, overrides: Partial<K8sNode> = {}): K8sNode {
  const { creationTimestamp: _drop, ...metadata } = nodeObject(name).metadata ?? {};
  return { ...nodeObject(name, overrides), metadata: { ...metadata, ...overrides.metadata } };
}

/** A running, ready pod on `nodeName` (or pending when undefined), labelled `app: <app>`. */
export function pod(name: string, nodeName: string | undefined, app = 'web', namespace = 'default'): K8sPod {
  const base = podObject(name);
  return {
    ...base,
    metadata: { name, namespace, labels: { app } },
    spec: { ...base.spec, containers: base.spec?.containers ?? [], ...(nodeName ? { nodeName } : {}) },
    status: nodeName
      ? { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] }
      : { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] },
  };
}

export function pdb(name: string, app: string, disruptionsAllowed?: number): K8sPodDisruptionBudget {
  return {
    metadata: { name, namespace: 'default' },
    spec: { minAvailable: 1, selector: { matchLabels: { app } } },
    ...(disruptionsAllowed === undefined
      ? {}
      : { status: { disruptionsAllowed, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 } }),
  } as K8sPodDisruptionBudget;
}

/** An EBS CSI VolumeAttachment of `persistentVolumeName` (inline when undefined) to `nodeName`, attached. */
export function volumeAttachment(name: string, nodeName: string, persistentVolumeName?: string): K8sVolumeAttachment {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'VolumeAttachment',
    metadata: { name },
    spec: {
      attacher: 'ebs.csi.aws.com',
      nodeName,
      source: persistentVolumeName
        ? { persistentVolumeName }
        : { inlineVolumeSpec: { csi: { driver: 'ebs.csi.aws.com', volumeHandle: `vol-${name}` } } },
    },
    status: { attached: true },
  };
}

/** A PersistentVolumeClaim, bound to `volumeName` when given. */
export function claim(namespace: string, name: string, volumeName?: string): PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '10Gi' } },
      ...(volumeName ? { volumeName } : {}),
    },
    status: { phase: volumeName ? 'Bound' : 'Pending' },
  };
}

/**
 * An EBS CSI PersistentVolume; with `zone`, pinned there by required node affinity under the driver's own key
 * (`topology.ebs.csi.aws.com/zone`), as the driver provisions it.
 */
export function persistentVolume(name: string, zone?: string): PersistentVolume {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name },
    spec: {
      capacity: { storage: '10Gi' },
      accessModes: ['ReadWriteOnce'],
      csi: { driver: 'ebs.csi.aws.com', volumeHandle: `vol-${name}` },
      ...(zone
        ? {
            nodeAffinity: {
              required: {
                nodeSelectorTerms: [
                  { matchExpressions: [{ key: 'topology.ebs.csi.aws.com/zone', operator: 'In', values: [zone] }] },
                ],
              },
            },
          }
        : {}),
    },
    status: { phase: 'Bound' },
  };
}

/** Polls `condition` every 5 ms for up to `ms`. */
export async function eventually(condition: () => boolean, ms = 2_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
