// Reading a live cluster the way the reconcile function does, for `status`, `plan --cluster` and
// `explain --cluster` (DESIGN.md §5 "Other commands"): the config in force from SSM (with its last-known-good
// fallbacks), the cluster through EKS (endpoint, CA and an IAM token signed with the caller's own credentials),
// our instances and the node classes' instance types and images through the same EC2 adapter, and the
// controller's Events and Lease. The snapshot is built by the runtime's own `buildWorld`, so a plan made from it
// is the plan the controller would make now. Region, credentials and endpoints come from the SDK's standard
// chain (AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL…); nothing here overrides them.

import { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Event } from 'kubernetes-types/events/v1.js';
import { amiParametersFromClient, ec2ApiFromClient } from '../../adapters/aws/ec2/api.js';
import { Ec2CloudProvider } from '../../adapters/aws/ec2/cloud-provider.js';
import { describeClusterInfo } from '../../adapters/aws/ec2/cluster-info.js';
import type { NodeClassSpec } from '../../adapters/aws/ec2/launch-template-data.js';
import { awsErrorCode } from '../../adapters/aws/errors.js';
import { type LoadedConfig, SsmConfigStore } from '../../adapters/aws/ssm/config-store.js';
import { SsmCallError } from '../../adapters/aws/ssm/errors.js';
import { KubernetesError, NotFoundError } from '../../adapters/kubernetes/client/errors.js';
import type { KubeClient } from '../../adapters/kubernetes/client/kube-client.js';
import { EVENTS, LEASES } from '../../adapters/kubernetes/client/resources.js';
import { KubernetesClusterReader } from '../../adapters/kubernetes/cluster.js';
import { connectToEks } from '../../adapters/kubernetes/eks.js';
import { REPORTING_CONTROLLER } from '../../adapters/kubernetes/events.js';
import { expiresAt, LEASE_NAMESPACE, leaseName } from '../../adapters/kubernetes/lease.js';
import type { CloudInstance } from '../../core/ports/cloud.js';
import type { ClusterState } from '../../core/ports/cluster.js';
import type { LeaseView, StatusEvent } from '../../core/status/status.js';
import { fromLoadedConfig, type RuntimeConfig } from '../../runtime/config.js';
import { buildWorld, resolveImages, resolveTypes, type World } from '../../runtime/reconcile/snapshot.js';
import { bundledCatalogue } from '../../runtime/wiring/aws.js';

/** A live read failed: one sentence naming the call, its target and the error (exit 3). */
export class LiveReadError extends Error {
  override readonly name = 'LiveReadError';
}

export interface LiveTarget {
  readonly cluster: string;
  /** The SSM prefix of the config, ending in "/". */
  readonly prefix: string;
}

/** A config to plan with instead of the one in SSM (`plan --cluster --nodepools …`). */
export interface ConfigOverride {
  /** The config to plan with, given the stored one. */
  readonly apply: (stored: RuntimeConfig) => RuntimeConfig;
  /** Specs of the override's node classes; the live specs serve classes it does not give. */
  readonly nodeClassSpecs: ReadonlyMap<string, NodeClassSpec>;
}

export interface LiveCluster {
  readonly target: LiveTarget;
  readonly now: number;
  /** The config in SSM, as the controller loads it. */
  readonly loaded: LoadedConfig;
  /** The cluster's objects, every pod included (also those the kube-scheduler has not tried yet). */
  readonly state: ClusterState;
  readonly instances: readonly CloudInstance[];
  /** What the controller plans from: with the live config, or with the override when one was given. */
  readonly world: World;
  /** The live config's world too when an override was given (the "before" of a config diff). */
  readonly liveWorld: World;
  readonly events: readonly StatusEvent[];
  readonly lease: LeaseView | undefined;
  /** Things that could not be read but did not stop the read (a node class whose types failed…). */
  readonly warnings: readonly string[];
}

export interface LiveReadOptions {
  readonly now?: number;
  readonly override?: ConfigOverride;
}

