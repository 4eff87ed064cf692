// The simulated EC2 account (DESIGN.md §6): one object implementing the EC2 adapter's three narrow ports —
// `Ec2Api` (all 13 operations), `AmiParameterApi` (SSM GetParameter) and `PricingApi` (GetProducts) — so the
// real `Ec2CloudProvider` runs against it unchanged: overrides, tags, pagination and capacity-error parsing
// included. Each call goes: log -> DryRun -> injected throttling -> optional latency -> the operation -> an
// answer with `$metadata`, deep-copied so neither side can alias the other's objects.
//
// Composition (what `npm start` wires):
//   const clock = new SimClock();
//   const { queue } = interruptionQueues(clock, cluster);
//   const ec2 = new SimulatedEc2({ clock, catalogue, cluster, events: interruptionBus(queue) });
//   const time = clock.adapterClock();
//   const cloud = new Ec2CloudProvider({ ec2, ssm: ec2, pricing: ec2, clock: time.clock, sleep: time.sleep, ... });
//   ec2.onStateChange((instance) => /* a kubelet registers the running instance */);
//   ec2.interruptSpot(id, { noticeAt }); ec2.insufficientCapacity({ instanceType, zone, capacityType });

import type * as Ec2 from '@aws-sdk/client-ec2';
import type { GetProductsCommandInput, GetProductsCommandOutput } from '@aws-sdk/client-pricing';
import type { GetParameterCommandInput, GetParameterCommandOutput } from '@aws-sdk/client-ssm';
import type { AmiParameterApi, Ec2Api } from '../../adapters/aws/ec2/api.js';
import type { PricingApi } from '../../adapters/aws/pricing/api.js';
import type { CatalogueEntry } from '../../core/instancetypes/catalogue.js';
import type { SimClock } from '../clock.js';
import type { EventSink } from '../events/bus.js';
import type { ScheduledChange } from '../events/messages.js';
import * as errors from './errors.js';
import { type CapacityFault, SimFaults, type ThrottleFault } from './faults.js';
import { SimFleets } from './fleet.js';
import { SimIds } from './ids.js';
import { SimImages } from './images.js';
import type { SimInstance } from './instance-record.js';
import { DEFAULT_INSTANCE_TIMING, type InstanceTiming, SimInstances, type StateListener } from './instances.js';
import { Ec2Notifier, type SpotInterruptionPlan, SpotInterruptions } from './interruptions.js';
import { SimLaunchTemplates } from './launch-templates.js';
import { SimMarket } from './market.js';
import { SimNetwork } from './network.js';
import { SimPriceList } from './price-list.js';
import { QueryError } from './query.js';
import { applyTags } from './tagging.js';

export interface SimulatedEc2Options {
  readonly clock: SimClock;
  /** The bundled catalogue (or a subset): the region's instance types and on-demand prices. */
  readonly catalogue: readonly CatalogueEntry[];
  /** Subnets and security groups carry `karpenter.sh/discovery=<cluster>`. */
  readonly cluster: string;
  /** Kubernetes minor version whose AMIs exist from the start; others appear when asked for. Default 1.33. */
  readonly kubernetesVersion?: string;
  readonly region?: string;
  readonly account?: string;
  /** Where EC2's EventBridge events go; nowhere when absent. */
  readonly events?: EventSink;
  readonly timing?: Partial<InstanceTiming>;
  /** Usable addresses per subnet; default the whole /19. */
  readonly availableIpsPerSubnet?: number;
  /** Virtual time every API call takes; default 0 (answers at once, no clock advance needed). */
  readonly apiLatencyMs?: number;
  /** Seeds the ids: two simulators with one seed hand out the same ids. */
  readonly seed?: string;
}

export interface ApiCall {
  readonly operation: string;
  /** Virtual time of the call. */
  readonly at: number;
  readonly input: unknown;
}

/** Synthetic prices have held for a day when the simulation starts. */
const PRICES_AGE_MS = 24 * 60 * 60_000;

