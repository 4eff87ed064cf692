// `fleetwright import`, run as a user runs it: `node bin/fleetwright.js import ...` from the project root.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fleetwright } from '../fixtures/cli.js';

const DOCS = 'test/fixtures/config/karpenter-docs';
const IMPORT = 'test/fixtures/config/karpenter-import';

const temp = mkdtempSync(join(tmpdir(), 'fleetwright-import-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('fleetwright import', () => {
  it('prints the documents as one JSON array on stdout and what it left behind on stderr', () => {
    const { code, stdout, stderr } = fleetwright('import', `${DOCS}/nodepool-reference.yaml`);
    expect(code).toBe(0);
    const documents = JSON.parse(stdout);
    expect(documents.map((d: { kind: string; metadata: { name: string } }) => `${d.kind}/${d.metadata.name}`)).toEqual([
      'NodePool/default',
    ]);
    expect(documents[0]).not.toHaveProperty('status');
    expect(stderr).toBe(
      `${DOCS}/nodepool-reference.yaml: NodePool/default: status: not carried over: status is written by the cluster\nimported 1 NodePool and 0 EC2NodeClasses\n`,
    );
  });

  it('writes a config folder with --out that validate accepts', () => {
    const out = join(temp, 'v1beta1');
    const imported = fleetwright('import', `${IMPORT}/v1beta1.yaml`, '--out', out);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toBe('');
    expect(imported.stderr.split('\n').slice(-4)).toEqual([
      `wrote ${out}/nodepools/general.json`,
      `wrote ${out}/nodeclasses/general.json`,
      `imported 1 NodePool and 1 EC2NodeClass into ${out}`,
      '',
    ]);
    expect(imported.stderr).toMatch(
      /NodePool\/general: spec\.disruption\.expireAfter: moved to spec\.template\.spec\.expireAfter/,
    );
    expect(JSON.parse(readFileSync(join(out, 'nodepools/general.json'), 'utf8')).apiVersion).toBe('karpenter.sh/v1');
    expect(fleetwright('validate', out)).toEqual({ code: 0, stdout: '2 documents valid\n', stderr: '' });
  });

  it('imports several files at once, a kubectl List among them', () => {
    const out = join(temp, 'cluster');
    const { code, stderr } = fleetwright(
      'import',
      '-o',
      out,
      `${IMPORT}/cluster-export.yaml`,
      `${DOCS}/ec2nodeclass-reference.yaml`,
    );
    expect(code).toBe(0);
    expect(stderr).toMatch(/spec\.replicas: not carried over: static NodePools \(spec\.replicas\) are not supported/);
    expect(stderr.trimEnd().split('\n').at(-1)).toBe(`imported 1 NodePool and 2 EC2NodeClasses into ${out}`);
    expect(fleetwright('validate', out).stdout).toBe('3 documents valid\n');
  });

  it('writes nothing and exits 2 when a document is still invalid after conversion', () => {
    const out = join(temp, 'invalid');
    const { code, stdout, stderr } = fleetwright(
      'import',
      '--out',
      out,
      `${IMPORT}/v1beta1.yaml`,
      'test/fixtures/config/invalid/nodeclass-al2.json',
    );
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(existsSync(out)).toBe(false);
    expect(stderr.trimEnd().split('\n').slice(-2)).toEqual([
      'test/fixtures/config/invalid/nodeclass-al2.json: EC2NodeClass/legacy: spec.amiFamily: AL2 is not supported: Amazon Linux 2 is unsupported on current Kubernetes versions (EKS publishes no AL2 AMIs for 1.33 and later), as in Karpenter; use AL2023',
      'nothing written: fix the errors above and import again',
    ]);
  });

  it('exits 2 for unreadable files and usage errors, and prints its usage with --help', () => {
    const missing = fleetwright('import', `${IMPORT}/nope.yaml`);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /^test\/fixtures\/config\/karpenter-import\/nope\.yaml: cannot read the file: ENOENT/,
    );
    const none = fleetwright('import');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^fleetwright import: give the Karpenter YAML files to import\n/);
    const help = fleetwright('import', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: fleetwright import <karpenter\.yaml\.\.\.> \[--out <dir>\]/);
  });

  it('is listed by fleetwright --help, with config', () => {
    const { stdout } = fleetwright('--help');
    expect(stdout).toMatch(/\n {2}import +convert Karpenter NodePool and EC2NodeClass YAML/);
    expect(stdout).toMatch(/\n {2}config +push a config folder to SSM, pull it back, or write the JSON Schemas/);
  });
});
