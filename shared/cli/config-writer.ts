// Writing config documents to disk in the layout `config push` reads (DESIGN.md §5 "Other commands"):
//   <dir>/nodepools/<name>.json   <dir>/nodeclasses/<name>.json   <dir>/settings.json
// Used by `import --out` and `config pull`. Files are pretty JSON, one document each, so a diff of the folder
// reads like a diff of the config.

import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ConfigKind } from '../config/document.js';
import { EC2NODECLASS_KIND } from '../config/nodeclass-schema.js';
import { NODEPOOL_KIND } from '../config/nodepool-schema.js';

export interface FolderDocument {
  readonly kind: ConfigKind;
  readonly name: string;
  readonly document: Record<string, unknown>;
  /** The file's text when it is not the document as JSON (a stored value that does not parse). */
  readonly text?: string;
}

const FOLDERS: Readonly<Record<string, string>> = { [NODEPOOL_KIND]: 'nodepools', [EC2NODECLASS_KIND]: 'nodeclasses' };

/** Where a document lives in the folder, relative to it: `nodepools/web.json`, `settings.json`. */
export function layoutFile(kind: ConfigKind, name: string): string {
  const folder = FOLDERS[kind];
  return folder ? join(folder, `${name}.json`) : 'settings.json';
}

/** The document as its file holds it: two-space JSON and a final newline. */
export function documentFileText(document: Record<string, unknown>): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * Writes each document to its place under `dir` (created as needed), replacing a file of the same name.
 * Returns the paths written, joined to `dir` as given. Other files in the folder are left alone.
 */
export function writeConfigFolder(dir: string, documents: readonly FolderDocument[], cwd: string): string[] {
  const written: string[] = [];
  for (const { kind, name, document, text } of documents) {
    const file = join(dir, layoutFile(kind, name));
    mkdirSync(resolve(cwd, dirname(file)), { recursive: true });
    writeFileSync(resolve(cwd, file), text ?? documentFileText(document));
    written.push(file);
  }
  return written;
}

/**
 * Files of the same document in another format (`nodepools/web.yaml` beside the `web.json` being written):
 * left in place, a later `config push` would read the document twice.
 */
export function otherFormatFiles(dir: string, documents: readonly FolderDocument[], cwd: string): string[] {
  return documents.flatMap(({ kind, name }) => {
    const json = join(dir, layoutFile(kind, name));
    return ['.yaml', '.yml']
      .map((ext) => json.replace(/\.json$/, ext))
      .filter((file) => statSync(resolve(cwd, file), { throwIfNoEntry: false })?.isFile());
  });
}
