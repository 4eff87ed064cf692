// The scenario file (YAML or JSON): the fleetwright config in force, and steps at simulated times. Strict, like
// every input of the project: unknown fields fail, and each error names the file, the path and what was expected.
//
//   name: spot-and-drift
//   duration: 20m                      # how long the cluster runs
//   config: [ <NodePool>, <EC2NodeClass>, <Settings>? ]   # fleetwright or Karpenter v1 documents
//   steps:
//     - { at: 0m,  apply: [ <Deployment | StatefulSet | Job | PodDisruptionBudget | Pod> ] }
//     - { at: 8m,  scale: { workload: shop/web, replicas: 2 } }
//     - { at: 10m, interruptSpot: { nodepool: general } }
//     - { at: 11m, insufficientCapacity: { instanceType: m6i.large, capacityType: spot, for: 10m } }
//     - { at: 14m, releaseAmis: {} }
//     - { at: 15m, replay: { file: pods.json } }    # `kubectl get pods -A -o json`, relative to the scenario

import { z } from 'zod';
import { durationProblem } from '../../config/duration.js';

const duration = z.string().superRefine((text, ctx) => {
  const problem = durationProblem(text);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const object = z.record(z.string(), z.unknown());

const scale = z.strictObject({
  workload: z.string().regex(/^[a-z0-9-]+\/[a-z0-9.-]+$/, 'expected "<namespace>/<name>"'),
  replicas: z.number().int().min(0),
});

const interruptSpot = z.strictObject({
  /** Only nodes of this pool; default any pool. */
  nodepool: z.string().optional(),
  /** How many spot nodes get the two-minute warning (the busiest first). */
  count: z.number().int().min(1).default(1),
});

const insufficientCapacity = z.strictObject({
  instanceType: z.string().optional(),
  zone: z.string().optional(),
  capacityType: z.enum(['spot', 'on-demand']).optional(),
  /** How long the capacity stays gone; default until the end. */
  for: duration.optional(),
});

export const ACTIONS = ['apply', 'scale', 'interruptSpot', 'insufficientCapacity', 'releaseAmis', 'replay'] as const;

const step = z
  .strictObject({
    at: duration,
    apply: z.array(object).min(1).optional(),
    scale: scale.optional(),
    interruptSpot: interruptSpot.optional(),
    insufficientCapacity: insufficientCapacity.optional(),
    releaseAmis: z.strictObject({}).optional(),
    replay: z.strictObject({ file: z.string().min(1) }).optional(),
  })
  .superRefine((s, ctx) => {
    const given = ACTIONS.filter((a) => s[a] !== undefined);
    if (given.length !== 1) {
      const what = given.length === 0 ? 'none is given' : `${given.join(' and ')} are given`;
      ctx.addIssue({ code: 'custom', message: `a step has exactly one of ${ACTIONS.join(', ')}; ${what}` });
    }
  });

export const scenarioSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  duration,
  config: z.array(object).min(1),
  steps: z.array(step),
});

export type ScenarioDocument = z.output<typeof scenarioSchema>;
export type StepDocument = ScenarioDocument['steps'][number];
