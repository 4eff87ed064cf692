import { describe, expect, it } from 'vitest';
import type { InstanceType } from '../../../shared/core/model/instancetype.js';
import type { NodePool } from '../../../shared/core/model/nodepool.js';
import type { Pod } from '../../../shared/core/model/pod.js';
import { DEFAULT_SETTINGS } from '../../../shared/core/model/settings.js';
import { rightSize } from '../../../shared/core/plan/right-size.js';
import type { NodeClaim } from '../../../shared/core/scheduling/node-claim.js';
import { solve } from '../../../shared/core/scheduling/scheduler.js';
import { instanceType, nodePool, pod, pods } from '../../fixtures/builders.js';

function planned(podList: Pod[], types: InstanceType[], pool: NodePool = nodePool()): NodeClaim[] {
  const result = solve({
    pods: podList,
    existing: [],
    placed: [],
    daemonSets: [],
    pools: [{ pool, instanceTypes: types, used: {} }],
    settings: DEFAULT_SETTINGS,
  });
  return [...result.newNodes];
}

const onDemand = (price: number) =>
  ['a', 'b', 'c'].map((z) => ({ zone: `test-zone-${z}`, capacityType: 'on-demand', price, available: true }));

describe('rightSize', () => {
  // The big type costs 3x per CPU what the small one costs: one big node for eight 1-CPU pods is a waste.
  const small = instanceType('small-2', { cpu: '2', memory: '8Gi', offerings: onDemand(0.05) });
  const big = instanceType('big-8', { cpu: '8', memory: '32Gi', offerings: onDemand(0.6) });

  it('splits a planned node into cheaper smaller nodes of a more cost-efficient type', () => {
    const claims = planned(pods(8, { name: 'w', cpu: '1' }), [small, big]);
    expect(claims.map((c) => c.options[0]?.name)).toEqual(['big-8']);
    const sized = rightSize(claims);
    expect(sized.map((c) => c.pods.length)).toEqual([2, 2, 2, 2]);
    expect(sized.every((c) => c.options.map((t) => t.name).includes('small-2'))).toBe(true);
  });

  it('keeps the node when prices are linear (no saving, no churn)', () => {
    const fair = instanceType('big-8', { cpu: '8', memory: '32Gi', offerings: onDemand(0.2) });
    const claims = planned(pods(8, { name: 'w', cpu: '1' }), [small, fair]);
    expect(rightSize(claims)).toEqual(claims);
  });

  it('never separates pods that must share a host', () => {
    const together = pods(4, {
      name: 'w',
      cpu: '1',
      labels: { app: 'w' },
      podAffinity: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'w' } } }],
    });
    const claims = planned(together, [small, big]);
    expect(rightSize(claims)).toEqual(claims);
  });

  it('keeps two pods that want the same host port apart', () => {
    const ported = pods(4, { name: 'p', cpu: '500m', hostPorts: [{ port: 80, protocol: 'TCP', hostIP: '' }] });
    const filler = pod({ name: 'f', cpu: '5' });
    const sized = rightSize(planned([filler, ...ported], [small, big]));
    for (const c of sized) {
      expect(c.pods.filter((v) => v.pod.hostPorts.length > 0).length).toBeLessThanOrEqual(1);
    }
  });

  it('does not split past the pool nodes limit', () => {
    const pool = nodePool('default', { limits: { nodes: 2 } });
    const claims = planned(pods(8, { name: 'w', cpu: '1' }), [small, big], pool);
    expect(rightSize(claims)).toEqual(claims);
  });
});
