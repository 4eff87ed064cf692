// A launch that started nothing (STYLE.md "Errors are typed and chained"): the reason the core and the metrics
// read, the AWS error codes behind it, and the original error as `cause`.

import type { LaunchFailureReason } from '../../../core/ports/cloud.js';

export interface LaunchErrorContext {
  readonly nodePool: string;
  readonly capacityType?: string;
  /** Every CreateFleet error code seen, in order, de-duplicated. */
  readonly codes?: readonly string[];
  readonly cause?: unknown;
}

export class LaunchError extends Error {
  override readonly name = 'LaunchError';
  readonly nodePool: string;
  readonly capacityType: string | undefined;
  readonly codes: readonly string[];

  constructor(
    readonly reason: LaunchFailureReason,
    message: string,
    context: LaunchErrorContext,
  ) {
    super(`launch for node pool ${context.nodePool} failed (${reason}): ${message}`, { cause: context.cause });
    this.nodePool = context.nodePool;
    this.capacityType = context.capacityType;
    this.codes = context.codes ?? [];
  }

  /** True when re-planning may help: the offerings tried are now marked unavailable. */
  get insufficientCapacity(): boolean {
    return this.reason === 'InsufficientCapacity';
  }
}
