// Typed errors of the Kubernetes client. Every error names the verb and the resource it failed on
// (`delete nodes "ip-10-0-1-5": Forbidden (HTTP 403): ...`) so a missing RBAC rule or a bad token is obvious
// from one log line, and carries the API server's Status (reason, message, causes) for callers that branch.

/** RBAC verbs, as the API server names them in its authorization checks. */
export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete';

/** What a request was about, for messages and RBAC. `resource` may name a subresource: `pods/eviction`. */
export interface RequestTarget {
  readonly verb: Verb;
  readonly resource: string;
  readonly namespace?: string;
  readonly name?: string;
}

/** The `Status` object the API server answers errors with (metav1.Status), as far as we read it. */
export interface ApiStatus {
  readonly code?: number;
  readonly reason?: string;
  readonly message?: string;
  readonly details?: { readonly causes?: readonly { readonly type?: string; readonly message?: string }[] };
}

/** Any failed call to the API server; subclasses name the cases callers act on. */
export class KubernetesError extends Error {
  override readonly name: string = 'KubernetesError';
  readonly verb: Verb;
  readonly resource: string;
  readonly namespace?: string;
  readonly objectName?: string;
  /** HTTP status; undefined when no response arrived (connection, TLS, timeout). */
  readonly status?: number;
  readonly reason?: string;
  readonly apiStatus?: ApiStatus;
  /** How long the server asked us to wait (`Retry-After` on 429 and 503), when it said. */
  retryAfterMs?: number;

  constructor(target: RequestTarget, detail: string, status?: number, apiStatus?: ApiStatus, options?: ErrorOptions) {
    super(`${describeTarget(target)}: ${detail}`, options);
    this.verb = target.verb;
    this.resource = target.resource;
    this.namespace = target.namespace;
    this.objectName = target.name;
    this.status = status;
    this.reason = apiStatus?.reason;
    this.apiStatus = apiStatus;
  }
}

/** 404: the object (or, for a subresource, its parent) does not exist. */
export class NotFoundError extends KubernetesError {
  override readonly name = 'NotFoundError';
}

/** 409: a stale resourceVersion or failed precondition (`Conflict`), or a create of an existing name (`AlreadyExists`). */
export class ConflictError extends KubernetesError {
  override readonly name = 'ConflictError';
  get alreadyExists(): boolean {
    return this.reason === 'AlreadyExists';
  }
}

/** 403: the controller's RBAC does not grant this verb on this resource. */
export class ForbiddenError extends KubernetesError {
  override readonly name = 'ForbiddenError';
}

/** 401: the bearer token was refused (expired, or the IAM role has no access entry). */
export class UnauthorizedError extends KubernetesError {
  override readonly name = 'UnauthorizedError';
}

/** 410: a watch or continue token older than the API server's history; the caller relists. */
export class GoneError extends KubernetesError {
  override readonly name = 'GoneError';
}

/** 429: throttled by priority and fairness, or an eviction refused by a PodDisruptionBudget. */
export class TooManyRequestsError extends KubernetesError {
  override readonly name = 'TooManyRequestsError';
  /** The refusal came from a PodDisruptionBudget (a verdict: retrying now changes nothing). */
  get disruptionBudget(): boolean {
    return this.apiStatus?.details?.causes?.some((c) => c.type === 'DisruptionBudget') ?? false;
  }
}

/** 5xx from the API server (or its load balancer). */
export class ServerError extends KubernetesError {
  override readonly name = 'ServerError';
}

/** No HTTP answer: refused connection, reset, TLS verification failure, or a timeout. */
export class ConnectionError extends KubernetesError {
  override readonly name = 'ConnectionError';
}

/** `list pods in namespace kube-system`, `delete nodes "node-a"`. */
export function describeTarget(target: RequestTarget): string {
  const name = target.name ? ` "${target.name}"` : '';
  const namespace = target.namespace ? ` in namespace ${target.namespace}` : '';
  return `${target.verb} ${target.resource}${name}${namespace}`;
}

const BY_STATUS: Record<number, typeof KubernetesError> = {
  401: UnauthorizedError,
  403: ForbiddenError,
  404: NotFoundError,
  409: ConflictError,
  410: GoneError,
  429: TooManyRequestsError,
};

/** The typed error for an HTTP error answer, with the server's Status when the body was one. */
export function errorFromResponse(target: RequestTarget, status: number, body: string): KubernetesError {
  const apiStatus = parseStatus(body);
  const reason = apiStatus?.reason ?? '';
  const message = apiStatus?.message ?? (body.trim().slice(0, 300) || '(no message)');
  const detail = `${reason || 'HTTP error'} (HTTP ${status}): ${message}`;
  const ErrorClass = BY_STATUS[status] ?? (status >= 500 ? ServerError : KubernetesError);
  return new ErrorClass(target, detail, status, apiStatus);
}

/** A Status object from a body (errors, and ERROR events of watches); undefined for anything else. */
export function parseStatus(body: unknown): ApiStatus | undefined {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null || (value as { kind?: unknown }).kind !== 'Status') return undefined;
  return value as ApiStatus;
}
