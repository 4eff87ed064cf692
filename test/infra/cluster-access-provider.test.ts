// The custom resource provider of the stack (infra/custom-resources/rbac): the authentication-mode check, the RBAC
// manifest built from the adapter's rule list, and its apply/delete with our Kubernetes client (faked here at
// the four calls it makes).

import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  applyObjects,
  deleteObjects,
  type RbacClient,
  whenAuthorized,
} from '../../infra/custom-resources/rbac/apply.js';
import {
  authenticationModeProblem,
  checkAuthenticationMode,
} from '../../infra/custom-resources/rbac/authentication-mode.js';
import { type CustomResourceEvent, createHandler } from '../../infra/custom-resources/rbac/handler.js';
import { AUTHENTICATION_MODE_CHECK, CONTROLLER_RBAC } from '../../infra/custom-resources/rbac/resource-types.js';
import { NotFoundError, UnauthorizedError } from '../../shared/adapters/kubernetes/client/errors.js';
import type { ApiObject, ResourceType } from '../../shared/adapters/kubernetes/client/resources.js';
import { CONTROLLER_RBAC as RULES } from '../../shared/adapters/kubernetes/rbac.js';
import { controllerRbacManifest, type RbacObject } from '../../shared/adapters/kubernetes/rbac-manifest.js';

const SENTENCE = "the cluster's authentication mode must be API or API_AND_CONFIG_MAP for access entries; it is";

/** An in-memory API server for the four calls the provider makes; `refusals` 401s come first. */
class FakeRbacApi implements RbacClient {
  readonly objects = new Map<string, ApiObject>();
  readonly calls: string[] = [];
  refusals = 0;
  private version = 0;

  private key(resource: ResourceType<ApiObject>, name: string, namespace?: string) {
    return `${resource.plural}/${namespace ?? ''}/${name}`;
  }

  private gate(verb: 'get' | 'create' | 'update' | 'delete', resource: ResourceType<ApiObject>, name: string) {
    this.calls.push(`${verb} ${resource.plural}/${name}`);
    if (this.refusals > 0) {
      this.refusals--;
      throw new UnauthorizedError({ verb, resource: resource.plural, name }, 'Unauthorized (HTTP 401)', 401);
    }
  }

  async get<T extends ApiObject>(resource: ResourceType<T>, name: string, namespace?: string): Promise<T> {
    this.gate('get', resource, name);
    const found = this.objects.get(this.key(resource, name, namespace));
    if (!found) throw new NotFoundError({ verb: 'get', resource: resource.plural, name }, 'NotFound (HTTP 404)', 404);
    return found as T;
  }

  async create<T extends ApiObject>(resource: ResourceType<T>, object: T): Promise<T> {
    this.gate('create', resource, object.metadata?.name ?? '');
    const stored = { ...object, metadata: { ...object.metadata, resourceVersion: String(++this.version) } };
    this.objects.set(this.key(resource, object.metadata?.name ?? '', object.metadata?.namespace), stored);
    return stored;
  }

  async replace<T extends ApiObject>(resource: ResourceType<T>, object: T): Promise<T> {
    this.gate('update', resource, object.metadata?.name ?? '');
    const key = this.key(resource, object.metadata?.name ?? '', object.metadata?.namespace);
    if (this.objects.get(key)?.metadata?.resourceVersion !== object.metadata?.resourceVersion) {
      throw new Error('stale resourceVersion');
    }
    const stored = { ...object, metadata: { ...object.metadata, resourceVersion: String(++this.version) } };
    this.objects.set(key, stored);
    return stored;
  }

  async delete<T extends ApiObject>(
    resource: ResourceType<T>,
    name: string,
    options: { namespace?: string } = {},
  ): Promise<void> {
    this.gate('delete', resource, name);
    if (!this.objects.delete(this.key(resource, name, options.namespace))) {
      throw new NotFoundError({ verb: 'delete', resource: resource.plural, name }, 'NotFound (HTTP 404)', 404);
    }
  }
}

const manifest = (serviceAccounts = [{ namespace: 'fleetwright', name: 'controller' }]) =>
  controllerRbacManifest(RULES, { group: 'fleetwright:controller', serviceAccounts });
const byKind = (objects: RbacObject[], kind: string) => objects.filter((o) => o.kind === kind);

