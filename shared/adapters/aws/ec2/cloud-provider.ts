// The AWS `CloudProvider` (shared/core/ports/cloud.ts) over the narrow EC2, SSM and Pricing ports. It owns the
// caches of DESIGN.md §2 (instance types, prices, subnets, groups, AMIs, launch templates, unavailable
// offerings, recent launches): keep one provider per cluster at module scope and they survive warm invocations.
// Time comes from the injected clock, never from Date.now(), so the simulator's virtual clock drives every TTL.

import { randomUUID } from 'node:crypto';
import type { CatalogueEntry } from '../../../core/instancetypes/catalogue.js';
import { resolveInstanceTypes } from '../../../core/instancetypes/resolve.js';
import type { InstanceType } from '../../../core/model/instancetype.js';
import type { NodeClass } from '../../../core/model/nodepool.js';
import type {
  CloudInstance,
  CloudProvider,
  LaunchedInstance,
  LaunchRequest,
  OfferingKey,
  TerminateResult,
} from '../../../core/ports/cloud.js';
import { awsErrorCode, launchFailureReason } from '../errors.js';
import type { PricingApi } from '../pricing/api.js';
import { PriceBook } from '../pricing/price-book.js';
import { withThrottleRetry } from '../throttle-retry.js';
import { TtlCache } from '../ttl-cache.js';
import { LAUNCH_LISTING_GRACE, RESOLVED_INSTANCE_TYPES_TTL } from '../ttls.js';
import { AmiDiscovery, amiFor } from './amis.js';
import type { AmiParameterApi, Ec2Api } from './api.js';
import type { ClusterInfo } from './cluster.js';
import { InstanceTypeCatalogue } from './instance-types.js';
import { listInstances, tagRegistered, terminateInstances } from './instances.js';
import { LaunchError } from './launch-error.js';
import type { NodeClassSpec } from './launch-template-data.js';
import { LaunchTemplates } from './launch-templates.js';
import { launchInstance } from './launcher.js';
import { entriesWithOfferings } from './offerings.js';
import { SecurityGroupDiscovery } from './security-groups.js';
import { SubnetDiscovery, subnetPerZone } from './subnets.js';
import { TAG_NODECLASS_HASH, TAG_NODEPOOL_HASH } from './tags.js';
import { UnavailableOfferings } from './unavailable-offerings.js';

export interface Ec2CloudProviderOptions {
  readonly ec2: Ec2Api;
  readonly ssm: AmiParameterApi;
  /** Omitted: on-demand prices come from the bundled catalogue. */
  readonly pricing?: PricingApi;
  readonly cluster: ClusterInfo;
  /** The parsed EC2NodeClass `spec` of a node class, by name (selector terms, tags, user data, IMDS...). */
  readonly nodeClassSpec: (name: string) => NodeClassSpec | undefined;
  /** The bundled catalogue: fallback prices, and the fields DescribeInstanceTypes lacks. */
  readonly bundled: readonly CatalogueEntry[];
  /** Epoch milliseconds now. */
  readonly clock: () => number;
  /** Waits between throttled retries; defaults to a real timer. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** CreateFleet client tokens; defaults to random UUIDs. */
  readonly clientToken?: () => string;
  readonly onError?: (what: string, error: unknown) => void;
}

