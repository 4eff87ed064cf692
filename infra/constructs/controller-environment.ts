// The environment variables the handlers read (functions/*/handler.ts): the contract between infra and functions.
// infra sets them; nothing else in the repository should invent names for the same values.

export const CONTROLLER_ENV = {
  /** The EKS cluster this deployment manages. */
  clusterName: 'FLEETWRIGHT_CLUSTER_NAME',
  /** The SSM path prefix of the NodePool, EC2NodeClass and Settings documents, with its trailing "/". */
  configPrefix: 'FLEETWRIGHT_CONFIG_PREFIX',
  /** `watch` or `economy` (DESIGN §2); the Settings document may override it. */
  responsiveness: 'FLEETWRIGHT_RESPONSIVENESS',
  /** The stack's node role; its instance profile has the same name. */
  nodeRoleName: 'FLEETWRIGHT_NODE_ROLE_NAME',
  /** Comma-separated names of every role a node class may use (the stack's first); IAM allows passing only these. */
  nodeRoleNames: 'FLEETWRIGHT_NODE_ROLE_NAMES',
  /** Powertools: the EMF namespace of DESIGN §8. */
  metricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
  /** Powertools: `service` in every log line and metric. */
  serviceName: 'POWERTOOLS_SERVICE_NAME',
} as const;

/** The CloudWatch namespace of every fleetwright metric (DESIGN §8). */
export const METRICS_NAMESPACE = 'Fleetwright';
