// The API resources the loopback server serves, their REST paths, and the fields each supports in field
// selectors — written from the Kubernetes API reference, independently of the client's own path code, so the
// adapter tests check the client against the API rather than against itself.

export interface SimResource {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly kind: string;
  readonly namespaced: boolean;
  /** Whether `status` is written only through the `/status` subresource (main-resource writes keep it). */
  readonly statusSubresource: boolean;
  /** Field selector paths → value of an object ('' when absent, as the API server compares them). */
  readonly fields: Readonly<Record<string, (obj: KubeObject) => string>>;
}

/** An API object as stored: any JSON, with metadata. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMetadata;
  [field: string]: unknown;
}

export interface ObjectMetadata {
  name: string;
  namespace?: string;
  generateName?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [field: string]: unknown;
}

/** A value at a dotted path, as a field selector compares it. */
export function fieldValue(obj: unknown, path: string): string {
  let value: unknown = obj;
  for (const part of path.split('.')) {
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[part] : undefined;
  }
  return value === undefined || value === null ? '' : String(value);
}

const byPath = (...paths: string[]) => Object.fromEntries(paths.map((p) => [p, (o: KubeObject) => fieldValue(o, p)]));

const META_FIELDS = ['metadata.name', 'metadata.namespace'];

/** Served resources by plural (unique among them). */
export const SIM_RESOURCES: Readonly<Record<string, SimResource>> = {
  nodes: {
    group: '',
    version: 'v1',
    plural: 'nodes',
    kind: 'Node',
    namespaced: false,
    statusSubresource: true,
    fields: byPath('metadata.name', 'spec.unschedulable'),
  },
  pods: {
    group: '',
    version: 'v1',
    plural: 'pods',
    kind: 'Pod',
    namespaced: true,
    statusSubresource: true,
    fields: byPath(
      ...META_FIELDS,
      'spec.nodeName',
      'spec.schedulerName',
      'spec.serviceAccountName',
      'spec.restartPolicy',
      'status.phase',
      'status.podIP',
      'status.nominatedNodeName',
    ),
  },
  persistentvolumeclaims: {
    group: '',
    version: 'v1',
    plural: 'persistentvolumeclaims',
    kind: 'PersistentVolumeClaim',
    namespaced: true,
    statusSubresource: true,
    fields: byPath(...META_FIELDS),
  },
  persistentvolumes: {
    group: '',
    version: 'v1',
    plural: 'persistentvolumes',
    kind: 'PersistentVolume',
    namespaced: false,
    statusSubresource: true,
    fields: byPath('metadata.name'),
  },
  daemonsets: {
    group: 'apps',
    version: 'v1',
    plural: 'daemonsets',
    kind: 'DaemonSet',
    namespaced: true,
    statusSubresource: true,
    fields: byPath(...META_FIELDS),
  },
  poddisruptionbudgets: {
    group: 'policy',
    version: 'v1',
    plural: 'poddisruptionbudgets',
    kind: 'PodDisruptionBudget',
    namespaced: true,
    statusSubresource: true,
    fields: byPath(...META_FIELDS),
  },
  volumeattachments: {
    group: 'storage.k8s.io',
    version: 'v1',
    plural: 'volumeattachments',
    kind: 'VolumeAttachment',
    namespaced: false,
    statusSubresource: true,
    // No `spec.nodeName`: clients list them all and filter by node (Karpenter uses an informer index).
    fields: byPath('metadata.name'),
  },
  leases: {
    group: 'coordination.k8s.io',
    version: 'v1',
    plural: 'leases',
    kind: 'Lease',
    namespaced: true,
    statusSubresource: false,
    fields: byPath(...META_FIELDS),
  },
  events: {
    group: 'events.k8s.io',
    version: 'v1',
    plural: 'events',
    kind: 'Event',
    namespaced: true,
    statusSubresource: false,
    fields: byPath(...META_FIELDS, 'reason', 'type', 'regarding.kind', 'regarding.name', 'reportingController'),
  },
};

/** `v1`, `apps/v1`. */
export function apiVersionOf(resource: SimResource): string {
  return resource.group ? `${resource.group}/${resource.version}` : resource.version;
}

/** `pods`, `leases.coordination.k8s.io`: how the API server names a resource in messages. */
export function qualifiedName(resource: SimResource): string {
  return resource.group ? `${resource.plural}.${resource.group}` : resource.plural;
}

export interface ParsedPath {
  readonly resource: SimResource;
  readonly namespace?: string;
  readonly name?: string;
  readonly subresource?: string;
}

/**
 * `/api/v1/namespaces/default/pods/web/eviction` → pods, default, web, eviction. Undefined for a path the
 * server does not serve (the caller answers 404, as the API server does for unknown resources).
 */
export function parsePath(pathname: string): ParsedPath | undefined {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let rest: string[];
  let group: string;
  if (parts[0] === 'api' && parts[1]) [group, rest] = ['', parts.slice(1)];
  else if (parts[0] === 'apis' && parts[1] && parts[2]) [group, rest] = [parts[1], parts.slice(2)];
  else return undefined;
  const [version, ...tail] = rest;
  let namespace: string | undefined;
  let path = tail;
  if (tail[0] === 'namespaces' && tail.length >= 3) [namespace, path] = [tail[1], tail.slice(2)];
  const [plural, name, subresource, ...extra] = path;
  const resource = plural ? SIM_RESOURCES[plural] : undefined;
  if (!resource || resource.group !== group || resource.version !== version || extra.length > 0) return undefined;
  if (namespace !== undefined && !resource.namespaced) return undefined;
  return { resource, namespace, name, subresource };
}