export class SimulatedEc2 implements Ec2Api, AmiParameterApi, PricingApi {
  readonly account: string;
  readonly region: string;
  readonly market: SimMarket;
  readonly network: SimNetwork;
  readonly images: SimImages;
  readonly launchTemplates: SimLaunchTemplates;
  readonly instances: SimInstances;
  readonly faults = new SimFaults();
  /** Every call, in order (inputs deep-copied). */
  readonly calls: ApiCall[] = [];
  private readonly clock: SimClock;
  private readonly ids: SimIds;
  private readonly priceList: SimPriceList;
  private readonly fleets: SimFleets;
  private readonly notifier: Ec2Notifier;
  private readonly spot: SpotInterruptions;
  private readonly latencyMs: number;

  constructor(options: SimulatedEc2Options) {
    const { clock, catalogue } = options;
    this.clock = clock;
    this.account = options.account ?? '123456789012';
    this.region = options.region ?? 'us-east-1';
    this.latencyMs = options.apiLatencyMs ?? 0;
    this.ids = new SimIds(options.seed);
    const start = clock.now();
    this.market = new SimMarket(catalogue, start - PRICES_AGE_MS, this.region);
    this.priceList = new SimPriceList(this.market, catalogue, start - PRICES_AGE_MS);
    this.network = new SimNetwork({
      cluster: options.cluster,
      account: this.account,
      region: this.region,
      zones: this.market.zones,
      ids: this.ids,
      ...(options.availableIpsPerSubnet === undefined ? {} : { availableIps: options.availableIpsPerSubnet }),
    });
    this.images = new SimImages(this.account, this.region, options.kubernetesVersion ?? '1.33', start);
    this.launchTemplates = new SimLaunchTemplates(this.ids, this.account);
    this.instances = new SimInstances(clock, this.network, this.account, {
      ...DEFAULT_INSTANCE_TIMING,
      ...options.timing,
    });
    this.fleets = new SimFleets({
      clock,
      ids: this.ids,
      faults: this.faults,
      market: this.market,
      network: this.network,
      images: this.images,
      launchTemplates: this.launchTemplates,
      instances: this.instances,
    });
    this.notifier = new Ec2Notifier({
      clock,
      ids: this.ids,
      account: this.account,
      region: this.region,
      events: options.events,
    });
    this.instances.onStateChange((instance, previous) => this.notifier.stateChanged(instance, previous));
    this.spot = new SpotInterruptions(clock, this.instances, this.faults, this.notifier);
  }

  /** Runs one API call with the common steps of the file header. */
  private async call<T extends object>(
    operation: string,
    service: errors.SimService,
    input: object,
    run: () => T,
  ): Promise<T & { $metadata: errors.ResponseMetadata }> {
    const requestId = this.ids.uuid('request');
    this.calls.push({ operation, at: this.clock.now(), input: structuredClone(input) });
    if ((input as { DryRun?: boolean }).DryRun) {
      throw errors.ec2Error('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', requestId);
    }
    if (this.faults.takeThrottle(operation, this.clock.now())) throw errors.throttlingError(service, requestId);
    if (this.latencyMs > 0) await this.clock.sleep(this.latencyMs);
    try {
      return { ...structuredClone(run()), $metadata: errors.responseMetadata(requestId) };
    } catch (error) {
      if (!(error instanceof QueryError)) throw error;
      if (service !== 'pricing') throw errors.ec2Error(error.code, error.message, requestId);
      if (error.message.includes('nextToken')) throw errors.pricingInvalidToken(requestId);
      throw errors.pricingInvalidParameter(error.message, requestId);
    }
  }

  describeInstanceTypes(input: Ec2.DescribeInstanceTypesCommandInput) {
    return this.call('describeInstanceTypes', 'ec2', input, () => this.market.describeInstanceTypes(input));
  }

  describeInstanceTypeOfferings(input: Ec2.DescribeInstanceTypeOfferingsCommandInput) {
    return this.call('describeInstanceTypeOfferings', 'ec2', input, () =>
      this.market.describeInstanceTypeOfferings(input),
    );
  }

