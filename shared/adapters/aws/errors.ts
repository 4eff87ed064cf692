// AWS error codes -> domain predicates, in one place (STYLE.md "Errors are typed and chained"). The SDK throws a
// ServiceException whose `name` is the service's error code (`InvalidInstanceID.NotFound`); CreateFleet reports
// per-override failures as `Errors[].ErrorCode` strings instead. Every predicate takes either.
// Code lists follow Karpenter's `pkg/errors/errors.go` (research/aws-provider.md §c, §j.4).

import type { LaunchFailureReason } from '../../core/ports/cloud.js';

/**
 * Codes that mean "this offering cannot be had right now": the (instance type, zone, capacity type) goes into
 * the unavailable-offerings cache. Quotas count too: retrying the same offering within minutes fails the same way.
 */
const UNFULFILLABLE_CAPACITY = new Set([
  'InsufficientInstanceCapacity',
  'MaxSpotInstanceCountExceeded',
  'VcpuLimitExceeded',
  'UnfulfillableCapacity',
  'Unsupported',
  'InsufficientFreeAddressesInSubnet',
  'MaxFleetCountExceeded',
  'ReservationCapacityExceeded',
  // Not in Karpenter's list: we never set a max price, so this only means spot is dearer than on-demand there.
  'SpotMaxPriceTooLow',
]);

const NOT_FOUND = new Set([
  'InvalidInstanceID.NotFound',
  'InvalidLaunchTemplateName.NotFoundException',
  'InvalidLaunchTemplateId.NotFound',
  'InvalidCapacityReservationId.NotFound',
  'InvalidSubnetID.NotFound',
  'InvalidGroup.NotFound',
  'InvalidAMIID.NotFound',
  'QueueDoesNotExist',
  'NoSuchEntity',
  'ParameterNotFound',
]);

const LAUNCH_TEMPLATE_NOT_FOUND = new Set([
  'InvalidLaunchTemplateName.NotFoundException',
  'InvalidLaunchTemplateId.NotFound',
]);

const ALREADY_EXISTS = new Set(['InvalidLaunchTemplateName.AlreadyExistsException', 'EntityAlreadyExists']);

/** The SDK's own throttling codes (`@smithy/service-error-classification`) plus EC2's. */
const THROTTLED = new Set([
  'RequestLimitExceeded',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'SlowDown',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
]);

const UNAUTHORIZED = new Set(['UnauthorizedOperation', 'AccessDenied', 'AccessDeniedException', 'AuthFailure']);

/** EC2 cannot create the Spot service-linked role for us: all spot launches fail until someone creates it. */
const SPOT_SERVICE_LINKED_ROLE_MISSING = 'AuthFailure.ServiceLinkedRoleCreationNotPermitted';

/** CreateFleet error codes -> launch failure reasons (Karpenter's launch-failure metric reasons). */
const LAUNCH_FAILURE_REASONS: Readonly<Record<string, LaunchFailureReason>> = {
  MaxFleetCountExceeded: 'FleetQuotaExceeded',
  MaxSpotInstanceCountExceeded: 'SpotQuotaExceeded',
  VcpuLimitExceeded: 'VCPULimitExceeded',
  InsufficientFreeAddressesInSubnet: 'InsufficientFreeAddressesInSubnet',
  [SPOT_SERVICE_LINKED_ROLE_MISSING]: 'SpotServiceLinkedRoleMissing',
  'InvalidAMIID.NotFound': 'AMINotFound',
  'InvalidAMIID.Malformed': 'InvalidAMIID',
  'InvalidLaunchTemplateId.NotFound': 'LaunchTemplateNotFound',
  'InvalidLaunchTemplateName.NotFoundException': 'LaunchTemplateNotFound',
  RequestLimitExceeded: 'RequestLimitExceeded',
  InternalError: 'InternalError',
  PendingVerification: 'AccountPendingVerification',
};

/** EC2 rejects user data over 16 KiB with this message (no code of its own). */
const USER_DATA_TOO_LARGE = 'User data is limited to';

/** The AWS error code of an SDK error, or the string itself; undefined for anything else. */
export function awsErrorCode(error: unknown): string | undefined {
  if (typeof error === 'string') return error;
  if (error === null || typeof error !== 'object') return undefined;
  const { Code, name } = error as { Code?: unknown; name?: unknown };
  if (typeof Code === 'string') return Code;
  return typeof name === 'string' ? name : undefined;
}

function codeIn(codes: ReadonlySet<string>, error: unknown): boolean {
  const code = awsErrorCode(error);
  return code !== undefined && codes.has(code);
}

/** The offering (or the subnet, or the quota) cannot serve a launch now: remember it and try elsewhere. */
export function isUnfulfillableCapacity(error: unknown): boolean {
  return codeIn(UNFULFILLABLE_CAPACITY, error);
}

/** Strictly "EC2 has no capacity of this kind here", as opposed to a quota. */
export function isInsufficientCapacity(error: unknown): boolean {
  const code = awsErrorCode(error);
  return code === 'InsufficientInstanceCapacity' || code === 'UnfulfillableCapacity';
}

export function isSubnetOutOfAddresses(error: unknown): boolean {
  return awsErrorCode(error) === 'InsufficientFreeAddressesInSubnet';
}

export function isSpotServiceLinkedRoleMissing(error: unknown): boolean {
  return awsErrorCode(error) === SPOT_SERVICE_LINKED_ROLE_MISSING;
}

export function isNotFound(error: unknown): boolean {
  return codeIn(NOT_FOUND, error);
}

export function isLaunchTemplateNotFound(error: unknown): boolean {
  return codeIn(LAUNCH_TEMPLATE_NOT_FOUND, error);
}

export function isAlreadyExists(error: unknown): boolean {
  return codeIn(ALREADY_EXISTS, error);
}

/** Throttled by the service: retrying later, with the same request, is right. */
export function isThrottled(error: unknown): boolean {
  if (codeIn(THROTTLED, error)) return true;
  const retryable = (error as { $retryable?: { throttling?: boolean } } | null)?.$retryable;
  return retryable?.throttling === true;
}

/** IAM denied the call (the spot service-linked role has its own predicate). */
export function isUnauthorized(error: unknown): boolean {
  return codeIn(UNAUTHORIZED, error) || (awsErrorCode(error)?.startsWith('UnauthorizedOperation') ?? false);
}

/** The reason a failed launch reports for an error code and message. */
export function launchFailureReason(code: string | undefined, message = ''): LaunchFailureReason {
  if (message.includes(USER_DATA_TOO_LARGE)) return 'UserDataSizeLimitExceeded';
  if (code === undefined) return 'LaunchFailed';
  const mapped = LAUNCH_FAILURE_REASONS[code];
  if (mapped) return mapped;
  if (isUnfulfillableCapacity(code)) return 'InsufficientCapacity';
  if (isUnauthorized(code)) return 'Unauthorized';
  return 'LaunchFailed';
}
