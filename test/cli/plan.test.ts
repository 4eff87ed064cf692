// `fleetwright plan` as a user runs it (a subprocess from the project root): the JSON contract of DESIGN.md §5,
// the table for people, exit codes, and bad input that names the file, object and field and prints nothing on
// stdout.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fleetwright } from '../fixtures/cli.js';

const PLAN = 'test/fixtures/plan';
const scratch = mkdtempSync(join(tmpdir(), 'fleetwright-plan-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function scratchFile(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

describe('fleetwright plan --output json', () => {
  const { code, stdout, stderr } = fleetwright(
    'plan',
    '--pods',
    `${PLAN}/pods.json`,
    '--nodepools',
    `${PLAN}/pools.yaml`,
    '--output',
    'json',
  );
  const result = JSON.parse(stdout);

  it('exits 0 with exactly one JSON object on stdout, keys in the documented order', () => {
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(Object.keys(result)).toEqual([
      'newNodes',
      'existingNodes',
      'unschedulable',
      'disruptions',
      'blocked',
      'hourlyCost',
    ]);
  });

  it('launches the cheapest allowed type for the pending pods, limits counted as requests', () => {
    expect(result.newNodes).toHaveLength(1);
    const [n] = result.newNodes;
    expect(Object.keys(n)).toEqual([
      'nodePool',
      'instanceType',
      'instanceTypeOptions',
      'capacityType',
      'zone',
      'hourlyPrice',
      'labels',
      'taints',
      'pods',
    ]);
    // 2 CPU and 3 GiB of requests: c7i.large (2 vCPU) has too little allocatable CPU; c7i.xlarge is the cheapest fit.
    expect(n.instanceType).toBe('c7i.xlarge');
    expect(n.capacityType).toBe('on-demand');
    expect(n.hourlyPrice).toBe(0.1785);
    expect(n.pods).toEqual(['default/web-0', 'default/web-1']);
    expect(n.instanceTypeOptions[0]).toBe('c7i.xlarge');
    expect(n.labels['karpenter.sh/nodepool']).toBe('default');
    expect(n.labels['node.kubernetes.io/instance-type']).toBe('c7i.xlarge');
    expect(n.labels['topology.kubernetes.io/zone']).toBe(n.zone);
  });

  it('explains the pod that fits nowhere and ignores finished pods', () => {
    expect(result.unschedulable).toEqual([
      { pod: 'default/huge-0', reason: expect.stringMatching(/^no instance type has 900 cpu/) },
    ]);
    expect(JSON.stringify(result)).not.toContain('default/done');
    expect(result.hourlyCost).toEqual({ before: 0, after: 0.1785 });
  });

  it('is deterministic: the same input prints the same bytes', () => {
    const again = fleetwright(
      'plan',
      '--pods',
      `${PLAN}/pods.json`,
      '--nodepools',
      `${PLAN}/pools.yaml`,
      '--output',
      'json',
    );
    expect(again.stdout).toBe(stdout);
  });
});

describe('fleetwright plan for a person', () => {
  it('prints tables with pool, type, zone, capacity type, $/h and pods, unschedulable pods, and a total', () => {
    const { code, stdout } = fleetwright(
      'plan',
      '--pods',
      `${PLAN}/pods.json`,
      '--nodepools',
      `${PLAN}/pools.yaml`,
      '--output',
      'table',
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/NODEPOOL\s+TYPE\s+ZONE\s+CAPACITY\s+\$\/H\s+PODS/);
    expect(stdout).toMatch(/default\s+c7i\.xlarge\s+us-east-1\w\s+on-demand\s+\$0\.1785\s+2/);
    expect(stdout).toContain('default/huge-0');
    expect(stdout).toContain('Total: 2 pods placed, 1 unschedulable, 1 new nodes; $/h 0.0000 -> 0.1785');
  });
});

describe('fleetwright plan with unusable input', () => {
  it('names the file, the object and the field of a bad quantity, exits 2 and prints nothing on stdout', () => {
    const pods = scratchFile(
      'bad-pods.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata: { name: api, namespace: shop }\nspec:\n  containers:\n    - name: c\n      resources: { requests: { cpu: "two" } }\n',
    );
    const { code, stdout, stderr } = fleetwright('plan', '--pods', pods, '--nodepools', `${PLAN}/pools.yaml`);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      new RegExp(`^${pods}: Pod/shop/api: spec\\.containers\\[0\\]\\.resources\\.requests\\.cpu: .*"two"`, 'm'),
    );
  });

  it('reports every problem of every input at once', () => {
    const pods = scratchFile('broken.json', '{ "kind": "Pod", ');
    const pools = scratchFile(
      'pools.yaml',
      'apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata: { name: x }\nspec:\n  template:\n    spec:\n      nodeClassRef: { group: karpenter.k8s.aws, kind: EC2NodeClass, name: default }\n      requirments: []\n',
    );
    const { code, stdout, stderr } = fleetwright('plan', '--pods', pods, '--nodepools', pools);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`${pods}:`);
    expect(stderr).toContain(
      `${pools}: NodePool/x: spec.template.spec.requirments: unknown field, did you mean "requirements"?`,
    );
  });

  it('says which option is missing', () => {
    const { code, stdout, stderr } = fleetwright('plan', '--nodepools', `${PLAN}/pools.yaml`);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('--pods <file> is required');
  });

  it('treats an empty --nodepools file as "no NodePools"', () => {
    const empty = scratchFile('empty.yaml', '');
    const { code, stdout } = fleetwright(
      'plan',
      '--pods',
      `${PLAN}/pods.json`,
      '--nodepools',
      empty,
      '--output',
      'json',
    );
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.newNodes).toEqual([]);
    expect(result.unschedulable.map((u: { reason: string }) => u.reason)).toEqual([
      'no NodePools',
      'no NodePools',
      'no NodePools',
    ]);
  });
});

