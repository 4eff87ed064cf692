// Sorting a bag of decoded API objects by kind, for `plan` inputs: `--pods` may hold workloads as well as
// pods (`kubectl get pods,deploy -A -o json`), and any file may hold kinds `plan` does not read, which are
// set aside with a note rather than refused (DESIGN §5 "Leniency where it belongs").

import type { DaemonSet as K8sDaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Node as K8sNode, Pod as K8sPod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget as K8sPodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import { isRecord } from './fields.js';
import { WORKLOAD_KINDS, type Workload } from './workloads.js';

export interface ClassifiedObjects {
  readonly pods: K8sPod[];
  readonly nodes: K8sNode[];
  readonly daemonSets: K8sDaemonSet[];
  readonly podDisruptionBudgets: K8sPodDisruptionBudget[];
  /** Deployments, ReplicaSets, StatefulSets and Jobs, for `expandWorkloads`. */
  readonly workloads: Workload[];
  readonly ignored: IgnoredObject[];
}

export interface IgnoredObject {
  /** Position in the list given to `classifyObjects`. */
  readonly index: number;
  readonly kind: string;
  /** `<namespace>/<name>` or `<name>`; '' when the object has none. */
  readonly name: string;
  /** One sentence for stderr, e.g. `ignored ConfigMap kube-system/aws-auth: plan reads ...`. */
  readonly note: string;
}

/** The kinds `plan` reads; other kinds are listed in `ignored`. */
export const PLAN_KINDS: readonly string[] = ['Pod', 'Node', 'DaemonSet', 'PodDisruptionBudget', ...WORKLOAD_KINDS];

export interface ClassifyOptions {
  /**
   * The kind of objects without `kind`, for hand-written files: `--pods` can say Pod, `--nodes` Node. Without
   * it such objects are ignored with a note.
   */
  readonly defaultKind?: string;
}

/** Sorts `objects` by `kind` (exact, as the API spells it; `apiVersion` is not checked). Never throws. */
export function classifyObjects(objects: readonly unknown[], options: ClassifyOptions = {}): ClassifiedObjects {
  const out: ClassifiedObjects = {
    pods: [],
    nodes: [],
    daemonSets: [],
    podDisruptionBudgets: [],
    workloads: [],
    ignored: [],
  };
  objects.forEach((obj, index) => {
    if (!isRecord(obj)) {
      out.ignored.push({ index, kind: '', name: '', note: `ignored item ${index}: not an object` });
      return;
    }
    const kind = typeof obj.kind === 'string' && obj.kind ? obj.kind : options.defaultKind;
    const typed = kind === obj.kind ? obj : { ...obj, kind };
    if (!sort(out, kind, typed)) out.ignored.push(ignoredNote(index, kind, obj));
  });
  return out;
}

/** Files the object under its kind; false for a kind `plan` does not read. */
function sort(out: ClassifiedObjects, kind: string | undefined, obj: Record<string, unknown>): boolean {
  switch (kind) {
    case 'Pod':
      out.pods.push(obj as K8sPod);
      return true;
    case 'Node':
      out.nodes.push(obj as K8sNode);
      return true;
    case 'DaemonSet':
      out.daemonSets.push(obj as K8sDaemonSet);
      return true;
    case 'PodDisruptionBudget':
      out.podDisruptionBudgets.push(obj as K8sPodDisruptionBudget);
      return true;
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'Job':
      out.workloads.push(obj as Workload);
      return true;
    default:
      return false;
  }
}

function ignoredNote(index: number, kind: string | undefined, obj: Record<string, unknown>): IgnoredObject {
  const meta = isRecord(obj.metadata) ? obj.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : '';
  const namespaced = typeof meta.namespace === 'string' && meta.namespace ? `${meta.namespace}/${name}` : name;
  const what = kind ? `${kind} ${namespaced || `(item ${index})`}` : `item ${index}${name ? ` (${namespaced})` : ''}`;
  const why = kind ? `plan reads only ${PLAN_KINDS.join(', ')}` : 'it has no kind';
  return { index, kind: kind ?? '', name: namespaced, note: `ignored ${what}: ${why}` };
}