describe('controllerRbacManifest', () => {
  it('grants exactly the cluster-wide rules of the adapter in one ClusterRole', () => {
    const [clusterRole] = byKind(manifest(), 'ClusterRole') as { rules: unknown[] }[];
    expect(clusterRole?.rules).toEqual(
      RULES.filter((r) => r.namespace === undefined).map((r) => ({
        apiGroups: [r.apiGroup],
        resources: [r.resource],
        verbs: [...r.verbs],
      })),
    );
  });

  it('lets the controller list VolumeAttachments and get PersistentVolumeClaims and PersistentVolumes, cluster-wide and read-only', () => {
    const [clusterRole] = byKind(manifest(), 'ClusterRole') as { rules: unknown[] }[];
    expect(clusterRole?.rules).toEqual(
      expect.arrayContaining([
        { apiGroups: ['storage.k8s.io'], resources: ['volumeattachments'], verbs: ['list'] },
        { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['get'] },
        { apiGroups: [''], resources: ['persistentvolumes'], verbs: ['get'] },
      ]),
    );
  });

  it('grants the Lease in kube-system through a Role, not cluster-wide', () => {
    const roles = byKind(manifest(), 'Role');
    expect(roles).toEqual([
      expect.objectContaining({
        metadata: expect.objectContaining({ name: 'fleetwright-controller', namespace: 'kube-system' }),
        rules: [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] }],
      }),
    ]);
    const clusterRules = JSON.stringify(byKind(manifest(), 'ClusterRole'));
    expect(clusterRules).not.toContain('leases');
  });

  it('binds both roles to the controller group and the in-cluster service account', () => {
    const bindings = [...byKind(manifest(), 'ClusterRoleBinding'), ...byKind(manifest(), 'RoleBinding')];
    expect(bindings).toHaveLength(2);
    for (const binding of bindings as { subjects: unknown[] }[]) {
      expect(binding.subjects).toEqual([
        { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'fleetwright:controller' },
        { kind: 'ServiceAccount', name: 'controller', namespace: 'fleetwright' },
      ]);
    }
  });

  it('lists roles before the bindings that refer to them', () => {
    expect(manifest().map((o) => o.kind)).toEqual(['ClusterRole', 'Role', 'ClusterRoleBinding', 'RoleBinding']);
  });
});

describe('authentication mode', () => {
  const eks = mockClient(EKSClient);
  beforeEach(() => eks.reset());
  const client = new EKSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });

  it.each(['API', 'API_AND_CONFIG_MAP'])('allows access entries in %s mode', (mode) => {
    expect(authenticationModeProblem(mode)).toBeUndefined();
  });

  it('refuses CONFIG_MAP, and a cluster older than access entries, with the sentence', () => {
    expect(authenticationModeProblem('CONFIG_MAP')).toBe(`${SENTENCE} CONFIG_MAP`);
    expect(authenticationModeProblem(undefined)).toBe(`${SENTENCE} CONFIG_MAP`);
  });

  it('fails the deployment with the sentence and the command that fixes it', async () => {
    eks
      .on(DescribeClusterCommand)
      .resolves({ cluster: { name: 'demo', accessConfig: { authenticationMode: 'CONFIG_MAP' } } });
    await expect(checkAuthenticationMode(client, 'demo')).rejects.toThrow(
      `${SENTENCE} CONFIG_MAP. Switch it with: aws eks update-cluster-config --name demo --access-config authenticationMode=API_AND_CONFIG_MAP`,
    );
  });

  it('says so when the cluster does not exist', async () => {
    eks
      .on(DescribeClusterCommand)
      .rejects(Object.assign(new Error('No cluster found'), { name: 'ResourceNotFoundException' }));
    await expect(checkAuthenticationMode(client, 'demo')).rejects.toThrow(
      'EKS cluster demo does not exist in eu-west-1: check clusterName',
    );
  });

  it('returns the mode through the custom resource', async () => {
    eks.on(DescribeClusterCommand).resolves({ cluster: { accessConfig: { authenticationMode: 'API' } } });
    const handler = createHandler(dependencies(new FakeRbacApi(), client));
    await expect(handler(event(AUTHENTICATION_MODE_CHECK, 'Create'))).resolves.toEqual({
      PhysicalResourceId: 'authentication-mode/demo',
      Data: { AuthenticationMode: 'API' },
    });
    await handler(event(AUTHENTICATION_MODE_CHECK, 'Delete', 'authentication-mode/demo'));
    expect(eks.commandCalls(DescribeClusterCommand)).toHaveLength(1);
  });
});

