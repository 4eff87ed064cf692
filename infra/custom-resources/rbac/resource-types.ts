// The custom resources the provider Lambda (handler.ts) serves, and their properties. Shared by the construct that
// declares them (infra/constructs/cluster-access.ts) and the handler, so both spell them the same way; this file
// imports nothing, so the CDK app stays free of runtime code (DESIGN §1).

/** Checks the cluster's authentication mode before any access entry is created. */
export const AUTHENTICATION_MODE_CHECK = 'Custom::FleetwrightAuthenticationModeCheck';
/** Applies the controller's ClusterRole, Role and bindings. */
export const CONTROLLER_RBAC = 'Custom::FleetwrightControllerRbac';

export interface AuthenticationModeCheckProperties {
  readonly ClusterName: string;
}

export interface ControllerRbacProperties {
  readonly ClusterName: string;
  /** The Kubernetes group the controller role's access entry maps to. */
  readonly Group: string;
  /** `<namespace>/<name>` of service accounts bound too (the in-cluster deployment). */
  readonly ServiceAccounts: readonly string[];
  /**
   * The handler's code asset: the rules are bundled into it, so a new bundle re-applies them. The handler ignores
   * this value; CloudFormation only sends an update when a property changes.
   */
  readonly HandlerCode: string;
}
