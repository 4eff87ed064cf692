// Properties of drain planning over random nodes (fast-check): one step never evicts more pods of a PDB than it
// allows, never evicts a pod covered by several PDBs or one with do-not-disrupt, and only evicts from one tier.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PdbIndex } from '../../../shared/core/disruption/pdb.js';
import { ANNOTATION_DO_NOT_DISRUPT, TAINT_DISRUPTED } from '../../../shared/core/labels.js';
import { podKey } from '../../../shared/core/model/pod.js';
import type { PodDisruptionBudget } from '../../../shared/core/model/workloads.js';
import { evictionTier } from '../../../shared/core/termination/drainable.js';
import { planTermination } from '../../../shared/core/termination/plan-termination.js';
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
