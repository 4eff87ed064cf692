// EC2 over its real wire protocol (EC2 Query), answered by an `Ec2Api` (the SimulatedEc2): what lets a separate
// process using `@aws-sdk/client-ec2` read and change the simulated account. A request is `POST /` with a form body
// `Action=DescribeInstances&Version=2016-11-15&Filter.1.Name=…`; the answer is
// `<DescribeInstancesResponse xmlns="…"><requestId>…</requestId>…</DescribeInstancesResponse>`, and an error is
// a `<Response><Errors><Error><Code>…` document, from which the SDK throws an `EC2ServiceException` whose `name`
// is the code. The member names on both sides come from the SDK's own schemas (query-codec.ts), so only the
// operation table below is hand-written: exactly the 13 operations of `Ec2Api`.

import { randomUUID } from 'node:crypto';
import {
  CreateFleet$,
  CreateLaunchTemplate$,
  CreateTags$,
  DeleteLaunchTemplate$,
  DescribeImages$,
  DescribeInstances$,
  DescribeInstanceTypeOfferings$,
  DescribeInstanceTypes$,
  DescribeLaunchTemplates$,
  DescribeSecurityGroups$,
  DescribeSpotPriceHistory$,
  DescribeSubnets$,
  TerminateInstances$,
} from '@aws-sdk/client-ec2';
import type { StaticOperationSchema } from '@smithy/types';
import type { Ec2Api } from '../../adapters/aws/ec2/api.js';
import type { AwsReply } from './http.js';
import { decodeQuery, encodeXmlMembers, escapeXml } from './query-codec.js';

const XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

/** Action → the port method that answers it and the SDK schema of its input and output. */
const OPERATIONS: Readonly<Record<string, readonly [keyof Ec2Api, StaticOperationSchema]>> = {
  DescribeInstanceTypes: ['describeInstanceTypes', DescribeInstanceTypes$],
  DescribeInstanceTypeOfferings: ['describeInstanceTypeOfferings', DescribeInstanceTypeOfferings$],
  DescribeSpotPriceHistory: ['describeSpotPriceHistory', DescribeSpotPriceHistory$],
  DescribeSubnets: ['describeSubnets', DescribeSubnets$],
  DescribeSecurityGroups: ['describeSecurityGroups', DescribeSecurityGroups$],
  DescribeImages: ['describeImages', DescribeImages$],
  DescribeLaunchTemplates: ['describeLaunchTemplates', DescribeLaunchTemplates$],
  CreateLaunchTemplate: ['createLaunchTemplate', CreateLaunchTemplate$],
  DeleteLaunchTemplate: ['deleteLaunchTemplate', DeleteLaunchTemplate$],
  CreateFleet: ['createFleet', CreateFleet$],
  DescribeInstances: ['describeInstances', DescribeInstances$],
  TerminateInstances: ['terminateInstances', TerminateInstances$],
  CreateTags: ['createTags', CreateTags$],
};

/** The port's methods, called by name with an input decoded from the wire (typed by the schema, not by TS). */
type AnyOperation = (input: Record<string, unknown>) => Promise<{ $metadata?: { requestId?: string } }>;

/** Whether a request body is an EC2 Query call (a form with an `Action`). */
export function isQueryRequest(contentType: string, body: string): boolean {
  return contentType.startsWith('application/x-www-form-urlencoded') && new URLSearchParams(body).has('Action');
}

/** Answers one EC2 Query request (its form body) from `ec2`. */
export async function answerEc2(ec2: Ec2Api, body: string): Promise<AwsReply> {
  const params = new URLSearchParams(body);
  const action = params.get('Action') ?? '';
  const operation = OPERATIONS[action];
  if (!operation) {
    return ec2ErrorReply(action, 400, 'InvalidAction', `The action ${action} is not valid for this web service.`);
  }
  const [method, [, , , , inputSchema, outputSchema]] = operation;
  try {
    const call = (ec2[method] as unknown as AnyOperation).bind(ec2);
    const output = await call(decodeQuery(inputSchema, params));
    const requestId = output.$metadata?.requestId ?? randomUUID();
    const xml =
      `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${XMLNS}">` +
      `<requestId>${escapeXml(requestId)}</requestId>${encodeXmlMembers(outputSchema, output)}</${action}Response>`;
    return { operation: action, status: 200, headers: xmlHeaders(requestId), body: xml };
  } catch (error) {
    const { status, code, message, requestId } = describeError(error);
    return ec2ErrorReply(action, status, code, message, requestId);
  }
}

/** An EC2 error document; the SDK takes `Code` as the error's `name`. */
export function ec2ErrorReply(
  operation: string,
  status: number,
  code: string,
  message: string,
  requestId: string = randomUUID(),
): AwsReply {
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>' +
    `<Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message>` +
    `</Error></Errors><RequestID>${escapeXml(requestId)}</RequestID></Response>`;
  return { operation, status, headers: xmlHeaders(requestId), body };
}

interface ServiceErrorLike {
  readonly name?: unknown;
  readonly Code?: unknown;
  readonly message?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number; readonly requestId?: string };
}

/**
 * What a thrown error says on the wire. SimulatedEc2 throws SDK-shaped service exceptions (shared/sim/ec2/errors.ts:
 * `name`/`Code` = the EC2 code, `$metadata.httpStatusCode`); anything else is a simulator bug, sent as EC2's
 * `InternalError` (500), which the SDK retries before giving up.
 */
function describeError(error: unknown): { status: number; code: string; message: string; requestId?: string } {
  const e = (typeof error === 'object' && error !== null ? error : {}) as ServiceErrorLike;
  if (e.$metadata === undefined || typeof e.name !== 'string') {
    return { status: 500, code: 'InternalError', message: `simulator error: ${String(error)}` };
  }
  const status = e.$metadata.httpStatusCode ?? 400;
  return {
    status: Math.max(status, 400),
    code: typeof e.Code === 'string' ? e.Code : e.name,
    message: typeof e.message === 'string' ? e.message : '',
    ...(e.$metadata.requestId === undefined ? {} : { requestId: e.$metadata.requestId }),
  };
}

function xmlHeaders(requestId: string): Record<string, string> {
  return { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId };
}
