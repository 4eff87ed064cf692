// Scenario files are checked before anything runs, and every problem names the file, the path and what is wrong.

import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { DEFAULT_SCENARIO, loadScenario, parseScenario, ScenarioError } from '../../../shared/sim/scenario/load.js';

const CONFIG = [
  {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name: 'general' },
    spec: {
      template: { spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' } } },
    },
  },
  {
    apiVersion: 'karpenter.k8s.aws/v1',
    kind: 'EC2NodeClass',
    metadata: { name: 'default' },
    spec: {
      role: 'KarpenterNodeRole-fleetwright-sim',
      amiSelectorTerms: [{ alias: 'al2023@latest' }],
      subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'fleetwright-sim' } }],
      securityGroupSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'fleetwright-sim' } }],
    },
  },
];

function problems(doc: Record<string, unknown>): readonly string[] {
  try {
    parseScenario(stringify({ name: 'broken', duration: '5m', config: CONFIG, steps: [], ...doc }), 'broken.yaml', '.');
  } catch (error) {
    if (error instanceof ScenarioError) return error.lines;
    throw error;
  }
  return [];
}

describe('scenario files', () => {
  it('reads the embedded default scenario', () => {
    const scenario = loadScenario(DEFAULT_SCENARIO);
    expect(scenario.name).toBe('default');
    expect(scenario.durationMs).toBe(30 * 60_000);
    expect(scenario.steps.map((s) => s.action.kind)).toEqual([
      'apply',
      'scale',
      'scale',
      'interruptSpot',
      'releaseAmis',
    ]);
    expect(scenario.nodeClassSpecs.has('default')).toBe(true);
  });

  it('accepts a minimal scenario', () => {
    expect(problems({})).toEqual([]);
  });

  it('names an unknown field and a bad duration by path', () => {
    const lines = problems({ duration: 'five minutes', colour: 'red' });
    expect(lines).toHaveLength(2);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^broken\.yaml: colour: unknown field$/),
        expect.stringMatching(/^broken\.yaml: duration: "five minutes" is not a duration/),
      ]),
    );
  });

  it('refuses a step with two actions', () => {
    const lines = problems({ steps: [{ at: '1m', releaseAmis: {}, scale: { workload: 'shop/web', replicas: 1 } }] });
    expect(lines).toEqual([expect.stringContaining('broken.yaml: steps[0]: a step has exactly one of apply, scale')]);
  });

  it('refuses an object kind the simulation does not run, with its path', () => {
    const lines = problems({ steps: [{ at: '0m', apply: [{ kind: 'DaemonSet', metadata: { name: 'agent' } }] }] });
    expect(lines).toEqual([
      'broken.yaml: steps[0].apply[0].kind: "DaemonSet" is not simulated, expected one of Deployment, StatefulSet, Job, PodDisruptionBudget, Pod',
    ]);
  });

  it('reports invalid config documents as `fleetwright validate` does, under the scenario file', () => {
    const pool = { ...CONFIG[0], spec: { ...(CONFIG[0] as { spec: object }).spec, weight: 'heavy' } };
    const lines = problems({ config: [pool, CONFIG[1]] });
    expect(lines.join('\n')).toMatch(/^broken\.yaml: config\[0\]: NodePool\/general: spec\.weight: /m);
  });

  it('refuses a replay file that cannot be read', () => {
    const lines = problems({ steps: [{ at: '0m', replay: { file: 'missing.json' } }] });
    expect(lines).toEqual([expect.stringMatching(/^broken\.yaml: steps\[0\]\.replay\.file: missing\.json: /)]);
  });
});
