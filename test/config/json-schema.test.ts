import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configJsonSchemas } from '../../shared/config/json-schema.js';

const SCHEMAS = new URL('../../schemas/', import.meta.url);

type Schema = Record<string, unknown> & { properties?: Record<string, Schema> };

function at(schema: Schema, ...path: string[]): Schema {
  return path.reduce((node, key) => (node.properties?.[key] ?? {}) as Schema, schema);
}

function byFile(file: string): Schema {
  const found = configJsonSchemas().find((s) => s.file === file);
  if (!found) throw new Error(`no schema ${file}`);
  return found.schema as Schema;
}

describe('configJsonSchemas', () => {
  it('matches the committed files under schemas/ (regenerate: fleetwright config schema --out schemas)', () => {
    for (const { file, schema } of configJsonSchemas()) {
      const committed = JSON.parse(readFileSync(new URL(file, SCHEMAS), 'utf8'));
      expect(committed, `schemas/${file} is out of date`).toEqual(schema);
    }
  });

  it('writes one schema per document kind, each fixing its apiVersion and kind', () => {
    expect(configJsonSchemas().map((s) => [s.file, s.kind])).toEqual([
      ['nodepool.schema.json', 'NodePool'],
      ['ec2nodeclass.schema.json', 'EC2NodeClass'],
      ['settings.schema.json', 'Settings'],
    ]);
    const pool = byFile('nodepool.schema.json');
    expect(at(pool, 'apiVersion')).toEqual({ type: 'string', const: 'karpenter.sh/v1' });
    expect(at(pool, 'kind')).toEqual({ type: 'string', const: 'NodePool' });
    expect(pool.$schema).toBe('http://json-schema.org/draft-07/schema#');
  });

  it('closes the objects validation keeps strict, and leaves metadata open as kubectl output needs', () => {
    const pool = byFile('nodepool.schema.json');
    expect(pool.additionalProperties).toBe(false);
    expect(at(pool, 'spec').additionalProperties).toBe(false);
    expect(at(pool, 'spec', 'template', 'spec').additionalProperties).toBe(false);
    expect(at(pool, 'metadata').additionalProperties).toEqual({});
    expect(at(byFile('ec2nodeclass.schema.json'), 'spec', 'kubelet').additionalProperties).toBe(false);
  });

  it('describes documents as written: fields with defaults are optional and show the default', () => {
    const disruption = at(byFile('nodepool.schema.json'), 'spec', 'disruption');
    expect(disruption.required).toBeUndefined();
    expect(at(disruption, 'consolidationPolicy')).toEqual({
      default: 'WhenEmptyOrUnderutilized',
      type: 'string',
      enum: ['WhenEmpty', 'WhenEmptyOrUnderutilized'],
    });
    expect(at(byFile('settings.schema.json'), 'spec', 'responsiveness').enum).toEqual(['watch', 'economy']);
    expect(at(byFile('ec2nodeclass.schema.json'), 'spec').required).toEqual([
      'amiSelectorTerms',
      'subnetSelectorTerms',
      'securityGroupSelectorTerms',
    ]);
  });
});
