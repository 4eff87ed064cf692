// Properties of explain over random clusters (fast-check): the "plan decides" part of every pod and node
// explanation is exactly what `plan(snapshot)` says, a node is a candidate exactly when nothing (but protections
// drift may ignore) keeps it out, and where a pod alone would go differs from the plan only with a note saying so.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explainNode } from '../../../shared/core/explain/explain-node.js';
import { explainPod } from '../../../shared/core/explain/explain-pod.js';
import { ANNOTATION_DO_NOT_DISRUPT, LABEL_ARCH, TAINT_DISRUPTED } from '../../../shared/core/labels.js';
import type { Plan } from '../../../shared/core/model/plan.js';
import { isPending, type Pod, podKey } from '../../../shared/core/model/pod.js';
import type { Snapshot } from '../../../shared/core/model/snapshot.js';
import { plan } from '../../../shared/core/plan/build-plan.js';
import { instanceType, nodePool, pod, taint } from '../../fixtures/builders.js';
import { cluster, HOUR, MINUTE, NOW, poolNode, runningOn, TYPES } from '../disruption/helpers.js';

const ARM = instanceType('arm-medium', { cpu: '4', memory: '8Gi', arch: 'arm64', price: 0.15 });

const runningShape = fc.record({
  cpu: fc.constantFrom('100m', '500m', '1', '1500m', '3'),
  app: fc.integer({ min: 0, max: 2 }),
  guarded: fc.constantFrom(false, false, false, true),
});

const nodeShape = fc.record({
  type: fc.integer({ min: 0, max: 2 }),
  spot: fc.boolean(),
  ready: fc.constantFrom(true, true, true, false),
  leaving: fc.constantFrom(false, false, false, false, true),
  ageHours: fc.constantFrom(1, 2, 50),
  pool: fc.constantFrom('default', 'default', 'gpu', 'unknown'),
  pods: fc.array(runningShape, { maxLength: 3 }),
});

const pendingShape = fc.record({
  cpu: fc.constantFrom('250m', '1', '2', '7', '900'),
  arm: fc.constantFrom(false, false, true),
  toleratesGpu: fc.boolean(),
  spreadByZone: fc.constantFrom(false, false, true),
});

const world = fc.record({
  nodes: fc.array(nodeShape, { maxLength: 5 }),
  pending: fc.array(pendingShape, { maxLength: 4 }),
  budget: fc.constantFrom('0', '1', '100%'),
  consolidateAfterMs: fc.constantFrom(0, 30 * MINUTE, null),
  gpuNodeLimit: fc.constantFrom(undefined, 1, 3),
  pdbAllowed: fc.constantFrom(undefined, 0, 1),
});

type World = typeof world extends fc.Arbitrary<infer T> ? T : never;

function build(w: World): Snapshot {
  const pods: Pod[] = [];
  const nodes = w.nodes.map((n, i) => {
    const name = `n${i}`;
    for (const [j, p] of n.pods.entries()) {
      pods.push(
        runningOn(name, {
          name: `${name}-p${j}`,
          cpu: p.cpu,
          labels: { app: `a${p.app}` },
          ...(p.guarded ? { annotations: { [ANNOTATION_DO_NOT_DISRUPT]: 'true' } } : {}),
        }),
      );
    }
    return poolNode(name, TYPES[n.type] as (typeof TYPES)[number], {
      pool: n.pool,
      capacityType: n.spot ? 'spot' : 'on-demand',
      ready: n.ready,
      creationTimestamp: NOW - n.ageHours * HOUR,
      ...(n.leaving ? { taints: [taint(TAINT_DISRUPTED)] } : {}),
    });
  });
  for (const [i, p] of w.pending.entries()) {
    pods.push(
      pod({
        name: `pending-${i}`,
        cpu: p.cpu,
        labels: { app: 'spread' },
        ...(p.arm ? { nodeSelector: { [LABEL_ARCH]: 'arm64' } } : {}),
        ...(p.toleratesGpu ? { tolerations: [{ key: 'gpu', operator: 'Exists' as const }] } : {}),
        ...(p.spreadByZone
          ? {
              topologySpreadConstraints: [
                {
                  maxSkew: 1,
                  topologyKey: 'topology.kubernetes.io/zone',
                  whenUnsatisfiable: 'DoNotSchedule' as const,
                  labelSelector: { matchLabels: { app: 'spread' } },
                },
              ],
            }
          : {}),
      }),
    );
  }
  const pdbs =
    w.pdbAllowed === undefined
      ? []
      : [
          {
            namespace: 'default',
            name: 'a0',
            selector: { matchLabels: { app: 'a0' } },
            disruptionsAllowed: w.pdbAllowed,
          },
        ];
  const shared = { budgets: [{ nodes: w.budget }], consolidateAfterMs: w.consolidateAfterMs, expireAfterMs: 48 * HOUR };
  const pools = [
    nodePool('default', shared),
    nodePool('gpu', {
      ...shared,
      weight: 10,
      taints: [taint('gpu')],
      limits: w.gpuNodeLimit === undefined ? {} : { nodes: w.gpuNodeLimit },
    }),
  ];
  return cluster({ nodes, pods, pdbs, nodePools: pools, instanceTypes: [...TYPES, ARM] });
}

