// A small typed Kubernetes client over fetch, for exactly the calls fleetwright makes: list (paginated), get,
// create, replace, patch, delete with preconditions, the pods/eviction subresource, and single-connection
// watches (see watch.ts for the one that resumes). docs/kubernetes-client.md says why not @kubernetes/client-node.

import type { EvictionResult } from '../../../core/ports/cluster.js';
import { LIST_PAGE_SIZE } from '../timing.js';
import {
  ConflictError,
  GoneError,
  type KubernetesError,
  NotFoundError,
  ServerError,
  TooManyRequestsError,
} from './errors.js';
import { type ApiObject, apiVersionOf, collectionPath, objectPath, PODS, type ResourceType } from './resources.js';
import { isRetryable } from './retry.js';
import type { Query, Transport } from './transport.js';
import { type WatchEvent, type WatchOptions, watchOnce } from './watch-stream.js';

export interface ListOptions {
  /** All namespaces when absent. */
  readonly namespace?: string;
  /** `app=web,tier!=db`, `karpenter.sh/nodepool` */
  readonly labelSelector?: string;
  /** `spec.nodeName=node-a`, `status.phase!=Succeeded` */
  readonly fieldSelector?: string;
  readonly limit?: number;
  readonly continue?: string;
  readonly signal?: AbortSignal;
}

export interface ListPage<T> {
  readonly items: T[];
  /** The list's resourceVersion: a watch from it misses nothing that happened after the list. */
  readonly resourceVersion: string;
  /** Token for the next page; absent on the last one. */
  readonly continue?: string;
}

export type JsonPatchOperation =
  | { readonly op: 'add' | 'replace' | 'test'; readonly path: string; readonly value: unknown }
  | { readonly op: 'remove'; readonly path: string };

/** Merge patch (RFC 7386), JSON patch (RFC 6902), or strategic merge patch. */
export type Patch =
  | { readonly type: 'merge' | 'strategic'; readonly body: Readonly<Record<string, unknown>> }
  | { readonly type: 'json'; readonly body: readonly JsonPatchOperation[] };

const PATCH_CONTENT_TYPES = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
} as const;

export interface DeleteOptions {
  readonly namespace?: string;
  /** The delete fails with a ConflictError when the object no longer has this uid / resourceVersion. */
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
  /** Shortens the object's own grace period (pods); 0 deletes at once. */
  readonly gracePeriodSeconds?: number;
  readonly signal?: AbortSignal;
}

interface ListResponse<T> {
  readonly items?: T[];
  readonly metadata?: { readonly resourceVersion?: string; readonly continue?: string };
}

/** The typed calls, over a Transport (which owns auth, TLS, timeouts and retries). */
export class KubeClient {
  constructor(readonly transport: Transport) {}

  /** One page of a list. */
  async list<T extends ApiObject>(resource: ResourceType<T>, options: ListOptions = {}): Promise<ListPage<T>> {
    const query: Query = {
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
      limit: options.limit,
      continue: options.continue,
    };
    const response = await this.transport.json<ListResponse<T>>({
      verb: 'list',
      resource: resource.plural,
      namespace: options.namespace,
      method: 'GET',
      path: collectionPath(resource, options.namespace),
      query,
      signal: options.signal,
    });
    const next = response.metadata?.continue;
    return {
      items: response.items ?? [],
      resourceVersion: response.metadata?.resourceVersion ?? '',
      ...(next ? { continue: next } : {}),
    };
  }

  /**
   * Every page (`limit` 500 by default). The pages form one consistent snapshot; when the continue token
   * expires half-way (410), the list starts over once, as client-go's pager does.
   */
  async listAll<T extends ApiObject>(
    resource: ResourceType<T>,
    options: Omit<ListOptions, 'continue'> = {},
  ): Promise<{ items: T[]; resourceVersion: string }> {
    const limit = options.limit ?? LIST_PAGE_SIZE;
    for (let restarted = false; ; restarted = true) {
      const items: T[] = [];
      let page: ListPage<T> | undefined;
      try {
        do {
          page = await this.list(resource, { ...options, limit, continue: page?.continue });
          items.push(...page.items);
        } while (page.continue);
        return { items, resourceVersion: page.resourceVersion };
      } catch (error) {
        if (!(error instanceof GoneError) || restarted || !page) throw error;
      }
    }
  }

  /** One object; NotFoundError when there is none. */
  async get<T extends ApiObject>(resource: ResourceType<T>, name: string, namespace?: string): Promise<T> {
    return this.transport.json<T>({
      verb: 'get',
      resource: resource.plural,
      name,
      namespace,
      method: 'GET',
      path: objectPath(resource, name, namespace),
    });
  }

