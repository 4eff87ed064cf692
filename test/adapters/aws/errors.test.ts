// AWS error codes -> domain predicates and launch-failure reasons (shared/adapters/aws/errors.ts).

import { describe, expect, it } from 'vitest';
import {
  awsErrorCode,
  isAlreadyExists,
  isInsufficientCapacity,
  isLaunchTemplateNotFound,
  isNotFound,
  isSpotServiceLinkedRoleMissing,
  isThrottled,
  isUnauthorized,
  isUnfulfillableCapacity,
  launchFailureReason,
} from '../../../shared/adapters/aws/errors.js';
import { awsError } from './aws-world.js';

describe('awsErrorCode', () => {
  it('reads the code of an SDK service exception, a string, or nothing', () => {
    expect(awsErrorCode(awsError('InvalidInstanceID.NotFound'))).toBe('InvalidInstanceID.NotFound');
    expect(awsErrorCode('VcpuLimitExceeded')).toBe('VcpuLimitExceeded');
    expect(awsErrorCode(undefined)).toBeUndefined();
    expect(awsErrorCode(42)).toBeUndefined();
  });
});

describe('capacity predicates', () => {
  it.each([
    'InsufficientInstanceCapacity',
    'MaxSpotInstanceCountExceeded',
    'VcpuLimitExceeded',
    'UnfulfillableCapacity',
    'Unsupported',
    'InsufficientFreeAddressesInSubnet',
    'MaxFleetCountExceeded',
    'ReservationCapacityExceeded',
    'SpotMaxPriceTooLow',
  ])('counts %s as unfulfillable capacity', (code) => {
    expect(isUnfulfillableCapacity(code)).toBe(true);
  });

  it('does not count IAM or request errors as capacity', () => {
    for (const code of ['UnauthorizedOperation', 'InvalidParameterValue', 'RequestLimitExceeded']) {
      expect(isUnfulfillableCapacity(code)).toBe(false);
    }
  });

  it('keeps "no capacity" apart from quotas', () => {
    expect(isInsufficientCapacity('InsufficientInstanceCapacity')).toBe(true);
    expect(isInsufficientCapacity('VcpuLimitExceeded')).toBe(false);
  });

  it('recognises the missing Spot service-linked role', () => {
    expect(isSpotServiceLinkedRoleMissing('AuthFailure.ServiceLinkedRoleCreationNotPermitted')).toBe(true);
    expect(isUnauthorized('AuthFailure.ServiceLinkedRoleCreationNotPermitted')).toBe(false);
  });
});

describe('other predicates', () => {
  it('maps not-found codes, launch templates included', () => {
    expect(isNotFound(awsError('InvalidInstanceID.NotFound'))).toBe(true);
    expect(isNotFound(awsError('ParameterNotFound'))).toBe(true);
    expect(isLaunchTemplateNotFound(awsError('InvalidLaunchTemplateName.NotFoundException'))).toBe(true);
    expect(isNotFound(awsError('InvalidParameterValue'))).toBe(false);
  });

  it('maps throttling codes and the SDK retryable flag', () => {
    expect(isThrottled(awsError('RequestLimitExceeded'))).toBe(true);
    expect(isThrottled(awsError('ThrottlingException'))).toBe(true);
    expect(isThrottled({ name: 'Whatever', $retryable: { throttling: true } })).toBe(true);
    expect(isThrottled(awsError('InternalError'))).toBe(false);
  });

  it('maps IAM denials', () => {
    expect(isUnauthorized(awsError('UnauthorizedOperation'))).toBe(true);
    expect(isUnauthorized('AccessDeniedException')).toBe(true);
    expect(isUnauthorized('AuthFailure')).toBe(true);
  });

  it('maps a template created concurrently as already existing', () => {
    expect(isAlreadyExists('InvalidLaunchTemplateName.AlreadyExistsException')).toBe(true);
  });
});

describe('launchFailureReason', () => {
  it.each([
    ['MaxFleetCountExceeded', 'FleetQuotaExceeded'],
    ['MaxSpotInstanceCountExceeded', 'SpotQuotaExceeded'],
    ['VcpuLimitExceeded', 'VCPULimitExceeded'],
    ['InsufficientFreeAddressesInSubnet', 'InsufficientFreeAddressesInSubnet'],
    ['InsufficientInstanceCapacity', 'InsufficientCapacity'],
    ['UnauthorizedOperation', 'Unauthorized'],
    ['AuthFailure.ServiceLinkedRoleCreationNotPermitted', 'SpotServiceLinkedRoleMissing'],
    ['InvalidAMIID.NotFound', 'AMINotFound'],
    ['InvalidAMIID.Malformed', 'InvalidAMIID'],
    ['InvalidLaunchTemplateId.NotFound', 'LaunchTemplateNotFound'],
    ['PendingVerification', 'AccountPendingVerification'],
    ['InvalidParameterCombination', 'LaunchFailed'],
  ])('maps %s to %s', (code, reason) => {
    expect(launchFailureReason(code)).toBe(reason);
  });

  it('recognises the user-data size limit by its message', () => {
    expect(launchFailureReason('InvalidParameterValue', 'User data is limited to 16384 bytes')).toBe(
      'UserDataSizeLimitExceeded',
    );
  });
});
