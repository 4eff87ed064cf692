// Read-modify-write of a shared object with optimistic concurrency (DESIGN §2 "Writes to shared objects").
// Lists such as `spec.taints` have no merge key: a patch replaces the whole list, so a patch computed from a
// stale read would silently drop a taint another controller added meanwhile. Sending the resourceVersion that
// was read makes the API server refuse (409) a patch based on a stale read; the change is then recomputed
// from a fresh read, so both writers' changes survive.

import { CONFLICT_ATTEMPTS } from '../timing.js';
import { ConflictError } from './errors.js';
import type { KubeClient } from './kube-client.js';
import type { ApiObject, ResourceType } from './resources.js';

/** A merge patch computed from the current object, or undefined when it already looks as wanted. */
export type ChangeFn<T> = (current: T) => Record<string, unknown> | undefined;

export interface GuardedPatchResult<T> {
  readonly object: T;
  /** False when `change` found nothing to do (no write was made). */
  readonly changed: boolean;
}

/**
 * Applies `change` to the latest version of an object: get, compute, merge-patch with that version's
 * `metadata.resourceVersion`; on 409, again from a fresh get. NotFoundError when the object does not exist;
 * the last ConflictError after `attempts` lost races.
 */
export async function patchGuarded<T extends ApiObject>(
  client: KubeClient,
  resource: ResourceType<T>,
  name: string,
  change: ChangeFn<T>,
  options: { readonly namespace?: string; readonly attempts?: number } = {},
): Promise<GuardedPatchResult<T>> {
  const attempts = options.attempts ?? CONFLICT_ATTEMPTS;
  for (let attempt = 1; ; attempt++) {
    const current = await client.get(resource, name, options.namespace);
    const patch = change(current);
    if (!patch) return { object: current, changed: false };
    const metadata = {
      ...(patch.metadata as Record<string, unknown>),
      resourceVersion: current.metadata?.resourceVersion,
    };
    try {
      const object = await client.patch(
        resource,
        name,
        { type: 'merge', body: { ...patch, metadata } },
        options.namespace,
      );
      return { object, changed: true };
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= attempts) throw error;
    }
  }
}
