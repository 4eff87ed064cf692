// VolumeAttachments and PersistentVolumeClaims as the termination step reads them.

import { describe, expect, it } from 'vitest';
import { boundVolumeOf, toVolumeAttachment } from '../../../../shared/adapters/kubernetes/mappers/volumes.js';

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
