// Storage objects to what the termination step needs: the PersistentVolumeClaims a pod spec uses, the volume of
// a storage.k8s.io VolumeAttachment, and the volume a claim is bound to.

import type { VolumeAttachment } from 'kubernetes-types/storage/v1.js';
import type { VolumeAttachmentRef } from '../../../core/model/volumes.js';
import { at, FieldReader, type Json } from './fields.js';
import { objectLabel } from './metadata.js';

/**
 * The claims `spec.volumes` use, each once: `persistentVolumeClaim.claimName`, and for a generic ephemeral
 * volume the claim its controller creates, `<pod name>-<volume name>` (Kubernetes' `ephemeral.VolumeClaimName`).
 */
export function readClaimNames(spec: Json, podName: string, path: string, r: FieldReader): string[] {
  const volumesPath = at(path, 'volumes');
  const names = r.array(spec.volumes, volumesPath).flatMap((item, i) => {
    const where = at(volumesPath, i);
    const volume = r.record(item, where);
    const claim = r.optionalRecord(volume.persistentVolumeClaim, at(where, 'persistentVolumeClaim'));
    if (claim) return [r.requiredString(claim.claimName, at(at(where, 'persistentVolumeClaim'), 'claimName'))];
    if (r.optionalRecord(volume.ephemeral, at(where, 'ephemeral'))) {
      return [`${podName}-${r.requiredString(volume.name, at(where, 'name'))}`];
    }
    return [];
  });
  return [...new Set(names)];
}

/** A VolumeAttachment's name and PersistentVolume. Throws MappingError for a field it cannot use. */
export function toVolumeAttachment(obj: VolumeAttachment): VolumeAttachmentRef {
  const r = new FieldReader(objectLabel('VolumeAttachment', obj, false));
  const json = r.record(obj, '(root)');
  const name = r.requiredString(r.record(json.metadata, 'metadata').name, 'metadata.name');
  const spec = r.record(json.spec, 'spec');
  const source = r.record(spec.source, 'spec.source');
  const persistentVolumeName = r.string(source.persistentVolumeName, 'spec.source.persistentVolumeName');
  return { name, ...(persistentVolumeName ? { persistentVolumeName } : {}) };
}

/** The PersistentVolume a claim is bound to (`spec.volumeName`); undefined while it is not bound. */
export function boundVolumeOf(obj: unknown): string | undefined {
  const r = new FieldReader(objectLabel('PersistentVolumeClaim', obj, true));
  const spec = r.record(r.record(obj, '(root)').spec, 'spec');
  return r.string(spec.volumeName, 'spec.volumeName') || undefined;
}
