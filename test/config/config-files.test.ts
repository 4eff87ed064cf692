import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfigFiles } from '../../shared/cli/config-files.js';
import { nodePool } from './builders.js';

// Paths are given relative to the fixtures folder, so messages show them as a user would type them.
const FIXTURES = fileURLToPath(new URL('../fixtures/config/', import.meta.url));
const load = (paths: string[], options = {}) => loadConfigFiles(paths, { cwd: FIXTURES, ...options });

const UNPARSEABLE_YAML = 'apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata:\n  name: [broken\n';

const tempFolders: string[] = [];
afterAll(() => {
  for (const dir of tempFolders) rmSync(dir, { recursive: true, force: true });
});

function tempFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'fleetwright-config-'));
  tempFolders.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('loadConfigFiles', () => {
  it('reads a folder in the config push layout, JSON and YAML alike', () => {
    const config = load(['valid']);
    expect(config.errors).toEqual([]);
    expect(config.documents.map((d) => `${d.source} ${d.kind}/${d.name}`)).toEqual([
      'valid/nodepools/default.json NodePool/default',
      'valid/nodepools/gpu.yaml NodePool/gpu',
      'valid/nodeclasses/default.json EC2NodeClass/default',
      'valid/nodeclasses/gpu.yaml EC2NodeClass/gpu',
      'valid/settings.json Settings/settings',
    ]);
    expect(config.nodePools.map((p) => p.name)).toEqual(['default', 'gpu']);
    expect(config.nodeClasses.map((c) => [c.name, c.amiFamily])).toEqual([
      ['default', 'AL2023'],
      ['gpu', 'Bottlerocket'],
    ]);
    expect(config.settings.responsiveness).toBe('economy');
  });

  it('reads files holding several documents and dispatches them by kind', () => {
    const config = load(['karpenter-docs/getting-started.yaml']);
    expect(config.errors).toEqual([]);
    expect(config.nodePools).toHaveLength(1);
    expect(config.nodeClasses).toHaveLength(1);
  });

  it('holds layout files to their file name', () => {
    const config = load(['misnamed']);
    expect(config.fileErrors).toEqual([]);
    expect(config.errors).toEqual([
      'misnamed/nodepools/web.json: NodePool/api: metadata.name: "api" does not match the file name "web" (the file name must equal metadata.name)',
    ]);
  });

  it('reports files it cannot read or parse apart from invalid documents', () => {
    // Written here rather than kept as a fixture: the formatter cannot parse a broken file either.
    const broken = join(tempFolder({ 'broken.yaml': UNPARSEABLE_YAML }), 'broken.yaml');
    const config = load(['missing.yaml', broken, 'invalid/nodeclass-al2.json']);
    expect(config.fileErrors).toEqual([
      'missing.yaml: cannot read: no such file or directory',
      `${broken}: cannot parse YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 5, column 1:`,
    ]);
    expect(config.errors).toHaveLength(3);
    expect(config.errors[2]).toMatch(
      /^invalid\/nodeclass-al2\.json: EC2NodeClass\/legacy: spec\.amiFamily: AL2 is not supported/,
    );
  });

  it('refuses a folder that is not in the layout', () => {
    expect(load(['invalid']).fileErrors).toEqual([
      'invalid: not a config folder: expected nodepools/, nodeclasses/ or settings.json in it',
    ]);
  });

  it('ignores files of other types in the layout folders, and takes settings.yaml', () => {
    const dir = tempFolder({
      'nodepools/web.yml': JSON.stringify(nodePool()),
      'nodepools/README.md': '# not config',
      'settings.yaml': 'apiVersion: fleetwright.io/v1\nkind: Settings\nspec:\n  dryRun: true\n',
    });
    const config = loadConfigFiles([dir]);
    expect(config.errors).toEqual([]);
    expect(config.nodePools.map((p) => p.name)).toEqual(['web']);
    expect(config.settings.dryRun).toBe(true);
  });

  it('accepts a layout folder with no documents yet', () => {
    const dir = tempFolder({ 'nodepools/.keep': '' });
    expect(loadConfigFiles([dir]).errors).toEqual([]);
  });

  it('checks node class references only when node classes are given or required', () => {
    expect(load(['valid/nodepools/gpu.yaml']).errors).toEqual([]);
    expect(load(['valid/nodepools/gpu.yaml'], { requireNodeClasses: true }).errors).toEqual([
      'valid/nodepools/gpu.yaml: NodePool/gpu: spec.template.spec.nodeClassRef.name: no EC2NodeClass named "gpu" (none are given)',
    ]);
    expect(load(['valid/nodepools/gpu.yaml', 'valid/nodeclasses/gpu.yaml']).errors).toEqual([]);
  });
});
