// The fleet's instances as the cloud lists them (DescribeInstances by the cluster tag), refreshed every 10 s and
// after each launch (DESIGN.md §2). They are the in-flight capacity of every snapshot and the input of garbage
// collection. A failed listing is never replaced by an empty one: `current` is false until a listing succeeds
// again, and the steps that delete things on the strength of "not listed" then wait.

import type { Logger } from '@aws-lambda-powertools/logger';
import type { CloudInstance, CloudProvider } from '../../core/ports/cloud.js';
import type { Clock } from '../clock.js';
import { errorFields } from '../observability/log.js';

export class Fleet {
  private instances: readonly CloudInstance[] = [];
  private listedAt = Number.NEGATIVE_INFINITY;
  private failed = true;
  private readonly terminated = new Set<string>();

  constructor(
    private readonly cloud: Pick<CloudProvider, 'list'>,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly refreshMs: number,
  ) {}

  /** Lists again when the listing is older than the refresh interval, or when `force`d (after a launch). */
  async refresh(force = false): Promise<void> {
    const now = this.clock.now();
    if (!force && !this.failed && now - this.listedAt < this.refreshMs) return;
    try {
      this.instances = await this.cloud.list();
      this.listedAt = now;
      this.failed = false;
      // An instance we terminated may still be listed (shutting-down) for a while; keep hiding it until it is not.
      for (const id of this.terminated)
        if (!this.instances.some((i) => i.instanceId === id)) this.terminated.delete(id);
    } catch (error) {
      this.failed = true;
      this.logger.warn('could not list the fleet; garbage collection waits for a listing', errorFields(error));
    }
  }

  /** Whether the last listing succeeded: deletions that rely on "not listed" need it. */
  get current(): boolean {
    return !this.failed;
  }

  /** Live instances of ours (terminated by this invocation excluded). */
  get all(): readonly CloudInstance[] {
    return this.instances.filter((i) => !this.terminated.has(i.instanceId));
  }

  byProviderID(): Map<string, CloudInstance> {
    return new Map(this.all.map((i) => [i.providerID, i]));
  }

  byId(): Map<string, CloudInstance> {
    return new Map(this.all.map((i) => [i.instanceId, i]));
  }

  /** Forgets instances this invocation terminated, so no later tick counts them or terminates them again. */
  forget(instanceIds: readonly string[]): void {
    for (const id of instanceIds) this.terminated.add(id);
  }
}

/** `aws:///us-east-1a/i-0123` -> `i-0123`; undefined for other providers' IDs. */
export function instanceIdOf(providerID: string | undefined): string | undefined {
  const match = providerID?.match(/^aws:\/\/\/[^/]*\/(i-[0-9a-z]+)$/);
  return match?.[1];
}
