// `metadata` of any API object: identity, labels, owners and timestamps, read once so every mapper names
// objects and defaults the namespace the same way.

import type { OwnerReference } from '../../../core/model/pod.js';
import { at, type FieldReader, isRecord, type Json } from './fields.js';

/** Where a namespaced object without `metadata.namespace` lives, as `kubectl apply` would put it. */
export const DEFAULT_NAMESPACE = 'default';

export interface ObjectMetadata {
  readonly namespace: string;
  readonly name: string;
  /** As given; absent in hand-written objects (callers synthesize one where they need it). */
  readonly uid?: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly ownerReferences: readonly OwnerReference[];
  /** Epoch milliseconds; 0 when absent so that hand-written objects count as old rather than brand new. */
  readonly creationTimestamp: number;
  readonly deletionTimestamp?: number;
}

/**
 * How errors and notes name an object: `Pod/default/web`, `Node/ip-10-0-1-5.ec2.internal`. Never throws, so
 * an object whose name is missing or malformed can still be named in the error that says so.
 */
export function objectLabel(kind: string, obj: unknown, namespaced: boolean): string {
  const meta = isRecord(obj) && isRecord(obj.metadata) ? obj.metadata : {};
  const name = typeof meta.name === 'string' && meta.name ? meta.name : '(unnamed)';
  if (!namespaced) return `${kind}/${name}`;
  const namespace = typeof meta.namespace === 'string' && meta.namespace ? meta.namespace : DEFAULT_NAMESPACE;
  return `${kind}/${namespace}/${name}`;
}

/** Reads `obj.metadata`; a missing name is an error (output and PDB matching need one). */
export function readMetadata(obj: Json, r: FieldReader): ObjectMetadata {
  const meta = r.record(obj.metadata, 'metadata');
  return {
    namespace: r.string(meta.namespace, 'metadata.namespace') || DEFAULT_NAMESPACE,
    name: r.requiredString(meta.name, 'metadata.name'),
    uid: r.string(meta.uid, 'metadata.uid') || undefined,
    labels: r.stringMap(meta.labels, 'metadata.labels'),
    annotations: r.stringMap(meta.annotations, 'metadata.annotations'),
    ownerReferences: readOwnerReferences(meta.ownerReferences, 'metadata.ownerReferences', r),
    creationTimestamp: r.timestamp(meta.creationTimestamp, 'metadata.creationTimestamp') ?? 0,
    deletionTimestamp: r.timestamp(meta.deletionTimestamp, 'metadata.deletionTimestamp'),
  };
}

function readOwnerReferences(value: unknown, path: string, r: FieldReader): OwnerReference[] {
  return r.array(value, path).map((item, i) => {
    const where = at(path, i);
    const ref = r.record(item, where);
    return {
      kind: r.requiredString(ref.kind, at(where, 'kind')),
      name: r.requiredString(ref.name, at(where, 'name')),
      // Hand-written owner references often leave the UID out; '' means "match by kind and name".
      uid: r.string(ref.uid, at(where, 'uid')) ?? '',
      controller: r.boolean(ref.controller, at(where, 'controller')),
    };
  });
}
