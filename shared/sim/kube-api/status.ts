// Errors as the API server reports them: a metav1.Status body with the HTTP code, reason and message worded
// as kube-apiserver words them, so the client's error handling meets the real thing.

import { qualifiedName, type SimResource } from './resources.js';

export interface StatusBody {
  readonly kind: 'Status';
  readonly apiVersion: 'v1';
  readonly metadata: Record<string, never>;
  readonly status: 'Success' | 'Failure';
  readonly message?: string;
  readonly reason?: string;
  readonly details?: {
    readonly name?: string;
    readonly group?: string;
    readonly kind?: string;
    readonly causes?: readonly { readonly type?: string; readonly message: string; readonly field?: string }[];
  };
  readonly code: number;
}

/** Thrown by handlers; the server turns it into the Status answer (with `Retry-After` when set). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly body: StatusBody,
    readonly retryAfterSeconds?: number,
  ) {
    super(body.message);
  }
}

/** A failure Status. */
export function failure(code: number, reason: string, message: string, details?: StatusBody['details']): StatusBody {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
    ...(details ? { details } : {}),
  };
}

/** A success Status (evictions and bindings answer with one). */
export function success(code = 201): StatusBody {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code };
}

function details(resource: SimResource, name?: string) {
  return { ...(name ? { name } : {}), group: resource.group, kind: resource.plural };
}

/** 404 NotFound, worded as the API server words it. */
export function notFound(resource: SimResource, name: string): ApiError {
  return new ApiError(
    failure(404, 'NotFound', `${qualifiedName(resource)} "${name}" not found`, details(resource, name)),
  );
}

/** 409 AlreadyExists. */
export function alreadyExists(resource: SimResource, name: string): ApiError {
  return new ApiError(
    failure(409, 'AlreadyExists', `${qualifiedName(resource)} "${name}" already exists`, details(resource, name)),
  );
}

/** The optimistic-concurrency conflict: a stale resourceVersion or a failed precondition. */
export function conflict(resource: SimResource, name: string, why?: string): ApiError {
  const message =
    `Operation cannot be fulfilled on ${qualifiedName(resource)} "${name}": ` +
    (why ?? 'the object has been modified; please apply your changes to the latest version and try again');
  return new ApiError(failure(409, 'Conflict', message, details(resource, name)));
}

/** 400 BadRequest. */
export function badRequest(message: string): ApiError {
  return new ApiError(failure(400, 'BadRequest', message));
}

/** 422 Invalid, naming the field. */
export function invalid(resource: SimResource, name: string, field: string, why: string): ApiError {
  const message = `${resource.kind}.${resource.group || 'core'} "${name}" is invalid: ${field}: ${why}`;
  return new ApiError(
    failure(422, 'Invalid', message, {
      ...details(resource, name),
      causes: [{ type: 'FieldValueInvalid', message: why, field }],
    }),
  );
}

/** 410 Expired: a version older than the history. */
export function gone(message: string): ApiError {
  return new ApiError(failure(410, 'Expired', message));
}

/** 401, as the API server answers an unknown token. */
export function unauthorized(): StatusBody {
  return failure(401, 'Unauthorized', 'Unauthorized');
}

/** Worded as the RBAC authorizer words it, naming the user, verb, resource and scope. */
export function forbidden(
  user: string,
  verb: string,
  resource: SimResource,
  subresource: string | undefined,
  name: string | undefined,
  namespace: string | undefined,
): ApiError {
  const what = subresource ? `${resource.plural}/${subresource}` : resource.plural;
  const subject = name ? `${qualifiedName(resource)} "${name}"` : qualifiedName(resource);
  const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
  const message = `${subject} is forbidden: User "${user}" cannot ${verb} resource "${what}" in API group "${resource.group}" ${scope}`;
  return new ApiError(failure(403, 'Forbidden', message, details(resource, name)));
}

/** 429 TooManyRequests, with causes (a PDB's refusal) and Retry-After when given. */
export function tooManyRequests(message: string, retryAfterSeconds?: number, causes?: StatusBody['details']): ApiError {
  return new ApiError(failure(429, 'TooManyRequests', message, causes), retryAfterSeconds);
}

/** 500 InternalError. */
export function internalError(message: string): ApiError {
  return new ApiError(failure(500, 'InternalError', `Internal error occurred: ${message}`));
}
