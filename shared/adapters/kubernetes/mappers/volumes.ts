// Storage objects to what the termination and provisioning steps need: the PersistentVolumeClaims a pod spec
// uses, the volume of a storage.k8s.io VolumeAttachment, the volume a claim is bound to, and where a volume can
// be attached (its required node affinity).

import type { VolumeAttachment } from 'kubernetes-types/storage/v1.js';
import type { NodeSelectorTerm } from '../../../core/model/pod.js';
import type { VolumeAttachmentRef } from '../../../core/model/volumes.js';
import { readNodeSelectorTerm } from './affinity.js';
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

/**
 * A PersistentVolume's required node affinity (`spec.nodeAffinity.required.nodeSelectorTerms`), read as a pod's
 * required node affinity is (same keys normalization: the EBS CSI zone key reads as the zone); no terms when the
 * volume has none. Throws MappingError for a field it cannot use.
 */
export function volumeNodeAffinityOf(obj: unknown): NodeSelectorTerm[] {
  const r = new FieldReader(objectLabel('PersistentVolume', obj, false));
  const spec = r.record(r.record(obj, '(root)').spec, 'spec');
  const required = r.record(r.record(spec.nodeAffinity, 'spec.nodeAffinity').required, 'spec.nodeAffinity.required');
  const termsPath = 'spec.nodeAffinity.required.nodeSelectorTerms';
  return r
    .array(required.nodeSelectorTerms, termsPath)
    .map((t, i) => readNodeSelectorTerm(r.record(t, at(termsPath, i)), at(termsPath, i), r));
}
