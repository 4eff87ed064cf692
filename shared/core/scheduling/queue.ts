// The order pods are tried in: largest first (CPU, then memory), then oldest, then by UID — first-fit
// decreasing, as Karpenter's queue (karpenter-core §1.4). A pod that fails goes to the back; the solve ends when
// the queue is empty or a whole round placed nothing.

import type { Pod } from '../model/pod.js';
import { CPU, MEMORY } from '../resources/resources.js';

export function byScheduleOrder(a: Pod, b: Pod): number {
  return (
    (b.requests[CPU] ?? 0) - (a.requests[CPU] ?? 0) ||
    (b.requests[MEMORY] ?? 0) - (a.requests[MEMORY] ?? 0) ||
    a.creationTimestamp - b.creationTimestamp ||
    (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0)
  );
}

export class PodQueue {
  private items: Pod[];
  private head = 0;
  /** Queue length when each failed pod was pushed back: seeing it again at that length means no progress. */
  private readonly lengthAtPush = new Map<string, number>();

  constructor(pods: readonly Pod[]) {
    this.items = [...pods].sort(byScheduleOrder);
  }

  get length(): number {
    return this.items.length - this.head;
  }

  /** The next pod, or undefined when done or stuck. */
  pop(): Pod | undefined {
    if (this.head >= this.items.length) return undefined;
    const pod = this.items[this.head] as Pod;
    if (this.lengthAtPush.get(pod.uid) === this.length) return undefined;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return pod;
  }

  pushBack(pod: Pod): void {
    this.items.push(pod);
    this.lengthAtPush.set(pod.uid, this.length);
  }

  /** Pods left when the solve stopped. */
  remaining(): Pod[] {
    return this.items.slice(this.head);
  }
}
