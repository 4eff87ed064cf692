// Workload expansion for `fleetwright plan` (DESIGN §5 "Pods"): Deployments, ReplicaSets, StatefulSets and
// Jobs in the input stand for the pods their controllers would create, so "what if I apply this Deployment"
// can be asked without a cluster. Each becomes as many pending pods as it wants, minus the pods of it that
// the input already holds.
//
// Choices where DESIGN leaves room (each mirrors what the controller would do):
// - "Already in the input" counts active pods (not Succeeded/Failed, not terminating): the controllers replace
//   the others, and the replacements need capacity.
// - A pod belongs to a workload through an owner reference of the same kind and name in the same namespace
//   (UIDs must agree when both are known). A Deployment owns the pods of the ReplicaSets in the input that it
//   owns, and also those of a ReplicaSet absent from the input named `<deployment>-<pod-template-hash>` (how
//   the Deployment controller names them), so `kubectl get deploy,pods` works without the ReplicaSets.
// - A ReplicaSet owned by a Deployment in the input is not expanded on its own (its Deployment is).
// - A Job wants `min(parallelism, completions - succeeded)` pods (`status.succeeded`, else its Succeeded pods
//   in the input) and none when suspended or finished (`Complete`/`Failed` condition), as the Job controller.
// - Names are `<workload>-<i>`, i counting from the number of pods already there and skipping any name a pod
//   of that namespace (given or generated) has; the UID is `<workload uid>-<i>` with the same i (the workload
//   UID defaults to `<namespace>/<name>`); the owner reference is the workload itself, controller: true.
// - A workload's template is read only when it has pods to create, so a template that needs none is not
//   judged.

