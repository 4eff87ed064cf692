// The REST verbs on the store: list (selectors, limit/continue pages that form one consistent snapshot), get,
// create, update (PUT), patch and delete with preconditions. Resources with a status subresource keep their
// status on main-resource writes and take only status through `/status`, as the API server's strategies do.

import { randomBytes } from 'node:crypto';
import { applyPatch } from './patch.js';
import { deletePod } from './pods.js';
import { apiVersionOf, type KubeObject, type SimResource } from './resources.js';
import { parseFieldSelector, parseLabelSelector } from './selectors.js';
import { badRequest, conflict, gone, invalid, notFound } from './status.js';
import { type ObjectStore, objectKey } from './store.js';

export interface ApiCall {
  readonly verb: string;
  readonly resource: SimResource;
  readonly subresource?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly contentType: string;
}

export interface Reply {
  readonly status: number;
  readonly body: unknown;
}

export interface HandlerContext {
  readonly store: ObjectStore;
  /** Pods bound to a node get a deletionTimestamp instead of vanishing (the simulator's kubelet ends them). */
  readonly gracefulPodDeletion: boolean;
}

/** The object as the API server returns it, with apiVersion and kind. */
export function withKind(resource: SimResource, obj: KubeObject): KubeObject {
  return { apiVersion: apiVersionOf(resource), kind: resource.kind, ...obj };
}

interface ContinueToken {
  readonly rv: number;
  readonly after: string;
}

/** GET on a collection: selectors, then a page of `limit` after the continue token's key, at its version. */
export function list(ctx: HandlerContext, call: ApiCall): Reply {
  const { resource, query } = call;
  const matchesLabels = parseLabelSelector(query.get('labelSelector'));
  const matchesFields = parseFieldSelector(query.get('fieldSelector'), resource);
  const limit = Number(query.get('limit') ?? 0);
  const token = decodeContinue(query.get('continue'));
  const revision = token?.rv ?? ctx.store.currentRevision;
  const snapshot = ctx.store.listAt(resource, revision);
  if (!snapshot) {
    throw gone(
      'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
    );
  }
  const matching = snapshot.filter(
    (o) =>
      (!call.namespace || o.metadata.namespace === call.namespace) &&
      (!token || objectKey(o.metadata.namespace, o.metadata.name) > token.after) &&
      matchesLabels(o) &&
      matchesFields(o),
  );
  const page = limit > 0 ? matching.slice(0, limit) : matching;
  const last = page.at(-1);
  const more = page.length < matching.length && last;
  const metadata = {
    resourceVersion: String(revision),
    ...(more
      ? { continue: encodeContinue({ rv: revision, after: objectKey(last.metadata.namespace, last.metadata.name) }) }
      : {}),
    ...(more && !query.get('labelSelector') && !query.get('fieldSelector')
      ? { remainingItemCount: matching.length - page.length }
      : {}),
  };
  // Items of a list carry no apiVersion/kind: the list's kind says it.
  const items = page.map(({ apiVersion: _v, kind: _k, ...rest }) => rest);
  return { status: 200, body: { kind: `${resource.kind}List`, apiVersion: apiVersionOf(resource), metadata, items } };
}

/** GET on an object. */
export function get(ctx: HandlerContext, call: ApiCall): Reply {
  return { status: 200, body: withKind(call.resource, current(ctx, call)) };
}

/** POST on a collection: namespace from the URL, generateName, server-set metadata; 409 when taken. */
export function create(ctx: HandlerContext, call: ApiCall): Reply {
  const { resource } = call;
  const obj = asObject(call.body, resource);
  const meta = obj.metadata;
  if (call.namespace && meta.namespace && meta.namespace !== call.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  if (resource.namespaced) meta.namespace = call.namespace ?? meta.namespace ?? 'default';
  else delete meta.namespace;
  if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${randomBytes(3).toString('hex').slice(0, 5)}`;
  if (!meta.name) throw invalid(resource, '', 'metadata.name', 'Required value: name or generateName is required');
  delete meta.resourceVersion;
  if (resource.plural === 'events') validateEvent(resource, obj);
  return { status: 201, body: withKind(resource, ctx.store.create(resource, obj)) };
}

/** PUT: conditional when the body carries a resourceVersion (409 when stale). */
export function update(ctx: HandlerContext, call: ApiCall): Reply {
  const { resource } = call;
  const obj = asObject(call.body, resource);
  if (obj.metadata.name !== call.name) {
    throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${call.name})`);
  }
  const existing = current(ctx, call);
  const next = merged(resource, call.subresource, existing, obj);
  return { status: 200, body: withKind(resource, ctx.store.update(resource, next, obj.metadata.resourceVersion)) };
}

