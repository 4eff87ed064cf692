// `fleetwright rbac` prints exactly the objects the stack applies, built from the rule list the adapter is
// tested against.

import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { CONTROLLER_RBAC } from '../../shared/adapters/kubernetes/rbac.js';
import { fleetwright } from '../fixtures/cli.js';

describe('fleetwright rbac', () => {
  it('prints a ClusterRole with every cluster-wide rule and a Role for the Lease, bound to the controller group', () => {
    const { code, stdout, stderr } = fleetwright('rbac');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const objects = parseAllDocuments(stdout).map((d) => d.toJSON());
    expect(objects.map((o) => o.kind)).toEqual(['ClusterRole', 'Role', 'ClusterRoleBinding', 'RoleBinding']);
    const clusterRules = objects[0].rules.map(
      (r: { resources: string[]; verbs: string[] }) => `${r.resources}:${r.verbs}`,
    );
    for (const rule of CONTROLLER_RBAC.filter((r) => !r.namespace)) {
      expect(clusterRules).toContain(`${rule.resource}:${rule.verbs}`);
    }
    expect(objects[0].rules).toEqual(
      expect.arrayContaining([
        { apiGroups: ['storage.k8s.io'], resources: ['volumeattachments'], verbs: ['list'] },
        { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['get'] },
        { apiGroups: [''], resources: ['persistentvolumes'], verbs: ['get'] },
      ]),
    );
    expect(objects[1].metadata.namespace).toBe('kube-system');
    expect(objects[2].subjects).toEqual([
      { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'fleetwright:controller' },
    ]);
  });

  it('binds service accounts too, and refuses a malformed one with exit 2', () => {
    const ok = fleetwright('rbac', '--service-account', 'karpenter/fleetwright', '--output', 'json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).items[2].subjects).toContainEqual({
      kind: 'ServiceAccount',
      namespace: 'karpenter',
      name: 'fleetwright',
    });
    const bad = fleetwright('rbac', '--service-account', 'nonamespace');
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('"nonamespace" is not <namespace>/<name>');
  });
});
