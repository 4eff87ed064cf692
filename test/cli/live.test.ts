// The live commands against a running simulator, every part real: `fleetwright simulate --keep-running` serves
// a small cluster (an AWS endpoint for EC2, SSM and EKS; the Kubernetes API over TLS taking EKS IAM tokens), and
// `status` and `plan --cluster` run as subprocesses with only the AWS variables it prints, the way a newcomer
// would use them. The simulator's functions keep running in real time meanwhile.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../fixtures/cli.js';
import { fleetwrightWithEnv } from '../fixtures/cli-async.js';

const SCENARIO = join(ROOT, 'test/cli/fixtures/live-scenario.yaml');
const CLUSTER = 'fleetwright-sim';

let dir: string;
let sim: ChildProcess;
let simOutput = '';
let env: Record<string, string>;

/** Starts the simulator and resolves with the variables from its env file once it serves the cluster. */
function startSimulator(): Promise<Record<string, string>> {
  sim = spawn(process.execPath, [join(ROOT, 'bin/fleetwright.js'), 'simulate', SCENARIO, '--quiet', '--keep-running'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: dir, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  return new Promise((resolve, reject) => {
    sim.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      simOutput += chunk;
      if (simOutput.includes('AWS endpoint ')) {
        const vars = readFileSync(join(dir, '.fleetwright/sim.env'), 'utf8')
          .trim()
          .split('\n')
          .map((line) => line.replace(/^export /, '').split('=') as [string, string]);
        resolve(Object.fromEntries(vars));
      }
    });
    sim.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      simOutput += chunk;
    });
    sim.on('exit', (code) => reject(new Error(`simulator exited (${code}) before serving:\n${simOutput}`)));
  });
}

/** The simulator's Parameter Store, through the real SDK client and the variables it printed. */
function simulatorSsm(): SSMClient {
  const credentials = {
    accessKeyId: env.AWS_ACCESS_KEY_ID as string,
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY as string,
  };
  return new SSMClient({ endpoint: env.AWS_ENDPOINT_URL, region: env.AWS_REGION, credentials });
}

function cli(...args: string[]) {
  return cliWith({}, ...args);
}