/** The plan's record of one pod, in the shape explain reports it. */
function planned(p: Plan, key: string) {
  const index = p.newNodes.findIndex((n) => n.pods.includes(key));
  if (index >= 0) return { outcome: 'new-node', newNodeIndex: index + 1, newNode: p.newNodes[index] };
  const existing = p.existingNodes.find((n) => n.pods.includes(key));
  if (existing) return { outcome: 'existing-node', node: existing.name };
  const unschedulable = p.unschedulable.find((u) => u.pod === key);
  if (unschedulable) return { outcome: 'unschedulable', reason: unschedulable.reason };
  return undefined;
}

describe('explain properties', () => {
  it("reports, for every pod, exactly the plan's placement or unschedulable reason", () => {
    fc.assert(
      fc.property(world, (w) => {
        const s = build(w);
        const decided = plan(s);
        for (const p of s.pods) {
          const e = explainPod(s, podKey(p));
          const expected = planned(decided, podKey(p));
          if (expected) expect(e?.plan).toMatchObject(expected);
          else expect(['stays', 'node-disrupted', 'not-planned']).toContain(e?.plan.outcome);
          if (e?.plan.outcome === 'node-disrupted') {
            expect(decided.disruptions).toContainEqual(e.plan.disruption);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it("reports, for every node, exactly the plan's disruptions of it and its blocked reason", () => {
    fc.assert(
      fc.property(world, (w) => {
        const s = build(w);
        const decided = plan(s);
        for (const n of s.nodes) {
          const e = explainNode(s, n.name);
          expect(e?.plan.disruptions).toEqual(decided.disruptions.filter((d) => d.nodes.includes(n.name)));
          expect(e?.plan.blocked).toBe(decided.blocked.find((b) => b.node === n.name)?.reason);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('calls a node a candidate exactly when every reason keeping it out is one drift may ignore', () => {
    fc.assert(
      fc.property(world, (w) => {
        const s = build(w);
        for (const n of s.nodes) {
          const e = explainNode(s, n.name);
          expect(e?.candidate, JSON.stringify(e?.reasons)).toBe(e?.reasons.every((r) => r.waivedForDrift) ?? false);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("never differs silently from the plan: a pending pod's alone-answer agrees with plan, or a note says why", () => {
    fc.assert(
      fc.property(world, (w) => {
        const s = build(w);
        for (const p of s.pods.filter(isPending)) {
          const e = explainPod(s, podKey(p));
          if (!e || e.notes.length > 0 || e.invalid) continue;
          const fits = e.existingNodes.filter((f) => f.fits).map((f) => f.node);
          const first = e.nodePools.find((v) => v.canTake)?.nodePool;
          if (e.plan.outcome === 'existing-node') expect(fits).toContain(e.plan.node);
          if (e.plan.outcome === 'new-node') expect([fits.length, first]).toEqual([0, e.plan.newNode?.nodePool]);
          if (e.plan.outcome === 'unschedulable') expect([fits.length, first]).toEqual([0, undefined]);
        }
      }),
      { numRuns: 60 },
    );
  });
});
