// Volume topology of pending pods (Karpenter's volumetopology.go, karpenter-core §1.11): a pod waiting for
// capacity whose claim is bound to a zonal PersistentVolume can only run where the volume attaches, so its
// claims are resolved to volumes, the volumes to their required node affinity, and the core ANDs that into the
// pod's before the tick plans. Bound claims and volumes' node affinity never change, so the invocation
// remembers them; a claim not bound yet (WaitForFirstConsumer) adds nothing and is asked again next tick. A pod
// whose volumes cannot be read is left out of the tick's snapshot: no node is launched for an unknown topology,
// and the next tick tries again.

import { type NodeSelectorTerm, type Pod, podKey } from '../../core/model/pod.js';
import { type ClaimRef, claimKey } from '../../core/model/volumes.js';
import type { ClusterReader } from '../../core/ports/cluster.js';
import { withVolumeTopology } from '../../core/scheduling/volume-topology.js';
import { errorFields } from '../observability/log.js';
import { type ClusterContents, waitsForCapacity } from './cluster-view.js';
import type { RunMemory } from './context.js';

/** What an invocation remembers of storage: both never change once known. */
export interface VolumeMemory {
  /** The PersistentVolume of each bound claim, by `claimKey`. */
  readonly boundClaims: Map<string, string>;
  /** Each PersistentVolume's required node-affinity terms, by name. */
  readonly volumeTerms: Map<string, readonly NodeSelectorTerm[]>;
}

interface Deps {
  readonly reader: Pick<ClusterReader, 'claimedVolumes' | 'volumeNodeAffinity'>;
  readonly logger: { warn(message: string, fields: Record<string, unknown>): void };
  readonly memory: Pick<RunMemory, 'volumes'>;
}

/**
 * The contents with every pod that waits for capacity and uses claims constrained to its bound volumes'
 * topology; a pod whose volumes could not be read is left out (and logged). Other pods are kept as they are.
 */
export async function applyVolumeTopology(deps: Deps, contents: ClusterContents): Promise<ClusterContents> {
  const candidates = contents.pods.filter((p) => waitsForCapacity(p) && (p.persistentVolumeClaims?.length ?? 0) > 0);
  if (candidates.length === 0) return contents;
  const resolved = new Map<string, Pod | undefined>();
  await Promise.all(
    candidates.map(async (pod) => {
      try {
        resolved.set(pod.uid, withVolumeTopology(pod, await volumeTermsOf(deps, pod)));
      } catch (error) {
        deps.logger.warn('the volumes of a pending pod could not be read: not planned this tick', {
          pod: podKey(pod),
          ...errorFields(error),
        });
        resolved.set(pod.uid, undefined);
      }
    }),
  );
  const pods = contents.pods.flatMap((p) => {
    if (!resolved.has(p.uid)) return [p];
    const rewritten = resolved.get(p.uid);
    return rewritten === undefined ? [] : [rewritten];
  });
  return { ...contents, pods };
}

/** The node-affinity terms of each volume the pod's bound claims name; rejects when one cannot be read. */
async function volumeTermsOf(deps: Deps, pod: Pod): Promise<(readonly NodeSelectorTerm[])[]> {
  const { boundClaims, volumeTerms } = deps.memory.volumes;
  const claims: ClaimRef[] = (pod.persistentVolumeClaims ?? []).map((name) => ({ namespace: pod.namespace, name }));
  const unknownClaims = claims.filter((c) => !boundClaims.has(claimKey(c)));
  if (unknownClaims.length > 0) {
    for (const [key, volume] of await deps.reader.claimedVolumes(unknownClaims)) boundClaims.set(key, volume);
  }
  const volumes = claims.flatMap((c) => boundClaims.get(claimKey(c)) ?? []);
  const unknownVolumes = volumes.filter((v) => !volumeTerms.has(v));
  if (unknownVolumes.length > 0) {
    for (const [name, terms] of await deps.reader.volumeNodeAffinity(unknownVolumes)) volumeTerms.set(name, terms);
  }
  return volumes.map((volume) => {
    const terms = volumeTerms.get(volume);
    // A claim bound to a volume that does not exist (deleted, the claim Lost): where the pod could run is unknown.
    if (terms === undefined) throw new Error(`PersistentVolume ${volume} of ${podKey(pod)} does not exist`);
    return terms;
  });
}
