// A set of config documents read together (a config folder, or `plan`'s --nodepools/--nodeclasses/--settings
// files), checked against each other: no two objects of a kind share a name, at most one Settings, a file in
// the folder layout holds the kind and name its path says, and pools name node classes that exist.

import type { NodeClass, NodePool } from '../core/model/nodepool.js';
import { DEFAULT_SETTINGS, type Settings } from '../core/model/settings.js';
import { type ConfigKind, type ParsedDocument, parseDocument } from './document.js';
import { type ConfigIssue, formatIssueLine, UNNAMED } from './issues.js';
import { EC2NODECLASS_KIND } from './nodeclass-schema.js';
import { NODEPOOL_KIND } from './nodepool-schema.js';
import { SETTINGS_KIND } from './settings-schema.js';

/** What a file's place in the folder layout says about its documents. */
export interface LayoutSlot {
  readonly kind: ConfigKind;
  /** The object name the file name gives (`web` for `nodepools/web.json`); none for settings. */
  readonly name?: string;
  /** The place, for messages: "a file in nodepools/", "settings.json". */
  readonly place: string;
}

/** Where a document came from; `layout` is set for a file of the folder layout (`nodepools/web.json`). */
export interface SourceDocument {
  readonly raw: unknown;
  readonly source: string;
  readonly layout?: LayoutSlot;
}

export interface ConfigSetOptions {
  /**
   * Whether every pool's nodeClassRef must name a given EC2NodeClass. Default: only when at least one
   * EC2NodeClass document is given (`plan` assumes a `default` class when none are).
   */
  readonly requireNodeClasses?: boolean;
}

export interface DocumentResult {
  readonly source: string;
  readonly kind: string;
  readonly name: string;
  /** Empty when the document is valid, its cross-document checks included. */
  readonly issues: readonly ConfigIssue[];
}

export interface ConfigSet {
  /** Valid documents only, in input order. */
  readonly nodePools: readonly NodePool[];
  readonly nodeClasses: readonly NodeClass[];
  /** The Settings document's, or the defaults when there is none (or it is invalid). */
  readonly settings: Settings;
  readonly documents: readonly DocumentResult[];
  /** Every error line, `<source>: <kind>/<name>: <path>: <message>`, in input order. */
  readonly errors: readonly string[];
}

const NODE_CLASS_REF_NAME = ['spec', 'template', 'spec', 'nodeClassRef', 'name'];

export function buildConfigSet(inputs: readonly SourceDocument[], options: ConfigSetOptions = {}): ConfigSet {
  const parsed = inputs.map((input) => ({
    input,
    doc: parseDocument(input.raw, input.source, input.layout?.kind),
    extra: [] as ConfigIssue[],
  }));
  for (const p of parsed) p.extra.push(...layoutIssues(p.input, p.doc));
  checkUnique(parsed);
  checkNodeClassRefs(parsed, options);
  const documents = parsed.map(({ doc, extra }) => ({
    source: doc.source,
    kind: doc.kind,
    name: doc.name,
    issues: [...doc.issues, ...extra],
  }));
  const valid = parsed.filter(({ doc, extra }) => doc.issues.length === 0 && extra.length === 0).map((p) => p.doc);
  return {
    nodePools: valid.flatMap((d) => (d.nodePool ? [d.nodePool] : [])),
    nodeClasses: valid.flatMap((d) => (d.nodeClass ? [d.nodeClass] : [])),
    settings: valid.find((d) => d.settings)?.settings ?? DEFAULT_SETTINGS,
    documents,
    errors: documents.flatMap((d) => d.issues.map((issue) => formatIssueLine(d.source, d.kind, d.name, issue))),
  };
}

type Checked = { readonly doc: ParsedDocument; readonly extra: ConfigIssue[] };

/**
 * Each pool's nodeClassRef must name a given class. Invalid classes count as given, so a pool is not
 * reported for its class's mistakes.
 */
function checkNodeClassRefs(parsed: readonly Checked[], options: ConfigSetOptions): void {
  const classNames = new Set(parsed.filter((p) => p.doc.kind === EC2NODECLASS_KIND).map((p) => p.doc.name));
  if (!(options.requireNodeClasses ?? classNames.size > 0)) return;
  const given = classNames.size > 0 ? `given: ${[...classNames].sort().join(', ')}` : 'none are given';
  for (const { doc, extra } of parsed) {
    const ref = doc.nodePool?.nodeClassName;
    if (ref === undefined || classNames.has(ref)) continue;
    extra.push({ path: NODE_CLASS_REF_NAME, message: `no EC2NodeClass named ${JSON.stringify(ref)} (${given})` });
  }
}

/** A file in `nodepools/` holds a NodePool named after the file (as the SSM parameter it becomes is). */
function layoutIssues(input: SourceDocument, doc: ParsedDocument): ConfigIssue[] {
  const layout = input.layout;
  if (!layout) return [];
  if (doc.kind !== layout.kind) {
    return [{ path: ['kind'], message: `${layout.place} must hold a ${layout.kind}, got ${JSON.stringify(doc.kind)}` }];
  }
  if (layout.name !== undefined && doc.name !== layout.name) {
    return [
      {
        path: ['metadata', 'name'],
        message: `${JSON.stringify(doc.name)} does not match the file name ${JSON.stringify(layout.name)} (the file name must equal metadata.name)`,
      },
    ];
  }
  return [];
}

/** Names are unique per kind; a second Settings document is refused whatever its name. */
function checkUnique(parsed: readonly Checked[]): void {
  const seen = new Map<string, string>();
  for (const { doc, extra } of parsed) {
    if (doc.kind !== NODEPOOL_KIND && doc.kind !== EC2NODECLASS_KIND && doc.kind !== SETTINGS_KIND) continue;
    if (doc.name === UNNAMED) continue;
    const key = doc.kind === SETTINGS_KIND ? SETTINGS_KIND : `${doc.kind}/${doc.name}`;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, doc.source);
    } else if (doc.kind === SETTINGS_KIND) {
      extra.push({ path: [], message: `a second Settings document: only one is allowed (the first is in ${first})` });
    } else {
      extra.push({
        path: ['metadata', 'name'],
        message: `duplicate name: ${doc.kind} ${JSON.stringify(doc.name)} is also defined in ${first}`,
      });
    }
  }
}