/** Reads everything `status` and `plan --cluster` need; throws LiveReadError for a call that failed. */
export async function readLiveCluster(target: LiveTarget, options: LiveReadOptions = {}): Promise<LiveCluster> {
  const now = options.now ?? Date.now();
  const eks = new EKSClient({});
  const ssm = new SSMClient({});
  const ec2 = new EC2Client({});
  const warnings: string[] = [];
  const note = (message: string, fields: Record<string, unknown>) => {
    warnings.push(`${message}: ${JSON.stringify(fields)}`);
  };
  const log = { error: note, warn: note };
  const store = new SsmConfigStore({ client: ssm, prefix: target.prefix, now: () => now });
  const [loaded, kube, clusterInfo, bundled] = await Promise.all([
    step(`ssm:GetParametersByPath ${target.prefix}`, () => store.load()),
    step(`eks:DescribeCluster ${target.cluster}`, () => connectToEks({ clusterName: target.cluster, eks })),
    step(`eks:DescribeCluster ${target.cluster}`, () => describeClusterInfo(eks, target.cluster)),
    bundledCatalogue(),
  ]);
  const specs = new Map<string, NodeClassSpec>(loaded.nodeClassSpecs);
  for (const [name, spec] of options.override?.nodeClassSpecs ?? []) specs.set(name, spec);
  const cloud = new Ec2CloudProvider({
    ec2: ec2ApiFromClient(ec2),
    ssm: amiParametersFromClient(ssm),
    cluster: clusterInfo,
    nodeClassSpec: (name) => specs.get(name),
    bundled,
    clock: () => now,
    onError: (what, error) => warnings.push(`${what}: ${error instanceof Error ? error.message : String(error)}`),
  });
  const reader = new KubernetesClusterReader({
    client: kube,
    clusterName: target.cluster,
    identity: 'fleetwright-cli',
  });
  const [state, instances, events, lease] = await Promise.all([
    step(`kubernetes: list nodes, pods, daemonsets and poddisruptionbudgets of ${target.cluster}`, () =>
      reader.readState(),
    ),
    step('ec2:DescribeInstances (the cluster tag)', () => cloud.list()),
    step('kubernetes: list events.k8s.io/v1 events', () => controllerEvents(kube)),
    step(`kubernetes: get lease ${LEASE_NAMESPACE}/${leaseName(target.cluster)}`, () =>
      readLease(kube, target.cluster),
    ),
  ]);
  for (const u of state.unreadable) warnings.push(`could not read ${u}`);
  const liveConfig = fromLoadedConfig(loaded);
  const worldFor = async (config: RuntimeConfig): Promise<World> => {
    const [instanceTypes, images] = await Promise.all([
      resolveTypes(cloud, config, log),
      resolveImages(cloud, config, log),
    ]);
    const byProviderID = new Map(instances.map((i) => [i.providerID, i]));
    const cluster = { ...state, unreadableNodes: 0 };
    return buildWorld({ cluster, config, fleet: { byProviderID: () => byProviderID }, instanceTypes, images, now });
  };
  const liveWorld = await worldFor(liveConfig);
  const world = options.override ? await worldFor(options.override.apply(liveConfig)) : liveWorld;
  return { target, now, loaded, state, instances, world, liveWorld, events, lease, warnings };
}

/** Runs one read; any AWS or Kubernetes failure becomes a LiveReadError naming `what`. */
async function step<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof SsmCallError || error instanceof KubernetesError) throw new LiveReadError(error.message);
    const code = awsErrorCode(error);
    const message = error instanceof Error ? error.message : String(error);
    throw new LiveReadError(`${what}: ${code && code !== 'Error' ? `${code}: ` : ''}${message}`);
  }
}

/** The controller's Events (any namespace), as `status` lists them. */
async function controllerEvents(kube: KubeClient): Promise<StatusEvent[]> {
  const { items } = await kube.listAll(EVENTS);
  return items.filter((e) => e.reportingController === REPORTING_CONTROLLER).map(statusEvent);
}

function statusEvent(e: Event): StatusEvent {
  const r = e.regarding;
  const time = Date.parse(e.eventTime ?? e.deprecatedLastTimestamp ?? e.metadata?.creationTimestamp ?? '');
  return {
    time: Number.isNaN(time) ? 0 : time,
    type: e.type ?? 'Normal',
    reason: e.reason ?? '',
    action: e.action ?? '',
    regarding: r ? `${r.kind ?? '?'}/${r.namespace ? `${r.namespace}/` : ''}${r.name ?? '?'}` : '',
    note: e.note ?? '',
  };
}

async function readLease(kube: KubeClient, cluster: string): Promise<LeaseView | undefined> {
  let lease: Lease;
  try {
    lease = await kube.get(LEASES, leaseName(cluster), LEASE_NAMESPACE);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
  const time = (value: string | undefined) => {
    const t = Date.parse(value ?? '');
    return Number.isNaN(t) ? undefined : t;
  };
  const acquiredAt = time(lease.spec?.acquireTime);
  const renewedAt = time(lease.spec?.renewTime);
  return {
    holder: lease.spec?.holderIdentity ?? '',
    ...(acquiredAt === undefined ? {} : { acquiredAt }),
    ...(renewedAt === undefined ? {} : { renewedAt }),
    expiresAt: expiresAt(lease),
  };
}
