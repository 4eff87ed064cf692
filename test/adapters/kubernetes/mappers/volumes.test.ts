// VolumeAttachments, PersistentVolumeClaims and PersistentVolumes as the termination and provisioning steps
// read them.

import { describe, expect, it } from 'vitest';
import {
  boundVolumeOf,
  toVolumeAttachment,
  volumeNodeAffinityOf,
} from '../../../../shared/adapters/kubernetes/mappers/volumes.js';

const attacher = 'ebs.csi.aws.com';

describe('toVolumeAttachment', () => {
  it('keeps the name and the PersistentVolume', () => {
    const va = {
      metadata: { name: 'csi-4f2a' },
      spec: { attacher, nodeName: 'node-a', source: { persistentVolumeName: 'pvc-1234' } },
      status: { attached: true },
    };
    expect(toVolumeAttachment(va)).toEqual({ name: 'csi-4f2a', persistentVolumeName: 'pvc-1234' });
  });

  it('has no PersistentVolume for an inline volume', () => {
    const va = {
      metadata: { name: 'csi-inline' },
      spec: { attacher, nodeName: 'node-a', source: { inlineVolumeSpec: {} } },
    };
    expect(toVolumeAttachment(va)).toEqual({ name: 'csi-inline' });
  });

  it('names the object and the field it cannot use', () => {
    const va = {
      metadata: { name: 'csi-odd' },
      spec: { attacher, nodeName: 'node-a', source: { persistentVolumeName: {} } },
    };
    expect(() => toVolumeAttachment(va as never)).toThrow(
      'VolumeAttachment/csi-odd: spec.source.persistentVolumeName: expected a string, got an object',
    );
  });
});

describe('boundVolumeOf', () => {
  it("is the claim's spec.volumeName, undefined while it is not bound", () => {
    expect(boundVolumeOf({ metadata: { name: 'data' }, spec: { volumeName: 'pvc-1234' } })).toBe('pvc-1234');
    expect(boundVolumeOf({ metadata: { name: 'data' }, spec: { volumeName: '' } })).toBeUndefined();
    expect(boundVolumeOf({ metadata: { name: 'data' }, spec: {} })).toBeUndefined();
  });
});

describe('volumeNodeAffinityOf', () => {
  it("reads the required terms as a pod's, the EBS CSI zone key as the zone", () => {
    const pv = {
      metadata: { name: 'pvc-1234' },
      spec: {
        nodeAffinity: {
          required: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: 'topology.ebs.csi.aws.com/zone', operator: 'In', values: ['us-east-1b'] }] },
              { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'Exists' }] },
            ],
          },
        },
      },
    };
    expect(volumeNodeAffinityOf(pv)).toEqual([
      { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['us-east-1b'] }] },
      { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'Exists' }] },
    ]);
  });

  it('has no terms for a volume without node affinity', () => {
    expect(volumeNodeAffinityOf({ metadata: { name: 'nfs' }, spec: { nfs: { server: 'x', path: '/' } } })).toEqual([]);
  });

  it('names the volume and the field it cannot use', () => {
    const pv = { metadata: { name: 'odd' }, spec: { nodeAffinity: { required: { nodeSelectorTerms: {} } } } };
    expect(() => volumeNodeAffinityOf(pv)).toThrow(
      'PersistentVolume/odd: spec.nodeAffinity.required.nodeSelectorTerms: expected a list, got an object',
    );
  });
});
