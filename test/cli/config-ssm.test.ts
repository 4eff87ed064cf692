// `fleetwright config push` and `config pull`, run as subprocesses with the real AWS SDK against the loopback
// fake SSM endpoint (test/fakes/ssm-server.ts), reached through the standard AWS_ENDPOINT_URL_SSM override.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfigFiles } from '../../shared/cli/config-files.js';
import { nodeClass, nodePool } from '../config/builders.js';
import { FakeSsm } from '../fakes/ssm-server.js';
import { ROOT } from '../fixtures/cli.js';
import { fakeAwsEnv, fleetwrightWithEnv } from '../fixtures/cli-async.js';

const VALID = 'test/fixtures/config/valid';
const PREFIX = '/fleetwright/prod/';

const temp = mkdtempSync(join(tmpdir(), 'fleetwright-config-'));
let ssm: FakeSsm;
let env: Record<string, string>;

beforeAll(async () => {
  ssm = new FakeSsm();
  env = fakeAwsEnv(await ssm.start(), temp);
});
afterAll(async () => {
  await ssm.stop();
  rmSync(temp, { recursive: true, force: true });
});
beforeEach(() => {
  ssm.parameters.clear();
  ssm.calls.length = 0;
  ssm.failures.length = 0;
});

const run = (...args: string[]) => fleetwrightWithEnv(env, ...args);
const puts = () => ssm.calls.filter((c) => c.operation === 'PutParameter').map((c) => c.body.Name);

/** A config folder with the given files (path -> document), under the temp dir. */
function folder(name: string, files: Record<string, unknown>): string {
  const dir = join(temp, name);
  for (const [path, doc] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), JSON.stringify(doc));
  }
  return dir;
}

describe('fleetwright config push', () => {
  it('writes settings, node classes, then pools, and rewrites nothing unchanged', async () => {
    const first = await run('config', 'push', '--cluster', 'prod', VALID);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout.split('\n').map((line) => line.replace(/, \d+ bytes\)$/, ')'))).toEqual([
      `created ${PREFIX}settings (version 1, Standard)`,
      `created ${PREFIX}nodeclasses/default (version 1, Standard)`,
      `created ${PREFIX}nodeclasses/gpu (version 1, Standard)`,
      `created ${PREFIX}nodepools/default (version 1, Standard)`,
      `created ${PREFIX}nodepools/gpu (version 1, Standard)`,
      '',
    ]);
    const gpu = JSON.parse(ssm.current(`${PREFIX}nodepools/gpu`)?.Value ?? '{}');
    expect(gpu.spec.weight).toBe(50);
    ssm.calls.length = 0;
    const again = await run('config', 'push', '--cluster', 'prod', VALID);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^unchanged \/fleetwright\/prod\/settings\n/);
    expect(puts()).toEqual([]);
  });

  it('writes nothing when any document is invalid', async () => {
    const dir = folder('invalid', {
      'nodeclasses/default.json': nodeClass(),
      'nodepools/web.json': nodePool({ spec: { template: { spec: { requirments: [] } } } }),
    });
    const { code, stdout, stderr } = await run('config', 'push', '--cluster', 'prod', dir);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toBe(
      `${dir}/nodepools/web.json: NodePool/web: spec.template.spec.requirments: unknown field, did you mean "requirements"?\nnothing written\n`,
    );
    expect(ssm.calls).toEqual([]);
  });

  it('accepts a pool whose class is already stored, and refuses one whose class is nowhere', async () => {
    ssm.seed(`${PREFIX}nodeclasses/default`, JSON.stringify(nodeClass()));
    const dir = folder('pool-only', { 'nodepools/web.json': nodePool() });
    expect((await run('config', 'push', '--cluster', 'prod', dir)).code).toBe(0);
    const pruned = await run('config', 'push', '--cluster', 'prod', '--prune', dir);
    expect(pruned.code).toBe(2);
    expect(pruned.stderr).toBe(
      `${dir}/nodepools/web.json: NodePool/web: spec.template.spec.nodeClassRef.name: no EC2NodeClass named "default" in the folder\nnothing written\n`,
    );
  });

  it('--prune deletes our documents that left the folder and leaves other parameters alone', async () => {
    ssm.seed(`${PREFIX}nodepools/old`, JSON.stringify(nodePool({ metadata: { name: 'old' } })));
    ssm.seed(`${PREFIX}notes/readme`, 'kept');
    const { code, stdout } = await run('config', 'push', '--cluster', 'prod', '--prune', VALID);
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n').slice(-2)).toEqual([
      `deleted ${PREFIX}nodepools/old`,
      `left alone ${PREFIX}notes/readme: not a fleetwright document`,
    ]);
    expect([...ssm.parameters.keys()].sort()).toEqual([
      `${PREFIX}nodeclasses/default`,
      `${PREFIX}nodeclasses/gpu`,
      `${PREFIX}nodepools/default`,
      `${PREFIX}nodepools/gpu`,
      `${PREFIX}notes/readme`,
      `${PREFIX}settings`,
    ]);
  });

  it('uses the Advanced tier above 4 KB and keeps it when the document shrinks', async () => {
    const big = nodePool({ spec: { template: { metadata: { annotations: { notes: 'x'.repeat(5000) } } } } });
    const dir = folder('big', { 'nodeclasses/default.json': nodeClass(), 'nodepools/web.json': big });
    const first = await run('config', 'push', '--cluster', 'prod', '--prefix', '/teams/a/fleet', dir);
    expect(first.stdout).toMatch(/created \/teams\/a\/fleet\/nodepools\/web \(version 1, Advanced, 5\d{3} bytes\)/);
    writeFileSync(join(dir, 'nodepools/web.json'), JSON.stringify(nodePool()));
    const second = await run('config', 'push', '--cluster', 'prod', '--prefix', '/teams/a/fleet/', dir);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/updated \/teams\/a\/fleet\/nodepools\/web \(version 2, Advanced, \d{3} bytes\)/);
  });

  it('exits 3 naming the call that failed, after saying what it wrote', async () => {
    ssm.failures.push({
      operation: 'PutParameter',
      target: `${PREFIX}nodeclasses/gpu`,
      type: 'AccessDeniedException',
      message: `User: arn:aws:iam::123456789012:user/dev is not authorized to perform: ssm:PutParameter on resource: arn:aws:ssm:us-east-1:123456789012:parameter${PREFIX}nodeclasses/gpu`,
    });
    const { code, stdout, stderr } = await run('config', 'push', '--cluster', 'prod', VALID);
    expect(code).toBe(3);
    expect(
      stdout
        .trimEnd()
        .split('\n')
        .map((l) => l.split(' ')[1]),
    ).toEqual([`${PREFIX}settings`, `${PREFIX}nodeclasses/default`]);
    expect(stderr).toBe(
      `ssm:PutParameter ${PREFIX}nodeclasses/gpu: AccessDeniedException: User: arn:aws:iam::123456789012:user/dev is not authorized to perform: ssm:PutParameter on resource: arn:aws:ssm:us-east-1:123456789012:parameter${PREFIX}nodeclasses/gpu\n`,
    );
  });

  it('exits 2 on usage errors before calling AWS', async () => {
    expect((await run('config', 'push', VALID)).stderr).toMatch(/--cluster <name> is required/);
    expect((await run('config', 'push', '--cluster', 'prod', '--prefix', 'relative', VALID)).code).toBe(2);
    expect((await run('config', 'frobnicate')).code).toBe(2);
    expect(ssm.calls).toEqual([]);
  });
});

