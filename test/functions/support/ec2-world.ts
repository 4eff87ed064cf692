// A mocked EC2 account with instances that live: the real EC2Client under aws-sdk-client-mock, with CreateFleet,
// DescribeInstances (tag, state and id filters), TerminateInstances and CreateTags answering from one list of
// instances, so the real Ec2CloudProvider launches, lists, names and terminates through it. Capacity errors and
// throttling are injected per call. Discovery calls (types, subnets, groups, AMIs) come from aws-world.ts.

import {
  CreateFleetCommand,
  type CreateFleetCommandInput,
  CreateLaunchTemplateCommand,
  type CreateLaunchTemplateCommandInput,
  CreateTagsCommand,
  type CreateTagsCommandInput,
  DeleteLaunchTemplateCommand,
  type DeleteLaunchTemplateCommandInput,
  DescribeInstancesCommand,
  type DescribeInstancesCommandInput,
  DescribeLaunchTemplatesCommand,
  type DescribeLaunchTemplatesCommandInput,
  type Instance,
  type LaunchTemplate,
  TerminateInstancesCommand,
  type TerminateInstancesCommandInput,
} from '@aws-sdk/client-ec2';
import { amiParametersFromClient, ec2ApiFromClient } from '../../../shared/adapters/aws/ec2/api.js';
import { Ec2CloudProvider } from '../../../shared/adapters/aws/ec2/cloud-provider.js';
import type { NodeClassSpec } from '../../../shared/adapters/aws/ec2/launch-template-data.js';
import type { Clock } from '../../../shared/runtime/clock.js';
import { awsError, CLUSTER, fleetError, fleetInstance, type MockAws, mockAws } from '../../adapters/aws/aws-world.js';
import { bundledCatalogue } from '../../fixtures/instance-types.js';

export interface LiveInstance {
  readonly id: string;
  readonly type: string;
  readonly zone: string;
  readonly subnetId: string;
  readonly lifecycle: 'spot' | 'on-demand';
  state: 'pending' | 'running' | 'shutting-down' | 'terminated';
  readonly launchTime: number;
  readonly tags: Record<string, string>;
}

/** What a CreateFleet call does; `launch` starts the first override's instance. */
export type FleetBehaviour = (input: CreateFleetCommandInput, world: Ec2World) => 'launch' | 'ice' | 'throttle';

export class Ec2World {
  readonly aws: MockAws = mockAws();
  readonly instances = new Map<string, LiveInstance>();
  readonly fleetCalls: { at: number; input: CreateFleetCommandInput }[] = [];
  readonly launchTemplates = new Map<string, LaunchTemplate>();
  behaviour: FleetBehaviour = () => 'launch';
  /**
   * Runs after a CreateFleet that launched; `hang` never answers the call, which is how a test kills an
   * invocation right after EC2 started the instance.
   */
  afterLaunch: ((instance: LiveInstance) => 'hang' | undefined) | undefined;
  private next = 1;

  constructor(private readonly clock: Clock) {
    const { ec2 } = this.aws;
    ec2.on(CreateFleetCommand).callsFake((input: CreateFleetCommandInput) => this.createFleet(input));
    ec2.on(DescribeInstancesCommand).callsFake((input: DescribeInstancesCommandInput) => this.describe(input));
    ec2.on(TerminateInstancesCommand).callsFake((input: TerminateInstancesCommandInput) => this.terminate(input));
    ec2.on(CreateTagsCommand).callsFake((input: CreateTagsCommandInput) => this.tag(input));
    ec2.on(CreateLaunchTemplateCommand).callsFake((input: CreateLaunchTemplateCommandInput) => {
      const name = input.LaunchTemplateName as string;
      const template = {
        LaunchTemplateName: name,
        LaunchTemplateId: `lt-${this.launchTemplates.size + 1}`,
        CreateTime: new Date(this.clock.now()),
      };
      this.launchTemplates.set(name, template);
      return { LaunchTemplate: template };
    });
    ec2.on(DescribeLaunchTemplatesCommand).callsFake((input: DescribeLaunchTemplatesCommandInput) => {
      const names = input.LaunchTemplateNames;
      const found = [...this.launchTemplates.values()].filter(
        (t) => !names || names.includes(t.LaunchTemplateName as string),
      );
      if (names && found.length === 0) throw awsError('InvalidLaunchTemplateName.NotFoundException', 'not found');
      return { LaunchTemplates: found };
    });
    ec2.on(DeleteLaunchTemplateCommand).callsFake((input: DeleteLaunchTemplateCommandInput) => {
      for (const [name, t] of this.launchTemplates)
        if (t.LaunchTemplateId === input.LaunchTemplateId) this.launchTemplates.delete(name);
      return {};
    });
  }

