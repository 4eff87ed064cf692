// The next steps for a node being drained (karpenter-core §4, DESIGN.md §2 step 5), as a pure function of the
// cluster: taint it, evict its pods tier by tier as far as PDBs allow (the eviction API answers 429 to the rest:
// retry on a later tick), force-delete what the pool's terminationGracePeriod no longer lets wait, wait for its
// volumes to detach, then delete the Node and terminate the instance. Every tick calls it again; all progress
// lives in the cluster (taint, annotation, pods already gone), so a drain resumes in the next invocation.

import { formatTime } from '../disruption/describe.js';
import type { PdbIndex } from '../disruption/pdb.js';
import { pdbKey } from '../disruption/pdb.js';
import { doNotDisrupt } from '../disruption/protection.js';
import { ANNOTATION_DISRUPTED_AT, TAINT_DISRUPTED } from '../labels.js';
import type { Node } from '../model/node.js';
import { isTerminating, type Pod, podKey } from '../model/pod.js';
import type { Taint } from '../model/taints.js';
import { disruptedTaint, EVICTION_TIERS, evictionTier, isDrained } from './drainable.js';

/**
 * How long after its drain began a drained node waits on VolumeAttachments that cannot be read, when no
 * terminationGracePeriod ends the wait sooner. Volumes detach within a minute or two of their pods going.
 */
export const UNREADABLE_VOLUMES_MAX_WAIT_MS = 15 * 60_000;

/** Kubernetes' default `terminationGracePeriodSeconds`. */
const DEFAULT_POD_GRACE_SECONDS = 30;
/** The shortest grace period a forced deletion gets: 0 would mean "kill now without SIGTERM". */
const MIN_FORCED_GRACE_SECONDS = 1;
/** Keeps cloud load balancers from sending new connections to a node that is going away (Karpenter sets it too). */
export const LABEL_EXCLUDE_FROM_LB = 'node.kubernetes.io/exclude-from-external-load-balancers';

export interface TerminationInput {
  readonly node: Node;
  /** The pods bound to the node, terminating and finished ones included. */
  readonly pods: readonly Pod[];
  /** PDBs with their allowances (built from the cluster's pods). */
  readonly pdbs: PdbIndex;
  /** The node's pool's terminationGracePeriod; null when unset (then nothing is forced). */
  readonly terminationGracePeriodMs: number | null;
  /** Why the node goes (the disrupted taint's value when the node has to be tainted). */
  readonly reason: string;
  /**
   * VolumeAttachments still binding volumes of the node's drained pods to it (see `attachmentsToAwait`);
   * `unknown` when they could not be read, which is waited on as if some were.
   */
  readonly attachedVolumes: readonly string[] | 'unknown';
  /** Whether the node's instance still exists. */
  readonly instanceExists: boolean;
  readonly now: number;
}

export type TerminationAction =
  | {
      readonly type: 'taint';
      readonly taint: Taint;
      readonly labels: Readonly<Record<string, string>>;
      readonly annotations: Readonly<Record<string, string>>;
    }
  | { readonly type: 'evict'; readonly pod: string; readonly uid: string }
  | { readonly type: 'delete-pod'; readonly pod: string; readonly uid: string; readonly gracePeriodSeconds: number }
  | { readonly type: 'delete-node' }
  | { readonly type: 'terminate-instance' };

export interface Waiting {
  /** `pod <namespace/name>`, `volume <name>`, or `volumes` when the attachments are unknown. */
  readonly subject: string;
  readonly reason: string;
}

export interface TerminationStep {
  readonly phase: 'draining' | 'detaching volumes' | 'terminating';
  /** To do now, in order. */
  readonly actions: readonly TerminationAction[];
  /** What the node is waiting for; empty once it terminates. */
  readonly waiting: readonly Waiting[];
  /** When terminationGracePeriod forces the drain; undefined without one. */
  readonly deadline?: number;
}

