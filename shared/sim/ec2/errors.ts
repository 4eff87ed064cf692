// Errors and response metadata exactly as the AWS SDK v3 clients produce them, so the adapter's error predicates
// (shared/adapters/aws/errors.ts) and throttle retry see in the simulation what they see in production:
// - EC2 models no error classes: the client throws an `EC2ServiceException` whose `name` (and `Code`) is the
//   error code, with `$fault` and `$metadata.httpStatusCode`, and the message in `message`;
// - SSM and the Price List API throw their modeled classes (`ParameterNotFound`, `ThrottlingException`).
// Every answer carries `$metadata` like a real one (status 200, a request id, one attempt).

import { EC2ServiceException } from '@aws-sdk/client-ec2';
import {
  InvalidNextTokenException,
  InvalidParameterException,
  ThrottlingException as PricingThrottlingException,
} from '@aws-sdk/client-pricing';
import { ParameterNotFound, SSMServiceException } from '@aws-sdk/client-ssm';

export interface ResponseMetadata {
  readonly httpStatusCode: number;
  readonly requestId: string;
  readonly attempts: number;
  readonly totalRetryDelay: number;
}

/** HTTP status EC2 answers each server-side code with; every other code is a 400 client error. */
const SERVER_ERRORS: Readonly<Record<string, number>> = { InternalError: 500, Unavailable: 503 };

/** The throttling code of each simulated service, as its real endpoint returns it. */
const THROTTLING_CODE = { ec2: 'RequestLimitExceeded', ssm: 'ThrottlingException', pricing: 'ThrottlingException' };

export type SimService = keyof typeof THROTTLING_CODE;

export function responseMetadata(requestId: string, httpStatusCode = 200): ResponseMetadata {
  return { httpStatusCode, requestId, attempts: 1, totalRetryDelay: 0 };
}

/** An EC2 API error: `name` and `Code` are the code, as the SDK's EC2 deserializer decorates them. */
export function ec2Error(code: string, message: string, requestId: string): EC2ServiceException {
  const status = SERVER_ERRORS[code] ?? 400;
  const error = new EC2ServiceException({
    name: code,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: responseMetadata(requestId, status),
    message,
  });
  return Object.assign(error, { Code: code });
}

/** `InvalidParameterValue`: EC2's answer to a bad filter, page size, token or id. */
export function invalidParameter(message: string, requestId: string): EC2ServiceException {
  return ec2Error('InvalidParameterValue', message, requestId);
}

export function parameterNotFound(requestId: string): ParameterNotFound {
  return new ParameterNotFound({ $metadata: responseMetadata(requestId, 400), message: '' });
}

export function pricingInvalidToken(requestId: string): InvalidNextTokenException {
  return new InvalidNextTokenException({
    $metadata: responseMetadata(requestId, 400),
    message: 'The nextToken provided is invalid',
    Message: 'The nextToken provided is invalid',
  });
}

export function pricingInvalidParameter(message: string, requestId: string): InvalidParameterException {
  return new InvalidParameterException({ $metadata: responseMetadata(requestId, 400), message, Message: message });
}

/** The error a throttled call of `service` fails with: what the adapter's throttle retry must recognise. */
export function throttlingError(service: SimService, requestId: string): Error {
  const name = THROTTLING_CODE[service];
  const $metadata = responseMetadata(requestId, 400);
  if (service === 'ec2') return ec2Error(name, 'Request limit exceeded.', requestId);
  if (service === 'pricing') {
    return new PricingThrottlingException({ $metadata, message: 'Rate exceeded', Message: 'Rate exceeded' });
  }
  return new SSMServiceException({ name, $fault: 'client', $metadata, message: 'Rate exceeded' });
}
