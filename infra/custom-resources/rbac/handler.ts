// The stack's custom resource provider (DESIGN §7), called by the CDK provider framework, which turns a thrown
// error into a FAILED response whose message CloudFormation shows as the reason:
// - Custom::FleetwrightAuthenticationModeCheck fails the deployment unless the cluster allows access entries;
// - Custom::FleetwrightControllerRbac applies the controller's ClusterRole, Role and bindings with our own
//   Kubernetes client, authenticated as this function's role (its access entry is created just before).

import { Logger } from '@aws-lambda-powertools/logger';
import { EKSClient } from '@aws-sdk/client-eks';
import { connectToEks } from '../../../shared/adapters/kubernetes/eks.js';
import { CONTROLLER_RBAC as RULES } from '../../../shared/adapters/kubernetes/rbac.js';
import { controllerRbacManifest, type ServiceAccountRef } from '../../../shared/adapters/kubernetes/rbac-manifest.js';
import { applyObjects, deleteObjects, type RbacClient, whenAuthorized } from './apply.js';
import { checkAuthenticationMode } from './authentication-mode.js';
import { AUTHENTICATION_MODE_CHECK, CONTROLLER_RBAC } from './resource-types.js';

/** The provider framework's request, as far as this handler reads it. */
export interface CustomResourceEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResourceType: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: Readonly<Record<string, unknown>>;
}

export interface CustomResourceResult {
  readonly PhysicalResourceId: string;
  readonly Data?: Readonly<Record<string, string>>;
}

export interface ProviderDependencies {
  readonly eks: EKSClient;
  readonly connect: (clusterName: string) => Promise<RbacClient>;
  readonly logger: Pick<Logger, 'info' | 'warn'>;
  /** How long the RBAC apply waits for the provider's new access entry to be honoured. */
  readonly authorizationTimeoutMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** Access entries reach the authenticator within seconds; three minutes stays well inside the 5-minute timeout. */
const AUTHORIZATION_TIMEOUT_MS = 180_000;
const AUTHORIZATION_RETRY_MS = 5_000;

export function createHandler(
  deps: ProviderDependencies,
): (event: CustomResourceEvent) => Promise<CustomResourceResult> {
  return async (event) => {
    const clusterName = stringProperty(event, 'ClusterName');
    deps.logger.info('custom resource request', {
      requestType: event.RequestType,
      resourceType: event.ResourceType,
      clusterName,
    });
    switch (event.ResourceType) {
      case AUTHENTICATION_MODE_CHECK: {
        if (event.RequestType !== 'Delete') {
          const mode = await checkAuthenticationMode(deps.eks, clusterName);
          return { PhysicalResourceId: `authentication-mode/${clusterName}`, Data: { AuthenticationMode: mode } };
        }
        return { PhysicalResourceId: event.PhysicalResourceId ?? `authentication-mode/${clusterName}` };
      }
      case CONTROLLER_RBAC:
        return controllerRbac(event, clusterName, deps);
      default:
        throw new Error(
          `this provider serves ${AUTHENTICATION_MODE_CHECK} and ${CONTROLLER_RBAC}, not ${event.ResourceType}`,
        );
    }
  };
}

async function controllerRbac(
  event: CustomResourceEvent,
  clusterName: string,
  deps: ProviderDependencies,
): Promise<CustomResourceResult> {
  const objects = controllerRbacManifest(RULES, {
    group: stringProperty(event, 'Group'),
    serviceAccounts: serviceAccounts(event),
  });
  const physicalId = `controller-rbac/${clusterName}`;
  if (event.RequestType === 'Delete') {
    // Never fail a delete: a stack that cannot be deleted is worse than RBAC objects left behind, and these grant
    // nothing once the access entries that map IAM roles to the group are gone (they are deleted right after).
    try {
      const client = await deps.connect(clusterName);
      await deleteObjects(client, objects);
    } catch (error) {
      deps.logger.warn('could not delete the controller RBAC objects; delete them with kubectl', {
        clusterName,
        objects: objects.map((o) => `${o.kind}/${o.metadata?.name}`),
        error: String(error),
      });
    }
    return { PhysicalResourceId: event.PhysicalResourceId ?? physicalId };
  }
  const client = await deps.connect(clusterName);
  await whenAuthorized(() => applyObjects(client, objects), {
    timeoutMs: deps.authorizationTimeoutMs,
    intervalMs: AUTHORIZATION_RETRY_MS,
    now: Date.now,
    sleep: deps.sleep,
  });
  deps.logger.info('applied the controller RBAC objects', {
    objects: objects.map((o) => `${o.kind}/${o.metadata?.name}`),
  });
  return { PhysicalResourceId: physicalId };
}

function stringProperty(event: CustomResourceEvent, key: string): string {
  const value = event.ResourceProperties[key];
  if (typeof value !== 'string' || value === '') {
    throw new Error(`${event.LogicalResourceId}: property ${key} must be a non-empty string`);
  }
  return value;
}

function serviceAccounts(event: CustomResourceEvent): ServiceAccountRef[] {
  const value = event.ResourceProperties.ServiceAccounts ?? [];
  if (!Array.isArray(value)) throw new Error(`${event.LogicalResourceId}: property ServiceAccounts must be a list`);
  return value.map((entry) => {
    const [namespace, name, ...rest] = String(entry).split('/');
    if (!namespace || !name || rest.length > 0) {
      throw new Error(
        `${event.LogicalResourceId}: service account ${JSON.stringify(entry)} is not "<namespace>/<name>"`,
      );
    }
    return { namespace, name };
  });
}

const eks = new EKSClient({});

export const handler = createHandler({
  eks,
  connect: (clusterName) => connectToEks({ clusterName, eks }),
  logger: new Logger({ serviceName: 'fleetwright-cluster-access' }),
  authorizationTimeoutMs: AUTHORIZATION_TIMEOUT_MS,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
});