  describeSpotPriceHistory(input: Ec2.DescribeSpotPriceHistoryCommandInput) {
    return this.call('describeSpotPriceHistory', 'ec2', input, () =>
      this.market.describeSpotPriceHistory(input, this.clock.now()),
    );
  }

  describeSubnets(input: Ec2.DescribeSubnetsCommandInput) {
    return this.call('describeSubnets', 'ec2', input, () => this.network.describeSubnets(input));
  }

  describeSecurityGroups(input: Ec2.DescribeSecurityGroupsCommandInput) {
    return this.call('describeSecurityGroups', 'ec2', input, () => this.network.describeSecurityGroups(input));
  }

  describeImages(input: Ec2.DescribeImagesCommandInput) {
    return this.call('describeImages', 'ec2', input, () => this.images.describeImages(input, this.clock.now()));
  }

  describeLaunchTemplates(input: Ec2.DescribeLaunchTemplatesCommandInput) {
    return this.call('describeLaunchTemplates', 'ec2', input, () => this.launchTemplates.describe(input));
  }

  createLaunchTemplate(input: Ec2.CreateLaunchTemplateCommandInput) {
    return this.call('createLaunchTemplate', 'ec2', input, () => this.launchTemplates.create(input, this.clock.now()));
  }

  deleteLaunchTemplate(input: Ec2.DeleteLaunchTemplateCommandInput) {
    return this.call('deleteLaunchTemplate', 'ec2', input, () => this.launchTemplates.delete(input));
  }

  createFleet(input: Ec2.CreateFleetCommandInput) {
    return this.call('createFleet', 'ec2', input, () => this.fleets.create(input));
  }

  describeInstances(input: Ec2.DescribeInstancesCommandInput) {
    return this.call('describeInstances', 'ec2', input, () => this.instances.describe(input));
  }

  terminateInstances(input: Ec2.TerminateInstancesCommandInput) {
    return this.call('terminateInstances', 'ec2', input, () => this.instances.terminate(input));
  }

  createTags(input: Ec2.CreateTagsCommandInput) {
    return this.call('createTags', 'ec2', input, () => applyTags(this, input));
  }

  async getParameter(input: GetParameterCommandInput): Promise<GetParameterCommandOutput> {
    const found = await this.call('getParameter', 'ssm', input, () => ({
      Parameter: this.images.getParameter(input.Name ?? ''),
    }));
    if (found.Parameter === undefined) throw errors.parameterNotFound(found.$metadata.requestId);
    return found;
  }

  getProducts(input: GetProductsCommandInput): Promise<GetProductsCommandOutput> {
    return this.call('getProducts', 'pricing', input, () => this.priceList.getProducts(input));
  }

  // The simulator's own controls (not AWS operations).

  /** Called on every state change of every instance, launch (previous undefined) included. */
  onStateChange(listener: StateListener): () => void {
    return this.instances.onStateChange(listener);
  }

  /** The simulator's record of an instance: its user data, price, times and state. */
  instance(id: string): SimInstance | undefined {
    return this.instances.get(id);
  }

  /** Takes an offering's capacity away (InsufficientInstanceCapacity) for a window; returns an undo. */
  insufficientCapacity(fault: CapacityFault): () => void {
    return this.faults.insufficientCapacity(fault);
  }

  /** Throttles the next calls of an operation; returns an undo. */
  throttle(fault: ThrottleFault): () => void {
    return this.faults.throttle(fault);
  }

  /** Sends the two-minute warning at `noticeAt` (default now) and reclaims the spot instance two minutes later. */
  interruptSpot(instanceId: string, plan?: SpotInterruptionPlan): void {
    this.spot.schedule(instanceId, plan);
  }

  recommendRebalance(instanceId: string): void {
    this.spot.recommendRebalance(instanceId);
  }

  /** Posts an AWS Health scheduled change for the instances, now. */
  announceScheduledChange(change: ScheduledChange): void {
    this.notifier.scheduledChange(change);
  }

  /** Publishes a new AL2023 and Bottlerocket release: `latest` aliases now resolve to new AMIs (drift). */
  releaseAmis(): { readonly al2023: string; readonly bottlerocket: string } {
    return this.images.release(this.clock.now());
  }
}
