// Reading the Kubernetes side of `plan`'s inputs: pods (and workloads to expand), nodes, DaemonSets and PDBs
// from `kubectl` output, mapped to core types. Every object that cannot be used is reported, with its file,
// object and field, before anything is planned.

import { classifyObjects } from '../../adapters/kubernetes/mappers/classify.js';
import { toDaemonSet } from '../../adapters/kubernetes/mappers/daemonset.js';
import { MappingError } from '../../adapters/kubernetes/mappers/fields.js';
import { toNode } from '../../adapters/kubernetes/mappers/node.js';
import { toPodDisruptionBudget } from '../../adapters/kubernetes/mappers/pdb.js';
import { toPod } from '../../adapters/kubernetes/mappers/pod.js';
import { expandWorkloads, type Workload } from '../../adapters/kubernetes/mappers/workloads.js';
import type { Node } from '../../core/model/node.js';
import type { Pod } from '../../core/model/pod.js';
import type { DaemonSet, PodDisruptionBudget } from '../../core/model/workloads.js';
import { readObjects } from '../inputs.js';
import { InputError } from '../io.js';

export interface ClusterInputs {
  readonly pods: Pod[];
  readonly nodes: Node[];
  readonly daemonSets: DaemonSet[];
  readonly pdbs: PodDisruptionBudget[];
  /** Notes about objects that were set aside (kinds plan does not read). */
  readonly notes: string[];
}

export interface ClusterFiles {
  readonly pods: string;
  readonly nodes: readonly string[];
  readonly daemonsets: readonly string[];
  readonly pdbs: readonly string[];
}

/** Reads and maps every file; throws one InputError listing every problem in every file. */
export async function readClusterInputs(files: ClusterFiles, cwd?: string): Promise<ClusterInputs> {
  const errors: string[] = [];
  const out: ClusterInputs = { pods: [], nodes: [], daemonSets: [], pdbs: [], notes: [] };
  const workloads: Workload[] = [];
  const sources: [string, string][] = [
    [files.pods, 'Pod'],
    ...files.nodes.map((f): [string, string] => [f, 'Node']),
    ...files.daemonsets.map((f): [string, string] => [f, 'DaemonSet']),
    ...files.pdbs.map((f): [string, string] => [f, 'PodDisruptionBudget']),
  ];
  for (const [file, defaultKind] of sources) {
    let objects: unknown[];
    try {
      objects = await readObjects(file, { cwd });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      errors.push(...error.lines);
      continue;
    }
    const sorted = classifyObjects(objects, { defaultKind });
    const map = <A, B>(items: readonly A[], fn: (a: A) => B, into: B[]) => {
      for (const item of items) {
        try {
          into.push(fn(item));
        } catch (error) {
          if (!(error instanceof MappingError)) throw error;
          errors.push(`${file}: ${error.message}`);
        }
      }
    };
    map(sorted.pods, toPod, out.pods);
    map(sorted.nodes, toNode, out.nodes);
    map(sorted.daemonSets, toDaemonSet, out.daemonSets);
    map(sorted.podDisruptionBudgets, toPodDisruptionBudget, out.pdbs);
    workloads.push(...sorted.workloads);
    out.notes.push(...sorted.ignored.map((i) => `${file}: ${i.note}`));
  }
  try {
    out.pods.push(...expandWorkloads(workloads, out.pods));
  } catch (error) {
    if (!(error instanceof MappingError)) throw error;
    errors.push(`${files.pods}: ${error.message}`);
  }
  const seen = new Set<string>();
  for (const pod of out.pods) {
    const key = `${pod.namespace}/${pod.name}`;
    if (seen.has(key))
      errors.push(`${files.pods}: Pod/${key}: metadata.name: duplicate pod (each pod may appear once)`);
    seen.add(key);
  }
  if (errors.length > 0) throw new InputError(errors);
  return out;
}