/** The next actions for a node being drained. */
export function planTermination(input: TerminationInput): TerminationStep {
  const { node, now } = input;
  if (!node.ready && !input.instanceExists) {
    // Nothing left to drain: the instance is gone and the kubelet with it.
    return { phase: 'terminating', actions: [{ type: 'delete-node' }], waiting: [] };
  }
  const existing = node.taints.find((t) => t.key === TAINT_DISRUPTED);
  const taint = drainTaint(node, input.reason);
  const startedAt = disruptionStart(node) ?? node.deletionTimestamp ?? now;
  const deadline = input.terminationGracePeriodMs === null ? undefined : startedAt + input.terminationGracePeriodMs;
  const withDeadline = deadline === undefined ? {} : { deadline };
  const actions: TerminationAction[] = existing ? [] : [taintAction(taint, startedAt)];
  const drained = input.pods.filter((p) => isDrained(p, node.name, taint, now));
  if (drained.length > 0) {
    const step = drainStep(drained, input.pdbs, deadline, now);
    return { phase: 'draining', actions: [...actions, ...step.actions], waiting: step.waiting, ...withDeadline };
  }
  const waiting = volumesWaitedFor(input.attachedVolumes);
  // Attachments that stay unreadable (a permission missing from a hand-made ClusterRole, say) must not keep the
  // node forever where no terminationGracePeriod bounds the wait: after a while it goes as Karpenter's would.
  const blind = input.attachedVolumes === 'unknown' && now - startedAt >= UNREADABLE_VOLUMES_MAX_WAIT_MS;
  if (waiting.length > 0 && !blind && (deadline === undefined || now < deadline)) {
    return { phase: 'detaching volumes', actions, waiting, ...withDeadline };
  }
  actions.push({ type: 'delete-node' }, { type: 'terminate-instance' });
  return { phase: 'terminating', actions, waiting: [], ...withDeadline };
}

/**
 * The node's pods the drain leaves on it (finished, mirror, tolerating the disrupted taint, stuck terminating:
 * see `notDrained`), exactly those `planTermination` neither evicts nor waits for. Their volumes stay attached
 * until the instance goes, so the volume detachment step does not wait for them.
 */
export function podsLeftByDrain(input: Pick<TerminationInput, 'node' | 'pods' | 'reason' | 'now'>): Pod[] {
  const { node, now } = input;
  const taint = drainTaint(node, input.reason);
  return input.pods.filter((p) => p.nodeName === node.name && !isDrained(p, node.name, taint, now));
}

/** The node's disrupted taint, or the one the drain puts on it: what the drained pods must not tolerate. */
function drainTaint(node: Node, reason: string): Taint {
  return node.taints.find((t) => t.key === TAINT_DISRUPTED) ?? disruptedTaint(reason);
}

function volumesWaitedFor(attached: TerminationInput['attachedVolumes']): Waiting[] {
  if (attached === 'unknown') {
    return [{ subject: 'volumes', reason: 'the VolumeAttachments could not be read: waiting as if attached' }];
  }
  return attached.map((v) => ({ subject: `volume ${v}`, reason: 'still attached to the node' }));
}

/** Taint the node, keep load balancers away from it, and record when its disruption began. */
function taintAction(taint: Taint, startedAt: number): TerminationAction {
  return {
    type: 'taint',
    taint,
    labels: { [LABEL_EXCLUDE_FROM_LB]: 'fleetwright' },
    annotations: { [ANNOTATION_DISRUPTED_AT]: formatTime(startedAt) },
  };
}

/** Forced deletions first (they bypass tiers), then the evictions of the first tier. */
function drainStep(pods: readonly Pod[], pdbs: PdbIndex, deadline: number | undefined, now: number) {
  const forced = forcedDeletions(pods, deadline, now);
  const forcedUids = new Set(forced.map((a) => a.uid));
  const { evictions, waiting } = evictFirstTier(
    pods.filter((p) => !forcedUids.has(p.uid)),
    pdbs,
    now,
  );
  for (const p of pods) {
    if (forcedUids.has(p.uid))
      waiting.push({ subject: `pod ${podKey(p)}`, reason: 'force-deleted: terminationGracePeriod is running out' });
  }
  return { actions: [...forced, ...evictions], waiting };
}

