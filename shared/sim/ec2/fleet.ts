// CreateFleet of type `instant` (research/aws-provider.md §b.7, §c): launches TotalTargetCapacity instances
// into the best pools the allocation strategy finds (fleet-candidates.ts), trying the next pool when one has no
// capacity. Every pool that failed gets an `Errors[]` entry naming its LaunchTemplateAndOverrides — a call that
// starts an instance can still carry errors, which is what the adapter's unavailable-offerings cache learns from.
//
// ClientToken makes the call idempotent, as in EC2: the same token with the same parameters answers the first
// call's result again (no second launch); with other parameters it is IdempotentParameterMismatch.

import type {
  CreateFleetCommandInput,
  CreateFleetError,
  CreateFleetInstance,
  CreateFleetResult,
  LaunchTemplateAndOverridesResponse,
} from '@aws-sdk/client-ec2';
import { canonicalJson } from '../../core/hash.js';
import type { SimClock } from '../clock.js';
import type { SimFaults } from './faults.js';
import { type Candidate, type CandidateDeps, fleetCandidates, templateGroups } from './fleet-candidates.js';
import type { SimIds } from './ids.js';
import type { SimInstance } from './instance-record.js';
import type { SimInstances } from './instances.js';
import { QueryError } from './query.js';

export interface FleetDeps extends CandidateDeps {
  readonly clock: SimClock;
  readonly instances: SimInstances;
  readonly faults: SimFaults;
  readonly ids: SimIds;
}

/** EC2's longest client token. */
const MAX_TOKEN_LENGTH = 64;
const CAPACITY_TYPES = new Set(['spot', 'on-demand']);

/** One CreateFleet call in progress: its pools in strategy order and what became of them. */
interface Attempt {
  readonly input: CreateFleetCommandInput;
  readonly capacityType: 'spot' | 'on-demand';
  readonly candidates: readonly Candidate[];
  /** One reservation per call, as RunInstances and CreateFleet group the instances they start. */
  readonly reservationId: string;
  readonly launched: Map<Candidate, string[]>;
  /** Pools that failed once in this call are not tried again in it. */
  readonly failed: Set<Candidate>;
  readonly errors: CreateFleetError[];
}

function echo(c: Candidate): LaunchTemplateAndOverridesResponse {
  return { LaunchTemplateSpecification: { ...c.spec }, Overrides: { ...c.override } as never };
}

/** EC2's message for a capacity error code in a pool. */
function capacityMessage(code: string, c: Candidate, capacityType: string, zones: readonly string[]): string {
  if (code === 'InsufficientInstanceCapacity') {
    if (capacityType === 'spot') return 'There is no Spot capacity available that matches your request.';
    const others = zones.filter((z) => z !== c.zone.name).join(', ');
    return `We currently do not have sufficient ${c.instanceType} capacity in the Availability Zone you requested (${c.zone.name}). Our system will be working on provisioning additional capacity. You can currently get ${c.instanceType} capacity by not specifying an Availability Zone in your request or choosing ${others}.`;
  }
  if (code === 'InsufficientFreeAddressesInSubnet') {
    return `There are not enough free addresses in subnet '${c.subnet.id}' to satisfy the requested number of instances.`;
  }
  return `${code}: the request cannot be fulfilled in ${c.zone.name}.`;
}

function tagsFor(input: CreateFleetCommandInput, c: Candidate, resource: string): Map<string, string> {
  // The template's tags first, the fleet's over them: EC2 merges both onto what it launches.
  const specs = [...(c.template.data.TagSpecifications ?? []), ...(input.TagSpecifications ?? [])];
  const tags = new Map<string, string>();
  for (const spec of specs.filter((s) => s.ResourceType === resource)) {
    for (const tag of spec.Tags ?? []) if (tag.Key !== undefined) tags.set(tag.Key, tag.Value ?? '');
  }
  return tags;
}

export class SimFleets {
  private readonly byToken = new Map<string, { readonly fingerprint: string; readonly result: CreateFleetResult }>();

  constructor(private readonly deps: FleetDeps) {}

  create(input: CreateFleetCommandInput): CreateFleetResult {
    const token = input.ClientToken;
    if (token !== undefined && token.length > MAX_TOKEN_LENGTH) {
      throw new QueryError('InvalidParameterValue', `The client token exceeds ${MAX_TOKEN_LENGTH} characters.`);
    }
    const fingerprint = canonicalJson(input);
    const seen = token === undefined ? undefined : this.byToken.get(token);
    if (seen !== undefined) {
      if (seen.fingerprint === fingerprint) return structuredClone(seen.result);
      throw new QueryError(
        'IdempotentParameterMismatch',
        `The client token '${token}' was already used for a request with different parameters.`,
      );
    }
    const result = this.launch(input);
    if (token !== undefined) this.byToken.set(token, { fingerprint, result: structuredClone(result) });
    return result;
  }

