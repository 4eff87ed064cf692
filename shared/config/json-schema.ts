// JSON Schemas of the three documents, generated from the zod schemas, for editor completion and hover
// (VS Code's json.schemas, the YAML language server's `# yaml-language-server: $schema=`). They describe the
// documents as written (zod's "input" side: a field with a default is optional) and are looser than
// validation: checks written in code (durations, quantities, label syntax, cross-field rules) are not in
// them. `fleetwright validate` remains the judge; the schemas only help type the document.

import { z } from 'zod';
import type { ConfigKind } from './document.js';
import { strictObjects } from './fields.js';
import { EC2NODECLASS_KIND, NODECLASS_API_VERSION, nodeClassDocumentSchema } from './nodeclass-schema.js';
import { NODEPOOL_API_VERSION, NODEPOOL_KIND, nodePoolDocumentSchema } from './nodepool-schema.js';
import { SETTINGS_API_VERSION, SETTINGS_KIND, settingsDocumentSchema } from './settings-schema.js';

export interface SchemaFile {
  /** File name, e.g. `nodepool.schema.json`. */
  readonly file: string;
  readonly kind: ConfigKind;
  readonly schema: Record<string, unknown>;
}

const DOCUMENTS = [
  { file: 'nodepool.schema.json', kind: NODEPOOL_KIND, apiVersion: NODEPOOL_API_VERSION, zod: nodePoolDocumentSchema },
  {
    file: 'ec2nodeclass.schema.json',
    kind: EC2NODECLASS_KIND,
    apiVersion: NODECLASS_API_VERSION,
    zod: nodeClassDocumentSchema,
  },
  { file: 'settings.schema.json', kind: SETTINGS_KIND, apiVersion: SETTINGS_API_VERSION, zod: settingsDocumentSchema },
] as const;

/** The schema of each document kind, in a fixed order (the files `fleetwright config schema` writes). */
export function configJsonSchemas(): SchemaFile[] {
  return DOCUMENTS.map(({ file, kind, apiVersion, zod }) => ({
    file,
    kind,
    schema: documentSchema(zod, kind, apiVersion),
  }));
}

function documentSchema(zod: z.ZodType, kind: ConfigKind, apiVersion: string): Record<string, unknown> {
  const generated = z.toJSONSchema(zod, {
    // Draft 7 is the newest draft every editor's JSON and YAML language server reads.
    target: 'draft-7',
    io: 'input',
    // Every schema here is representable; 'any' only guards against a future field that is not.
    unrepresentable: 'any',
    override: (ctx) => {
      // strictObject builds loose objects and refuses unknown keys in a check zod cannot export.
      if (strictObjects.get(ctx.zodSchema) && ctx.jsonSchema.type === 'object') {
        ctx.jsonSchema.additionalProperties = false;
      }
    },
  }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  const properties = rest.properties as Record<string, unknown>;
  // apiVersion is checked in code (to explain the versions people paste by mistake): state it here.
  properties.apiVersion = { type: 'string', const: apiVersion };
  return {
    $schema,
    title: `fleetwright ${kind} (${apiVersion})`,
    description: `A ${kind} document as fleetwright reads it from SSM Parameter Store or a config folder. Run "fleetwright validate" for the checks a schema cannot express.`,
    ...rest,
  };
}
