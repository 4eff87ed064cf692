// Kubernetes Events (events.k8s.io/v1) about pods and nodes: how decisions reach `kubectl describe` and
// `kubectl get events` (DESIGN §8). Events are best effort for the caller, but a failure is still thrown
// here: whether to log and go on is the handler's call.

import type { Event } from 'kubernetes-types/events/v1.js';
import type { ClusterEvent } from '../../core/ports/cluster.js';
import type { KubeClient } from './client/kube-client.js';
import { EVENTS } from './client/resources.js';
import { microTime } from './lease.js';

/** Shown as the event's source (`kubectl get events -o wide`). */
export const REPORTING_CONTROLLER = 'fleetwright.io/controller';

/** Events about cluster-scoped objects (nodes) live here, as kubectl and the kubelet put them. */
const CLUSTER_SCOPED_EVENT_NAMESPACE = 'default';

/** The API server refuses a note longer than 1 KB. */
const MAX_NOTE_BYTES = 1024;

let sequence = 0n;

/**
 * The Event object for `event` at `now`. Its name is `<object>.<hex nanoseconds>` like client-go's, with a
 * per-process sequence in the nanoseconds so two events in one millisecond do not collide.
 */
export function buildEvent(event: ClusterEvent, now: number, reportingInstance: string): Event {
  const { regarding } = event;
  const namespace = regarding.kind === 'Pod' ? (regarding.namespace ?? 'default') : CLUSTER_SCOPED_EVENT_NAMESPACE;
  sequence = (sequence + 1n) % 1_000_000n;
  const nanos = BigInt(Math.floor(now)) * 1_000_000n + sequence;
  return {
    metadata: { name: `${regarding.name}.${nanos.toString(16)}`, namespace },
    eventTime: microTime(now),
    reportingController: REPORTING_CONTROLLER,
    reportingInstance,
    action: event.action,
    reason: event.reason,
    type: event.type,
    note: truncateUtf8(event.note, MAX_NOTE_BYTES),
    regarding: {
      apiVersion: 'v1',
      kind: regarding.kind,
      name: regarding.name,
      ...(regarding.kind === 'Pod' ? { namespace } : {}),
      ...(regarding.uid ? { uid: regarding.uid } : {}),
    },
  };
}

/** Creates the Event. */
export async function recordEvent(
  client: KubeClient,
  event: ClusterEvent,
  now: number,
  reportingInstance: string,
): Promise<void> {
  await client.create(EVENTS, buildEvent(event, now, reportingInstance));
}

function truncateUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  // Cut on a character boundary: decoding a cut multi-byte sequence yields U+FFFD, which is dropped.
  return `${bytes
    .subarray(0, maxBytes - 3)
    .toString('utf8')
    .replace(/\uFFFD+$/, '')}...`;
}
