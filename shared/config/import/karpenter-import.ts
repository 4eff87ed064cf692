// `fleetwright import`: Karpenter NodePool and EC2NodeClass objects (v1, or v1beta1 converted to v1) -> our
// documents, with a note for everything changed or left behind. The steps, in order:
//   1. drop what the cluster wrote (status, API-server metadata, tool annotations);
//   2. convert v1beta1 to v1 where v1 has one meaning for it;
//   3. move kubelet settings from pools to their node class (needs all documents at once);
//   4. drop the fields our validation refuses as fields (unknown, or Karpenter features fleetwright does not
//      support), each with the validator's own sentence: Kubernetes pruned unknown fields too, so this
//      keeps what the cluster ran, and says what it was;
//   5. validate the result as `config push` will: what is still invalid is an error, not a note.
// Pure: the CLI reads the files and writes the results.

import { buildConfigSet } from '../config-set.js';
import { parseDocument } from '../document.js';
import { isPlainObject } from '../fields.js';
import { type ConfigIssue, describeValue, formatIssueLine, UNNAMED } from '../issues.js';
import { EC2NODECLASS_KIND, NODECLASS_API_VERSION } from '../nodeclass-schema.js';
import { NODEPOOL_API_VERSION, NODEPOOL_KIND } from '../nodepool-schema.js';
import { dropClusterFields } from './cluster-fields.js';
import { copyJson, type Draft, deleteAt, type Json, note } from './draft.js';
import { moveKubeletToNodeClasses } from './kubelet-move.js';
import { convertNodeClass, convertNodePool, NODECLASS_V1BETA1, NODEPOOL_V1BETA1 } from './v1beta1.js';

export interface ImportInput {
  readonly raw: unknown;
  /** The file the object came from, as messages show it. */
  readonly source: string;
}

export interface ImportedDocument {
  readonly source: string;
  readonly kind: typeof NODEPOOL_KIND | typeof EC2NODECLASS_KIND;
  readonly name: string;
  readonly document: Json;
}

export interface ImportResult {
  /** Every converted document, in input order; usable only when `errors` is empty. */
  readonly documents: readonly ImportedDocument[];
  /** What import did or left behind, one line each: `<source>: <kind>/<name>: <path>: <what>`. */
  readonly notes: readonly string[];
  /** Objects that cannot be imported and documents still invalid after conversion, one line each. */
  readonly errors: readonly string[];
}

/** apiVersions import reads, per kind, and the converter for the older one. */
const READABLE: Readonly<Record<string, { readonly current: string; readonly v1beta1: string }>> = {
  [NODEPOOL_KIND]: { current: NODEPOOL_API_VERSION, v1beta1: NODEPOOL_V1BETA1 },
  [EC2NODECLASS_KIND]: { current: NODECLASS_API_VERSION, v1beta1: NODECLASS_V1BETA1 },
};

// Karpenter's pre-v1beta1 kinds: there is no one-step conversion from them.
const ALPHA_KINDS: Readonly<Record<string, string>> = {
  Provisioner: 'NodePools',
  AWSNodeTemplate: 'EC2NodeClasses',
};

export function importKarpenter(inputs: readonly ImportInput[]): ImportResult {
  const drafts: Draft[] = [];
  const skipped: string[] = [];
  const errors: string[] = [];
  for (const input of inputs) {
    const refusal = admit(input, drafts, skipped);
    if (refusal) errors.push(refusal);
  }
  for (const draft of drafts) {
    dropClusterFields(draft);
    if (draft.writtenAs === NODEPOOL_V1BETA1) convertNodePool(draft);
    if (draft.writtenAs === NODECLASS_V1BETA1) convertNodeClass(draft);
  }
  moveKubeletToNodeClasses(drafts);
  for (const draft of drafts) dropRefusedFields(draft);
  const set = buildConfigSet(drafts.map((d) => ({ raw: d.raw, source: d.source })));
  return {
    documents: drafts.map((d) => ({
      source: d.source,
      kind: d.kind as ImportedDocument['kind'],
      name: d.name,
      document: d.raw,
    })),
    notes: [...skipped, ...drafts.flatMap((d) => d.notes.map((n) => formatIssueLine(d.source, d.kind, d.name, n)))],
    errors: [...errors, ...set.errors],
  };
}

/** Adds the object to `drafts` when import reads it; returns the error line when it must refuse it. */
function admit(input: ImportInput, drafts: Draft[], skipped: string[]): string | undefined {
  const { raw, source } = input;
  if (!isPlainObject(raw)) return `${source}: expected a Kubernetes object, got ${describeValue(raw)}`;
  const kind = typeof raw.kind === 'string' && raw.kind !== '' ? raw.kind : '<unknown kind>';
  const name = isPlainObject(raw.metadata) && typeof raw.metadata.name === 'string' ? raw.metadata.name : UNNAMED;
  const line = (issue: ConfigIssue) => formatIssueLine(source, kind, name, issue);
  const versions = READABLE[kind];
  if (ALPHA_KINDS[kind]) {
    return line({
      path: ['kind'],
      message: `${kind} (${describeValue(raw.apiVersion)}) cannot be imported: migrate to Karpenter's ${ALPHA_KINDS[kind]} (v1beta1 or v1) first, then import those`,
    });
  }
  if (!versions) {
    skipped.push(line({ path: ['kind'], message: 'skipped: not a NodePool or EC2NodeClass' }));
    return undefined;
  }
  if (raw.apiVersion !== versions.current && raw.apiVersion !== versions.v1beta1) {
    return line({
      path: ['apiVersion'],
      message: `expected ${versions.current} or ${versions.v1beta1}, got ${describeValue(raw.apiVersion)}`,
    });
  }
  drafts.push({ source, kind, name, writtenAs: raw.apiVersion, raw: copyJson(raw), notes: [] });
  return undefined;
}

function dropRefusedFields(draft: Draft): void {
  const { issues } = parseDocument(draft.raw, draft.source);
  for (const issue of issues) {
    if (!issue.refusedField) continue;
    deleteAt(draft.raw, issue.path);
    note(draft, issue.path, `not carried over: ${issue.message}`);
  }
}