/** The CLI with the simulator's variables, some of them replaced. */
function cliWith(overrides: Record<string, string>, ...args: string[]) {
  return fleetwrightWithEnv(
    {
      ...env,
      ...overrides,
      HOME: dir,
      AWS_CONFIG_FILE: join(dir, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-aws-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    ...args,
  );
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fleetwright-live-'));
  env = await startSimulator();
}, 120_000);

afterAll(async () => {
  if (sim && sim.exitCode === null) {
    const exited = new Promise((resolve) => sim.once('exit', resolve));
    sim.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('simulate --keep-running', () => {
  it('prints how to reach the cluster and writes the variables to .fleetwright/sim.env', () => {
    expect(simOutput).toContain(`npx fleetwright status --cluster ${CLUSTER}`);
    expect(env.AWS_ENDPOINT_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Object.keys(env).sort()).toEqual([
      'AWS_ACCESS_KEY_ID',
      'AWS_ENDPOINT_URL',
      'AWS_REGION',
      'AWS_SECRET_ACCESS_KEY',
    ]);
  });
});

describe('fleetwright status --cluster (against the simulator)', () => {
  it('reports the pool, its nodes, the pending pod with its reason, the decisions, the Lease and the config', async () => {
    const result = await cli('status', '--cluster', CLUSTER, '--output', 'json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.cluster).toBe(CLUSTER);
    const [pool] = report.pools;
    expect(pool.name).toBe('general');
    expect(pool.nodes.registered).toBeGreaterThanOrEqual(2);
    // The groups add up to the nodes; every one is on-demand m7i/c7i as the pool requires.
    const grouped = pool.groups.reduce((n: number, g: { count: number }) => n + g.count, 0);
    expect(grouped).toBe(
      pool.nodes.registered + pool.inFlight.length + pool.unregistered.length + pool.nodeDeleted.length,
    );
    for (const g of pool.groups) {
      expect(g.capacityType).toBe('on-demand');
      expect(g.instanceType).toMatch(/^(m7i|c7i)\.(large|xlarge)$/);
    }
    expect(pool.usage.find((u: { resource: string }) => u.resource === 'cpu').limit).toBe(64_000);
    expect(pool.budgets.map((b: { reason: string }) => b.reason)).toEqual(['Empty', 'Drifted', 'Underutilized']);
    expect(report.pending).toEqual([
      expect.objectContaining({ pod: 'shop/giant', reason: expect.stringMatching(/^cannot be placed: /) }),
    ]);
    expect(report.decisions.length).toBeGreaterThan(0);
    // Pods hear where they go (Nominated) or why they cannot go anywhere (FailedScheduling).
    const about = report.decisions.map((d: { reason: string; regarding: string }) => `${d.reason} ${d.regarding}`);
    expect(about.some((a: string) => /^(Nominated|FailedScheduling) Pod\/shop\//.test(a))).toBe(true);
    expect(report.lease.holder).toMatch(/^reconcile-/);
    expect(report.config).toMatchObject({ prefix: `/fleetwright/${CLUSTER}/`, latest: true });
    expect(report.config.documents.map((d: { kind: string; name: string }) => `${d.kind}/${d.name}`).sort()).toEqual([
      'EC2NodeClass/default',
      'NodePool/general',
    ]);
    expect(report.hourlyCost.now).toBeCloseTo(pool.hourlyCost, 6);
  }, 60_000);

  it('prints a page for a person', async () => {
    const result = await cli('status', '--cluster', CLUSTER, '--output', 'table');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Cluster fleetwright-sim at \S+Z: \$\d+\.\d{4}\/h now/);
    expect(result.stdout).toMatch(/NodePool general \(node class default, weight 0\): \d+ nodes/);
    expect(result.stdout).toContain('limits: cpu ');
    expect(result.stdout).toMatch(/Pending pods \(1\):\n {2}POD +AGE +WHY\n {2}shop\/giant +\S+ +cannot be placed/);
    expect(result.stdout).toMatch(/Lease: held by reconcile-\d+ since/);
    expect(result.stdout).toContain('the latest versions are in force');
  }, 60_000);

  it('warns when nothing is stored under the prefix, instead of looking healthy', async () => {
    const result = await cli('status', '--cluster', CLUSTER, '--prefix', '/nothing/here/', '--output', 'json');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      'warning: nothing is stored under /nothing/here/: is the cluster, --prefix or region right?',
    );
    expect(JSON.parse(result.stdout).pools).toEqual([]);
  }, 60_000);

  it('says what to check when the API server refuses the IAM identity (a token signed with another key)', async () => {
    const result = await cliWith({ AWS_SECRET_ACCESS_KEY: 'not-the-operators-secret' }, 'status', '--cluster', CLUSTER);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/401/);
    expect(result.stderr).toContain('does it have an EKS access entry for this cluster?');
  }, 60_000);

  it('fails with exit 3 and the call that failed for a cluster EKS does not know', async () => {
    const result = await cli('status', '--cluster', 'no-such-cluster', '--output', 'json');
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/eks:DescribeCluster no-such-cluster: ResourceNotFoundException/);
  }, 60_000);
});

describe('fleetwright status --watch (against the simulator)', () => {
  it('prints a fresh report every interval until stopped', async () => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin/fleetwright.js'), 'status', '--cluster', CLUSTER, '-o', 'json', '--watch', '--interval', '1'],
      {
        cwd: dir,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: dir,
          ...env,
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        },
      },
    );
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    const reports = () => out.split(/\n(?=\{)/).filter((d) => d.trim().endsWith('}'));
    const deadline = Date.now() + 40_000;
    while (reports().length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGTERM');
    const [first, second] = reports().map((d) => JSON.parse(d));
    expect(first.cluster).toBe(CLUSTER);
    // Each refresh reads again: the clock moved on between them.
    expect(second.now).toBeGreaterThan(first.now);
  }, 60_000);
});

describe('a config document that fails validation (against the simulator)', () => {
  it('status says the last-known-good version is in force instead of the latest', async () => {
    const ssm = simulatorSsm();
    const name = `/fleetwright/${CLUSTER}/nodepools/general`;
    const stored = await ssm.send(new GetParameterCommand({ Name: name }));
    const broken = JSON.parse(stored.Parameter?.Value as string);
    broken.spec.limits = { cpu: 'lots' };
    await ssm.send(
      new PutParameterCommand({ Name: name, Value: JSON.stringify(broken), Type: 'String', Overwrite: true }),
    );
    ssm.destroy();

    const report = JSON.parse((await cli('status', '--cluster', CLUSTER, '-o', 'json')).stdout);
    expect(report.config.latest).toBe(false);
    expect(report.config.invalid).toEqual([
      { parameter: name, errors: [expect.stringContaining('spec.limits.cpu')], fallbackVersion: 1 },
    ]);
    expect(report.config.documents).toContainEqual({ kind: 'NodePool', name: 'general', version: 1, fallbackFrom: 2 });
    const table = await cli('status', '--cluster', CLUSTER, '-o', 'table');
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(`${name}: version 1 stays in force`);

    // Put the valid document back (version 3), so the tests after this one see the config as it was.
    const restore = simulatorSsm();
    await restore.send(
      new PutParameterCommand({
        Name: name,
        Value: stored.Parameter?.Value as string,
        Type: 'String',
        Overwrite: true,
      }),
    );
    restore.destroy();
    expect(JSON.parse((await cli('status', '--cluster', CLUSTER, '-o', 'json')).stdout).config.latest).toBe(true);
  }, 60_000);
});

describe('fleetwright plan --cluster (against the simulator)', () => {
  it('plans from the live cluster with the plan JSON contract', async () => {
    const result = await cli('plan', '--cluster', CLUSTER, '--output', 'json');
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout);
    expect(Object.keys(plan).sort()).toEqual(
      ['blocked', 'disruptions', 'existingNodes', 'hourlyCost', 'newNodes', 'unschedulable'].sort(),
    );
    expect(plan.unschedulable).toEqual([{ pod: 'shop/giant', reason: expect.stringMatching(/cpu/) }]);
    expect(plan.hourlyCost.before).toBeGreaterThan(0);
  }, 60_000);

  it('shows what a changed NodePool would do: every node drifts, and the $/h once they are replaced', async () => {
    const pool = {
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: { name: 'general' },
      spec: {
        template: {
          spec: {
            nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
            requirements: [
              { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] },
              { key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['m7i', 'c7i'] },
              { key: 'karpenter.k8s.aws/instance-size', operator: 'In', values: ['large', 'xlarge'] },
            ],
          },
        },
        limits: { cpu: '64' },
        disruption: { consolidationPolicy: 'WhenEmpty', consolidateAfter: '1m', budgets: [{ nodes: '50%' }] },
      },
    };
    const file = join(dir, 'general-spot.json');
    writeFileSync(file, JSON.stringify(pool));
    const status = JSON.parse((await cli('status', '--cluster', CLUSTER, '-o', 'json')).stdout);
    const result = await cli('plan', '--cluster', CLUSTER, '--nodepools', file, '--output', 'json');
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.documents).toEqual(['NodePool/general']);
    // On-demand nodes no longer satisfy a spot-only pool: every registered one drifts, and can be replaced.
    const drifted = out.change.drifted.map((d: { node: string }) => d.node);
    for (const node of status.pools[0].nodeNames) expect(drifted).toContain(node);
    for (const d of out.change.drifted) {
      expect(d.reason).toMatch(/karpenter\.sh\/capacity-type/);
      expect(d.kept).toBeUndefined();
    }
    // Spot is cheaper than on-demand for the same types in the synthetic market.
    expect(out.change.hourlyCost.proposed).toBeLessThan(out.change.hourlyCost.now);
    expect(out.proposed.disruptions.length).toBeGreaterThan(0);

    const table = await cli('plan', '--cluster', CLUSTER, '--nodepools', file, '--output', 'table');
    expect(table.stdout).toMatch(
      /^Config change for cluster fleetwright-sim: NodePool\/general\n {2}\d+ nodes? would drift/,
    );
  }, 60_000);

  it('judges a node-class change with the proposed class only: a new AMI selection drifts every node', async () => {
    const nodeClass = {
      apiVersion: 'karpenter.k8s.aws/v1',
      kind: 'EC2NodeClass',
      metadata: { name: 'default' },
      spec: {
        role: 'KarpenterNodeRole-fleetwright-sim',
        amiSelectorTerms: [{ alias: 'bottlerocket@latest' }],
        subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': CLUSTER } }],
        securityGroupSelectorTerms: [{ tags: { 'karpenter.sh/discovery': CLUSTER } }],
      },
    };
    const file = join(dir, 'bottlerocket.json');
    writeFileSync(file, JSON.stringify(nodeClass));
    const status = JSON.parse((await cli('status', '--cluster', CLUSTER, '-o', 'json')).stdout);
    const result = await cli('plan', '--cluster', CLUSTER, '--nodeclasses', file, '--output', 'json');
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.documents).toEqual(['EC2NodeClass/default']);
    const drifted = out.change.drifted.map((d: { node: string }) => d.node);
    for (const node of status.pools[0].nodeNames) expect(drifted).toContain(node);
    // The live side still sees the stored class: nothing was drifted there, so the diff shows every node.
    expect(out.live.disruptions.filter((d: { method: string }) => d.method === 'drift')).toEqual([]);
  }, 60_000);

  it('refuses a pool naming a node class that is neither given nor stored, as the controller would', async () => {
    const pool = {
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: { name: 'gpu' },
      spec: { template: { spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'gpu' } } } },
    };
    const file = join(dir, 'gpu.json');
    writeFileSync(file, JSON.stringify(pool));
    const result = await cli('plan', '--cluster', CLUSTER, '--nodepools', file);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      'NodePool/gpu: spec.template.spec.nodeClassRef.name: no EC2NodeClass named "gpu" is given or stored under',
    );
  }, 60_000);

  it('refuses offline inputs with --cluster and an invalid override, before reading anything', async () => {
    const offline = await cli('plan', '--cluster', CLUSTER, '--pods', 'pods.json');
    expect(offline.code).toBe(2);
    expect(offline.stderr).toContain('--pods cannot be used with --cluster (it is read live)');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ apiVersion: 'karpenter.sh/v1', kind: 'NodePool', metadata: { name: 'x' } }));
    const invalid = await cli('plan', '--cluster', CLUSTER, '--nodepools', bad);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/NodePool\/x: spec/);
  }, 60_000);
});

