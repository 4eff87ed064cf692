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
import {
  ConnectionError,
  ForbiddenError,
  KubernetesError,
  NotFoundError,
  UnauthorizedError,
} from '../../adapters/kubernetes/client/errors.js';
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
import { newMemory } from '../../runtime/reconcile/context.js';
import { buildWorld, resolveImages, resolveTypes, type World } from '../../runtime/reconcile/snapshot.js';
import { applyVolumeTopology } from '../../runtime/reconcile/volume-topology.js';
import { bundledCatalogue } from '../../runtime/wiring/aws.js';
import type { Io } from '../io.js';

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
  /** 'unreadable' when they could not be read (a warning says why). */
  readonly events: readonly StatusEvent[] | 'unreadable';
  /** Undefined when there is none; 'unreadable' when it could not be read (a warning says why). */
  readonly lease: LeaseView | undefined | 'unreadable';
  /** Things that could not be read but did not stop the read (a node class whose types failed…). */
  readonly warnings: readonly string[];
}

export interface LiveReadOptions {
  readonly now?: number;
  readonly override?: ConfigOverride;
}

/**
 * Clients, caches and the cloud providers for one command: `status --watch` reads through one session on every
 * refresh, so instance types, offerings, images and the cluster endpoint are fetched once (their TTL caches),
 * not every few seconds against the account's EC2 API limits the controller shares.
 */
export class LiveSession {
  private readonly eks = new EKSClient({});
  private readonly ssm = new SSMClient({});
  private readonly ec2 = new EC2Client({});
  private readonly store: SsmConfigStore;
  private specs: ReadonlyMap<string, NodeClassSpec> = new Map();
  private clouds: { live: Ec2CloudProvider; proposed: Ec2CloudProvider } | undefined;
  private kube: KubeClient | undefined;
  private warnings: string[] = [];

  constructor(
    readonly target: LiveTarget,
    private readonly override?: ConfigOverride,
  ) {
    this.store = new SsmConfigStore({ client: this.ssm, prefix: target.prefix });
  }

  /** Reads everything `status`, `plan --cluster` and `explain --cluster` need; throws LiveReadError when a call fails. */
  async read(now: number = Date.now()): Promise<LiveCluster> {
    const { target } = this;
    this.warnings = [];
    const loaded = await step(`ssm:GetParametersByPath ${target.prefix}`, () => this.store.load());
    if (loaded.documents.length === 0 && loaded.invalid.length === 0)
      this.warnings.push(`nothing is stored under ${target.prefix}: is the cluster, --prefix or region right?`);
    this.specs = loaded.nodeClassSpecs;
    const kube = await this.connect();
    const clouds = await this.providers(now);
    const reader = new KubernetesClusterReader({
      client: kube,
      clusterName: target.cluster,
      identity: 'fleetwright-cli',
    });
    const [state, instances, events, lease] = await Promise.all([
      step(`kubernetes: list nodes, pods, daemonsets and poddisruptionbudgets of ${target.cluster}`, () =>
        reader.readState(),
      ),
      step('ec2:DescribeInstances (the cluster tag)', () => clouds.live.list()),
      this.optional("the controller's Events (events.k8s.io)", 'unreadable' as const, () => controllerEvents(kube)),
      this.optional(`the Lease ${LEASE_NAMESPACE}/${leaseName(target.cluster)}`, 'unreadable' as const, () =>
        readLease(kube, target.cluster),
      ),
    ]);
    for (const u of state.unreadable) this.warnings.push(`could not read ${u}`);
    const liveConfig = fromLoadedConfig(loaded);
    const byProviderID = new Map(instances.map((i) => [i.providerID, i]));
    const note = (message: string, fields: Record<string, unknown>) => {
      this.warnings.push(`${message}: ${JSON.stringify(fields)}`);
    };
    const log = { error: note, warn: note };
    // Pending pods with bound volumes as the controller plans them: constrained to their volumes' zones.
    const cluster = await applyVolumeTopology(
      { reader, logger: log, memory: newMemory() },
      { ...state, unreadableNodes: 0 },
    );
    const worldFor = async (cloud: Ec2CloudProvider, config: RuntimeConfig): Promise<World> => {
      const [instanceTypes, images] = await Promise.all([
        resolveTypes(cloud, config, log),
        resolveImages(cloud, config, log),
      ]);
      return buildWorld({ cluster, config, fleet: { byProviderID: () => byProviderID }, instanceTypes, images, now });
    };
    const liveWorld = await worldFor(clouds.live, liveConfig);
    const world = this.override ? await worldFor(clouds.proposed, this.override.apply(liveConfig)) : liveWorld;
    return { target, now, loaded, state, instances, world, liveWorld, events, lease, warnings: this.warnings };
  }

