// `fleetwright config schema [--out <dir>]`: writes the JSON Schemas of the three documents, generated from
// the zod schemas (shared/config/json-schema.ts), for editor completion. The copies committed under
// `schemas/` are written by `fleetwright config schema --out schemas` followed by `npx biome format --write schemas`
// (Biome folds short arrays); a test compares their content with the generated schemas.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { configJsonSchemas } from '../../../config/json-schema.js';
import { EXIT, type Io, UsageError } from '../../io.js';

export const SCHEMA_USAGE = `usage: fleetwright config schema [--out <dir>]

Writes the JSON Schemas of the NodePool, EC2NodeClass and Settings documents, for editor completion:
nodepool.schema.json, ec2nodeclass.schema.json and settings.schema.json. Without --out, prints them on
stdout as one JSON object keyed by file name. The schemas check types, enums and required fields; run
fleetwright validate for everything else.

  --out <dir>   the folder to write the three files to (created if needed)
  -h, --help    show this help
`;

const OPTIONS = { out: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } } as const;

/** A schema file's text: two-space JSON and a final newline, as the committed copies are. */
export function schemaFileText(schema: Record<string, unknown>): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

export async function schemaCommand(argv: readonly string[], io: Io): Promise<number> {
  let values: { out?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: false, strict: true }));
  } catch (error) {
    throw new UsageError([`fleetwright config schema: ${(error as Error).message}`, SCHEMA_USAGE.trimEnd()]);
  }
  if (values.help) {
    io.stdout.write(SCHEMA_USAGE);
    return EXIT.ok;
  }
  const schemas = configJsonSchemas();
  if (values.out === undefined) {
    io.stdout.write(`${JSON.stringify(Object.fromEntries(schemas.map((s) => [s.file, s.schema])), null, 2)}\n`);
    return EXIT.ok;
  }
  const dir = resolve(io.cwd ?? process.cwd(), values.out);
  mkdirSync(dir, { recursive: true });
  for (const { file, schema } of schemas) {
    writeFileSync(join(dir, file), schemaFileText(schema));
    io.stdout.write(`wrote ${join(values.out, file)}\n`);
  }
  return EXIT.ok;
}