describe('fleetwright plan with --nodes: disruption', () => {
  const NODES = ['--nodes', `${PLAN}/nodes.json`, '--pods', `${PLAN}/running-pods.json`];
  const run = (now: string) =>
    fleetwright('plan', ...NODES, '--nodepools', `${PLAN}/pools.yaml`, '--now', now, '--output', 'json');

  it('deletes the empty managed node (emptiness) and prices the plan without it', () => {
    const { code, stdout, stderr } = run('2026-11-20T12:00:00Z');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const result = JSON.parse(stdout);
    expect(result.disruptions).toEqual([
      {
        method: 'emptiness',
        kind: 'delete',
        nodes: ['ip-10-0-1-10.ec2.internal'],
        replacements: [],
        savingsPerHour: 0.1008,
        reason: 'the node has no pods to move (DaemonSet and mirror pods aside) for longer than consolidateAfter 0s',
      },
    ]);
    expect(result.hourlyCost).toEqual({ before: 0.2016, after: 0.1008 });
  });

  it('lists the node a do-not-disrupt pod protects in blocked[], naming the pod', () => {
    const result = JSON.parse(run('2026-11-20T12:00:00Z').stdout);
    expect(result.blocked).toEqual([
      { node: 'ip-10-0-1-11.ec2.internal', reason: 'pod default/batch-0 has karpenter.sh/do-not-disrupt' },
    ]);
  });

  it('expires both nodes past expireAfter (720h), protection or not, and re-plans the protected pod', () => {
    const result = JSON.parse(run('2026-12-21T00:00:00Z').stdout);
    expect(result.disruptions.map((d: { method: string; nodes: string[] }) => [d.method, d.nodes])).toEqual([
      ['expiration', ['ip-10-0-1-10.ec2.internal']],
      ['expiration', ['ip-10-0-1-11.ec2.internal']],
    ]);
    expect(result.blocked).toEqual([]);
    expect(result.newNodes.flatMap((n: { pods: string[] }) => n.pods)).toEqual(['default/batch-0']);
  });
});
