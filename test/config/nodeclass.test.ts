import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocumentsText } from '../../shared/config/document-text.js';
import { nodeClassDocumentSchema } from '../../shared/config/nodeclass-schema.js';
import { errorLines, issueAt, nodeClass } from './builders.js';

const REFERENCE = new URL('../fixtures/config/karpenter-docs/ec2nodeclass-reference.yaml', import.meta.url);

describe('EC2NodeClass documents', () => {
  it("parses the Karpenter docs' reference EC2NodeClass", () => {
    const parsed = parseDocumentsText(readFileSync(REFERENCE, 'utf8'), 'ec2nodeclass-reference.yaml');
    expect(parsed.ok && parsed.documents.length).toBe(1);
    if (parsed.ok) expect(errorLines(parsed.documents[0])).toEqual([]);
  });

  it('defaults metadataOptions to IMDSv2 with a hop limit of 1', () => {
    const result = nodeClassDocumentSchema.parse(nodeClass());
    expect(result.spec.metadataOptions).toEqual({
      httpEndpoint: 'enabled',
      httpProtocolIPv6: 'disabled',
      httpPutResponseHopLimit: 1,
      httpTokens: 'required',
    });
  });

  it('takes the family from the alias when amiFamily is left out', () => {
    expect(errorLines(nodeClass({ spec: { amiSelectorTerms: [{ alias: 'bottlerocket@v1.20.0' }] } }))).toEqual([]);
  });

  it('needs amiFamily when no alias names it', () => {
    expect(issueAt(nodeClass({ spec: { amiSelectorTerms: [{ name: 'my-ami-*' }] } }), 'spec.amiFamily')).toEqual([
      'missing required field: give amiFamily, or an alias in amiSelectorTerms',
    ]);
  });

  it('refuses an amiFamily that contradicts the alias', () => {
    expect(issueAt(nodeClass({ spec: { amiFamily: 'Bottlerocket' } }), 'spec.amiFamily')).toEqual([
      '"Bottlerocket" does not match the alias "al2023@latest" (family AL2023); omit amiFamily, the alias implies it',
    ]);
  });

  it('makes Custom select its AMI without an alias', () => {
    expect(issueAt(nodeClass({ spec: { amiFamily: 'Custom' } }), 'spec.amiSelectorTerms[0].alias')).toEqual([
      'amiFamily Custom selects its AMI by id, name, tags or ssmParameter, not by alias',
    ]);
    const custom = nodeClass({ spec: { amiFamily: 'Custom', amiSelectorTerms: [{ ssmParameter: '/my/ami' }] } });
    expect(errorLines(custom)).toEqual([]);
  });

  it('refuses AL2 aliases and Windows families with the reason', () => {
    expect(
      issueAt(
        nodeClass({ spec: { amiSelectorTerms: [{ alias: 'al2@latest' }] } }),
        'spec.amiSelectorTerms[0].alias',
      )[0],
    ).toMatch(/^AL2 is not supported/);
    expect(
      issueAt(nodeClass({ spec: { amiFamily: 'Windows2022', amiSelectorTerms: [{ id: 'ami-1' }] } }), 'spec.amiFamily'),
    ).toEqual(['Windows AMI families are not supported: fleetwright launches Linux nodes only']);
  });

  it('keeps an alias alone, in its term and in the list', () => {
    const doc = nodeClass({ spec: { amiSelectorTerms: [{ alias: 'al2023@latest', owner: 'self' }, { id: 'ami-1' }] } });
    expect(issueAt(doc, 'spec.amiSelectorTerms[0].alias')).toEqual([
      'alias cannot be combined with other fields in its term (owner)',
      'an alias must be the only AMI selector term: it already names one AMI per architecture',
    ]);
  });

  it('needs exactly one of role and instanceProfile', () => {
    expect(issueAt(nodeClass({ spec: { instanceProfile: 'my-profile' } }), 'spec.instanceProfile')).toEqual([
      'role and instanceProfile are mutually exclusive: give exactly one',
    ]);
    expect(issueAt(nodeClass({ spec: { role: undefined } }), 'spec.role')).toEqual([
      'missing required field: give role or instanceProfile',
    ]);
  });

  it('needs subnet and security group selector terms that select something', () => {
    const doc = nodeClass({
      spec: { subnetSelectorTerms: [], securityGroupSelectorTerms: [{ id: 'sg-1', name: 'web' }] },
    });
    expect(issueAt(doc, 'spec.subnetSelectorTerms')).toEqual(['expected at least 1 item, got 0']);
    expect(issueAt(doc, 'spec.securityGroupSelectorTerms[0].id')).toEqual([
      'id cannot be combined with other fields in its term (name)',
    ]);
  });

  it('checks the kubelet the way Karpenter does', () => {
    const doc = nodeClass({
      spec: {
        kubelet: {
          kubeReserved: { cpu: '100m', 'nvidia.com/gpu': '1' },
          evictionHard: { 'memory.availble': '5%' },
          evictionSoft: { 'memory.available': '500Mi' },
          imageGCHighThresholdPercent: 50,
          imageGCLowThresholdPercent: 60,
        },
      },
    });
    expect(errorLines(doc)).toEqual([
      'test.yaml: EC2NodeClass/default: spec.kubelet.kubeReserved["nvidia.com/gpu"]: unknown field, expected one of cpu, memory, ephemeral-storage, pid',
      'test.yaml: EC2NodeClass/default: spec.kubelet.evictionHard["memory.availble"]: unknown field, did you mean "memory.available"?',
      'test.yaml: EC2NodeClass/default: spec.kubelet.evictionSoft["memory.available"]: has no matching evictionSoftGracePeriod.memory.available; a soft threshold needs a grace period',
      'test.yaml: EC2NodeClass/default: spec.kubelet.imageGCHighThresholdPercent: 50 must be greater than imageGCLowThresholdPercent (60)',
    ]);
  });

  it('allows at most one root volume and needs a size or a snapshot', () => {
    const doc = nodeClass({
      spec: {
        blockDeviceMappings: [
          { deviceName: '/dev/xvda', rootVolume: true, ebs: { volumeSize: '20Gi' } },
          { deviceName: '/dev/xvdb', rootVolume: true, ebs: { volumeType: 'gp3' } },
        ],
      },
    });
    expect(issueAt(doc, 'spec.blockDeviceMappings[1].rootVolume')).toEqual([
      'only one mapping may be the root volume (mapping 0 already is)',
    ]);
    expect(issueAt(doc, 'spec.blockDeviceMappings[1].ebs')).toEqual(['expected volumeSize or snapshotID, got neither']);
  });

  it('refuses tags that mark ownership', () => {
    const doc = nodeClass({
      spec: { tags: { 'fleetwright.io/cluster': 'x', 'kubernetes.io/cluster/prod': 'owned', team: 'a' } },
    });
    expect(issueAt(doc, 'spec.tags["fleetwright.io/cluster"]')).toEqual([
      'tag "fleetwright.io/cluster" is restricted: fleetwright sets it to mark what it owns',
    ]);
    expect(issueAt(doc, 'spec.tags["kubernetes.io/cluster/prod"]')).toHaveLength(1);
  });

  it('refuses capacity reservations with a sentence', () => {
    expect(
      issueAt(
        nodeClass({ spec: { capacityReservationSelectorTerms: [{ id: 'cr-1' }] } }),
        'spec.capacityReservationSelectorTerms',
      ),
    ).toEqual(['capacity reservations are not supported: fleetwright does not launch into them']);
  });
});