  /** Creates `object` (apiVersion and kind filled in); ConflictError with `alreadyExists` when the name is taken. */
  async create<T extends ApiObject>(resource: ResourceType<T>, object: T): Promise<T> {
    const namespace = object.metadata?.namespace;
    return this.transport.json<T>({
      verb: 'create',
      resource: resource.plural,
      name: object.metadata?.name,
      namespace,
      method: 'POST',
      path: collectionPath(resource, namespace),
      body: { ...object, apiVersion: apiVersionOf(resource), kind: resource.kind },
    });
  }

  /** Replaces `object` (PUT); with `metadata.resourceVersion` set, a ConflictError when it is stale. */
  async replace<T extends ApiObject>(resource: ResourceType<T>, object: T): Promise<T> {
    const name = object.metadata?.name ?? '';
    const namespace = object.metadata?.namespace;
    return this.transport.json<T>({
      verb: 'update',
      resource: resource.plural,
      name,
      namespace,
      method: 'PUT',
      path: objectPath(resource, name, namespace),
      body: { ...object, apiVersion: apiVersionOf(resource), kind: resource.kind },
    });
  }

  /** Patches one object. A merge patch that sets `metadata.resourceVersion` is refused (409) when it is stale. */
  async patch<T extends ApiObject>(
    resource: ResourceType<T>,
    name: string,
    patch: Patch,
    namespace?: string,
  ): Promise<T> {
    return this.transport.json<T>({
      verb: 'patch',
      resource: resource.plural,
      name,
      namespace,
      method: 'PATCH',
      path: objectPath(resource, name, namespace),
      body: patch.body,
      contentType: PATCH_CONTENT_TYPES[patch.type],
    });
  }

  /** Deletes one object; NotFoundError when absent, ConflictError when a precondition fails. */
  async delete<T extends ApiObject>(
    resource: ResourceType<T>,
    name: string,
    options: DeleteOptions = {},
  ): Promise<void> {
    const { preconditions, gracePeriodSeconds } = options;
    const body =
      preconditions || gracePeriodSeconds !== undefined
        ? { apiVersion: 'v1', kind: 'DeleteOptions', preconditions, gracePeriodSeconds }
        : undefined;
    await this.transport.json<unknown>({
      verb: 'delete',
      resource: resource.plural,
      name,
      namespace: options.namespace,
      method: 'DELETE',
      path: objectPath(resource, name, options.namespace),
      body,
      signal: options.signal,
    });
  }

  /**
   * Evicts a pod through `pods/eviction`, so the API server enforces its PodDisruptionBudgets. A refusal
   * (429 from a PDB, or the 500 the API server answers for a pod under several PDBs) is a `blocked` result;
   * a pod that is gone, or was re-created with another uid, is `gone`.
   */
  async evict(namespace: string, name: string, uid?: string): Promise<EvictionResult> {
    try {
      await this.transport.json<unknown>({
        verb: 'create',
        resource: 'pods/eviction',
        name,
        namespace,
        method: 'POST',
        path: objectPath(PODS, name, namespace, 'eviction'),
        body: {
          apiVersion: 'policy/v1',
          kind: 'Eviction',
          metadata: { name, namespace },
          ...(uid ? { deleteOptions: { preconditions: { uid } } } : {}),
        },
        retryable: (error) => isRetryable(error) && !isEvictionVerdict(error),
      });
      return { outcome: 'evicted' };
    } catch (error) {
      if (error instanceof NotFoundError || error instanceof ConflictError) return { outcome: 'gone' };
      if (error instanceof TooManyRequestsError || isEvictionVerdict(error)) {
        return { outcome: 'blocked', reason: evictionRefusal(error as KubernetesError) };
      }
      throw error;
    }
  }

  /** Events of one watch connection; see watch.ts for the watch that resumes and relists. */
  watch<T extends ApiObject>(resource: ResourceType<T>, options: WatchOptions): AsyncGenerator<WatchEvent<T>> {
    return watchOnce(this.transport, resource, options);
  }
}

/** The API server refuses to evict a pod covered by several PDBs with a 500; retrying cannot change that. */
function isEvictionVerdict(error: unknown): boolean {
  return error instanceof ServerError && /more than one PodDisruptionBudget/i.test(error.apiStatus?.message ?? '');
}

function evictionRefusal(error: KubernetesError): string {
  const causes = (error.apiStatus?.details?.causes ?? []).map((c) => c.message).filter(Boolean);
  return [error.apiStatus?.message ?? error.message, ...causes].join(' ');
}
