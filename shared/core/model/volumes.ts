// Storage as the termination step sees it: which volumes are attached to a node (storage.k8s.io
// VolumeAttachments) and which PersistentVolumeClaims a pod uses, to tell the volumes of evicted pods — which
// must detach before the instance goes — from those of pods that stay on the node until the end.

/** A storage.k8s.io/v1 VolumeAttachment: a volume the attach-detach controller attached to a node. */
export interface VolumeAttachmentRef {
  readonly name: string;
  /** `spec.source.persistentVolumeName`; absent for an inline volume (a migrated in-tree volume of a pod spec). */
  readonly persistentVolumeName?: string;
}

/** A PersistentVolumeClaim by namespace and name. */
export interface ClaimRef {
  readonly namespace: string;
  readonly name: string;
}

/** `<namespace>/<name>`: the key of a claim in maps of claims. */
export function claimKey(claim: ClaimRef): string {
  return `${claim.namespace}/${claim.name}`;
}
