// The controller's RBAC objects, built from the rule list the adapter is tested against
// (shared/adapters/kubernetes/rbac.ts): a ClusterRole for cluster-wide rules, a Role per namespace for namespaced
// ones (only the Lease, in kube-system), and a binding of each to the controller's group and service accounts.
// Pure data: the provider applies it, and `fleetwright rbac` can print the same objects.

import type {
  ClusterRole,
  ClusterRoleBinding,
  PolicyRule,
  Role,
  RoleBinding,
  Subject,
} from 'kubernetes-types/rbac/v1.js';
import type { RbacRule } from './rbac.js';

/** The name of every object, so `kubectl get clusterrole fleetwright-controller` finds what the stack applied. */
export const RBAC_OBJECT_NAME = 'fleetwright-controller';

/** The Kubernetes group the controller role's EKS access entry maps to. */
export const CONTROLLER_GROUP = 'fleetwright:controller';
const RBAC_API = 'rbac.authorization.k8s.io';
const API_VERSION = `${RBAC_API}/v1` as const;
const LABELS = { 'app.kubernetes.io/name': 'fleetwright', 'app.kubernetes.io/managed-by': 'fleetwright' };

export interface ServiceAccountRef {
  readonly namespace: string;
  readonly name: string;
}

export interface RbacManifestOptions {
  /** The Kubernetes group of the controller's access entry, e.g. `fleetwright:controller`. */
  readonly group: string;
  /** Service accounts bound as well: the controller running in the cluster. */
  readonly serviceAccounts?: readonly ServiceAccountRef[];
}

export type RbacObject = ClusterRole | ClusterRoleBinding | Role | RoleBinding;

/** Roles first, then their bindings: the order to create them in (and the reverse to delete them). */
export function controllerRbacManifest(rules: readonly RbacRule[], options: RbacManifestOptions): RbacObject[] {
  const subjects: Subject[] = [
    { kind: 'Group', apiGroup: RBAC_API, name: options.group },
    ...(options.serviceAccounts ?? []).map((sa) => ({
      kind: 'ServiceAccount',
      name: sa.name,
      namespace: sa.namespace,
    })),
  ];
  const clusterRules = rules.filter((rule) => rule.namespace === undefined);
  const namespaces = [
    ...new Set(rules.flatMap((rule) => (rule.namespace === undefined ? [] : [rule.namespace]))),
  ].sort();

  const roles: RbacObject[] = [
    {
      apiVersion: API_VERSION,
      kind: 'ClusterRole',
      metadata: { name: RBAC_OBJECT_NAME, labels: LABELS },
      rules: clusterRules.map(policyRule),
    },
    ...namespaces.map(
      (namespace): Role => ({
        apiVersion: API_VERSION,
        kind: 'Role',
        metadata: { name: RBAC_OBJECT_NAME, namespace, labels: LABELS },
        rules: rules.filter((rule) => rule.namespace === namespace).map(policyRule),
      }),
    ),
  ];
  const bindings: RbacObject[] = [
    {
      apiVersion: API_VERSION,
      kind: 'ClusterRoleBinding',
      metadata: { name: RBAC_OBJECT_NAME, labels: LABELS },
      roleRef: { apiGroup: RBAC_API, kind: 'ClusterRole', name: RBAC_OBJECT_NAME },
      subjects,
    },
    ...namespaces.map(
      (namespace): RoleBinding => ({
        apiVersion: API_VERSION,
        kind: 'RoleBinding',
        metadata: { name: RBAC_OBJECT_NAME, namespace, labels: LABELS },
        roleRef: { apiGroup: RBAC_API, kind: 'Role', name: RBAC_OBJECT_NAME },
        subjects,
      }),
    ),
  ];
  return [...roles, ...bindings];
}

function policyRule(rule: RbacRule): PolicyRule {
  return { apiGroups: [rule.apiGroup], resources: [rule.resource], verbs: [...rule.verbs] };
}
