// The handlers on the simulator's own clock (shared/sim/clock.ts), as the simulator will drive them: the
// reconcile handler in watch mode over in-memory ports, time moved by `runUntil`, a pod arriving mid-run.

import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it } from 'vitest';
import { createReconcileHandler } from '../../functions/reconcile/handler.js';
import { SimClock } from '../../shared/sim/clock.js';
import { FakeCloud } from '../fakes/fake-cloud.js';
import { FakeCluster, FakeClusterState } from '../fakes/fake-cluster.js';
import { RecordingMetrics } from '../fakes/recording-metrics.js';
import { StaticConfig } from '../fakes/static-config.js';
import { instanceType, nodePool, pod } from '../fixtures/builders.js';
import { nodeClass } from '../fixtures/instance-types.js';

describe('the reconcile handler on SimClock', () => {
  it('follows the watch and launches within the batching window of a pod that appears mid-run', async () => {
    const clock = new SimClock();
    const state = new FakeClusterState();
    const cloud = new FakeCloud([instanceType('fake-it-4', { cpu: '4' })], clock);
    const launchedAt: number[] = [];
    cloud.onLaunch = () => launchedAt.push(clock.now());
    const handler = createReconcileHandler({
      clusterName: 'sim',
      cluster: (identity) => {
        const ports = new FakeCluster(state, identity, clock);
        return { reader: ports, writer: ports };
      },
      cloud,
      config: StaticConfig.of([nodePool('web')], [nodeClass()]),
      clock,
      logger: new Logger({ serviceName: 'sim', logLevel: 'SILENT' }),
      metrics: new RecordingMetrics(),
    });
    const start = clock.now();
    const appears = start + 10_500;
    clock.at(appears, () => state.putPod(pod({ name: 'web-1', cpu: '1', unschedulable: true })));
    const deadline = start + 90_000;
    const result = await clock.runUntil(
      handler({}, { awsRequestId: 'r-1', getRemainingTimeInMillis: () => deadline - clock.now() }),
    );

    expect(result).toMatchObject({ outcome: 'completed', mode: 'watch' });
    expect(launchedAt).toHaveLength(1);
    expect((launchedAt[0] as number) - appears).toBeLessThanOrEqual(2_000);
  });
});
