// The in-memory object store behind the loopback API server, with etcd's versioning: one revision counter for
// the whole store, bumped by every write; an object's resourceVersion is the revision of its last write (so
// versions are monotonic per object and comparable across objects). A bounded history of changes, each with
// the object before it, serves watches from a past version and consistent list pages at a past version; what
// falls out of it is "compacted" and answered with 410 Gone, as etcd compaction makes the API server do.

import { randomUUID } from 'node:crypto';
import { type KubeObject, SIM_RESOURCES, type SimResource } from './resources.js';
import { alreadyExists, conflict, notFound } from './status.js';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface Change {
  readonly revision: number;
  readonly resource: SimResource;
  readonly type: ChangeType;
  /** After the change; for DELETED, the object as it was deleted (with the deletion's resourceVersion). */
  readonly object: KubeObject;
  /** Before the change; absent for ADDED. */
  readonly previous?: KubeObject;
}

export interface StoreOptions {
  /** Changes kept for watches and paged lists; older versions get 410. */
  readonly historyLimit?: number;
  readonly now?: () => number;
}

/** Kept generous so a normal simulation never compacts; tests lower it to provoke 410. */
const DEFAULT_HISTORY_LIMIT = 10_000;

/** `namespace/name`, or `name` for cluster-scoped objects: the sort key of lists. */
export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** Objects by resource and key, the revision counter, the history and its listeners. */
export class ObjectStore {
  private revision = 1;
  /** Revision up to which history has been dropped: versions below it cannot be replayed. */
  private compacted = 1;
  private readonly objects = new Map<SimResource, Map<string, KubeObject>>();
  private readonly history: Change[] = [];
  private readonly listeners = new Set<(change: Change) => void>();
  private readonly historyLimit: number;
  readonly now: () => number;

  constructor(options: StoreOptions = {}) {
    this.historyLimit = options.historyLimit ?? DEFAULT_HISTORY_LIMIT;
    this.now = options.now ?? Date.now;
  }

  get currentRevision(): number {
    return this.revision;
  }

  /** The oldest resourceVersion from which changes can still be replayed. */
  get oldestRevision(): number {
    return this.compacted;
  }

  get(resource: SimResource | string, namespace: string | undefined, name: string): KubeObject | undefined {
    const stored = this.bucket(resource).get(objectKey(namespace, name));
    return stored && structuredClone(stored);
  }

  /** Current objects, ordered by namespace/name as etcd keys are. */
  list(resource: SimResource | string): KubeObject[] {
    return sortByKey([...this.bucket(resource).entries()]).map(([, obj]) => structuredClone(obj));
  }

  /** Objects as they were at `revision`; undefined when that revision is compacted. */
  listAt(resource: SimResource | string, revision: number): KubeObject[] | undefined {
    if (revision < this.compacted) return undefined;
    const res = this.resolve(resource);
    const state = new Map(this.bucket(res));
    for (let i = this.history.length - 1; i >= 0 && (this.history[i] as Change).revision > revision; i--) {
      const change = this.history[i] as Change;
      if (change.resource !== res) continue;
      const key = objectKey(change.object.metadata.namespace, change.object.metadata.name);
      if (change.previous) state.set(key, change.previous);
      else state.delete(key);
    }
    return sortByKey([...state.entries()]).map(([, obj]) => structuredClone(obj));
  }

  /** Changes after `revision`, oldest first; undefined when some were compacted. */
  changesSince(revision: number): Change[] | undefined {
    if (revision < this.compacted) return undefined;
    return this.history.filter((c) => c.revision > revision);
  }

  /** Called synchronously after every write. Returns the unsubscribe function. */
  subscribe(listener: (change: Change) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stores a new object: uid, creationTimestamp and resourceVersion are set here. */
  create(resource: SimResource | string, object: KubeObject): KubeObject {
    const res = this.resolve(resource);
    const { namespace, name } = object.metadata;
    if (this.bucket(res).has(objectKey(namespace, name))) throw alreadyExists(res, name);
    const created: KubeObject = structuredClone(object);
    created.metadata.uid ??= randomUUID();
    created.metadata.creationTimestamp ??= new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return this.write(res, 'ADDED', created, undefined);
  }

  /**
   * Replaces an object. `expectedVersion`, when given, must be the stored resourceVersion (else 409). A write
   * that changes nothing keeps the version and emits no event, as the API server skips no-op updates.
   */
  update(resource: SimResource | string, object: KubeObject, expectedVersion?: string): KubeObject {
    const res = this.resolve(resource);
    const { namespace, name } = object.metadata;
    const current = this.bucket(res).get(objectKey(namespace, name));
    if (!current) throw notFound(res, name);
    if (expectedVersion && expectedVersion !== current.metadata.resourceVersion) throw conflict(res, name);
    const next: KubeObject = structuredClone(object);
    next.metadata.uid = current.metadata.uid;
    next.metadata.creationTimestamp = current.metadata.creationTimestamp;
    next.metadata.resourceVersion = current.metadata.resourceVersion;
    if (JSON.stringify(next) === JSON.stringify(current)) return structuredClone(current);
    return this.write(res, 'MODIFIED', next, current);
  }

  /** Removes an object; preconditions as DeleteOptions carries them (409 when they do not hold). */
  delete(
    resource: SimResource | string,
    namespace: string | undefined,
    name: string,
    preconditions: { uid?: string; resourceVersion?: string } = {},
  ): KubeObject {
    const res = this.resolve(resource);
    const current = this.bucket(res).get(objectKey(namespace, name));
    if (!current) throw notFound(res, name);
    assertPreconditions(res, current, preconditions);
    return this.write(res, 'DELETED', structuredClone(current), current);
  }

  resolve(resource: SimResource | string): SimResource {
    if (typeof resource !== 'string') return resource;
    const found = SIM_RESOURCES[resource];
    if (!found) throw new Error(`the simulated API server has no resource "${resource}"`);
    return found;
  }

  private bucket(resource: SimResource | string): Map<string, KubeObject> {
    const res = this.resolve(resource);
    let bucket = this.objects.get(res);
    if (!bucket) {
      bucket = new Map();
      this.objects.set(res, bucket);
    }
    return bucket;
  }

  private write(res: SimResource, type: ChangeType, object: KubeObject, previous: KubeObject | undefined): KubeObject {
    this.revision += 1;
    object.metadata.resourceVersion = String(this.revision);
    const key = objectKey(object.metadata.namespace, object.metadata.name);
    if (type === 'DELETED') this.bucket(res).delete(key);
    else this.bucket(res).set(key, object);
    const change: Change = { revision: this.revision, resource: res, type, object, ...(previous ? { previous } : {}) };
    this.history.push(change);
    while (this.history.length > this.historyLimit) this.compacted = (this.history.shift() as Change).revision;
    for (const listener of this.listeners) listener(change);
    return structuredClone(object);
  }
}

/** DeleteOptions.preconditions: 409 when the object is no longer the one (uid) or the version (resourceVersion). */
export function assertPreconditions(
  res: SimResource,
  current: KubeObject,
  preconditions: { uid?: string; resourceVersion?: string },
): void {
  const { name, uid, resourceVersion } = current.metadata;
  if (preconditions.uid && preconditions.uid !== uid) {
    throw conflict(
      res,
      name,
      `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${uid}`,
    );
  }
  if (preconditions.resourceVersion && preconditions.resourceVersion !== resourceVersion) {
    throw conflict(
      res,
      name,
      `Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ` +
        `ResourceVersion in object meta: ${resourceVersion}`,
    );
  }
}

function sortByKey<T>(entries: [string, T][]): [string, T][] {
  return entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
