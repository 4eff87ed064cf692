// Reading the Kubernetes objects of a `plan` input file (DESIGN §5): JSON or YAML holding one object, an
// array, a `List` (`items`, possibly nested), or several YAML documents, so `kubectl get pods -A -o json`
// output works as is. Everything that stops a file from being read becomes an InputError whose lines name
// the file (and the document and position), all of them at once.

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type Document, parseAllDocuments, type YAMLError } from 'yaml';
import { InputError } from './io.js';

/** A decoded API object; its fields are checked by the mappers in `adapters/kubernetes/mappers`. */
export type KubeObject = Record<string, unknown>;

/** Reads `path` (relative to `cwd`, default the working directory); errors name it as given. */
export async function readObjects(path: string, options: { readonly cwd?: string } = {}): Promise<KubeObject[]> {
  let text: string;
  try {
    text = await readFile(resolve(options.cwd ?? process.cwd(), path), 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputError([`${path}: cannot read the file: ${reason}`]);
  }
  return parseObjects(text, path);
}

/** The objects in `text`, in file order; `source` names the file in errors. An empty file holds none. */
export function parseObjects(text: string, source: string): KubeObject[] {
  const documents = decode(text.replace(/^\uFEFF/, ''), source);
  const objects: KubeObject[] = [];
  const errors: string[] = [];
  documents.forEach((document, i) => {
    // An empty YAML document (a stray `---`, a file of comments) holds nothing.
    if (document === null || document === undefined) return;
    const where = documents.length > 1 ? [`document ${i + 1}`] : [];
    collect(document, where, '', objects, (position, problem) => {
      errors.push([source, ...position, problem].join(': '));
    });
  });
  if (errors.length > 0) throw new InputError(errors);
  return objects;
}

/**
 * The file's documents. JSON is tried first when the text looks like it: `JSON.parse` is many times faster
 * than a YAML parser on the megabytes `kubectl get pods -A -o json` prints. Anything else, or JSON that does
 * not parse, goes to the YAML parser (YAML is a superset of JSON), whose errors carry line and column.
 */
function decode(text: string, source: string): unknown[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return [JSON.parse(text)];
    } catch {
      // Fall through: the YAML parser either accepts it or says where it breaks.
    }
  }
  // `merge` lets hand-written files use `<<: *anchor`; YAML 1.2 keeps timestamps and `yes` as strings.
  const documents = parseAllDocuments(text, { merge: true });
  const multiple = documents.length > 1;
  // The first error of a document only: the parser's later ones are mostly echoes of it.
  const errors = documents.flatMap((d, i) =>
    d.errors.slice(0, 1).map((e) => parseErrorLine(source, multiple ? i : -1, e)),
  );
  if (errors.length > 0) throw new InputError(errors);
  return documents.map((d, i) => toJS(d, source, multiple ? i : -1));
}

function toJS(document: Document.Parsed, source: string, index: number): unknown {
  try {
    return document.toJS();
  } catch (error) {
    // Alias expansion limits ("billion laughs") surface here rather than as parse errors.
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputError([[source, ...(index >= 0 ? [`document ${index + 1}`] : []), reason].join(': ')]);
  }
}

/** `pods.yaml: document 2: line 14, column 3: Map keys must be unique` */
function parseErrorLine(source: string, index: number, error: YAMLError): string {
  const firstLine = error.message.split('\n')[0] ?? error.message;
  const message = firstLine.replace(/ at line \d+, column \d+:?$/, '');
  const position = error.linePos?.[0];
  const parts = [source];
  if (index >= 0) parts.push(`document ${index + 1}`);
  if (position) parts.push(`line ${position.line}, column ${position.col}`);
  parts.push(`cannot parse as JSON or YAML: ${message}`);
  return parts.join(': ');
}

/**
 * Adds the objects in `value` to `out`: arrays and Lists are flattened (nested ones too), everything else
 * must be an object. `path` locates the value in its document for error messages (`items[3]`).
 */
function collect(value: unknown, where: readonly string[], path: string, out: KubeObject[], fail: Fail): void {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) collect(item, where, `${path}[${i}]`, out, fail);
  } else if (!isObject(value)) {
    fail(path ? [...where, path] : where, `expected a Kubernetes object, got ${describe(value)}`);
  } else if (isList(value)) {
    const itemsPath = path ? `${path}.items` : 'items';
    const items = value.items ?? [];
    if (!Array.isArray(items)) {
      fail([...where, itemsPath], `expected a list, got ${describe(items)}`);
      return;
    }
    const itemKind = listItemKind(value);
    for (const [i, item] of items.entries()) {
      const typed = itemKind && isObject(item) && item.kind === undefined ? withKind(value, itemKind, item) : item;
      collect(typed, where, `${itemsPath}[${i}]`, out, fail);
    }
  } else {
    out.push(value);
  }
}

type Fail = (where: readonly string[], problem: string) => void;

function isObject(value: unknown): value is KubeObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `kind: List` (kubectl), a typed list (`PodList`, from the API), or a bare `{ items: [...] }`. */
function isList(value: KubeObject): boolean {
  if (typeof value.kind === 'string') return value.kind.endsWith('List');
  return value.kind === undefined && Array.isArray(value.items);
}

/**
 * The API server leaves `kind` and `apiVersion` out of the items of a typed list (`PodList`); the list says
 * what they are. `kind: List` items always carry their own.
 */
function listItemKind(list: KubeObject): string | undefined {
  const kind = typeof list.kind === 'string' ? list.kind.slice(0, -'List'.length) : '';
  return kind || undefined;
}

function withKind(list: KubeObject, kind: string, item: KubeObject): KubeObject {
  return typeof list.apiVersion === 'string' ? { apiVersion: list.apiVersion, kind, ...item } : { kind, ...item };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  const text = JSON.stringify(value);
  const shown = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  return `${typeof value} ${shown}`;
}
