// What `kubectl get -o yaml` adds to a NodePool or EC2NodeClass that is not configuration: `status`, the
// metadata the API server keeps (uid, resourceVersion, managedFields...), and annotations written by kubectl
// or by Karpenter itself (hashes, migration markers). Import drops them and says so; the documents stay
// small (SSM holds 4 KB per Standard parameter) and mean only what the user wrote.

import { isPlainObject } from '../fields.js';
import { type Draft, note } from './draft.js';

// metadata fields a document keeps; the rest is the API server's bookkeeping.
const KEPT_METADATA = ['name', 'labels', 'annotations'];

// Karpenter v1's conversion webhook stores a v1beta1 NodePool's kubelet settings here during the migration.
export const KUBELET_CONVERSION_ANNOTATION = 'compatibility.karpenter.sh/v1beta1-kubelet-conversion';

/** Who writes annotations under a prefix, for the note saying why one is not carried over. */
const TOOL_ANNOTATIONS: readonly (readonly [prefix: string, writer: string])[] = [
  ['kubectl.kubernetes.io/', 'written by kubectl'],
  ['compatibility.karpenter.sh/', "written by Karpenter's v1 migration"],
  ['compatibility.karpenter.k8s.aws/', "written by Karpenter's v1 migration"],
  ['karpenter.sh/', 'written by Karpenter'],
  ['karpenter.k8s.aws/', 'written by Karpenter'],
];

export function dropClusterFields(draft: Draft): void {
  const { raw } = draft;
  if (raw.status !== undefined) {
    delete raw.status;
    note(draft, ['status'], 'not carried over: status is written by the cluster');
  }
  const metadata = raw.metadata;
  if (!isPlainObject(metadata)) return;
  const bookkeeping = Object.keys(metadata).filter((key) => !KEPT_METADATA.includes(key));
  for (const key of bookkeeping) delete metadata[key];
  if (bookkeeping.length > 0) {
    note(draft, ['metadata'], `not carried over: ${bookkeeping.join(', ')} (kept by the API server)`);
  }
  dropToolAnnotations(draft, metadata);
}

function dropToolAnnotations(draft: Draft, metadata: Record<string, unknown>): void {
  const annotations = metadata.annotations;
  if (!isPlainObject(annotations)) return;
  for (const key of Object.keys(annotations)) {
    const writer = TOOL_ANNOTATIONS.find(([prefix]) => key.startsWith(prefix))?.[1];
    if (!writer) continue;
    delete annotations[key];
    const why =
      key === KUBELET_CONVERSION_ANNOTATION
        ? "Karpenter's v1 migration kept the NodePool's v1beta1 kubelet settings here; in v1 they belong in the EC2NodeClass's spec.kubelet: move them there"
        : writer;
    note(draft, ['metadata', 'annotations', key], `not carried over: ${why}`);
  }
  if (Object.keys(annotations).length === 0) delete metadata.annotations;
}
