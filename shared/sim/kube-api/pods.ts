// The pod subresources fleetwright and the simulator use: `pods/eviction` with kube-apiserver's PDB rules
// (pkg/registry/core/pod/storage/eviction.go) and `pods/binding` (what kube-scheduler calls to place a pod),
// plus pod deletion, which is graceful for bound pods when the simulator asks for it.

import type { HandlerContext, Reply } from './handlers.js';
import { pdbStatus } from './pdb-status.js';
import type { KubeObject } from './resources.js';
import { type LabelSelectorObject, selectorObjectMatches } from './selectors.js';
import {
  ApiError,
  badRequest,
  conflict,
  failure,
  internalError,
  notFound,
  success,
  tooManyRequests,
} from './status.js';
import { assertPreconditions } from './store.js';

type Preconditions = { uid?: string; resourceVersion?: string };

interface PodFields {
  spec?: { nodeName?: string };
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}

const pods = 'pods';

/** Deletes a pod: at once, or — graceful mode, bound and still running — by setting its deletionTimestamp. */
export function deletePod(ctx: HandlerContext, pod: KubeObject, preconditions: Preconditions): KubeObject {
  const { store } = ctx;
  const fields = pod as KubeObject & PodFields;
  const terminal = fields.status?.phase === 'Succeeded' || fields.status?.phase === 'Failed';
  if (!ctx.gracefulPodDeletion || !fields.spec?.nodeName || terminal) {
    return store.delete(pods, pod.metadata.namespace, pod.metadata.name, preconditions);
  }
  assertPreconditions(store.resolve(pods), pod, preconditions);
  if (pod.metadata.deletionTimestamp) return pod;
  const deleting = structuredClone(pod);
  deleting.metadata.deletionTimestamp = new Date(store.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return store.update(pods, deleting, pod.metadata.resourceVersion);
}

/**
 * POST pods/<name>/eviction. PDBs are skipped for pods that are terminal, pending or already terminating, as
 * the API server skips them; a pod under several PDBs is refused with 500; otherwise the pod's PDB must allow a
 * disruption: `status.disruptionsAllowed` is decremented, or 429 with a DisruptionBudget cause when it is 0.
 */
export function evict(ctx: HandlerContext, namespace: string, name: string, body: unknown): Reply {
  const { store } = ctx;
  const eviction = (body ?? {}) as {
    kind?: string;
    metadata?: { name?: string };
    deleteOptions?: { preconditions?: Preconditions };
  };
  if (eviction.kind !== 'Eviction') throw badRequest('the body of an eviction must be a policy/v1 Eviction');
  if (eviction.metadata?.name !== name) throw badRequest(`name in URL does not match name in Eviction object`);
  const pod = store.get(pods, namespace, name);
  if (!pod) throw notFound(store.resolve(pods), name);
  const preconditions = eviction.deleteOptions?.preconditions ?? {};
  assertPreconditions(store.resolve(pods), pod, preconditions);
  if (!ignoresBudgets(pod)) chargeBudget(ctx, pod);
  deletePod(ctx, pod, preconditions);
  return { status: 201, body: success(201) };
}

function ignoresBudgets(pod: KubeObject): boolean {
  const phase = (pod as PodFields).status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || !!pod.metadata.deletionTimestamp;
}

function isReady(pod: KubeObject): boolean {
  return (pod as PodFields).status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

interface Budget extends KubeObject {
  spec?: {
    selector?: LabelSelectorObject;
    minAvailable?: number | string;
    maxUnavailable?: number | string;
    unhealthyPodEvictionPolicy?: string;
  };
  status?: { disruptionsAllowed?: number; currentHealthy?: number; desiredHealthy?: number; expectedPods?: number };
}

/** Takes one disruption from the pod's PDB, or refuses the eviction. */
function chargeBudget(ctx: HandlerContext, pod: KubeObject): void {
  const { store } = ctx;
  const labels = pod.metadata.labels ?? {};
  const budgets = (store.list('poddisruptionbudgets') as Budget[]).filter(
    (b) => b.metadata.namespace === pod.metadata.namespace && selectorObjectMatches(b.spec?.selector, labels),
  );
  if (budgets.length === 0) return;
  if (budgets.length > 1) {
    throw internalError(
      'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
    );
  }
  const budget = budgets[0] as Budget;
  if (budget.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow' && !isReady(pod)) return;
  // Without a status (a PDB the disruption controller has not observed yet), the server stands in for the
  // controller once: it computes the status, stores it, and from then on counts down like the real one.
  const status = budget.status?.disruptionsAllowed === undefined ? computeBudget(ctx, budget) : budget.status;
  const allowed = status.disruptionsAllowed ?? 0;
  if (allowed <= 0) {
    throw tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.", undefined, {
      causes: [
        {
          type: 'DisruptionBudget',
          message: `The disruption budget ${budget.metadata.name} needs ${status.desiredHealthy ?? 0} healthy pods and has ${status.currentHealthy ?? 0} currently`,
        },
      ],
    });
  }
  store.update('poddisruptionbudgets', { ...budget, status: { ...status, disruptionsAllowed: allowed - 1 } });
}

/**
 * The status the disruption controller would write: healthy = matching Ready pods that are not terminating;
 * expected = matching pods that are not terminal (the controller uses the owners' scale; without owners in the
 * store, the pods are the best count).
 */
function computeBudget(ctx: HandlerContext, budget: Budget): NonNullable<Budget['status']> {
  const matching = ctx.store
    .list(pods)
    .filter(
      (p) =>
        p.metadata.namespace === budget.metadata.namespace &&
        selectorObjectMatches(budget.spec?.selector, p.metadata.labels ?? {}),
    )
    .filter((p) => !['Succeeded', 'Failed'].includes((p as PodFields).status?.phase ?? ''));
  return pdbStatus(
    budget.spec ?? {},
    matching.map((p) => ({ ready: isReady(p), terminating: p.metadata.deletionTimestamp !== undefined })),
  );
}

/** POST pods/<name>/binding: sets spec.nodeName once; 409 when the pod is already bound. */
export function bind(ctx: HandlerContext, namespace: string, name: string, body: unknown): Reply {
  const { store } = ctx;
  const binding = (body ?? {}) as { kind?: string; target?: { kind?: string; name?: string } };
  if (binding.kind !== 'Binding' || !binding.target?.name)
    throw badRequest('the body must be a v1 Binding with a target');
  const pod = store.get(pods, namespace, name) as (KubeObject & PodFields) | undefined;
  if (!pod) throw notFound(store.resolve(pods), name);
  if (pod.spec?.nodeName) {
    throw conflict(store.resolve(pods), name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
  }
  if (pod.metadata.deletionTimestamp)
    throw new ApiError(failure(409, 'Conflict', `pod ${name} is being deleted, cannot be assigned to a host`));
  const conditions = (pod.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
  const bound = {
    ...pod,
    spec: { ...pod.spec, nodeName: binding.target.name },
    status: { ...pod.status, conditions: [...conditions, { type: 'PodScheduled', status: 'True' }] },
  };
  store.update(pods, bound, pod.metadata.resourceVersion);
  return { status: 201, body: success(201) };
}
