// Properties of the disruption pass over random clusters (fast-check): the invariant checker holds (no
// protected pod evicted, no PDB or budget exceeded, every moved pod has a place), a do-not-disrupt pod's node is
// never disrupted voluntarily, the plan is deterministic, and a decision re-checked against the same cluster holds.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { doNotDisrupt } from '../../../shared/core/disruption/protection.js';
import { revalidate } from '../../../shared/core/disruption/revalidate.js';
import { ANNOTATION_DO_NOT_DISRUPT, ANNOTATION_NODEPOOL_HASH, TAINT_DISRUPTED } from '../../../shared/core/labels.js';
import type { Pod } from '../../../shared/core/model/pod.js';
import type { Snapshot } from '../../../shared/core/model/snapshot.js';
import { plan } from '../../../shared/core/plan/build-plan.js';
import { nodePool, pod, taint } from '../../fixtures/builders.js';
import { cluster, HOUR, MINUTE, NOW, planChecked, poolNode, runningOn, TYPES } from './helpers.js';

const podShape = fc.record({
  cpu: fc.constantFrom('100m', '500m', '1', '1500m', '3'),
  app: fc.integer({ min: 0, max: 2 }),
  guard: fc.constantFrom<('none' | 'true' | 'short' | 'long')[]>('none', 'none', 'none', 'true', 'short', 'long'),
});

const nodeShape = fc.record({
  type: fc.integer({ min: 0, max: 2 }),
  spot: fc.boolean(),
  ready: fc.constantFrom(true, true, true, false),
  leaving: fc.constantFrom(false, false, false, false, true),
  ageHours: fc.constantFrom(1, 2, 50),
  drifted: fc.constantFrom(false, false, true),
  pods: fc.array(podShape, { maxLength: 4 }),
});

const poolShape = fc.record({
  budget: fc.constantFrom('0', '1', '50%', '100%'),
  consolidateAfterMs: fc.constantFrom(0, 30 * MINUTE, null),
  policy: fc.constantFrom<('WhenEmpty' | 'WhenEmptyOrUnderutilized')[]>('WhenEmpty', 'WhenEmptyOrUnderutilized'),
  tgp: fc.constantFrom(null, HOUR),
  expireAfterHours: fc.constantFrom(48, 720),
  spotToSpot: fc.boolean(),
});

const world = fc.record({
  nodes: fc.array(nodeShape, { minLength: 1, maxLength: 7 }),
  pool: poolShape,
  pdbAllowed: fc.array(fc.constantFrom(0, 1, 2, undefined), { minLength: 3, maxLength: 3 }),
  pending: fc.array(fc.constantFrom('500m', '2', '900'), { maxLength: 3 }),
});

type World = typeof world extends fc.Arbitrary<infer T> ? T : never;

function build(w: World): Snapshot {
  const guards = { none: undefined, true: 'true', short: '30m', long: '3h' } as const;
  const pods: Pod[] = [];
  const nodes = w.nodes.map((n, i) => {
    const name = `n${i}`;
    for (const [j, p] of n.pods.entries()) {
      const guard = guards[p.guard];
      pods.push(
        runningOn(name, {
          name: `${name}-p${j}`,
          cpu: p.cpu,
          labels: { app: `a${p.app}` },
          ...(guard ? { annotations: { [ANNOTATION_DO_NOT_DISRUPT]: guard } } : {}),
        }),
      );
    }
    return poolNode(name, TYPES[n.type] as (typeof TYPES)[number], {
      capacityType: n.spot ? 'spot' : 'on-demand',
      ready: n.ready,
      creationTimestamp: NOW - n.ageHours * HOUR,
      annotations: { [ANNOTATION_NODEPOOL_HASH]: n.drifted ? 'old' : 'current' },
      ...(n.leaving ? { taints: [taint(TAINT_DISRUPTED)] } : {}),
    });
  });
  pods.push(...w.pending.map((cpu, i) => pod({ name: `pending-${i}`, cpu })));
  const pdbs = w.pdbAllowed.flatMap((allowed, i) =>
    allowed === undefined
      ? []
      : [
          {
            namespace: 'default',
            name: `pdb-${i}`,
            selector: { matchLabels: { app: `a${i}` } },
            disruptionsAllowed: allowed,
          },
        ],
  );
  const pool = nodePool('default', {
    budgets: [{ nodes: w.pool.budget }],
    consolidateAfterMs: w.pool.consolidateAfterMs,
    consolidationPolicy: w.pool.policy,
    terminationGracePeriodMs: w.pool.tgp,
    expireAfterMs: w.pool.expireAfterHours * HOUR,
    templateHash: 'current',
  });
  return cluster({ nodes, pods, pdbs, nodePools: [pool], settings: { spotToSpotConsolidation: w.pool.spotToSpot } });
}

describe('disruption properties', () => {
  it('never breaks an invariant: protections, PDBs, budgets, every moved pod placed', () => {
    fc.assert(
      fc.property(world, (w) => {
        planChecked(build(w));
      }),
      { numRuns: 200 },
    );
  });

  it('never disrupts a node with an active do-not-disrupt pod, except by expiration or by drift under terminationGracePeriod', () => {
    fc.assert(
      fc.property(world, (w) => {
        const s = build(w);
        for (const d of plan(s).disruptions) {
          if (d.method === 'expiration' || (d.method === 'drift' && w.pool.tgp !== null)) continue;
          for (const name of d.nodes) {
            const guarded = s.pods.filter((p) => p.nodeName === name && doNotDisrupt(p, s.now));
            expect(
              guarded.map((p) => p.name),
              `${d.method} took ${name}`,
            ).toEqual([]);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('gives the same plan for the same cluster', () => {
    fc.assert(
      fc.property(world, (w) => {
        expect(JSON.stringify(plan(build(w)))).toBe(JSON.stringify(plan(build(w))));
      }),
      { numRuns: 50 },
    );
  });

  it('confirms every voluntary decision when re-checked against an unchanged cluster', () => {
    fc.assert(
      fc.property(world, (w) => {
        const s = build(w);
        for (const d of plan(s).disruptions.filter((x) => x.method !== 'expiration')) {
          expect(revalidate(d, s)).toEqual({ valid: true, disruption: d });
        }
      }),
      { numRuns: 100 },
    );
  });
});