/** The node's `fleetwright.io/disrupted-at`, when present and readable. */
export function disruptionStart(node: Node): number | undefined {
  const text = node.annotations[ANNOTATION_DISRUPTED_AT];
  const at = text === undefined ? Number.NaN : Date.parse(text);
  return Number.isNaN(at) ? undefined : at;
}

/**
 * terminationGracePeriod: a pod whose own grace period would end after the deadline is deleted now, with the
 * time that is left (PDBs and do-not-disrupt no longer count); a pod already terminating past the deadline is
 * deleted again with the shorter grace.
 */
function forcedDeletions(pods: readonly Pod[], deadline: number | undefined, now: number) {
  const out: Extract<TerminationAction, { type: 'delete-pod' }>[] = [];
  if (deadline === undefined) return out;
  const left = Math.max(MIN_FORCED_GRACE_SECONDS, Math.floor((deadline - now) / 1000));
  for (const pod of pods) {
    const grace = (pod.terminationGracePeriodSeconds ?? DEFAULT_POD_GRACE_SECONDS) * 1000;
    const due = isTerminating(pod) ? (pod.deletionTimestamp as number) > deadline : now > deadline - grace;
    if (due) out.push({ type: 'delete-pod', pod: podKey(pod), uid: pod.uid, gracePeriodSeconds: left });
  }
  return out;
}

/**
 * Evictions from the first tier that still has pods, within each PDB's allowance. Pods already terminating are
 * waited for, not evicted again; do-not-disrupt pods are waited for but never evicted.
 */
function evictFirstTier(pods: readonly Pod[], pdbs: PdbIndex, now: number) {
  const evictions: TerminationAction[] = [];
  const waiting: Waiting[] = [];
  const left = new Map<string, number>();
  const active = pods.filter((p) => !isTerminating(p));
  for (const p of pods.filter(isTerminating)) waiting.push({ subject: `pod ${podKey(p)}`, reason: 'terminating' });
  const tier = Math.min(...active.map(evictionTier));
  for (const pod of sortByKey(active)) {
    const subject = `pod ${podKey(pod)}`;
    if (evictionTier(pod) !== tier) {
      waiting.push({
        subject,
        reason: `${EVICTION_TIERS[evictionTier(pod)]} wait for ${EVICTION_TIERS[tier]} to leave`,
      });
      continue;
    }
    const protectedBy = doNotDisrupt(pod, now);
    if (protectedBy) {
      waiting.push({ subject, reason: `it ${protectedBy}; it is not evicted` });
      continue;
    }
    const refusal = pdbRefusal(pod, pdbs, left);
    if (refusal) waiting.push({ subject, reason: refusal });
    else evictions.push({ type: 'evict', pod: podKey(pod), uid: pod.uid });
  }
  return { evictions, waiting };
}

/** Why the eviction API would refuse the pod now (429), counting evictions already planned in this step. */
function pdbRefusal(pod: Pod, pdbs: PdbIndex, left: Map<string, number>): string | undefined {
  const covering = pdbs.covering(pod);
  if (covering.length > 1) {
    return `covered by several PodDisruptionBudgets (${covering.map(pdbKey).sort().join(', ')}): the eviction API refuses it`;
  }
  const [pdb] = covering;
  if (!pdb) return undefined;
  const key = pdbKey(pdb);
  const allowed = left.get(key) ?? pdbs.allowed(pdb);
  if (allowed <= 0) return `PodDisruptionBudget ${key} allows no more disruptions (429): retry later`;
  left.set(key, allowed - 1);
  return undefined;
}

function sortByKey(pods: readonly Pod[]): Pod[] {
  return [...pods].sort((a, b) => (podKey(a) < podKey(b) ? -1 : podKey(a) > podKey(b) ? 1 : 0));
}