  /** A fresh provider over this account, as a cold start would build it (empty caches). */
  provider(nodeClassSpec: (name: string) => NodeClassSpec | undefined): Ec2CloudProvider {
    let token = 0;
    return new Ec2CloudProvider({
      ec2: ec2ApiFromClient(this.aws.ec2Client),
      ssm: amiParametersFromClient(this.aws.ssmClient),
      cluster: CLUSTER,
      nodeClassSpec,
      bundled: bundledCatalogue(),
      clock: this.clock.now,
      sleep: this.clock.sleep,
      clientToken: () => `token-${++token}`,
    });
  }

  live(): LiveInstance[] {
    return [...this.instances.values()].filter((i) => i.state !== 'terminated');
  }

  private createFleet(input: CreateFleetCommandInput) {
    this.fleetCalls.push({ at: this.clock.now(), input });
    const lifecycle = input.TargetCapacitySpecification?.DefaultTargetCapacityType === 'spot' ? 'spot' : 'on-demand';
    const configs = input.LaunchTemplateConfigs ?? [];
    const overrides = configs.flatMap((c) => c.Overrides ?? []);
    const behaviour = this.behaviour(input, this);
    if (behaviour === 'throttle') throw awsError('RequestLimitExceeded', 'Request limit exceeded.');
    if (behaviour === 'ice') {
      const errors = overrides.map((o) =>
        fleetError(
          'InsufficientInstanceCapacity',
          o.InstanceType as string,
          o.AvailabilityZone as string,
          o.SubnetId as string,
          lifecycle,
        ),
      );
      return { FleetId: `fleet-${this.next}`, Instances: [], Errors: errors };
    }
    const first = overrides[0];
    if (!first) throw awsError('InvalidParameterValue', 'no overrides');
    const id = `i-${(this.next++).toString(16).padStart(17, '0')}`;
    const tags = Object.fromEntries(
      (input.TagSpecifications ?? [])
        .filter((t) => t.ResourceType === 'instance')
        .flatMap((t) => t.Tags ?? [])
        .map((t) => [t.Key as string, t.Value as string]),
    );
    const instance: LiveInstance = {
      id,
      type: first.InstanceType as string,
      zone: first.AvailabilityZone as string,
      subnetId: first.SubnetId as string,
      lifecycle,
      state: 'pending',
      launchTime: this.clock.now(),
      tags,
    };
    this.instances.set(id, instance);
    if (this.afterLaunch?.(instance) === 'hang') return new Promise<never>(() => {});
    return {
      FleetId: `fleet-${id}`,
      Instances: [fleetInstance(id, instance.type, instance.zone, instance.subnetId, lifecycle)],
      Errors: [],
    };
  }

  private describe(input: DescribeInstancesCommandInput) {
    const filters = input.Filters ?? [];
    const matches = (i: LiveInstance) =>
      filters.every((f) => {
        const values = f.Values ?? [];
        if (f.Name === 'instance-state-name') return values.includes(i.state);
        if (f.Name === 'instance-id') return values.includes(i.id);
        if (f.Name?.startsWith('tag:')) return values.includes(i.tags[f.Name.slice(4)] ?? '');
        return true;
      });
    const instances: Instance[] = [...this.instances.values()].filter(matches).map((i) => ({
      InstanceId: i.id,
      InstanceType: i.type as never,
      Placement: { AvailabilityZone: i.zone },
      State: { Name: i.state, Code: 0 },
      LaunchTime: new Date(i.launchTime),
      SubnetId: i.subnetId,
      ImageId: 'ami-0a1b2c3d4e5f60001',
      ...(i.lifecycle === 'spot' ? { InstanceLifecycle: 'spot' as const } : {}),
      Tags: Object.entries(i.tags).map(([Key, Value]) => ({ Key, Value })),
    }));
    return { Reservations: instances.length > 0 ? [{ Instances: instances }] : [] };
  }

  private terminate(input: TerminateInstancesCommandInput) {
    for (const id of input.InstanceIds ?? []) {
      const instance = this.instances.get(id);
      if (!instance) throw awsError('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`);
      instance.state = 'terminated';
    }
    return { TerminatingInstances: (input.InstanceIds ?? []).map((InstanceId) => ({ InstanceId })) };
  }

  private tag(input: CreateTagsCommandInput) {
    for (const id of input.Resources ?? []) {
      const instance = this.instances.get(id);
      for (const t of input.Tags ?? []) if (instance && t.Key) instance.tags[t.Key] = t.Value ?? '';
    }
    return {};
  }
}