  private launch(input: CreateFleetCommandInput): CreateFleetResult {
    if (input.Type !== 'instant') {
      throw new QueryError('InvalidParameterValue', `The simulated EC2 supports only fleets of type instant.`);
    }
    const spec = input.TargetCapacitySpecification;
    const total = spec?.TotalTargetCapacity ?? 0;
    const capacityType = spec?.DefaultTargetCapacityType ?? '';
    if (!Number.isInteger(total) || total < 1 || !CAPACITY_TYPES.has(capacityType)) {
      throw new QueryError('InvalidParameterValue', 'TargetCapacitySpecification is invalid.');
    }
    const attempt: Attempt = {
      input,
      capacityType: capacityType as 'spot' | 'on-demand',
      candidates: fleetCandidates(this.deps, input, this.deps.clock.now()),
      reservationId: this.deps.ids.ec2('r'),
      launched: new Map(),
      failed: new Set(),
      errors: [],
    };
    for (let count = 0; count < total; count++) if (!this.startInBestPool(attempt)) break;
    const instances: CreateFleetInstance[] = [...attempt.launched].map(([c, ids]) => ({
      LaunchTemplateAndOverrides: echo(c),
      Lifecycle: attempt.capacityType,
      InstanceIds: ids,
      InstanceType: c.instanceType as CreateFleetInstance['InstanceType'],
    }));
    return { FleetId: `fleet-${this.deps.ids.uuid('fleet')}`, Errors: attempt.errors, Instances: instances };
  }

  /** Starts one instance in the first pool, in strategy order, that can take it; false when none can. */
  private startInBestPool(attempt: Attempt): boolean {
    const now = this.deps.clock.now();
    const zones = this.deps.market.zones.map((z) => z.name);
    const fail = (c: Candidate, code: string, message = capacityMessage(code, c, attempt.capacityType, zones)) => {
      attempt.failed.add(c);
      attempt.errors.push({
        LaunchTemplateAndOverrides: echo(c),
        Lifecycle: attempt.capacityType,
        ErrorCode: code,
        ErrorMessage: message,
      });
    };
    for (const c of attempt.candidates) {
      if (attempt.failed.has(c)) continue;
      if (c.problem) {
        fail(c, c.problem.code, c.problem.message);
        continue;
      }
      const code = this.deps.faults.capacityError(c.instanceType, c.zone.name, attempt.capacityType, now);
      const started = code === undefined ? this.start(attempt, c) : undefined;
      if (started === undefined) {
        fail(c, code ?? 'InsufficientFreeAddressesInSubnet');
        continue;
      }
      attempt.launched.set(c, [...(attempt.launched.get(c) ?? []), started.id]);
      return true;
    }
    return false;
  }

  /** One instance in a pool; undefined when its subnet has no free address. */
  private start(attempt: Attempt, c: Candidate): SimInstance | undefined {
    const { ids, network, market, clock } = this.deps;
    const privateIp = network.allocateIp(c.subnet.id);
    if (privateIp === undefined) return undefined;
    const entry = market.entry(c.instanceType);
    const vcpu = entry?.vcpu ?? 1;
    const { capacityType, input } = attempt;
    const instance: SimInstance = {
      id: ids.ec2('i'),
      instanceType: c.instanceType,
      zone: c.zone,
      subnetId: c.subnet.id,
      vpcId: network.vpcId,
      imageId: c.imageId,
      architecture: entry?.arch === 'arm64' ? 'arm64' : 'x86_64',
      capacityType,
      price: c.price,
      launchTime: clock.now(),
      privateIp,
      reservationId: attempt.reservationId,
      ...(input.ClientToken === undefined ? {} : { clientToken: input.ClientToken }),
      ...this.fromTemplate(c),
      volumeId: ids.ec2('vol'),
      eniId: ids.ec2('eni'),
      ...(capacityType === 'spot' ? { spotRequestId: ids.spotRequest() } : {}),
      vcpu,
      threadsPerCore: entry?.arch === 'arm64' || vcpu % 2 === 1 ? 1 : 2,
      state: 'pending',
      stateChangedAt: clock.now(),
      tags: tagsFor(input, c, 'instance'),
      volumeTags: tagsFor(input, c, 'volume'),
    };
    this.deps.instances.add(instance);
    return instance;
  }

  /** What an instance takes from its launch template: user data, groups, profile, IMDS settings. */
  private fromTemplate(c: Candidate) {
    const data = c.template.data;
    const profile = data.IamInstanceProfile?.Name ?? data.IamInstanceProfile?.Arn?.split('/').at(-1);
    const imds = data.MetadataOptions;
    return {
      launchTemplate: { id: c.template.id, name: c.template.name, version: c.spec.Version ?? '$Default' },
      ...(data.UserData === undefined ? {} : { userData: data.UserData }),
      securityGroups: templateGroups(c.template).map((id) => ({
        id,
        name: this.deps.network.securityGroup(id)?.GroupName ?? id,
      })),
      ...(profile === undefined ? {} : { instanceProfile: profile }),
      metadataOptions: {
        ...(imds?.HttpTokens ? { httpTokens: imds.HttpTokens } : {}),
        ...(imds?.HttpPutResponseHopLimit ? { hopLimit: imds.HttpPutResponseHopLimit } : {}),
      },
    };
  }
}
