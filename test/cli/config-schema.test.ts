// `fleetwright config schema`, run as a user runs it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fleetwright, ROOT } from '../fixtures/cli.js';

const FILES = ['nodepool.schema.json', 'ec2nodeclass.schema.json', 'settings.schema.json'];
const committed = (file: string) => JSON.parse(readFileSync(join(ROOT, 'schemas', file), 'utf8'));

describe('fleetwright config schema', () => {
  it('writes the three schema files with --out, equal to the committed ones', () => {
    const out = mkdtempSync(join(tmpdir(), 'fleetwright-schema-'));
    const { code, stdout } = fleetwright('config', 'schema', '--out', out);
    expect(code).toBe(0);
    expect(stdout).toBe(FILES.map((f) => `wrote ${join(out, f)}\n`).join(''));
    for (const file of FILES) expect(JSON.parse(readFileSync(join(out, file), 'utf8'))).toEqual(committed(file));
    rmSync(out, { recursive: true });
  });

  it('prints them as one object keyed by file name without --out', () => {
    const { code, stdout } = fleetwright('config', 'schema');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(Object.fromEntries(FILES.map((f) => [f, committed(f)])));
  });

  it('lists its subcommands with config --help', () => {
    const { code, stdout } = fleetwright('config', '--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^usage: fleetwright config <push\|pull\|schema> \[options\]\n\n {2}push {4}validate a config folder/,
    );
  });
});
