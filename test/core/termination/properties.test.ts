// Properties of drain planning over random nodes (fast-check): one step never evicts more pods of a PDB than it
// allows, never evicts a pod covered by several PDBs or one with do-not-disrupt, and only evicts from one tier;
// the pods it leaves on the node (whose volumes are not waited for) are exactly those it does not drain.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PdbIndex } from '../../../shared/core/disruption/pdb.js';
import { ANNOTATION_DO_NOT_DISRUPT, TAINT_DISRUPTED } from '../../../shared/core/labels.js';
import { podKey } from '../../../shared/core/model/pod.js';
import type { PodDisruptionBudget } from '../../../shared/core/model/workloads.js';
import { evictionTier } from '../../../shared/core/termination/drainable.js';
import { planTermination, podsLeftByDrain } from '../../../shared/core/termination/plan-termination.js';
import { node, pod, taint } from '../../fixtures/builders.js';

const NOW = Date.parse('2026-11-01T12:00:00Z');

const podShape = fc.record({
  app: fc.integer({ min: 0, max: 3 }),
  daemon: fc.boolean(),
  critical: fc.boolean(),
  guarded: fc.constantFrom(false, false, false, true),
});

describe('planTermination properties', () => {
  it('respects every PDB, do-not-disrupt and the tier order in each step', () => {
    fc.assert(
      fc.property(
        fc.array(podShape, { maxLength: 12 }),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 4, maxLength: 4 }),
        fc.boolean(),
        (shapes, allowed, overlap) => {
          const pods = shapes.map((s, i) =>
            pod({
              name: `p-${i}`,
              nodeName: 'n1',
              phase: 'Running',
              labels: overlap && s.app === 0 ? { app: `a${s.app}`, shared: 'yes' } : { app: `a${s.app}` },
              ...(s.daemon ? { ownerReferences: [{ kind: 'DaemonSet', name: 'ds', uid: 'ds' }] } : {}),
              ...(s.critical ? { priorityClassName: 'system-cluster-critical' } : {}),
              ...(s.guarded ? { annotations: { [ANNOTATION_DO_NOT_DISRUPT]: 'true' } } : {}),
            }),
          );
          const pdbs: PodDisruptionBudget[] = allowed.map((n, i) => ({
            namespace: 'default',
            name: `pdb-${i}`,
            selector: { matchLabels: { app: `a${i}` } },
            disruptionsAllowed: n,
          }));
          if (overlap)
            pdbs.push({
              namespace: 'default',
              name: 'shared',
              selector: { matchLabels: { shared: 'yes' } },
              disruptionsAllowed: 9,
            });
          const index = new PdbIndex(pdbs, pods);
          const step = planTermination({
            node: node('n1', { taints: [taint(TAINT_DISRUPTED)] }),
            pods,
            pdbs: index,
            terminationGracePeriodMs: null,
            reason: 'drift',
            attachedVolumes: [],
            instanceExists: true,
            now: NOW,
          });
          const evicted = step.actions.flatMap((a) =>
            a.type === 'evict' ? [pods.find((p) => podKey(p) === a.pod)] : [],
          );
          for (const pdb of pdbs) {
            const taken = evicted.filter((p) => p && index.covering(p).includes(pdb)).length;
            expect(taken, `PDB ${pdb.name}`).toBeLessThanOrEqual(index.allowed(pdb));
          }
          for (const p of evicted) {
            expect(p?.annotations[ANNOTATION_DO_NOT_DISRUPT]).toBeUndefined();
            expect(index.covering(p as (typeof pods)[number]).length).toBeLessThanOrEqual(1);
          }
          expect(new Set(evicted.map((p) => evictionTier(p as (typeof pods)[number]))).size).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 300 },
    );
  });
});

const MINUTE = 60_000;

const placedPod = fc.record({
  elsewhere: fc.constantFrom(false, false, false, true),
  daemon: fc.boolean(),
  tolerant: fc.boolean(),
  phase: fc.constantFrom('Running', 'Running', 'Succeeded', 'Failed'),
  mirror: fc.constantFrom(false, false, false, true),
  deletedAgo: fc.constantFrom(undefined, undefined, 10_000, 2 * MINUTE),
});

describe('podsLeftByDrain properties', () => {
  it('is the complement, on the node, of the pods a step evicts, deletes or waits for', () => {
    fc.assert(
      fc.property(fc.array(placedPod, { maxLength: 10 }), fc.boolean(), (shapes, tainted) => {
        const pods = shapes.map((s, i) =>
          pod({
            name: `p-${i}`,
            nodeName: s.elsewhere ? 'n2' : 'n1',
            phase: s.phase,
            ...(s.daemon ? { ownerReferences: [{ kind: 'DaemonSet', name: 'ds', uid: 'ds' }] } : {}),
            ...(s.mirror ? { annotations: { 'kubernetes.io/config.mirror': 'hash' } } : {}),
            ...(s.tolerant ? { tolerations: [{ operator: 'Exists' as const }] } : {}),
            ...(s.deletedAgo === undefined ? {} : { deletionTimestamp: NOW - s.deletedAgo }),
          }),
        );
        const input = {
          node: tainted ? node('n1', { taints: [taint(TAINT_DISRUPTED)] }) : node('n1'),
          pods,
          pdbs: new PdbIndex([], pods),
          terminationGracePeriodMs: null,
          reason: 'drift',
          attachedVolumes: [],
          instanceExists: true,
          now: NOW,
        };
        const step = planTermination(input);
        const drained = new Set([
          ...step.actions.flatMap((a) => (a.type === 'evict' || a.type === 'delete-pod' ? [a.pod] : [])),
          ...step.waiting.flatMap((w) => (w.subject.startsWith('pod ') ? [w.subject.slice(4)] : [])),
        ]);
        const kept = new Set(podsLeftByDrain(input).map(podKey));
        const onNode = pods.filter((p) => p.nodeName === 'n1').map(podKey);
        expect([...kept].filter((k) => drained.has(k))).toEqual([]);
        expect(new Set([...kept, ...drained])).toEqual(new Set(onNode));
      }),
      { numRuns: 300 },
    );
  });
});
