// `fleetwright explain pod|node` as a user runs it (a subprocess from the project root): JSON whose "plan" part is
// plan's own output, the describe-like table, pods and nodes that are not in the input (exit 2, with suggestions),
// usage errors and help.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fleetwright } from '../fixtures/cli.js';

const PLAN = 'test/fixtures/plan';
const PENDING = ['--pods', `${PLAN}/pods.json`, '--nodepools', `${PLAN}/pools.yaml`];
const RUNNING = [
  '--nodes',
  `${PLAN}/nodes.json`,
  '--pods',
  `${PLAN}/running-pods.json`,
  '--nodepools',
  `${PLAN}/pools.yaml`,
  '--now',
  '2026-11-20T12:00:00Z',
];

const scratch = mkdtempSync(join(tmpdir(), 'fleetwright-explain-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function scratchFile(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

/** Two pools: a weighted general pool of m7i/c7i, and an amd64 GPU pool behind a taint. */
const POOLS = `apiVersion: karpenter.sh/v1
kind: NodePool
metadata: { name: general }
spec:
  weight: 10
  template:
    spec:
      nodeClassRef: { group: karpenter.k8s.aws, kind: EC2NodeClass, name: default }
      requirements:
        - { key: karpenter.k8s.aws/instance-family, operator: In, values: [m7i, c7i] }
---
apiVersion: karpenter.sh/v1
kind: NodePool
metadata: { name: gpu }
spec:
  template:
    spec:
      nodeClassRef: { group: karpenter.k8s.aws, kind: EC2NodeClass, name: default }
      requirements:
        - { key: kubernetes.io/arch, operator: In, values: [amd64] }
      taints:
        - { key: nvidia.com/gpu, value: "true", effect: NoSchedule }
`;

const PODS = `apiVersion: v1
kind: Pod
metadata: { name: arm-0, namespace: shop, uid: u-arm-0 }
spec:
  nodeSelector: { kubernetes.io/arch: arm64 }
  containers: [{ name: c, resources: { requests: { cpu: 500m, memory: 1Gi } } }]
`;

describe('fleetwright explain pod --output json', () => {
  const { code, stdout, stderr } = fleetwright('explain', 'pod', 'default/web-0', ...PENDING, '--output', 'json');
  const planned = JSON.parse(fleetwright('plan', ...PENDING, '--output', 'json').stdout);

  it('exits 0 with one JSON object: the pod, its requests, the plan decision, existing nodes and every pool', () => {
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const e = JSON.parse(stdout);
    expect(Object.keys(e)).toEqual(['pod', 'status', 'requests', 'plan', 'existingNodes', 'nodePools', 'notes']);
    expect(e.pod).toBe('default/web-0');
    expect(e.requests).toEqual({ cpu: '1500m', memory: '2Gi', pods: '1' });
  });

  it("reports plan's own decision for the pod: the same new node, field for field", () => {
    const e = JSON.parse(stdout);
    expect(e.plan.outcome).toBe('new-node');
    expect(e.plan.newNodeIndex).toBe(1);
    expect(e.plan.newNode).toEqual(planned.newNodes[0]);
  });

  it('names the cheapest launch of the pool for the pod alone', () => {
    const [pool] = JSON.parse(stdout).nodePools;
    expect(pool).toMatchObject({ nodePool: 'default', canTake: true, reasons: [] });
    // 1.5 CPU alone fits c7i.large (1930m allocatable); plan's node is larger because it also holds web-1.
    expect(pool.launch).toMatchObject({ instanceType: 'c7i.large', capacityType: 'on-demand', hourlyPrice: 0.08925 });
  });

  it('prints JSON when stdout is not a terminal and no --output is given', () => {
    const again = fleetwright('explain', 'pod', 'default/web-0', ...PENDING);
    expect(again.stdout).toBe(stdout);
  });
});

describe('fleetwright explain pod for a person', () => {
  it('starts with the verdict, then one line per pool and one per reason', () => {
    const { code, stdout } = fleetwright('explain', 'pod', 'huge-0', ...PENDING, '--output', 'table');
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'Pod default/huge-0 (pending, requests cpu 900)',
        '  plan:           unschedulable: no instance type has 900 cpu (largest: 191450m)',
        '  existing nodes: none to consider',
        '  pool default (weight 0): CANNOT',
        '    - instance-types: no instance type has room for cpu 900: the most is 191450m (c7i.48xlarge)',
        '',
      ].join('\n'),
    );
  });

  it('lists every reason of every pool: taint and requirements, and instance types of the weighted pool', () => {
    const pools = scratchFile('pools.yaml', POOLS);
    const pods = scratchFile('pods.yaml', PODS);
    const { code, stdout } = fleetwright(
      'explain',
      'pod',
      'shop/arm-0',
      '--pods',
      pods,
      '--nodepools',
      pools,
      '-o',
      'table',
    );
    expect(code).toBe(0);
    expect(stdout).toContain('  pool general (weight 10): CANNOT\n');
    expect(stdout).toContain('    - instance-types: no instance type of the pool has kubernetes.io/arch In [arm64]\n');
    expect(stdout).toContain('  pool gpu (weight 0):      CANNOT\n');
    expect(stdout).toContain('    - taint nvidia.com/gpu=true:NoSchedule is not tolerated\n');
    expect(stdout).toContain(
      '    - requirements: pod needs kubernetes.io/arch In [arm64]; pool allows kubernetes.io/arch In [amd64]\n',
    );
  });
});