import type { Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { Job } from 'kubernetes-types/batch/v1.js';
import { isActive, type Pod, podKey } from '../../../core/model/pod.js';
import { at, FieldReader, type Json } from './fields.js';
import { type ObjectMetadata, objectLabel, readMetadata } from './metadata.js';
import { podFromTemplate } from './pod.js';

export type Workload = Deployment | ReplicaSet | StatefulSet | Job;
export type WorkloadKind = 'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'Job';
export const WORKLOAD_KINDS: readonly WorkloadKind[] = ['Deployment', 'ReplicaSet', 'StatefulSet', 'Job'];

/** The label the Deployment controller puts on its ReplicaSets and pods, and suffixes the ReplicaSet name with. */
const POD_TEMPLATE_HASH = 'pod-template-hash';

interface Entry {
  readonly kind: WorkloadKind;
  readonly label: string;
  readonly r: FieldReader;
  readonly json: Json;
  readonly meta: ObjectMetadata;
  /** The Deployment in the input that owns this ReplicaSet. */
  deployment?: Entry;
}

/**
 * The pending pods `workloads` would add to `pods` (the pods of the input, already mapped). Throws
 * MappingError for a workload field it cannot use.
 */
export function expandWorkloads(workloads: readonly Workload[], pods: readonly Pod[]): Pod[] {
  const entries = workloads.map(readEntry);
  const find = finder(entries);
  for (const rs of entries.filter((e) => e.kind === 'ReplicaSet')) {
    const ref = rs.meta.ownerReferences.find((o) => o.kind === 'Deployment');
    rs.deployment = ref && find('Deployment', rs.meta.namespace, ref);
  }
  const owned = new Map<Entry, Pod[]>();
  for (const pod of pods) {
    const owner = ownerOf(pod, find);
    if (!owner) continue;
    const list = owned.get(owner);
    if (list) list.push(pod);
    else owned.set(owner, [pod]);
  }
  const taken = new Set(pods.map(podKey));
  return entries
    .filter((e) => !e.deployment)
    .flatMap((e) => {
      const mine = owned.get(e) ?? [];
      const active = mine.filter(isActive).length;
      return generatePods(e, Math.max(0, wantedPods(e, mine) - active), active, taken);
    });
}

function readEntry(obj: Workload): Entry {
  const kind = (obj as Json).kind as WorkloadKind;
  const label = objectLabel(kind, obj, true);
  const r = new FieldReader(label);
  if (!WORKLOAD_KINDS.includes(kind)) r.fail('kind', `expected one of ${WORKLOAD_KINDS.join(', ')}`);
  const json = r.record(obj, '(root)');
  return { kind, label, r, json, meta: readMetadata(json, r) };
}

type Find = (kind: WorkloadKind, namespace: string, ref: { name: string; uid?: string }) => Entry | undefined;

function finder(entries: readonly Entry[]): Find {
  const byName = new Map<string, Entry[]>();
  for (const e of entries) {
    const key = `${e.kind}/${e.meta.namespace}/${e.meta.name}`;
    const list = byName.get(key);
    if (list) list.push(e);
    else byName.set(key, [e]);
  }
  // Hand-written references and objects often leave UIDs out; when both sides have one they must agree.
  return (kind, namespace, ref) =>
    byName.get(`${kind}/${namespace}/${ref.name}`)?.find((e) => !ref.uid || !e.meta.uid || ref.uid === e.meta.uid);
}

/** The workload whose replica count `pod` fills, if it is in the input. */
function ownerOf(pod: Pod, find: Find): Entry | undefined {
  for (const ref of pod.ownerReferences) {
    if (ref.kind === 'ReplicaSet') {
      const rs = find('ReplicaSet', pod.namespace, ref);
      if (rs) return rs.deployment ?? rs;
      const hash = pod.labels[POD_TEMPLATE_HASH];
      if (hash && ref.name.endsWith(`-${hash}`)) {
        const deployment = find('Deployment', pod.namespace, { name: ref.name.slice(0, -hash.length - 1) });
        if (deployment) return deployment;
      }
    } else if ((WORKLOAD_KINDS as readonly string[]).includes(ref.kind)) {
      const owner = find(ref.kind as WorkloadKind, pod.namespace, ref);
      if (owner) return owner;
    }
  }
  return undefined;
}

/** How many active pods the workload's controller wants (see the header for Jobs). */
function wantedPods(e: Entry, mine: readonly Pod[]): number {
  const spec = e.r.record(e.json.spec, 'spec');
  if (e.kind !== 'Job') return countField(e, spec.replicas, 'spec.replicas') ?? 1;
  const status = e.r.record(e.json.status, 'status');
  if (e.r.boolean(spec.suspend, 'spec.suspend') || isFinished(e, status)) return 0;
  const parallelism = countField(e, spec.parallelism, 'spec.parallelism') ?? 1;
  const completions = countField(e, spec.completions, 'spec.completions');
  if (completions === undefined) return parallelism;
  const succeeded =
    countField(e, status.succeeded, 'status.succeeded') ?? mine.filter((p) => p.phase === 'Succeeded').length;
  return Math.max(0, Math.min(parallelism, completions - succeeded));
}

function countField(e: Entry, value: unknown, path: string): number | undefined {
  const n = e.r.integer(value, path);
  if (n !== undefined && n < 0) e.r.fail(path, `expected a count (≥ 0), got ${n}`);
  return n;
}

function isFinished(e: Entry, status: Json): boolean {
  return e.r.array(status.conditions, 'status.conditions').some((item, i) => {
    const c = e.r.record(item, at('status.conditions', i));
    return (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True';
  });
}

/** `count` pods from the workload's template, named from index `first` on, skipping names in `taken`. */
function generatePods(e: Entry, count: number, first: number, taken: Set<string>): Pod[] {
  if (count === 0) return [];
  const { namespace, name, creationTimestamp } = e.meta;
  const uid = e.meta.uid ?? `${namespace}/${name}`;
  const spec = e.r.record(e.json.spec, 'spec');
  const ownerReferences = [{ kind: e.kind, name, uid, controller: true }];
  const template = podFromTemplate(
    spec.template,
    { namespace, name, uid, ownerReferences, creationTimestamp },
    e.label,
  );
  const out: Pod[] = [];
  for (let i = first; out.length < count; i++) {
    const podName = `${name}-${i}`;
    const key = podKey({ namespace, name: podName });
    if (taken.has(key)) continue;
    taken.add(key);
    out.push({ ...template, name: podName, uid: `${uid}-${i}` });
  }
  return out;
}