describe('fleetwright config pull', () => {
  it('writes the stored documents back as a folder that equals the pushed one', async () => {
    await run('config', 'push', '--cluster', 'prod', VALID);
    const out = join(temp, 'pulled');
    const { code, stdout, stderr } = await run('config', 'pull', '--cluster', 'prod', out);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain(`wrote ${out}/nodepools/gpu.json (version 1)\n`);
    const pushed = loadConfigFiles([VALID], { cwd: ROOT });
    const pulled = loadConfigFiles([out]);
    expect(pulled.errors).toEqual([]);
    const byName = (c: typeof pushed) =>
      Object.fromEntries(c.documents.map((d, i) => [`${d.kind}/${d.name}`, c.inputs[i]?.raw]));
    expect(byName(pulled)).toEqual(byName(pushed));
  });

  it('pulls one document at an older version with --document and --version', async () => {
    const name = `${PREFIX}nodepools/web`;
    ssm.seed(name, JSON.stringify(nodePool({ spec: { weight: 1 } })));
    ssm.seed(name, JSON.stringify(nodePool({ spec: { weight: 2 } })));
    const out = join(temp, 'older');
    const { code, stdout } = await run(
      'config',
      'pull',
      '--cluster',
      'prod',
      '--document',
      'nodepools/web',
      '--version',
      '1',
      out,
    );
    expect({ code, stdout }).toEqual({ code: 0, stdout: `wrote ${out}/nodepools/web.json (version 1)\n` });
    expect(JSON.parse(readFileSync(join(out, 'nodepools/web.json'), 'utf8')).spec.weight).toBe(1);
    const missing = await run(
      'config',
      'pull',
      '--cluster',
      'prod',
      '--document',
      'nodepools/web',
      '--version',
      '9',
      out,
    );
    expect(missing).toEqual({
      code: 3,
      stdout: '',
      stderr: `ssm:GetParameter ${name}:9: ParameterVersionNotFound: Systems Manager could not find version 9 of ${name}.\n`,
    });
  });

  it('refuses --version without --document: versions belong to one parameter', async () => {
    const { code, stderr } = await run('config', 'pull', '--cluster', 'prod', '--version', '3', join(temp, 'x'));
    expect(code).toBe(2);
    expect(stderr).toBe(
      'fleetwright config pull: --version needs --document: SSM numbers the versions of each document separately\n',
    );
    expect(ssm.calls).toEqual([]);
  });
});
