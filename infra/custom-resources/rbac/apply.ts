// Applies and removes the controller's RBAC objects with our own Kubernetes client: create, or replace at the
// current resourceVersion when the object exists (so a re-deploy converges instead of failing on AlreadyExists).

import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from 'kubernetes-types/rbac/v1.js';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '../../../shared/adapters/kubernetes/client/errors.js';
import type { KubeClient } from '../../../shared/adapters/kubernetes/client/kube-client.js';
import type { ApiObject, ResourceType } from '../../../shared/adapters/kubernetes/client/resources.js';
import type { RbacObject } from '../../../shared/adapters/kubernetes/rbac-manifest.js';

/** The calls this file makes: a port the tests fake. */
export type RbacClient = Pick<KubeClient, 'get' | 'create' | 'replace' | 'delete'>;

const rbac = <T extends ApiObject>(plural: string, kind: string, namespaced: boolean): ResourceType<T> => ({
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  plural,
  kind,
  namespaced,
});

const RESOURCES: Readonly<Record<RbacObject['kind'] & string, ResourceType<ApiObject>>> = {
  ClusterRole: rbac<ClusterRole>('clusterroles', 'ClusterRole', false),
  ClusterRoleBinding: rbac<ClusterRoleBinding>('clusterrolebindings', 'ClusterRoleBinding', false),
  Role: rbac<Role>('roles', 'Role', true),
  RoleBinding: rbac<RoleBinding>('rolebindings', 'RoleBinding', true),
};

function resourceOf(object: RbacObject): ResourceType<ApiObject> {
  const resource = object.kind && RESOURCES[object.kind];
  if (!resource) throw new Error(`not an RBAC object kind: ${String(object.kind)}`);
  return resource;
}

/** Creates or replaces each object, in order (roles before the bindings that refer to them). */
export async function applyObjects(client: RbacClient, objects: readonly RbacObject[]): Promise<void> {
  for (const object of objects) {
    const resource = resourceOf(object);
    const { name = '', namespace } = object.metadata ?? {};
    const existing = await client.get(resource, name, namespace).catch((error: unknown) => {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    });
    if (existing === undefined) {
      await client.create(resource, object);
    } else {
      const resourceVersion = existing.metadata?.resourceVersion;
      await client.replace(resource, { ...object, metadata: { ...object.metadata, resourceVersion } });
    }
  }
}

/** Deletes each object, bindings first (the reverse of the apply order); objects already gone are fine. */
export async function deleteObjects(client: RbacClient, objects: readonly RbacObject[]): Promise<void> {
  for (const object of [...objects].reverse()) {
    const { name = '', namespace } = object.metadata ?? {};
    await client.delete(resourceOf(object), name, { namespace }).catch((error: unknown) => {
      if (!(error instanceof NotFoundError)) throw error;
    });
  }
}

export interface AuthorizationWait {
  /** How long to keep trying. */
  readonly timeoutMs: number;
  readonly intervalMs: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

/**
 * Runs `action` until the API server stops answering 401/403. A new access entry (the provider's own) takes a
 * few seconds to reach the cluster's authenticator, so the first calls after CloudFormation created it can be
 * refused; any other error, or a refusal that outlasts `timeoutMs`, is thrown.
 */
export async function whenAuthorized<T>(action: () => Promise<T>, wait: AuthorizationWait): Promise<T> {
  const deadline = wait.now() + wait.timeoutMs;
  for (;;) {
    try {
      return await action();
    } catch (error) {
      const refused = error instanceof UnauthorizedError || error instanceof ForbiddenError;
      if (!refused || wait.now() + wait.intervalMs > deadline) throw error;
      await wait.sleep(wait.intervalMs);
    }
  }
}