describe('fleetwright explain --cluster (against the simulator)', () => {
  it('explains the pending pod: what plan decides and why the pool cannot take it', async () => {
    const result = await cli('explain', 'pod', 'shop/giant', '--cluster', CLUSTER, '--output', 'json');
    expect(result.code).toBe(0);
    const explanation = JSON.parse(result.stdout);
    expect(explanation).toMatchObject({ pod: 'shop/giant', plan: { outcome: 'unschedulable' } });
    const [pool] = explanation.nodePools;
    expect(pool).toMatchObject({ nodePool: 'general', canTake: false });
    expect(pool.reasons.map((r: { message: string }) => r.message).join('\n')).toMatch(/cpu/);
  }, 60_000);

  it('explains a running node: managed by its pool, with a verdict per disruption method', async () => {
    const status = JSON.parse((await cli('status', '--cluster', CLUSTER, '-o', 'json')).stdout);
    const [name] = status.pools[0].nodeNames;
    const result = await cli('explain', 'node', name, '--cluster', CLUSTER, '--output', 'table');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(`^Node ${name} \\(managed, pool general; (m7i|c7i)\\.(large|xlarge) on-demand`),
    );
    for (const method of ['expiration', 'emptiness', 'drift', 'consolidation'])
      expect(result.stdout).toContain(`${method}:`);
  }, 60_000);
});

describe('stopping the simulator', () => {
  it('stops on SIGTERM and says so', async () => {
    const exited = new Promise<number | null>((resolve) => sim.once('exit', (code) => resolve(code)));
    sim.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(simOutput).toContain('Stopped.');
  }, 60_000);
});
