// A kube-scheduler stand-in: every second (when pods or nodes changed), bind each pending pod, oldest first, to
// the Ready node that fits it best — requests against allocatable minus what is bound, NoSchedule/NoExecute
// taints, nodeSelector, required node affinity, required pod anti-affinity, DoNotSchedule topology spread — and
// mark the rest `PodScheduled=False/Unschedulable` with a kube-scheduler-like message, which is what fleetwright
// waits for before it provisions. Scoring is NodeResourcesFit's default, LeastAllocated, so pods spread over
// nodes as they do in a real cluster (and consolidation has something to do). A bound pod is Running and Ready
// at once: image pulls and probes are not simulated.

import { toNode } from '../../adapters/kubernetes/mappers/node.js';
import { toPod } from '../../adapters/kubernetes/mappers/pod.js';
import type { Node } from '../../core/model/node.js';
import { isPending, type Pod, podKey } from '../../core/model/pod.js';
import { selectorMatches } from '../../core/model/selectors.js';
import { untoleratedTaint } from '../../core/model/taints.js';
import { Requirements } from '../../core/requirements/requirements.js';
import { addInto, CPU, firstShortfall, type Resources, subtract } from '../../core/resources/resources.js';
import type { SimClock } from '../clock.js';
import { type ClusterObjects, isTerminalPod, type PodObject, timestamp } from './objects.js';

/** How often the scheduler looks (the real one reacts to watch events within milliseconds; a second is close). */
export const SCHEDULER_PERIOD_MS = 1_000;

interface Slot {
  readonly node: Node;
  free: Resources;
  readonly pods: Pod[];
}

export class Scheduler {
  /** Pod key -> when it was first marked Unschedulable (it waits for new capacity). */
  private readonly waitingSince = new Map<string, number>();
  /** Seconds from creation to binding of every pod that had to wait for new capacity. */
  readonly timeToCapacity: number[] = [];
  /** Pods bound so far. */
  bound = 0;
  private dirty = true;

  constructor(
    private readonly clock: SimClock,
    private readonly objects: ClusterObjects,
  ) {
    objects.store.subscribe((change) => {
      const plural = change.resource.plural;
      if (plural === 'pods' || plural === 'nodes') this.dirty = true;
    });
  }

  start(): void {
    const loop = () => {
      if (this.dirty) {
        this.dirty = false;
        this.schedule();
      }
      this.clock.setTimer(SCHEDULER_PERIOD_MS, loop);
    };
    this.clock.setTimer(0, loop);
  }

