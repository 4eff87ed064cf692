// The text of a config file -> the documents in it. Every input file is JSON or YAML and holds one object,
// an array of them, a Kubernetes List (`items`), or several YAML documents (DESIGN.md §5). YAML comments
// are dropped with the parse. Only the reading lives here; the file system is the CLI's.

import { parseAllDocuments } from 'yaml';
import { isPlainObject } from './fields.js';

export type TextParse =
  | { readonly ok: true; readonly documents: readonly unknown[] }
  | { readonly ok: false; readonly error: string };

/** True for file names read as JSON; every other name is read as YAML (a superset of JSON). */
export function isJsonFile(fileName: string): boolean {
  return fileName.toLowerCase().endsWith('.json');
}

/**
 * The documents in `text`, in order. `error` is a one-line reason the text cannot be read at all (the CLI
 * prefixes the file name); empty YAML documents are skipped, so an empty file holds no documents.
 */
export function parseDocumentsText(text: string, fileName: string): TextParse {
  if (text.trim() === '') return { ok: true, documents: [] };
  if (isJsonFile(fileName)) {
    try {
      return { ok: true, documents: flatten([JSON.parse(text)]) };
    } catch (error) {
      return { ok: false, error: `cannot parse JSON: ${firstLine((error as Error).message)}` };
    }
  }
  const values: unknown[] = [];
  for (const doc of parseAllDocuments(text)) {
    const [error] = doc.errors;
    if (error) return { ok: false, error: `cannot parse YAML: ${firstLine(error.message)}` };
    const value = doc.toJS();
    if (value !== null && value !== undefined) values.push(value);
  }
  return { ok: true, documents: flatten(values) };
}

/** Arrays and Kubernetes Lists (`kind: List`, or any `*List` with `items`) stand for their elements. */
function flatten(values: readonly unknown[]): unknown[] {
  return values.flatMap((value) => {
    if (Array.isArray(value)) return value;
    if (
      isPlainObject(value) &&
      Array.isArray(value.items) &&
      typeof value.kind === 'string' &&
      value.kind.endsWith('List')
    ) {
      return value.items;
    }
    return [value];
  });
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.trim() ?? message;
}
