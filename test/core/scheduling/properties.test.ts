// Properties of the solve over random workloads (fast-check): whatever the pods, the invariant checker holds,
// plain pods that fit some type are always placed, and the same input gives the same plan.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LABEL_ZONE } from '../../../shared/core/labels.js';
import type { Pod, TopologySpreadConstraint } from '../../../shared/core/model/pod.js';
import { plan } from '../../../shared/core/plan/build-plan.js';
import { instanceType, node, pod, snapshot, ZONES } from '../../fixtures/builders.js';
import { planChecked } from './helpers.js';

const TYPES = [1, 2, 4, 8, 16].map((cpu) =>
  instanceType(`fake-it-${cpu}`, { cpu: String(cpu), memory: `${cpu * 4}Gi`, pods: 8 * cpu, price: 0.05 * cpu }),
);

const CPUS = ['100m', '250m', '500m', '1', '1500m', '3', '7'];
const MEMS = ['128Mi', '512Mi', '1Gi', '4Gi', '12Gi'];

interface Shape {
  cpu: string;
  memory: string;
  app: number;
  kind: 'plain' | 'zone-spread' | 'host-anti' | 'zone-selector' | 'host-spread';
  zone: number;
}

const shape = fc.record<Shape>({
  cpu: fc.constantFrom(...CPUS),
  memory: fc.constantFrom(...MEMS),
  app: fc.integer({ min: 0, max: 3 }),
  kind: fc.constantFrom('plain', 'zone-spread', 'host-anti', 'zone-selector', 'host-spread'),
  zone: fc.integer({ min: 0, max: 2 }),
});

function toPod(s: Shape, i: number): Pod {
  const labels = { app: `a${s.app}` };
  const selector = { matchLabels: labels };
  const spread = (topologyKey: string): TopologySpreadConstraint[] => [
    { maxSkew: 1, topologyKey, whenUnsatisfiable: 'DoNotSchedule', labelSelector: selector },
  ];
  return pod({
    name: `p-${i}`,
    cpu: s.cpu,
    memory: s.memory,
    labels,
    topologySpreadConstraints:
      s.kind === 'zone-spread' ? spread(LABEL_ZONE) : s.kind === 'host-spread' ? spread('kubernetes.io/hostname') : [],
    podAntiAffinity: s.kind === 'host-anti' ? [{ topologyKey: 'kubernetes.io/hostname', labelSelector: selector }] : [],
    nodeSelector: s.kind === 'zone-selector' ? { [LABEL_ZONE]: ZONES[s.zone] as string } : {},
  });
}

const existingNodes = fc.array(fc.record({ cpu: fc.constantFrom('2', '4'), zone: fc.integer({ min: 0, max: 2 }) }), {
  maxLength: 3,
});

describe('solve properties', () => {
  it('never breaks an invariant, whatever the workload', () => {
    fc.assert(
      fc.property(fc.array(shape, { minLength: 1, maxLength: 60 }), existingNodes, (shapes, nodes) => {
        planChecked(
          snapshot({
            pods: shapes.map(toPod),
            nodes: nodes.map((n, i) => node(`n-${i}`, { cpu: n.cpu, memory: '8Gi', zone: ZONES[n.zone] })),
            instanceTypes: TYPES,
          }),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('places every plain pod that fits some instance type', () => {
    fc.assert(
      fc.property(fc.array(shape, { minLength: 1, maxLength: 80 }), (shapes) => {
        const plain = shapes.map((s, i) => toPod({ ...s, kind: 'plain' }, i));
        const result = planChecked(snapshot({ pods: plain, instanceTypes: TYPES }));
        expect(result.unschedulable).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('gives the same plan for the same input', () => {
    fc.assert(
      fc.property(fc.array(shape, { minLength: 1, maxLength: 40 }), (shapes) => {
        const once = JSON.stringify(plan(snapshot({ pods: shapes.map(toPod), instanceTypes: TYPES })));
        const twice = JSON.stringify(plan(snapshot({ pods: shapes.map(toPod), instanceTypes: TYPES })));
        expect(twice).toBe(once);
      }),
      { numRuns: 50 },
    );
  });
});