  /** One scheduling pass. */
  schedule(): void {
    const slots = this.slots();
    const objects = this.objects.pods().filter((p) => !isTerminalPod(p));
    const pending = objects
      .filter((p) => !p.spec?.nodeName && !p.metadata.deletionTimestamp)
      .sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''));
    for (const object of pending) {
      const pod = toPod(object);
      if (!isPending(pod)) continue;
      const slot = this.place(pod, slots);
      if (slot) this.bind(object, pod, slot);
      else this.markUnschedulable(object, pod, slots.length);
    }
  }

  private slots(): Slot[] {
    const byName = new Map<string, Slot>();
    for (const object of this.objects.nodes()) {
      const node = toNode(object);
      if (!node.ready || node.unschedulable || node.deletionTimestamp !== undefined) continue;
      byName.set(node.name, { node, free: node.allocatable, pods: [] });
    }
    for (const object of this.objects.pods()) {
      const slot = byName.get(object.spec?.nodeName ?? '');
      if (!slot || isTerminalPod(object)) continue;
      const pod = toPod(object);
      slot.free = subtract(slot.free, pod.requests);
      slot.pods.push(pod);
    }
    return [...byName.values()];
  }

  /** The fitting slot with the most CPU left after placement (LeastAllocated), or undefined. */
  private place(pod: Pod, slots: readonly Slot[]): Slot | undefined {
    const eligible = slots.filter((s) => nodeAccepts(pod, s.node));
    let best: Slot | undefined;
    let bestScore = -1;
    for (const slot of eligible) {
      if (firstShortfall(pod.requests, slot.free) !== undefined) continue;
      if (!antiAffinityHolds(pod, slot, slots) || !spreadHolds(pod, slot, eligible)) continue;
      const score = ((slot.free[CPU] ?? 0) - (pod.requests[CPU] ?? 0)) / Math.max(1, slot.node.allocatable[CPU] ?? 1);
      if (score > bestScore) {
        best = slot;
        bestScore = score;
      }
    }
    return best;
  }

  private bind(object: PodObject, pod: Pod, slot: Slot): void {
    const now = this.clock.now();
    const at = timestamp(now);
    const bound: PodObject = {
      ...object,
      spec: { ...object.spec, containers: object.spec?.containers ?? [], nodeName: slot.node.name },
      status: {
        ...object.status,
        phase: 'Running',
        startTime: at,
        conditions: ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'].map((type) => ({
          type,
          status: 'True',
          lastTransitionTime: at,
        })),
      },
    };
    if (!this.objects.update('pods', bound)) return;
    slot.free = subtract(slot.free, pod.requests);
    slot.pods.push(pod);
    this.bound += 1;
    const key = podKey(pod);
    if (this.waitingSince.delete(key)) this.timeToCapacity.push((now - pod.creationTimestamp) / 1000);
  }

  private markUnschedulable(object: PodObject, pod: Pod, nodes: number): void {
    const key = podKey(pod);
    if (!this.waitingSince.has(key)) this.waitingSince.set(key, this.clock.now());
    if (pod.unschedulable) return;
    const marked: PodObject = {
      ...object,
      status: {
        ...object.status,
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: `0/${nodes} nodes are available: no node has room for this pod or matches its constraints.`,
            lastTransitionTime: timestamp(this.clock.now()),
          },
        ],
      },
    };
    this.objects.update('pods', marked);
  }
}

/** Taints, nodeSelector and required node affinity (an OR of terms). */
function nodeAccepts(pod: Pod, node: Node): boolean {
  const hard = node.taints.filter((t) => t.effect !== 'PreferNoSchedule');
  if (untoleratedTaint(pod.tolerations, hard) !== undefined) return false;
  for (const [key, value] of Object.entries(pod.nodeSelector)) if (node.labels[key] !== value) return false;
  if (pod.requiredNodeAffinity.length === 0) return true;
  return pod.requiredNodeAffinity.some((term) =>
    Requirements.fromWire(term.matchExpressions).matchesLabels(node.labels),
  );
}

/** Required anti-affinity: no matching pod (same namespace) in the candidate's topology domain. */
function antiAffinityHolds(pod: Pod, slot: Slot, slots: readonly Slot[]): boolean {
  for (const term of pod.podAntiAffinity) {
    const domain = slot.node.labels[term.topologyKey];
    if (domain === undefined) continue;
    const namespaces = term.namespaces?.length ? term.namespaces : [pod.namespace];
    for (const other of slots) {
      if (other.node.labels[term.topologyKey] !== domain) continue;
      const clash = other.pods.some(
        (p) => namespaces.includes(p.namespace) && selectorMatches(term.labelSelector, p.labels),
      );
      if (clash) return false;
    }
  }
  return true;
}

/** DoNotSchedule spread: placing here must keep (count here + 1) - (smallest count) within maxSkew. */
function spreadHolds(pod: Pod, slot: Slot, eligible: readonly Slot[]): boolean {
  for (const c of pod.topologySpreadConstraints) {
    if (c.whenUnsatisfiable !== 'DoNotSchedule') continue;
    const counts = new Map<string, number>();
    for (const s of eligible) {
      const domain = s.node.labels[c.topologyKey];
      if (domain === undefined) continue;
      const matching = s.pods.filter(
        (p) => p.namespace === pod.namespace && selectorMatches(c.labelSelector, p.labels),
      );
      counts.set(domain, (counts.get(domain) ?? 0) + matching.length);
    }
    const here = slot.node.labels[c.topologyKey];
    if (here === undefined) return false;
    const min = Math.min(...counts.values());
    if ((counts.get(here) ?? 0) + 1 - min > c.maxSkew) return false;
  }
  return true;
}

/** Sums requests of pods (used by the report's utilisation). */
export function sumRequests(pods: readonly Pod[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const p of pods) addInto(total, p.requests);
  return total;
}
