// Kubernetes Events about pods and nodes (DESIGN.md §8): how a decision reaches `kubectl describe`. Recording
// is best effort — a failed Event is logged, never fails a tick — and bounded: within one invocation the same
// (object, reason, note) is recorded once, and at most EVENT_BUDGET events are written, so a cluster with
// hundreds of blocked nodes does not turn every tick into hundreds of API writes.

import type { Logger } from '@aws-lambda-powertools/logger';
import type { ClusterEvent, ClusterWriter } from '../../core/ports/cluster.js';
import { errorFields } from './log.js';

/** Event reasons (CamelCase, as Karpenter's): the vocabulary `kubectl get events --field-selector reason=` sees. */
export const EVENT_REASON = {
  nominated: 'Nominated',
  failedScheduling: 'FailedScheduling',
  launched: 'Launched',
  launchFailed: 'LaunchFailed',
  disruptionBlocked: 'DisruptionBlocked',
  disrupted: 'Disrupted',
  expired: 'Expired',
  drifted: 'Drifted',
  failedDraining: 'FailedDraining',
  registrationTimeout: 'RegistrationTimeout',
  instanceGone: 'InstanceGone',
  spotInterrupted: 'SpotInterrupted',
  rebalanceRecommended: 'RebalanceRecommended',
  scheduledChange: 'ScheduledChange',
  instanceStopping: 'InstanceStopping',
  instanceTerminating: 'InstanceTerminating',
  capacityReservationInterrupted: 'CapacityReservationInterrupted',
} as const;

/** Events per invocation: enough for every decision of a busy minute, few enough to never load the API server. */
export const EVENT_BUDGET = 200;

export class EventRecorder {
  private readonly seen = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private written = 0;

  constructor(
    private readonly writer: Pick<ClusterWriter, 'recordEvent'>,
    private readonly logger: Logger,
    /** False in dry-run or while paused: Events are writes too. */
    public enabled = true,
  ) {}

  /**
   * Starts recording `event` unless it was recorded already in this invocation or the budget is spent. Does not
   * wait: decisions go on while Events are written; `settle` waits for them (end of a tick).
   */
  record(event: ClusterEvent): void {
    const { regarding } = event;
    const key = `${regarding.kind}/${regarding.namespace ?? ''}/${regarding.name}/${event.reason}/${event.note}`;
    if (!this.enabled || this.seen.has(key) || this.written >= EVENT_BUDGET) return;
    this.seen.add(key);
    this.written += 1;
    const write = this.writer.recordEvent(event).catch((error: unknown) => {
      this.logger.warn('could not record a Kubernetes Event', { event, ...errorFields(error) });
    });
    this.inFlight.add(write);
    void write.finally(() => this.inFlight.delete(write));
  }

  /** Waits for the Events being written. */
  async settle(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  /** A Normal or Warning event about a node. */
  node(name: string, reason: string, note: string, type: 'Normal' | 'Warning' = 'Normal'): void {
    this.record({ regarding: { kind: 'Node', name }, type, reason, action: actionOf(reason), note });
  }

  /** An event about a pod, `namespace/name` as the plan names pods. */
  pod(key: string, uid: string | undefined, reason: string, note: string, type: 'Normal' | 'Warning' = 'Normal'): void {
    const [namespace, name] = key.split('/', 2) as [string, string];
    const regarding = { kind: 'Pod' as const, name, namespace, ...(uid ? { uid } : {}) };
    this.record({ regarding, type, reason, action: actionOf(reason), note });
  }
}

/** The Event's `action` field: what was done or decided, in one word. */
function actionOf(reason: string): string {
  switch (reason) {
    case EVENT_REASON.nominated:
    case EVENT_REASON.failedScheduling:
      return 'Schedule';
    case EVENT_REASON.launched:
    case EVENT_REASON.launchFailed:
      return 'Launch';
    case EVENT_REASON.failedDraining:
      return 'Drain';
    case EVENT_REASON.registrationTimeout:
    case EVENT_REASON.instanceGone:
      return 'GarbageCollect';
    default:
      return 'Disrupt';
  }
}
