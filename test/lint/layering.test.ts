// Proves the layering rule of DESIGN.md §1 is enforced: Biome fails when shared/core imports anything
// outside shared/core, and passes for imports that stay inside it. Runs the real Biome binary on a copy of the
// project's biome.json in a scratch tree shaped like the repository.

import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const biome = join(root, 'node_modules', '.bin', 'biome');
const scratch = mkdtempSync(join(tmpdir(), 'fleetwright-layering-'));
cpSync(join(root, 'biome.json'), join(scratch, 'biome.json'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Diagnostic {
  category: string;
  location: { path: string };
}

function lint(path: string, source: string): Diagnostic[] {
  const file = join(scratch, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, source);
  let out: string;
  try {
    out = execFileSync(biome, ['lint', '--reporter=json', path], { cwd: scratch, encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    out = (error as { stdout: string }).stdout;
  } finally {
    rmSync(file);
  }
  const report = JSON.parse(out) as { diagnostics: Diagnostic[] };
  return report.diagnostics.filter((d) => d.category === 'lint/style/noRestrictedImports');
}

describe('layering: shared/core is pure', () => {
  it.each([
    ['a node: module', "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n"],
    ['the AWS SDK', "import { EC2Client } from '@aws-sdk/client-ec2';\nexport const c = EC2Client;\n"],
    ['middy', "import middy from '@middy/core';\nexport const m = middy;\n"],
    ['the CDK', "import { Stack } from 'aws-cdk-lib';\nexport const s = Stack;\n"],
    ['another npm package', "import { z } from 'zod';\nexport const s = z;\n"],
    ['the config layer', "import { x } from '../../config/duration.js';\nexport const y = x;\n"],
    ['the adapters', "import { x } from '../../adapters/kubernetes/mappers/pod.js';\nexport const y = x;\n"],
  ])('fails when a core file imports %s', (_what, source) => {
    expect(lint('shared/core/scheduling/violation.ts', source)).toHaveLength(1);
  });

  it('fails for a file at the top of shared/core reaching out', () => {
    expect(
      lint('shared/core/violation.ts', "import { x } from '../config/duration.js';\nexport const y = x;\n"),
    ).toHaveLength(1);
  });

  it('fails for a file deep inside shared/core reaching out', () => {
    const source = "import { x } from '../../../cli/main.js';\nexport const y = x;\n";
    expect(lint('shared/core/scheduling/topology/violation.ts', source)).toHaveLength(1);
  });

  it('passes for imports that stay inside shared/core', () => {
    const source = "import { a } from './group.js';\nimport { b } from '../../labels.js';\nexport const y = [a, b];\n";
    expect(lint('shared/core/scheduling/topology/fine.ts', source)).toEqual([]);
  });

  it('does not restrict other layers', () => {
    expect(
      lint('shared/adapters/aws/fine.ts', "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n"),
    ).toEqual([]);
  });
});
