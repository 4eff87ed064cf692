// The simulated account for tests: a virtual clock at T0, the interruption queue behind the five EventBridge
// rules, a SimulatedEc2 over the bundled catalogue, and the REAL Ec2CloudProvider over it, built as the adapter's
// own tests build it (test/adapters/aws/aws-world.ts) but with the simulator in place of aws-sdk-client-mock.

import { Ec2CloudProvider, type Ec2CloudProviderOptions } from '../../../shared/adapters/aws/ec2/cloud-provider.js';
import type { NodeClassDocument } from '../../../shared/config/nodeclass-schema.js';
import { SimClock } from '../../../shared/sim/clock.js';
import { SimulatedEc2, type SimulatedEc2Options } from '../../../shared/sim/ec2/simulated-ec2.js';
import { interruptionBus } from '../../../shared/sim/events/bus.js';
import { interruptionQueues } from '../../../shared/sim/events/queue.js';
import { CLUSTER, T0 } from '../../adapters/aws/aws-world.js';
import { bundledCatalogue } from '../../fixtures/instance-types.js';

export function simWorld(options: Partial<SimulatedEc2Options> = {}) {
  const clock = new SimClock(T0);
  const { queue, deadLetterQueue } = interruptionQueues(clock, CLUSTER.name);
  const bus = interruptionBus(queue);
  const ec2 = new SimulatedEc2({
    clock,
    catalogue: bundledCatalogue(),
    cluster: CLUSTER.name,
    events: bus,
    ...options,
  });
  return { clock, ec2, queue, deadLetterQueue, bus };
}

export type SimWorld = ReturnType<typeof simWorld>;

/** The real adapter over the simulator, on the virtual clock, with predictable client tokens. */
export function simProvider(
  world: SimWorld,
  doc: NodeClassDocument,
  overrides: Partial<Ec2CloudProviderOptions> = {},
): Ec2CloudProvider {
  let token = 0;
  const { clock, sleep } = world.clock.adapterClock();
  return new Ec2CloudProvider({
    ec2: world.ec2,
    ssm: world.ec2,
    pricing: world.ec2,
    cluster: CLUSTER,
    nodeClassSpec: (name) => (name === doc.metadata.name ? doc.spec : undefined),
    bundled: bundledCatalogue(),
    clock,
    sleep,
    clientToken: () => `token-${++token}`,
    ...overrides,
  });
}
