// One config document, from parsed JSON/YAML to a core value: find its kind and name, check its size,
// validate it against its kind's schema, and convert it when it is valid. Every problem of the document is
// returned at once (DESIGN.md §3); nothing throws for a bad document.

import type { z } from 'zod';
import type { NodeClass, NodePool } from '../core/model/nodepool.js';
import type { Settings } from '../core/model/settings.js';
import { toNodeClass, toNodePool, toSettings } from './convert.js';
import { isPlainObject } from './fields.js';
import { type ConfigIssue, describeValue, fromZodIssues, sortByDocumentOrder, UNNAMED } from './issues.js';
import { EC2NODECLASS_KIND, nodeClassDocumentSchema } from './nodeclass-schema.js';
import { NODEPOOL_KIND, nodePoolDocumentSchema } from './nodepool-schema.js';
import { SETTINGS_KIND, settingsDocumentSchema } from './settings-schema.js';

export type ConfigKind = typeof NODEPOOL_KIND | typeof EC2NODECLASS_KIND | typeof SETTINGS_KIND;
export const CONFIG_KINDS: readonly ConfigKind[] = [NODEPOOL_KIND, EC2NODECLASS_KIND, SETTINGS_KIND];

/** Shown as the kind of a document whose kind is missing or unusable. */
export const UNKNOWN_KIND = '<unknown kind>';

/** The name a Settings document goes by when it has none: its SSM parameter is `<prefix>settings`. */
export const SETTINGS_NAME = 'settings';

/**
 * SSM Parameter Store's Advanced tier holds 8 KB per parameter (the Standard tier 4 KB), and each document
 * is one parameter. Measured as the compact JSON the document is stored as, without `status`.
 */
export const MAX_DOCUMENT_BYTES = 8 * 1024;

export interface ParsedDocument {
  readonly source: string;
  /** The document's kind, or the kind its place implies, or UNKNOWN_KIND. */
  readonly kind: string;
  /** metadata.name, or UNNAMED (SETTINGS_NAME for Settings). */
  readonly name: string;
  /** Empty when the document is valid. */
  readonly issues: readonly ConfigIssue[];
  /** Set, for its kind, only when the document is valid. */
  readonly nodePool?: NodePool;
  readonly nodeClass?: NodeClass;
  readonly settings?: Settings;
}

function isConfigKind(kind: unknown): kind is ConfigKind {
  return typeof kind === 'string' && (CONFIG_KINDS as readonly string[]).includes(kind);
}

function documentName(raw: Record<string, unknown>, kind: string): string {
  const name = isPlainObject(raw.metadata) ? raw.metadata.name : undefined;
  if (typeof name === 'string' && name !== '') return name;
  return kind === SETTINGS_KIND ? SETTINGS_NAME : UNNAMED;
}

export function documentBytes(raw: Record<string, unknown>): number {
  const { status: _status, ...stored } = raw;
  return new TextEncoder().encode(JSON.stringify(stored)).length;
}

function sizeIssues(raw: Record<string, unknown>): ConfigIssue[] {
  const bytes = documentBytes(raw);
  if (bytes <= MAX_DOCUMENT_BYTES) return [];
  return [
    { path: [], message: `document is ${bytes} bytes, too large: documents up to 8 KB (Advanced tier above 4 KB)` },
  ];
}

/**
 * Validates one document and converts it to its core type. `impliedKind` is the kind the document's place
 * implies (a file under `nodepools/`), used to name and validate a document that does not say its kind.
 */
export function parseDocument(raw: unknown, source: string, impliedKind?: ConfigKind): ParsedDocument {
  if (!isPlainObject(raw)) {
    const expected = `expected an object (a ${CONFIG_KINDS.join(', ')} document), got ${describeValue(raw)}`;
    return { source, kind: impliedKind ?? UNKNOWN_KIND, name: UNNAMED, issues: [{ path: [], message: expected }] };
  }
  const kind = isConfigKind(raw.kind) ? raw.kind : raw.kind === undefined ? impliedKind : undefined;
  if (!kind) {
    const shown = typeof raw.kind === 'string' && raw.kind !== '' ? raw.kind : UNKNOWN_KIND;
    const message =
      raw.kind === undefined
        ? `missing required field, expected one of ${CONFIG_KINDS.join(', ')}`
        : `expected one of ${CONFIG_KINDS.join(', ')}, got ${describeValue(raw.kind)}`;
    return { source, kind: shown, name: documentName(raw, shown), issues: [{ path: ['kind'], message }] };
  }
  const name = documentName(raw, kind);
  switch (kind) {
    case NODEPOOL_KIND:
      return validate(raw, source, kind, name, nodePoolDocumentSchema, (doc) => ({ nodePool: toNodePool(doc) }));
    case EC2NODECLASS_KIND:
      return validate(raw, source, kind, name, nodeClassDocumentSchema, (doc) => ({ nodeClass: toNodeClass(doc) }));
    case SETTINGS_KIND:
      return validate(raw, source, kind, name, settingsDocumentSchema, (doc) => ({ settings: toSettings(doc) }));
  }
}

function validate<S extends z.ZodType>(
  raw: Record<string, unknown>,
  source: string,
  kind: ConfigKind,
  name: string,
  schema: S,
  convert: (doc: z.output<S>) => Partial<ParsedDocument>,
): ParsedDocument {
  const result = schema.safeParse(raw, { reportInput: true });
  const schemaIssues = result.success ? [] : sortByDocumentOrder(fromZodIssues(result.error.issues), raw);
  const issues = [...sizeIssues(raw), ...schemaIssues];
  if (issues.length > 0 || !result.success) return { source, kind, name, issues };
  return { source, kind, name, issues, ...convert(result.data) };
}