/** PATCH in any supported format; conditional when the patched object's resourceVersion differs. */
export function patch(ctx: HandlerContext, call: ApiCall): Reply {
  const { resource } = call;
  const existing = current(ctx, call);
  const patched = applyPatch(existing, call.body, call.contentType) as KubeObject;
  if (typeof patched !== 'object' || patched === null || typeof patched.metadata !== 'object') {
    throw badRequest('the patch removed the object or its metadata');
  }
  const version = patched.metadata.resourceVersion;
  // A patch that sets resourceVersion is conditional: this is the guard optimistic writers rely on.
  if (version !== undefined && version !== existing.metadata.resourceVersion)
    throw conflict(resource, existing.metadata.name);
  patched.metadata = { ...patched.metadata, name: existing.metadata.name, namespace: existing.metadata.namespace };
  const next = merged(resource, call.subresource, existing, patched);
  return { status: 200, body: withKind(resource, ctx.store.update(resource, next, existing.metadata.resourceVersion)) };
}

/** DELETE with DeleteOptions.preconditions. */
export function remove(ctx: HandlerContext, call: ApiCall): Reply {
  const options = (call.body ?? {}) as { preconditions?: { uid?: string; resourceVersion?: string } };
  const existing = current(ctx, call);
  const preconditions = options.preconditions ?? {};
  const deleted =
    call.resource.plural === 'pods'
      ? deletePod(ctx, existing, preconditions)
      : ctx.store.delete(call.resource, call.namespace, existing.metadata.name, preconditions);
  return { status: 200, body: withKind(call.resource, deleted) };
}

function current(ctx: HandlerContext, call: ApiCall): KubeObject {
  const name = call.name ?? '';
  const found = ctx.store.get(call.resource, call.namespace, name);
  if (!found) throw notFound(call.resource, name);
  return found;
}

/** What a write stores: main-resource writes keep status, `/status` writes change only status. */
function merged(
  resource: SimResource,
  subresource: string | undefined,
  existing: KubeObject,
  incoming: KubeObject,
): KubeObject {
  if (subresource === 'status') return { ...existing, status: incoming.status };
  if (subresource) throw badRequest(`subresource ${subresource} cannot be written this way`);
  const next: KubeObject = { ...incoming, metadata: { ...incoming.metadata, namespace: existing.metadata.namespace } };
  if (resource.statusSubresource) {
    if (existing.status === undefined) delete next.status;
    else next.status = existing.status;
  }
  // Set by the server only: a client cannot start or cancel a graceful deletion by writing it.
  if (existing.metadata.deletionTimestamp) next.metadata.deletionTimestamp = existing.metadata.deletionTimestamp;
  else delete next.metadata.deletionTimestamp;
  return next;
}

function asObject(body: unknown, resource: SimResource): KubeObject {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw badRequest('the request body must be a JSON object');
  const obj = structuredClone(body) as KubeObject;
  if (obj.kind !== undefined && obj.kind !== resource.kind) {
    throw badRequest(`the body is a ${String(obj.kind)}, but the URL names ${resource.plural}`);
  }
  obj.metadata = {
    ...(typeof obj.metadata === 'object' && obj.metadata !== null ? obj.metadata : {}),
  } as KubeObject['metadata'];
  return obj;
}

/** events.k8s.io/v1 validation: the fields the API server requires of a new Event. */
function validateEvent(resource: SimResource, obj: KubeObject): void {
  for (const field of ['eventTime', 'reportingController', 'reportingInstance', 'action', 'reason']) {
    if (!obj[field]) throw invalid(resource, obj.metadata.name, field, 'Required value');
  }
  if (obj.type !== 'Normal' && obj.type !== 'Warning') {
    throw invalid(resource, obj.metadata.name, 'type', 'Unsupported value: must be Normal or Warning');
  }
  if (typeof obj.note === 'string' && Buffer.byteLength(obj.note) > 1024) {
    throw invalid(resource, obj.metadata.name, 'note', 'Too long: may not be more than 1024 bytes');
  }
}

function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeContinue(value: string | null): ContinueToken | undefined {
  if (!value) return undefined;
  try {
    const token = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as ContinueToken;
    if (typeof token.rv === 'number' && typeof token.after === 'string') return token;
  } catch {
    // falls through to the 400 below
  }
  throw badRequest('continue key is not valid: incorrect encoded start resourceVersion');
}
