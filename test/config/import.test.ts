import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildConfigSet } from '../../shared/config/config-set.js';
import { parseDocumentsText } from '../../shared/config/document-text.js';
import { type ImportResult, importKarpenter } from '../../shared/config/import/karpenter-import.js';
import { nodeClass, nodePool } from './builders.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/config/', import.meta.url));

/** Imports fixture files as the CLI does: each document of each file, the file named as given. */
function importFiles(...files: string[]): ImportResult {
  const inputs = files.flatMap((file) => {
    const parsed = parseDocumentsText(readFileSync(`${FIXTURES}${file}`, 'utf8'), file);
    if (!parsed.ok) throw new Error(parsed.error);
    return parsed.documents.flatMap((raw) =>
      // A kubectl List stands for its items, as the CLI's reader makes it.
      (raw as { kind?: string }).kind === 'List'
        ? (raw as { items: unknown[] }).items.map((item) => ({ raw: item, source: file }))
        : [{ raw, source: file }],
    );
  });
  return importKarpenter(inputs);
}

function importObjects(...raws: unknown[]): ImportResult {
  return importKarpenter(raws.map((raw) => ({ raw, source: 'k.yaml' })));
}

/** The spec of the i-th imported document. */
function specOf(result: ImportResult, i: number): Record<string, unknown> {
  return (result.documents[i]?.document.spec ?? {}) as Record<string, unknown>;
}

/** The imported documents pass the validation `config push` applies, as one set. */
function expectValid(result: ImportResult): void {
  expect(result.errors).toEqual([]);
  const set = buildConfigSet(result.documents.map((d) => ({ raw: d.document, source: d.source })));
  expect(set.errors).toEqual([]);
}

describe('importKarpenter: the examples of the Karpenter v1 docs', () => {
  it('imports the getting-started NodePool and EC2NodeClass unchanged', () => {
    const result = importFiles('karpenter-docs/getting-started.yaml');
    expectValid(result);
    expect(result.notes).toEqual([]);
    expect(result.documents.map((d) => `${d.kind}/${d.name}`)).toEqual(['NodePool/default', 'EC2NodeClass/default']);
    const original = parseDocumentsText(
      readFileSync(`${FIXTURES}karpenter-docs/getting-started.yaml`, 'utf8'),
      'x.yaml',
    );
    expect(result.documents.map((d) => d.document)).toEqual(original.ok ? original.documents : []);
  });

  it('imports the NodePool reference example, leaving its status behind', () => {
    const result = importFiles('karpenter-docs/nodepool-reference.yaml');
    expectValid(result);
    expect(result.notes).toEqual([
      'karpenter-docs/nodepool-reference.yaml: NodePool/default: status: not carried over: status is written by the cluster',
    ]);
    expect(result.documents[0]?.document.status).toBeUndefined();
  });

  it('imports the EC2NodeClass reference example, kubelet and block devices included', () => {
    const result = importFiles('karpenter-docs/ec2nodeclass-reference.yaml');
    expectValid(result);
    expect(result.notes).toEqual([]);
    expect(Object.keys(specOf(result, 0).kubelet as object)).toHaveLength(12);
  });
});

describe('importKarpenter: what kubectl prints from a cluster', () => {
  it('drops status, server metadata, tool annotations and unsupported fields, saying why for each', () => {
    const result = importFiles('karpenter-import/cluster-export.yaml');
    expectValid(result);
    const file = 'karpenter-import/cluster-export.yaml';
    expect(result.notes).toEqual([
      `${file}: NodePool/batch: status: not carried over: status is written by the cluster`,
      `${file}: NodePool/batch: metadata: not carried over: uid, resourceVersion, generation, creationTimestamp (kept by the API server)`,
      `${file}: NodePool/batch: metadata.annotations["karpenter.sh/nodepool-hash"]: not carried over: written by Karpenter`,
      `${file}: NodePool/batch: metadata.annotations["karpenter.sh/nodepool-hash-version"]: not carried over: written by Karpenter`,
      `${file}: NodePool/batch: metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]: not carried over: written by kubectl`,
      `${file}: NodePool/batch: spec.replicas: not carried over: static NodePools (spec.replicas) are not supported: fleetwright launches nodes only for pods that need them`,
      `${file}: NodePool/batch: spec.disruption.consolidateAftr: not carried over: unknown field, did you mean "consolidateAfter"?`,
      `${file}: EC2NodeClass/batch: status: not carried over: status is written by the cluster`,
      `${file}: EC2NodeClass/batch: metadata: not carried over: uid, resourceVersion (kept by the API server)`,
      `${file}: EC2NodeClass/batch: spec.capacityReservationSelectorTerms: not carried over: capacity reservations are not supported: fleetwright does not launch into them`,
      `${file}: EC2NodeClass/batch: spec.ipPrefixCount: not carried over: ipPrefixCount is not supported: fleetwright computes max pods without prefix delegation`,
    ]);
    expect(result.documents[0]?.document.metadata).toEqual({
      name: 'batch',
      annotations: { 'example.com/owner': 'batch-team' },
    });
    expect(result.documents[0]?.document.spec).not.toHaveProperty('replicas');
  });

  it('says where kubelet settings kept by the v1 migration belong', () => {
    const annotated = nodePool({
      metadata: { annotations: { 'compatibility.karpenter.sh/v1beta1-kubelet-conversion': '{"maxPods":42}' } },
    });
    const result = importObjects(annotated);
    expect(result.notes).toEqual([
      `k.yaml: NodePool/web: metadata.annotations["compatibility.karpenter.sh/v1beta1-kubelet-conversion"]: not carried over: Karpenter's v1 migration kept the NodePool's v1beta1 kubelet settings here; in v1 they belong in the EC2NodeClass's spec.kubelet: move them there`,
    ]);
    expect(result.documents[0]?.document.metadata).toEqual({ name: 'web' });
  });
});