  /** Lets the SDK clients' sockets go (the process can then exit without waiting for keep-alive timeouts). */
  close(): void {
    for (const client of [this.eks, this.ssm, this.ec2]) client.destroy();
  }

  private async connect(): Promise<KubeClient> {
    this.kube ??= await step(`eks:DescribeCluster ${this.target.cluster}`, () =>
      connectToEks({ clusterName: this.target.cluster, eks: this.eks }),
    );
    return this.kube;
  }

  /**
   * The live config's provider, and the proposed config's (its node classes' specs first): each resolves subnets,
   * zones and images from its own specs, so a node-class change shows on the proposed side only.
   */
  private async providers(now: number): Promise<{ live: Ec2CloudProvider; proposed: Ec2CloudProvider }> {
    if (this.clouds) return this.clouds;
    const [cluster, bundled] = await Promise.all([
      step(`eks:DescribeCluster ${this.target.cluster}`, () => describeClusterInfo(this.eks, this.target.cluster, now)),
      bundledCatalogue(),
    ]);
    const make = (spec: (name: string) => NodeClassSpec | undefined) =>
      new Ec2CloudProvider({
        ec2: ec2ApiFromClient(this.ec2),
        ssm: amiParametersFromClient(this.ssm),
        cluster,
        nodeClassSpec: spec,
        bundled,
        clock: Date.now,
        onError: (what, error) =>
          this.warnings.push(`${what}: ${error instanceof Error ? error.message : String(error)}`),
      });
    const live = make((name) => this.specs.get(name));
    const override = this.override?.nodeClassSpecs;
    const proposed = override ? make((name) => override.get(name) ?? this.specs.get(name)) : live;
    this.clouds = { live, proposed };
    return this.clouds;
  }

  /** A read the report can do without: refused (403) or failed, it becomes a warning and `fallback`. */
  private async optional<T, F>(what: string, fallback: F, run: () => Promise<T>): Promise<T | F> {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof KubernetesError)) throw error;
      this.warnings.push(`could not read ${what}: ${error.message}`);
      return fallback;
    }
  }
}

/**
 * One read for `command`: a failed call is said on stderr as `fleetwright <command>: <the call and its error>`
 * and gives undefined (the command then exits 3); what could not be read but did not stop the read is said as
 * `fleetwright <command>: warning: …`.
 */
export async function readForCommand(
  command: string,
  io: Io,
  read: () => Promise<LiveCluster>,
): Promise<LiveCluster | undefined> {
  let live: LiveCluster;
  try {
    live = await read();
  } catch (error) {
    if (!(error instanceof LiveReadError)) throw error;
    io.stderr.write(`fleetwright ${command}: ${error.message}\n`);
    return undefined;
  }
  for (const w of live.warnings) io.stderr.write(`fleetwright ${command}: warning: ${w}\n`);
  return live;
}

/** One read through a session of its own. */
export async function readLiveCluster(target: LiveTarget, options: LiveReadOptions = {}): Promise<LiveCluster> {
  const session = new LiveSession(target, options.override);
  try {
    return await session.read(options.now);
  } finally {
    session.close();
  }
}

/** Runs one read; any AWS or Kubernetes failure becomes a LiveReadError naming `what`. */
async function step<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof SsmCallError) throw new LiveReadError(error.message);
    if (error instanceof KubernetesError) throw new LiveReadError(`${error.message}${kubernetesHint(error)}`);
    const code = awsErrorCode(error);
    const message = error instanceof Error ? error.message : String(error);
    throw new LiveReadError(`${what}: ${code && code !== 'Error' ? `${code}: ` : ''}${message}`);
  }
}

/** What to check, for the Kubernetes failures an operator meets first. */
function kubernetesHint(error: KubernetesError): string {
  if (error instanceof UnauthorizedError)
    return ' (the API server did not accept your IAM identity: does it have an EKS access entry for this cluster?)';
  if (error instanceof ForbiddenError)
    return ' (your access entry lacks this permission: docs/deploy.md "Day-2 commands" lists what is read)';
  if (error instanceof ConnectionError)
    return ' (is the API server endpoint reachable from here? a private-only endpoint needs a VPN or a bastion)';
  return '';
}

/** The controller's Events (any namespace), as `status` lists them. */
async function controllerEvents(kube: KubeClient): Promise<StatusEvent[]> {
  let items: Event[];
  try {
    ({ items } = await kube.listAll(EVENTS, { fieldSelector: `reportingController=${REPORTING_CONTROLLER}` }));
  } catch (error) {
    // An API server that does not take the selector answers 400: list everything and filter here.
    if (!(error instanceof KubernetesError) || error.status !== 400) throw error;
    ({ items } = await kube.listAll(EVENTS));
  }
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
