import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../shared/config/document.js';
import { parseDocumentsText } from '../../shared/config/document-text.js';
import { nodePoolDocumentSchema } from '../../shared/config/nodepool-schema.js';
import { errorLines, issueAt, nodePool, nodePoolWith } from './builders.js';

const FIXTURES = new URL('../fixtures/config/karpenter-docs/', import.meta.url);

function fixtureDocuments(name: string): readonly unknown[] {
  const parsed = parseDocumentsText(readFileSync(new URL(name, FIXTURES), 'utf8'), name);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.documents;
}

describe('NodePool documents', () => {
  it("parses the Karpenter docs' reference NodePool, comments and status included", () => {
    const [doc] = fixtureDocuments('nodepool-reference.yaml');
    expect(errorLines(doc)).toEqual([]);
    const pool = parseDocument(doc, 'nodepool-reference.yaml').nodePool;
    expect(pool?.name).toBe('default');
    expect(pool?.requirements).toHaveLength(8);
    expect(pool?.weight).toBe(10);
  });

  it('parses the Getting Started NodePool and EC2NodeClass from one multi-document file', () => {
    const docs = fixtureDocuments('getting-started.yaml');
    expect(docs).toHaveLength(2);
    for (const doc of docs) expect(errorLines(doc)).toEqual([]);
  });

  it('applies Karpenter defaults to what is left out', () => {
    const result = nodePoolDocumentSchema.parse(nodePool());
    expect(result.spec.template.spec.expireAfter).toBe('720h');
    expect(result.spec.template.spec.requirements).toEqual([]);
    expect(result.spec.template.spec.taints).toEqual([]);
    expect(result.spec.disruption).toEqual({
      consolidationPolicy: 'WhenEmptyOrUnderutilized',
      consolidateAfter: '0s',
      budgets: [{ nodes: '10%' }],
    });
  });

  it('fills a budget without nodes with 10%', () => {
    const result = nodePoolDocumentSchema.parse(
      nodePool({ spec: { disruption: { budgets: [{ reasons: ['Drifted'] }] } } }),
    );
    expect(result.spec.disruption.budgets).toEqual([{ nodes: '10%', reasons: ['Drifted'] }]);
  });

  it('tolerates metadata copied from a cluster', () => {
    const doc = nodePool({
      metadata: {
        name: 'web',
        uid: 'abc',
        resourceVersion: '42',
        generation: 3,
        creationTimestamp: '2024-01-01T00:00:00Z',
      },
    });
    expect(errorLines(doc)).toEqual([]);
  });

  it('accepts the fleetwright extensions', () => {
    const doc = nodePool({
      spec: {
        fleetwright: {
          consolidation: { minSavings: { perHour: 0.05, percent: 10 } },
          disruption: { windows: [{ schedule: '0 2 * * *', duration: '3h' }] },
          limits: { hourlyCost: 12.5 },
        },
      },
    });
    expect(errorLines(doc)).toEqual([]);
  });

  it('allows node-role.kubernetes.io and node.kubernetes.io labels and well-known ones in the template', () => {
    const doc = nodePool({
      spec: {
        template: {
          metadata: {
            labels: {
              'node-role.kubernetes.io/worker': '',
              'node.kubernetes.io/lifecycle': 'normal',
              'topology.kubernetes.io/zone': 'us-east-1a',
              team: 'web',
            },
          },
        },
      },
    });
    expect(errorLines(doc)).toEqual([]);
  });

  it('accepts requirements on one key that overlap', () => {
    const doc = nodePoolWith({
      requirements: [
        { key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['m5', 'm6i'] },
        { key: 'karpenter.k8s.aws/instance-family', operator: 'NotIn', values: ['m5'] },
        { key: 'karpenter.k8s.aws/instance-cpu', operator: 'Gte', values: ['4'] },
        { key: 'karpenter.k8s.aws/instance-cpu', operator: 'Lte', values: ['4'] },
        { key: 'example.com/gone', operator: 'DoesNotExist' },
        { key: 'example.com/gone', operator: 'NotIn', values: ['x'] },
      ],
    });
    expect(errorLines(doc)).toEqual([]);
  });
});

