// What a scenario's `apply` and `replay` steps put in the cluster, checked when the file is read so a scenario
// never fails half-way: workloads (Deployment, StatefulSet, Job) go to the workload controllers, PDBs and bare
// Pods into the API server. Each pod template is read by the same mapper fleetwright's handlers read pods with,
// so a template the handlers could not read is refused here, with its path.

import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { MappingError } from '../../adapters/kubernetes/mappers/fields.js';
import { podFromTemplate, toPod } from '../../adapters/kubernetes/mappers/pod.js';
import type { Workload, WorkloadKind } from '../cluster/workloads.js';
import { JOB_RUN_SECONDS_ANNOTATION } from '../cluster/workloads.js';
import type { KubeObject } from '../kube-api/resources.js';

export type ClusterObject =
  | { readonly type: 'workload'; readonly workload: Omit<Workload, 'uid' | 'succeeded'> }
  | { readonly type: 'pdb'; readonly object: KubeObject }
  | { readonly type: 'pod'; readonly object: KubeObject };

export const APPLY_KINDS = ['Deployment', 'StatefulSet', 'Job', 'PodDisruptionBudget', 'Pod'] as const;

type Json = Record<string, unknown>;

/** The object as the simulation uses it; throws `ObjectProblem` (path relative to the object) when it cannot. */
export function readClusterObject(raw: Json): ClusterObject {
  const kind = raw.kind;
  const meta = (raw.metadata ?? {}) as { name?: unknown; namespace?: unknown; annotations?: Record<string, string> };
  if (typeof meta.name !== 'string' || meta.name === '')
    throw new ObjectProblem('metadata.name', 'missing: a name is required');
  const namespace = typeof meta.namespace === 'string' ? meta.namespace : 'default';
  const name = meta.name;
  const spec = (raw.spec ?? {}) as Json;
  switch (kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'Job': {
      const template = spec.template as PodTemplateSpec | undefined;
      checkTemplate(template, kind, namespace, name);
      const replicas = kind === 'Job' ? (spec.parallelism ?? 1) : (spec.replicas ?? 1);
      if (!Number.isInteger(replicas) || (replicas as number) < 0) {
        throw new ObjectProblem(
          kind === 'Job' ? 'spec.parallelism' : 'spec.replicas',
          `expected a whole number >= 0, got ${JSON.stringify(replicas)}`,
        );
      }
      const runSeconds = meta.annotations?.[JOB_RUN_SECONDS_ANNOTATION];
      const workload = {
        kind: kind as WorkloadKind,
        namespace,
        name,
        template: template as PodTemplateSpec,
        replicas: replicas as number,
        ...(kind === 'Job' ? { completions: (spec.completions as number | undefined) ?? (replicas as number) } : {}),
        ...(runSeconds === undefined ? {} : { runSeconds: Number(runSeconds) }),
      };
      return { type: 'workload', workload };
    }
    case 'PodDisruptionBudget':
      if (spec.selector === undefined)
        throw new ObjectProblem('spec.selector', 'missing: a PDB without a selector matches nothing');
      return { type: 'pdb', object: withNamespace(raw, namespace) };
    case 'Pod':
      mapped(() => toPod(raw));
      return { type: 'pod', object: pendingCopy(raw, namespace) };
    default:
      throw new ObjectProblem(
        'kind',
        `${JSON.stringify(kind)} is not simulated, expected one of ${APPLY_KINDS.join(', ')}`,
      );
  }
}

/** An object that cannot be used: where, and why. */
export class ObjectProblem extends Error {
  override readonly name = 'ObjectProblem';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

function checkTemplate(template: unknown, kind: string, namespace: string, name: string): void {
  mapped(() =>
    podFromTemplate(template, { namespace, name, uid: name, ownerReferences: [] } as never, `${kind}/${name}`),
  );
}

function mapped(read: () => unknown): void {
  try {
    read();
  } catch (error) {
    if (error instanceof MappingError) throw new ObjectProblem(error.path, error.reason);
    throw error;
  }
}

function withNamespace(raw: Json, namespace: string): KubeObject {
  const copy = structuredClone(raw) as unknown as KubeObject;
  copy.metadata = { ...copy.metadata, namespace };
  delete (copy as { status?: unknown }).status;
  return copy;
}

/** A recorded pod as it was before scheduling: no node, no status, no server-set fields. */
export function pendingCopy(raw: Json, namespace: string): KubeObject {
  const copy = withNamespace(raw, namespace) as KubeObject & { spec?: { nodeName?: string } };
  const { name, labels, annotations, ownerReferences } = copy.metadata as KubeObject['metadata'] & Json;
  copy.metadata = {
    name,
    namespace,
    ...(labels ? { labels } : {}),
    ...(annotations ? { annotations } : {}),
    ...(ownerReferences ? { ownerReferences } : {}),
  } as KubeObject['metadata'];
  if (copy.spec) delete copy.spec.nodeName;
  (copy as { status?: unknown }).status = { phase: 'Pending' };
  return copy;
}
