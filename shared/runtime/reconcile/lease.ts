// The single-writer Lease from the invocation's side (DESIGN.md §2): take it, waiting up to 30 s for the previous
// run to hand it over; renew it every tick; before every action, check that it is still ours with time to spare;
// hand it over at the end. The Lease itself (optimistic concurrency on resourceVersion) is the ClusterWriter's.

import type { Logger } from '@aws-lambda-powertools/logger';
import type { ClusterWriter, LeaseStatus } from '../../core/ports/cluster.js';
import type { Clock } from '../clock.js';
import { errorFields } from '../observability/log.js';

/**
 * An action starts only while the Lease has at least this long left. A launch or a drain step takes well under
 * it, so it ends before another writer could take an expired Lease and act on the same nodes.
 */
export const LEASE_SAFETY_MARGIN_MS = 3_000;

export class LeaseGuard {
  private status: LeaseStatus = { held: false, holder: '', expiresAt: 0 };

  constructor(
    private readonly writer: Pick<ClusterWriter, 'acquireLease' | 'renewLease' | 'releaseLease'>,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /**
   * Takes the Lease, asking again every `pollMs` for up to `waitMs` while another invocation holds it. False when
   * it is still held by someone else after that (or `stopAt` comes first).
   */
  async acquire(waitMs: number, pollMs: number, stopAt: number): Promise<boolean> {
    const until = Math.min(this.clock.now() + waitMs, stopAt);
    for (;;) {
      try {
        this.status = await this.writer.acquireLease();
      } catch (error) {
        this.logger.warn('could not read or take the Lease', errorFields(error));
      }
      if (this.status.held) return true;
      const now = this.clock.now();
      if (now >= until) return false;
      // Wake at the next poll, or just after the holder's expiry if that comes first.
      const untilExpiry = this.status.expiresAt > now ? this.status.expiresAt - now + 1 : pollMs;
      await this.clock.sleep(Math.max(1, Math.min(pollMs, untilExpiry, until - now)));
    }
  }

  /** Renews the Lease; false when it was lost (or could not be renewed, so it may be lost soon). */
  async renew(): Promise<boolean> {
    try {
      this.status = await this.writer.renewLease();
    } catch (error) {
      this.logger.warn('could not renew the Lease', errorFields(error));
    }
    return this.valid();
  }

  /** Whether an action may start now: the Lease is ours and has LEASE_SAFETY_MARGIN_MS left. */
  valid(): boolean {
    return this.status.held && this.clock.now() < this.status.expiresAt - LEASE_SAFETY_MARGIN_MS;
  }

  get holder(): string {
    return this.status.holder;
  }

  get expiresAt(): number {
    return this.status.expiresAt;
  }

  /** Hands the Lease over so the next invocation takes it at once. Failures only cost the next run a wait. */
  async release(): Promise<void> {
    if (!this.status.held) return;
    try {
      await this.writer.releaseLease();
    } catch (error) {
      this.logger.warn('could not hand the Lease over; the next run takes it when it expires', errorFields(error));
    }
    this.status = { held: false, holder: '', expiresAt: 0 };
  }
}