describe('fleetwright explain node', () => {
  it("json: the blocked reason is plan's, and every protection is listed", () => {
    const { code, stdout, stderr } = fleetwright(
      'explain',
      'node',
      'ip-10-0-1-11.ec2.internal',
      ...RUNNING,
      '-o',
      'json',
    );
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const e = JSON.parse(stdout);
    const planned = JSON.parse(fleetwright('plan', ...RUNNING, '--output', 'json').stdout);
    expect(e.plan.blocked).toBe(planned.blocked.find((b: { node: string }) => b.node === e.node).reason);
    expect(e).toMatchObject({ managed: true, candidate: false, instanceType: 'm7i.large', hourlyPrice: 0.1008 });
    expect(e.reasons).toEqual([
      { kind: 'do-not-disrupt', message: 'pod default/batch-0 has karpenter.sh/do-not-disrupt' },
    ]);
    expect(e.consolidation).toMatchObject({ outcome: 'delete', hypothetical: true, savingsPerHour: 0.1008 });
  });

  it('table: verdict first, a line per method, and what consolidating it would save', () => {
    const { code, stdout } = fleetwright('explain', 'node', 'ip-10-0-1-10.ec2.internal', ...RUNNING, '-o', 'table');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(
      'Node ip-10-0-1-10.ec2.internal (managed, pool default; m7i.large on-demand us-east-1a, $0.1008/h; age 4h; 0 pods)',
    );
    expect(lines[1]).toMatch(/^ {2}plan: +emptiness delete, saves \$0\.1008\/h: the node has no pods to move/);
    expect(stdout).toMatch(/\n {2}candidate: +yes\n/);
    expect(stdout).toMatch(/\n {2}emptiness: +yes — no pods to move\n/);
    expect(stdout).toMatch(/\n {2}consolidating it: delete, \$0\.1008\/h -> \$0\.0000\/h, saves \$0\.1008\/h/);
  });
});

describe('fleetwright explain with something that is not there', () => {
  it('a pod not in --pods exits 2, prints nothing on stdout, and suggests close names', () => {
    const { code, stdout, stderr } = fleetwright('explain', 'pod', 'default/web-9', ...PENDING);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `fleetwright explain: pod "default/web-9" is not in --pods ${PLAN}/pods.json; did you mean default/web-0, default/web-1?\n`,
    );
  });

  it('a node not in --nodes exits 2 and suggests close names', () => {
    const { code, stdout, stderr } = fleetwright('explain', 'node', 'ip-10-0-1-1', ...RUNNING);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `fleetwright explain: node "ip-10-0-1-1" is not in --nodes ${PLAN}/nodes.json; did you mean ip-10-0-1-10.ec2.internal, ip-10-0-1-11.ec2.internal?\n`,
    );
  });

  it('an unusable input exits 2 naming the file, as plan does', () => {
    const { code, stdout, stderr } = fleetwright(
      'explain',
      'pod',
      'web-0',
      '--pods',
      'missing.json',
      '--nodepools',
      `${PLAN}/pools.yaml`,
    );
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^missing\.json: cannot read the file/);
  });
});

describe('fleetwright explain usage', () => {
  it('--help prints the usage and exits 0', () => {
    const { code, stdout } = fleetwright('explain', '--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: fleetwright explain pod <namespace\/name> --pods <file> --nodepools <file\|dir>/);
    expect(stdout).toContain('fleetwright explain node <name> --nodes <file>');
  });

  it('is listed in the command summary', () => {
    expect(fleetwright('--help').stdout).toMatch(/\n {2}explain +why a pod goes where it goes/);
  });

  it('says what is missing or wrong, all at once, and exits 2', () => {
    const { code, stdout, stderr } = fleetwright('explain', 'pods', 'x', '--output', 'yaml');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('fleetwright explain: "pods" is not pod or node\n');
    expect(stderr).toContain('fleetwright explain: --pods <file> is required\n');
    expect(stderr).toContain(
      'fleetwright explain: --output: "yaml" is not an output format (expected json or table)\n',
    );
  });

  it('asks for --nodes when explaining a node', () => {
    const { code, stderr } = fleetwright('explain', 'node', 'n1', ...PENDING);
    expect(code).toBe(2);
    expect(stderr).toContain('fleetwright explain: explain node: --nodes <file> is required (or --cluster <name>)\n');
  });
});
