// The patch formats the API server accepts: JSON merge patch (RFC 7386), JSON patch (RFC 6902), and strategic
// merge patch. Strategic merge is applied as a merge patch: for the fields fleetwright patches (taints, which
// have no merge key, labels, annotations, unschedulable) the two agree — lists are replaced whole — and the
// server knows no other field's merge key. Directives (`$patch`, `$retainKeys`, ...) are refused with 400
// rather than misapplied. Server-side apply is not supported (415), as fleetwright does not send it.

import { ApiError, badRequest, failure } from './status.js';

/** Content types of the three patch formats. */
export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
export const JSON_PATCH = 'application/json-patch+json';

type Json = unknown;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Applies `patch` of `contentType` to a copy of `target`. */
export function applyPatch(target: Json, patch: Json, contentType: string): Json {
  const type = contentType.split(';')[0]?.trim();
  if (type === MERGE_PATCH) return mergePatch(target, patch);
  if (type === STRATEGIC_MERGE_PATCH) {
    rejectDirectives(patch);
    return mergePatch(target, patch);
  }
  if (type === JSON_PATCH) return jsonPatch(target, patch);
  throw new ApiError(
    failure(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${JSON_PATCH}, ${MERGE_PATCH}, ${STRATEGIC_MERGE_PATCH}`,
    ),
  );
}

/** RFC 7386: objects merge key by key, `null` deletes, anything else (lists included) replaces. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isObject(target) ? structuredClone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

function rejectDirectives(patch: Json): void {
  if (Array.isArray(patch)) {
    for (const item of patch) rejectDirectives(item);
    return;
  }
  if (!isObject(patch)) return;
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) throw badRequest(`strategic merge directive ${key} is not supported by the simulator`);
    rejectDirectives(value);
  }
}

interface Operation {
  readonly op: string;
  readonly path: string;
  readonly from?: string;
  readonly value?: unknown;
}

/** RFC 6902 with RFC 6901 pointers: add, remove, replace, move, copy, test. A failed test is 422. */
export function jsonPatch(target: Json, operations: Json): Json {
  if (!Array.isArray(operations)) throw badRequest('a JSON patch must be a list of operations');
  let doc = structuredClone(target);
  for (const op of operations as Operation[]) {
    switch (op.op) {
      case 'add':
        doc = setAt(doc, op.path, structuredClone(op.value), 'add');
        break;
      case 'replace':
        doc = setAt(doc, op.path, structuredClone(op.value), 'replace');
        break;
      case 'remove':
        doc = removeAt(doc, op.path);
        break;
      case 'move': {
        const value = getAt(doc, op.from ?? '');
        doc = setAt(removeAt(doc, op.from ?? ''), op.path, value, 'add');
        break;
      }
      case 'copy':
        doc = setAt(doc, op.path, structuredClone(getAt(doc, op.from ?? '')), 'add');
        break;
      case 'test':
        if (JSON.stringify(getAt(doc, op.path)) !== JSON.stringify(op.value)) {
          throw new ApiError(
            failure(
              422,
              'Invalid',
              `the server rejected our request due to an error in our request: test failed at ${op.path}`,
            ),
          );
        }
        break;
      default:
        throw badRequest(`unknown JSON patch operation ${JSON.stringify(op.op)}`);
    }
  }
  return doc;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw badRequest(`invalid JSON pointer ${JSON.stringify(path)}`);
  return path
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function missing(path: string): ApiError {
  return new ApiError(failure(422, 'Invalid', `path ${path} does not exist`));
}

/** The value at `parts` (already split); `path` is only for messages. */
function walk(doc: Json, parts: readonly string[], path: string): Json {
  let node: Json = doc;
  for (const part of parts) {
    if (Array.isArray(node) && /^\d+$/.test(part) && Number(part) < node.length) node = node[Number(part)];
    else if (isObject(node) && part in node) node = node[part];
    else throw missing(path);
  }
  return node;
}

function getAt(doc: Json, path: string): Json {
  return walk(doc, pointer(path), path);
}

function setAt(doc: Json, path: string, value: Json, mode: 'add' | 'replace'): Json {
  const parts = pointer(path);
  const last = parts.pop();
  if (last === undefined) return value;
  const parent = walk(doc, parts, path);
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    const limit = mode === 'add' ? parent.length : parent.length - 1;
    if (!Number.isInteger(index) || index < 0 || index > limit) throw missing(path);
    if (mode === 'add') parent.splice(index, 0, value);
    else parent[index] = value;
  } else if (isObject(parent)) {
    if (mode === 'replace' && !(last in parent)) throw missing(path);
    parent[last] = value;
  } else throw missing(path);
  return doc;
}

function removeAt(doc: Json, path: string): Json {
  const parts = pointer(path);
  const last = parts.pop();
  if (last === undefined) return undefined;
  const parent = walk(doc, parts, path);
  if (Array.isArray(parent) && /^\d+$/.test(last) && Number(last) < parent.length) parent.splice(Number(last), 1);
  else if (isObject(parent) && last in parent) delete parent[last];
  else throw missing(path);
  return doc;
}
