// Which VolumeAttachments a finished drain waits for before the instance goes (karpenter-core §4 step 4,
// Karpenter's `filterVolumeAttachments`). Terminating an instance while the EBS volume of a just-evicted
// StatefulSet pod is still attached leaves its replacement pod waiting ~6 minutes on a Multi-Attach error;
// waiting for the attach-detach controller to detach it first costs seconds. The volumes of pods the drain
// leaves on the node (DaemonSet pods tolerating the disrupted taint, mirror pods, finished pods…) only detach
// once the node is gone, so they must not be waited for.

import type { Pod } from '../model/pod.js';
import { type ClaimRef, claimKey, type VolumeAttachmentRef } from '../model/volumes.js';

/** The claims the pods' volumes use, each once. */
export function claimsOf(pods: readonly Pod[]): ClaimRef[] {
  const claims = new Map<string, ClaimRef>();
  for (const pod of pods) {
    for (const name of pod.persistentVolumeClaims ?? []) {
      const claim = { namespace: pod.namespace, name };
      claims.set(claimKey(claim), claim);
    }
  }
  return [...claims.values()];
}

export interface AttachmentsInput {
  /** The VolumeAttachments of the node. */
  readonly attachments: readonly VolumeAttachmentRef[];
  /** The node's pods the drain leaves there (`podsLeftByDrain`). */
  readonly keptPods: readonly Pod[];
  /** The PersistentVolume bound to each claim of the kept pods, by `claimKey`; unbound or missing claims are absent. */
  readonly volumeOfClaim: ReadonlyMap<string, string>;
}

/**
 * The names of the attachments to wait for, sorted: every attachment of a PersistentVolume on the node except
 * those of a volume a kept pod uses. An attachment without a PersistentVolume (an inline volume) cannot be traced
 * to a pod and is not waited for, as in Karpenter: without a terminationGracePeriod, a stuck one would otherwise
 * hold the node forever.
 */
export function attachmentsToAwait(input: AttachmentsInput): string[] {
  const kept = new Set<string>();
  for (const claim of claimsOf(input.keptPods)) {
    const volume = input.volumeOfClaim.get(claimKey(claim));
    if (volume !== undefined) kept.add(volume);
  }
  return input.attachments
    .filter((a) => a.persistentVolumeName !== undefined && !kept.has(a.persistentVolumeName))
    .map((a) => a.name)
    .sort();
}
