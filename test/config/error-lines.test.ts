// The error format of DESIGN.md §3, asserted line for line:
//   <source>: <kind>/<name>: <json.path>: <what is wrong>
import { describe, expect, it } from 'vitest';
import { MAX_DOCUMENT_BYTES } from '../../shared/config/document.js';
import { errorLines, nodeClass, nodePool, nodePoolWith } from './builders.js';

const SOURCE = 'nodepools/web.json';
const lines = (doc: unknown) => errorLines(doc, SOURCE);
const requirement = (r: Record<string, unknown>) => nodePoolWith({ requirements: [r] });

describe('error lines', () => {
  it('suggests the nearest known key for an unknown one', () => {
    expect(lines(nodePoolWith({ requirments: [] }))).toEqual([
      'nodepools/web.json: NodePool/web: spec.template.spec.requirments: unknown field, did you mean "requirements"?',
    ]);
  });

  it('lists the known keys when none is close', () => {
    expect(
      lines(
        nodePool({
          spec: {
            template: {
              spec: {
                nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default', color: 'red' },
              },
            },
          },
        }),
      ),
    ).toEqual([
      'nodepools/web.json: NodePool/web: spec.template.spec.nodeClassRef.color: unknown field, expected one of group, kind, name',
    ]);
  });

  it('names a bad operator and the operators allowed', () => {
    expect(lines(requirement({ key: 'team', operator: 'Between', values: ['a'] }))).toEqual([
      'nodepools/web.json: NodePool/web: spec.template.spec.requirements[0].operator: expected one of In, NotIn, Exists, DoesNotExist, Gt, Lt, Gte, Lte, got "Between"',
    ]);
  });

  it('names a bad quantity', () => {
    expect(lines(nodePool({ spec: { limits: { memory: '1.5Gx' } } }))).toEqual([
      'nodepools/web.json: NodePool/web: spec.limits.memory: "1.5Gx" is not a Kubernetes quantity, expected e.g. "250m", "1.5Gi", "4"',
    ]);
  });

  it('quotes resource names that are not plain keys in the path', () => {
    expect(lines(nodePool({ spec: { limits: { 'nvidia.com/gpu': 'lots' } } }))).toEqual([
      'nodepools/web.json: NodePool/web: spec.limits["nvidia.com/gpu"]: "lots" is not a Kubernetes quantity, expected e.g. "250m", "1.5Gi", "4"',
    ]);
  });

  it('names a bad duration', () => {
    expect(lines(nodePool({ spec: { disruption: { consolidateAfter: '5 minutes' } } }))).toEqual([
      'nodepools/web.json: NodePool/web: spec.disruption.consolidateAfter: "5 minutes" is not a duration, expected e.g. "30s", "15m", "1h30m", "720h" or "Never"',
    ]);
  });

  it('refuses AL2 with the reason', () => {
    expect(
      errorLines(
        nodeClass({ spec: { amiFamily: 'AL2', amiSelectorTerms: [{ id: 'ami-0abc' }] } }),
        'nodeclasses/default.json',
      ),
    ).toEqual([
      'nodeclasses/default.json: EC2NodeClass/default: spec.amiFamily: AL2 is not supported: Amazon Linux 2 is unsupported on current Kubernetes versions (EKS publishes no AL2 AMIs for 1.33 and later), as in Karpenter; use AL2023',
    ]);
  });

  it('needs values for In', () => {
    expect(lines(requirement({ key: 'team', operator: 'In' }))).toEqual([
      'nodepools/web.json: NodePool/web: spec.template.spec.requirements[0].values: operator In needs at least one value, got none',
    ]);
  });

  it('refuses requirements on one key with no value in common', () => {
    const doc = nodePoolWith({
      requirements: [
        { key: 'team', operator: 'In', values: ['a'] },
        { key: 'team', operator: 'In', values: ['b'] },
      ],
    });
    expect(lines(doc)).toEqual([
      'nodepools/web.json: NodePool/web: spec.template.spec.requirements[1]: team In [b] has no value in common with requirements[0] (team In [a]), so no node can match',
    ]);
  });

  it('refuses an unknown capacity type', () => {
    expect(
      lines(requirement({ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot', 'preemptible'] })),
    ).toEqual([
      'nodepools/web.json: NodePool/web: spec.template.spec.requirements[0].values[1]: "preemptible" is not a capacity type, expected one of reserved, spot, on-demand',
    ]);
  });

  it('refuses Karpenter fields fleetwright does not support with a sentence', () => {
    expect(lines(nodePool({ spec: { replicas: 3 } }))).toEqual([
      'nodepools/web.json: NodePool/web: spec.replicas: static NodePools (spec.replicas) are not supported: fleetwright launches nodes only for pods that need them',
    ]);
  });

  it('refuses a template label in a restricted domain', () => {
    expect(lines(nodePool({ spec: { template: { metadata: { labels: { 'kubernetes.io/role': 'web' } } } } }))).toEqual([
      'nodepools/web.json: NodePool/web: spec.template.metadata.labels["kubernetes.io/role"]: label domain "kubernetes.io" is restricted: use a well-known label, a key of node.kubernetes.io, node-role.kubernetes.io or node-restriction.kubernetes.io, or a domain of your own',
    ]);
  });

  it('refuses a document over 8 KB, with the limit', () => {
    const annotations = Object.fromEntries(
      Array.from({ length: 100 }, (_, i) => [`example.com/note-${i}`, 'x'.repeat(80)]),
    );
    const doc = nodePool({ spec: { template: { metadata: { annotations } } } });
    const [line] = lines(doc);
    expect(line).toMatch(
      /^nodepools\/web\.json: NodePool\/web: \(document\): document is \d+ bytes, too large: documents up to 8 KB \(Advanced tier above 4 KB\)$/,
    );
    expect(Number(/is (\d+) bytes/.exec(line as string)?.[1])).toBeGreaterThan(MAX_DOCUMENT_BYTES);
  });

  it('does not count status toward the size', () => {
    const doc = nodePool({
      status: { conditions: Array.from({ length: 200 }, () => ({ type: 'Ready', status: 'True' })) },
    });
    expect(lines(doc)).toEqual([]);
  });

  it('reports every error of a document at once, in document order', () => {
    const doc = {
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: { name: 'web' },
      spec: {
        template: {
          spec: {
            nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
            requirments: [],
            requirements: [{ key: 'karpenter.sh/capacity-type', operator: 'Between', values: ['spot'] }],
            expireAfter: '30 days',
          },
        },
        disruption: { consolidationPolicy: 'WhenUnderutilized' },
        limits: { memory: '1.5Gx' },
        weight: 0,
      },
    };
    expect(lines(doc)).toEqual([
      'nodepools/web.json: NodePool/web: spec.template.spec.requirments: unknown field, did you mean "requirements"?',
      'nodepools/web.json: NodePool/web: spec.template.spec.requirements[0].operator: expected one of In, NotIn, Exists, DoesNotExist, Gt, Lt, Gte, Lte, got "Between"',
      'nodepools/web.json: NodePool/web: spec.template.spec.expireAfter: "30 days" is not a duration, expected e.g. "30s", "15m", "1h30m", "720h" or "Never"',
      'nodepools/web.json: NodePool/web: spec.disruption.consolidationPolicy: expected one of WhenEmpty, WhenEmptyOrUnderutilized, got "WhenUnderutilized"',
      'nodepools/web.json: NodePool/web: spec.limits.memory: "1.5Gx" is not a Kubernetes quantity, expected e.g. "250m", "1.5Gi", "4"',
      'nodepools/web.json: NodePool/web: spec.weight: expected at least 1, got 0',
    ]);
  });

  it('says which field is missing and what it should be', () => {
    expect(lines(nodePool({ spec: { template: { spec: { nodeClassRef: undefined } } } }))).toEqual([
      'nodepools/web.json: NodePool/web: spec.template.spec.nodeClassRef: missing required field, expected an object',
    ]);
  });

  it('names a document without a name <unnamed>', () => {
    expect(lines(nodePool({ metadata: { name: undefined, uid: 'abc' } }))).toEqual([
      'nodepools/web.json: NodePool/<unnamed>: metadata.name: missing required field, expected a string',
    ]);
  });

  it('refuses a document of another kind', () => {
    expect(lines({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' } })).toEqual([
      'nodepools/web.json: Deployment/api: kind: expected one of NodePool, EC2NodeClass, Settings, got "Deployment"',
    ]);
  });

  it('refuses a document that is not an object', () => {
    expect(lines('hello')).toEqual([
      'nodepools/web.json: <unknown kind>/<unnamed>: (document): expected an object (a NodePool, EC2NodeClass, Settings document), got "hello"',
    ]);
  });

  it('tells YAML users to quote a number where a string belongs', () => {
    expect(lines(requirement({ key: 'karpenter.k8s.aws/instance-cpu', operator: 'In', values: [4] }))).toEqual([
      'nodepools/web.json: NodePool/web: spec.template.spec.requirements[0].values[0]: expected a string, got 4 (quote it: "4")',
    ]);
  });

  it('pairs a budget schedule with its duration', () => {
    expect(
      lines(nodePool({ spec: { disruption: { budgets: [{ nodes: '0', schedule: '0 9 * * mon-fri' }] } } })),
    ).toEqual([
      'nodepools/web.json: NodePool/web: spec.disruption.budgets[0].duration: missing required field: a budget with a schedule needs a duration (how long each window lasts)',
    ]);
  });

  it('says which apiVersion a document needs', () => {
    expect(lines(nodePool({ apiVersion: undefined }))).toEqual([
      'nodepools/web.json: NodePool/web: apiVersion: missing required field, expected "karpenter.sh/v1"',
    ]);
  });

  it('explains a v1beta1 document', () => {
    expect(lines(nodePool({ apiVersion: 'karpenter.sh/v1beta1' }))).toEqual([
      'nodepools/web.json: NodePool/web: apiVersion: expected "karpenter.sh/v1", got "karpenter.sh/v1beta1" (v1beta1 NodePools are not supported: convert it to karpenter.sh/v1 first)',
    ]);
  });
});