interface Resolved {
  readonly fingerprint: string;
  readonly types: readonly InstanceType[];
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Ec2CloudProvider implements CloudProvider {
  private readonly ec2: Ec2Api;
  private readonly unavailable = new UnavailableOfferings();
  private readonly catalogue: InstanceTypeCatalogue;
  private readonly priceBook: PriceBook;
  private readonly subnets: SubnetDiscovery;
  private readonly securityGroups: SecurityGroupDiscovery;
  private readonly amis: AmiDiscovery;
  private readonly launchTemplates: LaunchTemplates;
  /** Node class name -> its resolved types and the inputs they were resolved from. */
  private readonly resolved = new TtlCache<string, Resolved>(RESOLVED_INSTANCE_TYPES_TTL);
  /** Launched instances DescribeInstances may not list yet, by id. */
  private readonly recent = new Map<string, CloudInstance>();

  constructor(private readonly options: Ec2CloudProviderOptions) {
    const retry = { sleep: options.sleep ?? realSleep };
    this.ec2 = withThrottleRetry(options.ec2, retry);
    const ssm = withThrottleRetry(options.ssm, retry);
    const pricing = options.pricing === undefined ? undefined : withThrottleRetry(options.pricing, retry);
    this.catalogue = new InstanceTypeCatalogue(this.ec2, options.bundled);
    this.priceBook = new PriceBook({
      ec2: this.ec2,
      ...(pricing === undefined ? {} : { pricing }),
      region: options.cluster.region,
      bundled: options.bundled,
      ...(options.onError === undefined ? {} : { onError: options.onError }),
    });
    this.subnets = new SubnetDiscovery(this.ec2);
    this.securityGroups = new SecurityGroupDiscovery(this.ec2);
    this.amis = new AmiDiscovery({ ec2: this.ec2, ssm });
    this.launchTemplates = new LaunchTemplates(this.ec2, options.cluster.name);
  }

  private spec(nodeClass: NodeClass): NodeClassSpec {
    const spec = this.options.nodeClassSpec(nodeClass.name);
    if (spec === undefined) throw new Error(`no EC2NodeClass named ${JSON.stringify(nodeClass.name)} is configured`);
    return spec;
  }

  async instanceTypes(nodeClass: NodeClass): Promise<readonly InstanceType[]> {
    const now = this.options.clock();
    const spec = this.spec(nodeClass);
    const { cluster } = this.options;
    const [subnets, amis] = await Promise.all([
      this.subnets.get(spec.subnetSelectorTerms, now),
      this.amis.get(spec.amiSelectorTerms, cluster.kubernetesVersion, now),
    ]);
    const zones = [...subnetPerZone(subnets, this.unavailable, now).keys()];
    const amiIds = amis.map((a) => a.id).join(',');
    const fingerprint = `${nodeClass.specHash}|${zones.join(',')}|${amiIds}|${this.unavailable.fingerprint(now)}`;
    const cached = this.resolved.get(nodeClass.name, now);
    if (cached?.fingerprint === fingerprint) return cached.types;
    const [catalogue, prices] = await Promise.all([this.catalogue.get(now), this.priceBook.prices(now)]);
    const entries = entriesWithOfferings({ catalogue, subnetZones: zones, prices, unavailable: this.unavailable, now });
    // Types no AMI of the class can boot (an arm64 type with only an x86_64 AMI) are not offered at all.
    const types = resolveInstanceTypes(entries, nodeClass, { region: cluster.region }).filter(
      (t) => amiFor(amis, t) !== undefined,
    );
    this.resolved.set(nodeClass.name, { fingerprint, types }, now);
    return types;
  }

  async images(nodeClass: NodeClass): Promise<readonly string[]> {
    const spec = this.spec(nodeClass);
    const amis = await this.amis.get(
      spec.amiSelectorTerms,
      this.options.cluster.kubernetesVersion,
      this.options.clock(),
    );
    return amis.map((a) => a.id);
  }

  async launch(request: LaunchRequest): Promise<LaunchedInstance> {
    const now = this.options.clock();
    const { cluster } = this.options;
    const spec = this.options.nodeClassSpec(request.nodeClass.name);
    const context = { nodePool: request.nodePool.name, capacityType: request.node.capacityType };
    if (spec === undefined) throw new LaunchError('LaunchFailed', `no EC2NodeClass ${request.nodeClass.name}`, context);
    const [instanceTypes, subnets, amis, groups] = await Promise.all([
      this.instanceTypes(request.nodeClass),
      this.subnets.get(spec.subnetSelectorTerms, now),
      this.amis.get(spec.amiSelectorTerms, cluster.kubernetesVersion, now),
      this.securityGroups.get(spec.securityGroupSelectorTerms, now),
    ]).catch((error: unknown) => {
      // Discovery failed (IAM, throttling past retries): still a LaunchError, as the port promises.
      const message = error instanceof Error ? error.message : String(error);
      throw new LaunchError(launchFailureReason(awsErrorCode(error), message), message, { ...context, cause: error });
    });
    if (groups.length === 0) throw new LaunchError('NoLaunchableOffering', 'no security group matches', context);
    const instance = await launchInstance(
      {
        ec2: this.ec2,
        launchTemplates: this.launchTemplates,
        unavailable: this.unavailable,
        cluster,
        spec,
        instanceTypes,
        subnets,
        amis,
        securityGroupIds: groups.map((g) => g.id),
        // fleetwright manages no IAM: with `role`, the instance profile of the same name is used (what the IAM
        // console and the stack create for a node role).
        instanceProfile: spec.instanceProfile ?? spec.role ?? '',
        now: this.options.clock,
        clientToken: this.options.clientToken ?? randomUUID,
      },
      request,
    );
    this.remember(instance, request);
    return instance;
  }

  /** Keeps a fresh launch listable until DescribeInstances shows it (or LAUNCH_LISTING_GRACE passes). */
  private remember(instance: LaunchedInstance, request: LaunchRequest): void {
    this.recent.set(instance.instanceId, {
      instanceId: instance.instanceId,
      providerID: instance.providerID,
      instanceType: instance.instanceType,
      zone: instance.zone,
      capacityType: instance.capacityType,
      state: 'pending',
      launchTime: instance.launchTime,
      imageId: instance.imageId,
      securityGroupIds: [],
      nodePool: request.nodePool.name,
      nodeClass: request.nodeClass.name,
      nodePoolHash: request.nodePool.templateHash,
      nodeClassHash: request.nodeClass.specHash,
      tags: { [TAG_NODEPOOL_HASH]: request.nodePool.templateHash, [TAG_NODECLASS_HASH]: request.nodeClass.specHash },
    });
  }

  async list(): Promise<readonly CloudInstance[]> {
    const listed = await listInstances(this.ec2, this.options.cluster.name);
    const now = this.options.clock();
    const seen = new Set(listed.map((i) => i.instanceId));
    const pending: CloudInstance[] = [];
    for (const [id, instance] of this.recent) {
      if (seen.has(id) || now - instance.launchTime >= LAUNCH_LISTING_GRACE) this.recent.delete(id);
      else pending.push(instance);
    }
    return [...listed, ...pending];
  }

  async terminate(instanceIds: readonly string[]): Promise<TerminateResult> {
    const result = await terminateInstances(
      this.ec2,
      this.options.cluster.name,
      instanceIds,
      new Set(this.recent.keys()),
    );
    for (const id of [...result.terminating, ...result.gone]) this.recent.delete(id);
    return result;
  }

  tagRegistered(instanceId: string, nodeName: string): Promise<void> {
    return tagRegistered(this.ec2, instanceId, nodeName);
  }

  markUnavailable(offering: OfferingKey): void {
    this.unavailable.markOffering(offering, this.options.clock());
  }

  deleteUnusedLaunchTemplates(): Promise<number> {
    return this.launchTemplates.deleteUnused(this.options.clock());
  }
}