describe('importKarpenter: v1beta1', () => {
  it('converts what v1 moved, renamed or re-defaulted, and says what changed', () => {
    const result = importFiles('karpenter-import/v1beta1.yaml');
    expectValid(result);
    const [pool, nodeClassDoc] = result.documents.map((d) => d.document);
    expect(pool).toEqual({
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: { name: 'general' },
      spec: {
        template: {
          metadata: { labels: { team: 'platform' } },
          spec: {
            nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'general' },
            requirements: [
              { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot', 'on-demand'] },
              { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm', 'r'] },
            ],
            expireAfter: '336h',
          },
        },
        disruption: {
          consolidationPolicy: 'WhenEmptyOrUnderutilized',
          budgets: [{ nodes: '20%' }],
          consolidateAfter: '0s',
        },
        limits: { cpu: '2000' },
      },
    });
    expect(nodeClassDoc).toEqual({
      apiVersion: 'karpenter.k8s.aws/v1',
      kind: 'EC2NodeClass',
      metadata: { name: 'general' },
      spec: {
        amiFamily: 'AL2023',
        role: 'KarpenterNodeRole-my-cluster',
        subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'my-cluster' } }],
        securityGroupSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'my-cluster' } }],
        amiSelectorTerms: [{ alias: 'al2023@latest' }],
        metadataOptions: { httpPutResponseHopLimit: 2 },
        kubelet: { maxPods: 110, systemReserved: { cpu: '100m', memory: '100Mi' } },
      },
    });
    const messages = result.notes.map((line) => line.slice('karpenter-import/v1beta1.yaml: '.length));
    expect(messages).toEqual([
      'NodePool/general: apiVersion: karpenter.sh/v1beta1 converted to karpenter.sh/v1: the changes that apply follow (all of them: https://karpenter.sh/docs/upgrading/v1-migration/); note that in v1, as in fleetwright, expiration is forceful: an expired node is drained even when PDBs or do-not-disrupt pods would block it',
      'NodePool/general: spec.template.spec.nodeClassRef: apiVersion "karpenter.k8s.aws/v1beta1" becomes group "karpenter.k8s.aws": v1 names the group, not the version, and requires group, kind and name',
      'NodePool/general: spec.disruption.expireAfter: moved to spec.template.spec.expireAfter, its place in v1',
      'NodePool/general: spec.disruption.consolidationPolicy: WhenUnderutilized is renamed WhenEmptyOrUnderutilized in v1',
      'NodePool/general: spec.disruption.consolidateAfter: set to 0s, what WhenUnderutilized did in v1beta1 (v1 requires it)',
      'NodePool/general: spec.template.spec.kubelet: moved to EC2NodeClass/general spec.kubelet: v1 keeps kubelet settings on the EC2NodeClass',
      'EC2NodeClass/general: apiVersion: karpenter.k8s.aws/v1beta1 converted to karpenter.k8s.aws/v1: the changes that apply follow (all of them: https://karpenter.sh/docs/upgrading/v1-migration/)',
      'EC2NodeClass/general: spec.amiSelectorTerms: set to [{"alias":"al2023@latest"}], what amiFamily AL2023 without terms selected in v1beta1 (v1 requires the terms); pin a version such as "al2023@v20240807" to control AMI updates',
      "EC2NodeClass/general: spec.metadataOptions.httpPutResponseHopLimit: set to 2, v1beta1's default: v1's default is 1, which keeps containers from reaching IMDS; remove it to take that default",
      'EC2NodeClass/general: spec.kubelet: taken from NodePool general: v1 keeps kubelet settings on the EC2NodeClass',
    ]);
  });

  const v1beta1Pool = (name: string, kubelet?: Record<string, unknown>) => ({
    apiVersion: 'karpenter.sh/v1beta1',
    kind: 'NodePool',
    metadata: { name },
    spec: {
      template: {
        spec: {
          nodeClassRef: { apiVersion: 'karpenter.k8s.aws/v1beta1', kind: 'EC2NodeClass', name: 'default' },
          ...(kubelet ? { kubelet } : {}),
        },
      },
    },
  });

  it('leaves kubelet settings behind when pools sharing a class disagree about them', () => {
    const result = importObjects(v1beta1Pool('a', { maxPods: 20 }), v1beta1Pool('b', { maxPods: 30 }), nodeClass());
    expectValid(result);
    const kubeletNotes = result.notes.filter((line) => line.includes('kubelet'));
    const why =
      'not carried over: v1 keeps kubelet settings on the EC2NodeClass, and NodePools a, b share EC2NodeClass "default" with different kubelet settings: give each its own EC2NodeClass';
    expect(kubeletNotes).toEqual([
      `k.yaml: NodePool/a: spec.template.spec.kubelet: ${why}`,
      `k.yaml: NodePool/b: spec.template.spec.kubelet: ${why}`,
    ]);
    expect(specOf(result, 2).kubelet).toBeUndefined();
  });

  it('moves settings that every pool of the class shares, and gives the settings when the class is absent', () => {
    const shared = importObjects(v1beta1Pool('a', { maxPods: 20 }), v1beta1Pool('b', { maxPods: 20 }), nodeClass());
    expectValid(shared);
    expect(specOf(shared, 2).kubelet).toEqual({ maxPods: 20 });
    const absent = importObjects(v1beta1Pool('a', { maxPods: 20 }));
    expect(absent.notes.at(-1)).toBe(
      'k.yaml: NodePool/a: spec.template.spec.kubelet: not carried over: v1 keeps kubelet settings on the EC2NodeClass, and EC2NodeClass "default" is not in the input: put {"maxPods":20} in its spec.kubelet',
    );
  });

  it('tells what to do about Ubuntu, which v1 dropped, and reports the class as invalid', () => {
    const ubuntu = nodeClass({ apiVersion: 'karpenter.k8s.aws/v1beta1', spec: { amiFamily: 'Ubuntu' } });
    const result = importObjects(ubuntu);
    expect(result.notes).toContain(
      'k.yaml: EC2NodeClass/default: spec.amiFamily: Ubuntu was dropped as an AMI family in v1: use amiFamily Custom, amiSelectorTerms that select your Ubuntu AMI, and userData that joins the node to the cluster',
    );
    expect(result.errors.length).toBeGreaterThan(0);
    expect(result.errors[0]).toMatch(/^k\.yaml: EC2NodeClass\/default: spec\.amiFamily: expected one of AL2023/);
  });
});

