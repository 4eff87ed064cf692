// Config documents from disk: each path is a file (any documents, dispatched by kind) or a folder in the
// layout `config push` reads (DESIGN.md §5 "Other commands"):
//   <dir>/nodepools/<name>.json   <dir>/nodeclasses/<name>.json   <dir>/settings.json
// (.yaml and .yml too). Reading is here; validation and the cross-document checks are shared/config's.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import {
  buildConfigSet,
  type ConfigSet,
  type ConfigSetOptions,
  type LayoutSlot,
  type SourceDocument,
} from '../config/config-set.js';
import { parseDocumentsText } from '../config/document-text.js';
import { EC2NODECLASS_KIND } from '../config/nodeclass-schema.js';
import { NODEPOOL_KIND } from '../config/nodepool-schema.js';
import { SETTINGS_KIND } from '../config/settings-schema.js';

const CONFIG_EXTENSIONS: readonly string[] = ['.json', '.yaml', '.yml'];

const LAYOUT_FOLDERS = [
  { folder: 'nodepools', kind: NODEPOOL_KIND },
  { folder: 'nodeclasses', kind: EC2NODECLASS_KIND },
] as const;
const SETTINGS_FILES = CONFIG_EXTENSIONS.map((ext) => `settings${ext}`);

export interface ConfigFiles extends ConfigSet {
  /** The documents as read, parallel to `documents`: what `config push` stores. */
  readonly inputs: readonly SourceDocument[];
  /** Files that could not be read or parsed, `<path>: <reason>`: the input cannot be used (exit 2). */
  readonly fileErrors: readonly string[];
  /** Every error line: fileErrors first, then each document's. */
  readonly errors: readonly string[];
}

export interface LoadOptions extends ConfigSetOptions {
  /** Relative paths are read from here (default: process.cwd()); messages show them as given. */
  readonly cwd?: string;
}

/**
 * Reads, validates and converts the config documents at `paths`. Never throws for bad input: unreadable
 * files are in `fileErrors`, invalid documents in `documents[].issues`, and both in `errors`.
 */
export function loadConfigFiles(paths: readonly string[], options: LoadOptions = {}): ConfigFiles {
  const cwd = options.cwd ?? process.cwd();
  const fileErrors: string[] = [];
  const inputs: SourceDocument[] = [];
  for (const path of paths) {
    const files = expandPath(path, cwd, fileErrors);
    for (const file of files) inputs.push(...readDocuments(file, cwd, fileErrors));
  }
  const set = buildConfigSet(inputs, options);
  return { ...set, inputs, fileErrors, errors: [...fileErrors, ...set.errors] };
}

interface ConfigFile {
  /** As shown in messages: the given path, joined with the layout's parts. */
  readonly source: string;
  readonly layout?: LayoutSlot;
}

function expandPath(path: string, cwd: string, errors: string[]): ConfigFile[] {
  const stats = statOrReport(path, cwd, errors);
  if (!stats) return [];
  if (!stats.isDirectory()) return [{ source: path }];
  const files: ConfigFile[] = [];
  for (const { folder, kind } of LAYOUT_FOLDERS) {
    const dir = join(path, folder);
    if (!statSync(resolve(cwd, dir), { throwIfNoEntry: false })?.isDirectory()) continue;
    for (const entry of readdirSync(resolve(cwd, dir)).sort()) {
      const ext = extname(entry);
      if (!CONFIG_EXTENSIONS.includes(ext.toLowerCase())) continue;
      const name = entry.slice(0, -ext.length);
      files.push({ source: join(dir, entry), layout: { kind, name, place: `a file in ${folder}/` } });
    }
  }
  for (const entry of SETTINGS_FILES) {
    const file = join(path, entry);
    if (!statSync(resolve(cwd, file), { throwIfNoEntry: false })?.isFile()) continue;
    files.push({ source: file, layout: { kind: SETTINGS_KIND, place: entry } });
  }
  if (files.length === 0 && !hasLayoutFolder(path, cwd)) {
    errors.push(`${path}: not a config folder: expected nodepools/, nodeclasses/ or settings.json in it`);
  }
  return files;
}

function hasLayoutFolder(path: string, cwd: string): boolean {
  return LAYOUT_FOLDERS.some(({ folder }) =>
    statSync(resolve(cwd, path, folder), { throwIfNoEntry: false })?.isDirectory(),
  );
}

function statOrReport(path: string, cwd: string, errors: string[]) {
  try {
    return statSync(resolve(cwd, path));
  } catch (error) {
    errors.push(`${path}: cannot read: ${systemReason(error)}`);
    return undefined;
  }
}

function readDocuments(file: ConfigFile, cwd: string, errors: string[]): SourceDocument[] {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file.source), 'utf8');
  } catch (error) {
    errors.push(`${file.source}: cannot read: ${systemReason(error)}`);
    return [];
  }
  const parsed = parseDocumentsText(text, file.source);
  if (!parsed.ok) {
    errors.push(`${file.source}: ${parsed.error}`);
    return [];
  }
  return parsed.documents.map((raw) => ({ raw, source: file.source, ...(file.layout ? { layout: file.layout } : {}) }));
}

const SYSTEM_REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
};

function systemReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return (code && SYSTEM_REASONS[code]) ?? (error as Error).message;
}