describe('NodePool requirements', () => {
  const at = (requirements: unknown[], path: string) => issueAt(nodePoolWith({ requirements }), path);
  const base = 'spec.template.spec.requirements[0]';

  it('needs values for In and NotIn', () => {
    expect(at([{ key: 'a', operator: 'NotIn', values: [] }], `${base}.values`)).toEqual([
      'operator NotIn needs at least one value, got none',
    ]);
  });

  it('takes no values for Exists and DoesNotExist', () => {
    expect(at([{ key: 'a', operator: 'Exists', values: ['x'] }], `${base}.values`)).toEqual([
      'operator Exists takes no values, got ["x"]',
    ]);
  });

  it('takes exactly one non-negative integer for Gt, Lt, Gte and Lte', () => {
    expect(at([{ key: 'a', operator: 'Gt', values: ['1', '2'] }], `${base}.values`)).toEqual([
      'operator Gt takes exactly one value, got 2',
    ]);
    expect(at([{ key: 'a', operator: 'Lte', values: ['-1'] }], `${base}.values[0]`)).toEqual([
      '"-1" is not a non-negative integer, expected e.g. "4" (Lte compares numbers)',
    ]);
  });

  it('bounds minValues to 1..50 and to the values listed', () => {
    expect(at([{ key: 'a', operator: 'In', values: ['x'], minValues: 0 }], `${base}.minValues`)).toEqual([
      'expected at least 1, got 0',
    ]);
    expect(at([{ key: 'a', operator: 'Exists', minValues: 51 }], `${base}.minValues`)).toEqual([
      'expected at most 50, got 51',
    ]);
    expect(at([{ key: 'a', operator: 'In', values: ['x', 'y'], minValues: 3 }], `${base}.minValues`)).toEqual([
      'minValues 3 is more than the 2 values listed',
    ]);
  });

  it('refuses the hostname, the pool label and restricted domains as keys', () => {
    expect(at([{ key: 'kubernetes.io/hostname', operator: 'Exists' }], `${base}.key`)).toEqual([
      `label "kubernetes.io/hostname" is restricted: a new node's hostname cannot be chosen`,
    ]);
    expect(at([{ key: 'karpenter.sh/nodepool', operator: 'Exists' }], `${base}.key`)).toEqual([
      `label "karpenter.sh/nodepool" is restricted: fleetwright sets it to the pool's name`,
    ]);
    expect(at([{ key: 'karpenter.k8s.aws/ec2nodeclass', operator: 'Exists' }], `${base}.key`)[0]).toMatch(
      /^label domain "karpenter.k8s.aws" is restricted/,
    );
  });

  it('reads legacy keys as their current names', () => {
    const doc = nodePoolWith({
      requirements: [
        { key: 'beta.kubernetes.io/arch', operator: 'In', values: ['amd64'] },
        { key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] },
      ],
    });
    expect(issueAt(doc, 'spec.template.spec.requirements[1]')).toEqual([
      'kubernetes.io/arch In [arm64] has no value in common with requirements[0] (kubernetes.io/arch In [amd64]), so no node can match',
    ]);
  });

  it('reports a requirement that empties a key narrowed by several before it', () => {
    const doc = nodePoolWith({
      requirements: [
        { key: 'size', operator: 'In', values: ['s', 'm', 'l'] },
        { key: 'size', operator: 'NotIn', values: ['s', 'm'] },
        { key: 'size', operator: 'In', values: ['s'] },
      ],
    });
    expect(issueAt(doc, 'spec.template.spec.requirements[2]')).toEqual([
      'size In [s] has no value in common with requirements[0] and requirements[1] (together: size In [l]), so no node can match',
    ]);
  });

  it('finds numeric bounds that leave no integer', () => {
    const doc = nodePoolWith({
      requirements: [
        { key: 'karpenter.k8s.aws/instance-cpu', operator: 'Gt', values: ['8'] },
        { key: 'karpenter.k8s.aws/instance-cpu', operator: 'Lt', values: ['9'] },
      ],
    });
    expect(issueAt(doc, 'spec.template.spec.requirements[1]')).toHaveLength(1);
  });

  it('refuses a template label its own requirements forbid', () => {
    const doc = nodePool({
      spec: {
        template: {
          metadata: { labels: { team: 'a' } },
          spec: { requirements: [{ key: 'team', operator: 'In', values: ['b'] }] },
        },
      },
    });
    expect(issueAt(doc, 'spec.template.metadata.labels.team')).toEqual([
      'team=a is not allowed by requirements[0] (team In [b])',
    ]);
  });
});