describe('controller RBAC', () => {
  const warnings: unknown[] = [];
  beforeEach(() => {
    warnings.length = 0;
  });

  it('creates every object, then replaces them at their resourceVersion on update', async () => {
    const api = new FakeRbacApi();
    const handler = createHandler(dependencies(api));
    await expect(handler(event(CONTROLLER_RBAC, 'Create'))).resolves.toEqual({
      PhysicalResourceId: 'controller-rbac/demo',
    });
    expect([...api.objects.keys()].sort()).toEqual([
      'clusterrolebindings//fleetwright-controller',
      'clusterroles//fleetwright-controller',
      'rolebindings/kube-system/fleetwright-controller',
      'roles/kube-system/fleetwright-controller',
    ]);
    await handler(event(CONTROLLER_RBAC, 'Update', 'controller-rbac/demo'));
    expect(api.calls.filter((c) => c.startsWith('update'))).toHaveLength(4);
  });

  it('waits for its own access entry to be honoured (401s while it propagates)', async () => {
    const api = new FakeRbacApi();
    api.refusals = 3;
    const slept: number[] = [];
    await whenAuthorized(() => applyObjects(api, manifest()), {
      timeoutMs: 60_000,
      intervalMs: 5_000,
      now: () => slept.reduce((a, b) => a + b, 0),
      sleep: async (ms) => {
        slept.push(ms);
      },
    });
    expect(slept).toEqual([5_000, 5_000, 5_000]);
    expect(api.objects.size).toBe(4);
  });

  it('gives up when refused past the timeout', async () => {
    const api = new FakeRbacApi();
    api.refusals = 100;
    let clock = 0;
    const sleep = async (ms: number) => {
      clock += ms;
    };
    const wait = { timeoutMs: 20_000, intervalMs: 5_000, now: () => clock, sleep };
    await expect(whenAuthorized(() => applyObjects(api, manifest()), wait)).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('deletes bindings before roles, and objects already gone are fine', async () => {
    const api = new FakeRbacApi();
    await applyObjects(api, manifest());
    api.objects.delete('roles/kube-system/fleetwright-controller');
    api.calls.length = 0;
    await deleteObjects(api, manifest());
    expect(api.calls).toEqual([
      'delete rolebindings/fleetwright-controller',
      'delete clusterrolebindings/fleetwright-controller',
      'delete roles/fleetwright-controller',
      'delete clusterroles/fleetwright-controller',
    ]);
    expect(api.objects.size).toBe(0);
  });

  it('never fails a stack deletion: an unreachable cluster is a warning', async () => {
    const deps = { ...dependencies(new FakeRbacApi()), connect: async () => Promise.reject(new Error('cluster gone')) };
    const handler = createHandler({
      ...deps,
      logger: { info: () => {}, warn: (...args: unknown[]) => void warnings.push(args) },
    });
    await expect(handler(event(CONTROLLER_RBAC, 'Delete', 'controller-rbac/demo'))).resolves.toEqual({
      PhysicalResourceId: 'controller-rbac/demo',
    });
    expect(JSON.stringify(warnings)).toContain('cluster gone');
  });

  it('refuses a service account that is not <namespace>/<name>', async () => {
    const handler = createHandler(dependencies(new FakeRbacApi()));
    await expect(
      handler(event(CONTROLLER_RBAC, 'Create', undefined, { ServiceAccounts: ['controller'] })),
    ).rejects.toThrow('Rbac: service account "controller" is not "<namespace>/<name>"');
  });

  it('refuses resource types it does not serve', async () => {
    const handler = createHandler(dependencies(new FakeRbacApi()));
    await expect(handler(event('Custom::Other', 'Create'))).rejects.toThrow('not Custom::Other');
  });
});

function dependencies(api: RbacClient, eks = new EKSClient({ region: 'eu-west-1' })) {
  return {
    eks,
    connect: async () => api,
    logger: { info: () => {}, warn: () => {} },
    authorizationTimeoutMs: 1_000,
    sleep: async () => {},
  };
}

function event(
  resourceType: string,
  requestType: CustomResourceEvent['RequestType'],
  physicalId?: string,
  properties: Record<string, unknown> = {},
): CustomResourceEvent {
  return {
    RequestType: requestType,
    ResourceType: resourceType,
    LogicalResourceId: 'Rbac',
    ...(physicalId && { PhysicalResourceId: physicalId }),
    ResourceProperties: {
      ClusterName: 'demo',
      Group: 'fleetwright:controller',
      ServiceAccounts: [],
      HandlerCode: 'abc.zip',
      ...properties,
    },
  };
}
