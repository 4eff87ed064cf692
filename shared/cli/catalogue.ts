// The instance-type catalogue for offline commands: the bundled us-east-1 file, or a user's own
// (`--instance-types`), validated with every problem reported at once.

import { readFileSync } from 'node:fs';
import type { CatalogueEntry } from '../core/instancetypes/catalogue.js';
import { validateCatalogue } from '../core/instancetypes/validate.js';
import { readObjects } from './inputs.js';
import { InputError } from './io.js';

const BUNDLED = new URL('../data/ec2-instance-types.us-east-1.json', import.meta.url);

let bundled: readonly CatalogueEntry[] | undefined;

/** The bundled catalogue (1345 types with us-east-1 on-demand prices), read once per process. */
export function bundledCatalogue(): readonly CatalogueEntry[] {
  bundled ??= JSON.parse(readFileSync(BUNDLED, 'utf8')) as CatalogueEntry[];
  return bundled;
}

/** A catalogue file (JSON or YAML array of entries); errors name the file. */
export async function readCatalogue(path: string, cwd?: string): Promise<readonly CatalogueEntry[]> {
  const entries = await readObjects(path, { cwd });
  const errors = validateCatalogue(entries);
  if (errors.length > 0) throw new InputError(errors.map((e) => `${path}: ${e}`));
  return entries as unknown as CatalogueEntry[];
}
