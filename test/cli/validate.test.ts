// `fleetwright validate`, run as a user runs it: `node bin/fleetwright.js validate ...` from the project root.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fleetwright } from '../fixtures/cli.js';

const FIXTURES = 'test/fixtures/config';

describe('fleetwright validate', () => {
  it('exits 0 and counts the documents when all are valid', () => {
    const { code, stdout, stderr } = fleetwright('validate', `${FIXTURES}/valid`);
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: '5 documents valid\n', stderr: '' });
  });

  it('accepts files and folders together', () => {
    const { code, stdout } = fleetwright(
      'validate',
      `${FIXTURES}/karpenter-docs/ec2nodeclass-reference.yaml`,
      `${FIXTURES}/karpenter-docs/nodepool-reference.yaml`,
    );
    expect({ code, stdout }).toEqual({ code: 0, stdout: '2 documents valid\n' });
  });

  it('exits 1 and prints every error of every document on stderr, one per line', () => {
    const { code, stdout, stderr } = fleetwright(
      'validate',
      `${FIXTURES}/invalid/nodepool-errors.yaml`,
      `${FIXTURES}/invalid/nodeclass-al2.json`,
    );
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.split('\n')).toEqual([
      'test/fixtures/config/invalid/nodepool-errors.yaml: NodePool/web: spec.template.spec.requirments: unknown field, did you mean "requirements"?',
      'test/fixtures/config/invalid/nodepool-errors.yaml: NodePool/web: spec.template.spec.requirements[0].operator: expected one of In, NotIn, Exists, DoesNotExist, Gt, Lt, Gte, Lte, got "Between"',
      'test/fixtures/config/invalid/nodepool-errors.yaml: NodePool/web: spec.template.spec.expireAfter: "30 days" is not a duration, expected e.g. "30s", "15m", "1h30m", "720h" or "Never"',
      'test/fixtures/config/invalid/nodepool-errors.yaml: NodePool/web: spec.limits.memory: "1.5Gx" is not a Kubernetes quantity, expected e.g. "250m", "1.5Gi", "4"',
      'test/fixtures/config/invalid/nodeclass-al2.json: EC2NodeClass/legacy: spec.amiFamily: AL2 is not supported: Amazon Linux 2 is unsupported on current Kubernetes versions (EKS publishes no AL2 AMIs for 1.33 and later), as in Karpenter; use AL2023',
      '',
    ]);
  });

  it('prints one JSON report with --output json', () => {
    const { code, stdout } = fleetwright(
      'validate',
      '--output',
      'json',
      `${FIXTURES}/misnamed`,
      `${FIXTURES}/valid/nodeclasses/default.json`,
    );
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual({
      valid: false,
      documents: [
        {
          source: 'test/fixtures/config/misnamed/nodepools/web.json',
          kind: 'NodePool',
          name: 'api',
          valid: false,
          errors: [
            {
              path: 'metadata.name',
              message: '"api" does not match the file name "web" (the file name must equal metadata.name)',
            },
          ],
        },
        {
          source: 'test/fixtures/config/valid/nodeclasses/default.json',
          kind: 'EC2NodeClass',
          name: 'default',
          valid: true,
          errors: [],
        },
      ],
    });
  });

  it('reports valid documents in the JSON report too', () => {
    const { code, stdout } = fleetwright('validate', `${FIXTURES}/valid/settings.json`, '--output=json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      valid: true,
      documents: [
        {
          source: 'test/fixtures/config/valid/settings.json',
          kind: 'Settings',
          name: 'settings',
          valid: true,
          errors: [],
        },
      ],
    });
  });

  it('exits 2 for a file it cannot read or parse', () => {
    const missing = fleetwright('validate', `${FIXTURES}/nope.yaml`);
    expect(missing).toEqual({
      code: 2,
      stdout: '',
      stderr: `${FIXTURES}/nope.yaml: cannot read: no such file or directory\n`,
    });
    // Written here rather than kept as a fixture: the formatter cannot parse a broken file either.
    const file = join(mkdtempSync(join(tmpdir(), 'fleetwright-validate-')), 'broken.yaml');
    writeFileSync(file, 'kind: NodePool\nmetadata:\n  name: [broken\n');
    const broken = fleetwright('validate', file);
    rmSync(dirname(file), { recursive: true });
    expect(broken.code).toBe(2);
    expect(broken.stdout).toBe('');
    expect(broken.stderr.startsWith(`${file}: cannot parse YAML: `)).toBe(true);
  });

  it('exits 2 on usage errors', () => {
    expect(fleetwright('validate').code).toBe(2);
    const unknown = fleetwright('validate', '--strict', `${FIXTURES}/valid`);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^fleetwright validate: Unknown option '--strict'/);
    const output = fleetwright('validate', '--output', 'xml', `${FIXTURES}/valid`);
    expect(output).toEqual({
      code: 2,
      stdout: '',
      stderr: 'fleetwright validate: --output must be one of text, json, got "xml"\n',
    });
  });

  it('prints its usage with --help', () => {
    const { code, stdout } = fleetwright('validate', '--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: fleetwright validate <dir\|files\.\.\.>/);
  });

  it('is listed by fleetwright --help', () => {
    expect(fleetwright('--help').stdout).toMatch(/\n {2}validate +check NodePool, EC2NodeClass and Settings documents/);
  });
});
