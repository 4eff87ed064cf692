// Builders for config documents in tests: a minimal valid document of each kind, with overrides merged in
// (objects merge key by key, arrays and scalars replace; `undefined` removes a key).

import { buildConfigSet } from '../../shared/config/config-set.js';
import { parseDocument } from '../../shared/config/document.js';
import { formatPath } from '../../shared/config/issues.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function merge(base: Json, patch: Json): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete out[key];
    else if (isObject(value) && isObject(out[key])) out[key] = merge(out[key] as Json, value);
    else out[key] = value;
  }
  return out;
}

export const NODE_CLASS_REF = { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' };

export function nodePool(patch: Json = {}): Json {
  const base = {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name: 'web' },
    spec: { template: { spec: { nodeClassRef: NODE_CLASS_REF } } },
  };
  return merge(base, patch);
}

/** A NodePool whose template.spec has `templateSpec` merged in. */
export function nodePoolWith(templateSpec: Json): Json {
  return nodePool({ spec: { template: { spec: templateSpec } } });
}

export function nodeClass(patch: Json = {}): Json {
  const base = {
    apiVersion: 'karpenter.k8s.aws/v1',
    kind: 'EC2NodeClass',
    metadata: { name: 'default' },
    spec: {
      role: 'KarpenterNodeRole-my-cluster',
      amiSelectorTerms: [{ alias: 'al2023@latest' }],
      subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'my-cluster' } }],
      securityGroupSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'my-cluster' } }],
    },
  };
  return merge(base, patch);
}

export function settings(spec: Json = {}): Json {
  return { apiVersion: 'fleetwright.io/v1', kind: 'Settings', spec };
}

/** The error lines of one document read from `source`, exactly as the CLI prints them. */
export function errorLines(raw: unknown, source = 'test.yaml'): readonly string[] {
  return buildConfigSet([{ raw, source }]).errors;
}

/** The messages of one document's issues keyed by their path, for assertions about a single field. */
export function issueAt(raw: unknown, path: string): string[] {
  const { issues } = parseDocument(raw, 'test.yaml');
  return issues.filter((i) => formatPath(i.path) === path).map((i) => i.message);
}