describe('importKarpenter: what it refuses or skips', () => {
  it('refuses Provisioners and unknown versions, and skips other kinds', () => {
    const result = importObjects(
      { apiVersion: 'karpenter.sh/v1alpha5', kind: 'Provisioner', metadata: { name: 'old' } },
      { ...nodePool(), apiVersion: 'karpenter.sh/v2' },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'karpenter' } },
      'text',
    );
    expect(result.errors).toEqual([
      `k.yaml: Provisioner/old: kind: Provisioner ("karpenter.sh/v1alpha5") cannot be imported: migrate to Karpenter's NodePools (v1beta1 or v1) first, then import those`,
      'k.yaml: NodePool/web: apiVersion: expected karpenter.sh/v1 or karpenter.sh/v1beta1, got "karpenter.sh/v2"',
      'k.yaml: expected a Kubernetes object, got "text"',
    ]);
    expect(result.notes).toEqual(['k.yaml: Deployment/karpenter: kind: skipped: not a NodePool or EC2NodeClass']);
    expect(result.documents).toEqual([]);
  });

  it('reports a document still invalid after conversion as an error, in the validate format', () => {
    const result = importObjects(nodeClass({ spec: { amiFamily: 'AL2', amiSelectorTerms: [{ id: 'ami-0abc' }] } }));
    expect(result.errors).toEqual([
      'k.yaml: EC2NodeClass/default: spec.amiFamily: AL2 is not supported: Amazon Linux 2 is unsupported on current Kubernetes versions (EKS publishes no AL2 AMIs for 1.33 and later), as in Karpenter; use AL2023',
    ]);
  });

  it('does not change the objects it was given', () => {
    const raw = nodePool({ status: { ok: true }, spec: { replicas: 2 } });
    const before = JSON.stringify(raw);
    importObjects(raw);
    expect(JSON.stringify(raw)).toBe(before);
  });
});
