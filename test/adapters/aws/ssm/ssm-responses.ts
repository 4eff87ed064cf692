// SSM responses and errors shaped as the API returns them (the SSM API reference's field names), for
// aws-sdk-client-mock tests of the config store, push and pull.

import type {
  GetParameterHistoryCommandOutput,
  GetParametersByPathCommandOutput,
  ParameterHistory,
} from '@aws-sdk/client-ssm';
import { SSMServiceException } from '@aws-sdk/client-ssm';

const METADATA = {
  httpStatusCode: 200,
  requestId: '5f0e4c3a-1b2d-4e6f-8a9b-0c1d2e3f4a5b',
  attempts: 1,
  totalRetryDelay: 0,
};
const MODIFIED = new Date('2026-01-01T00:00:00Z');

export const PREFIX = '/fleetwright/prod/';

/** One entry of GetParametersByPath's `Parameters`. */
export function parameter(name: string, value: unknown, version = 1) {
  return {
    Name: name,
    Type: 'String' as const,
    Value: typeof value === 'string' ? value : JSON.stringify(value),
    Version: version,
    LastModifiedDate: MODIFIED,
    ARN: `arn:aws:ssm:us-east-1:123456789012:parameter${name}`,
    DataType: 'text',
  };
}

export function pathPage(
  parameters: ReturnType<typeof parameter>[],
  nextToken?: string,
): GetParametersByPathCommandOutput {
  return { $metadata: METADATA, Parameters: parameters, ...(nextToken ? { NextToken: nextToken } : {}) };
}

/** One entry of GetParameterHistory's `Parameters` (oldest first, as SSM returns them). */
export function historyEntry(name: string, version: number, value: unknown, tier = 'Standard'): ParameterHistory {
  return {
    Name: name,
    Type: 'String',
    LastModifiedDate: new Date(MODIFIED.getTime() + version * 60_000),
    LastModifiedUser: 'arn:aws:iam::123456789012:user/platform',
    Value: typeof value === 'string' ? value : JSON.stringify(value),
    Version: version,
    Labels: [],
    Tier: tier as ParameterHistory['Tier'],
    Policies: [],
    DataType: 'text',
  };
}

export function historyPage(entries: ParameterHistory[], nextToken?: string): GetParameterHistoryCommandOutput {
  return { $metadata: METADATA, Parameters: entries, ...(nextToken ? { NextToken: nextToken } : {}) };
}

/** An error as the SDK throws it for an SSM error response (`__type` -> name). */
export function ssmError(name: string, message: string): SSMServiceException {
  return new SSMServiceException({
    name,
    $fault: 'client',
    $metadata: { ...METADATA, httpStatusCode: 400 },
    message,
  });
}
