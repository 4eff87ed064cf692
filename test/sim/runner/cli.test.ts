// `fleetwright simulate` as a user runs it: a subprocess over a small scenario, and a broken scenario (exit 2).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SHORT = fileURLToPath(new URL('./fixtures/short.yaml', import.meta.url));

function simulate(...args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, 'bin/fleetwright.js'), 'simulate', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('fleetwright simulate (subprocess)', () => {
  it('runs a scenario quietly, prints the summary and writes the report where told', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleetwright-sim-'));
    const report = join(dir, 'report.html');
    const result = simulate(SHORT, '--quiet', '--report', report);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Summary$/m);
    expect(result.stdout).toMatch(/evicted past a PDB\s+0$/m);
    expect(result.stdout).toMatch(/interruptions handled\s+.*SpotInterrupted 1/);
    expect(result.stdout).not.toMatch(/▶/);
    expect(result.stdout).toContain('Report: ');
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('<svg id="chart-capacity"');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  }, 60_000);

  it('exits 2 with the file, the path and the problem for a broken scenario', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleetwright-sim-'));
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'name: broken\nduration: soon\nconfig: []\nsteps: []\n');
    const result = simulate(file, '--quiet');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${file}: duration: "soon" is not a duration`);
    expect(result.stderr).toContain(`${file}: config: `);
  });
});
