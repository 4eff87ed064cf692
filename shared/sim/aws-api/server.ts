// The simulated account as a real AWS endpoint: one loopback HTTP server that speaks EC2 Query, SSM's JSON 1.1
// and EKS's REST-JSON, so a separate process using the real AWS SDK v3 clients — the `fleetwright` CLI, pointed
// at it with only the standard `AWS_ENDPOINT_URL=http://127.0.0.1:<port>`, `AWS_REGION` and credentials
// variables — reads the simulated EC2, Parameter Store and cluster. Requests are routed by protocol:
// `X-Amz-Target: AmazonSSM.*` → SSM, a path under `/clusters/` → EKS, a form body with `Action=` → EC2.
//
// Signatures are NOT checked: the SDK signs every request with whatever credentials it was given, which is all a
// simulator can ask. A request without an `authorization` header at all is refused with 403
// MissingAuthenticationToken, as AWS does, so a client that was not configured with credentials fails here too.

import type { AmiParameterApi, Ec2Api } from '../../adapters/aws/ec2/api.js';
import { answerEc2, ec2ErrorReply, isQueryRequest } from './ec2-query.js';
import { answerEks, eksError, isEksRequest, type SimClusterDescription } from './eks-rest.js';
import { type AwsReply, type AwsRequest, jsonReply, listenLoopback } from './http.js';
import { answerSsm, isSsmRequest, SimParameterStore, ssmReply } from './ssm-json.js';

export interface AwsEndpointOptions {
  readonly ec2: Ec2Api;
  /** Answers SSM GetParameter for public parameters (`/aws/service/…`) the store lacks: the SimulatedEc2. */
  readonly amiParameters?: AmiParameterApi;
  /** The Parameter Store; a new empty one when absent. */
  readonly parameters?: SimParameterStore;
  /** The clusters DescribeCluster knows. */
  readonly clusters?: readonly SimClusterDescription[];
  /** Default `us-east-1`. */
  readonly region?: string;
  /** Default `123456789012` (SimulatedEc2's default). */
  readonly account?: string;
}

export type AwsService = 'ec2' | 'ssm' | 'eks' | 'unknown';

export interface AwsRequestRecord {
  readonly service: AwsService;
  /** The operation (`DescribeInstances`, `GetParameter`, `DescribeCluster`), or what was asked when unknown. */
  readonly operation: string;
  readonly status: number;
}

export interface AwsEndpoint {
  /** `http://127.0.0.1:<port>`: the value for AWS_ENDPOINT_URL (or a client's `endpoint`). */
  readonly url: string;
  /** The SSM Parameter Store it serves, for seeding config documents. */
  readonly parameters: SimParameterStore;
  /** Every request answered, in order. */
  readonly requests: AwsRequestRecord[];
  close(): Promise<void>;
}

/** Starts the endpoint on 127.0.0.1 at a free port. */
export async function startAwsEndpoint(options: AwsEndpointOptions): Promise<AwsEndpoint> {
  const region = options.region ?? 'us-east-1';
  const account = options.account ?? '123456789012';
  const parameters = options.parameters ?? new SimParameterStore({ account, region });
  const clusters = options.clusters ?? [];
  const eksAccount = { account, region, createdAt: new Date(Date.now() - 24 * 60 * 60_000) };
  const requests: AwsRequestRecord[] = [];

  const route = async (service: AwsService, request: AwsRequest): Promise<AwsReply> => {
    if (!request.headers.authorization) return missingAuthentication(service);
    if (service === 'ssm') return answerSsm(parameters, request, options.amiParameters);
    if (service === 'eks') return answerEks(clusters, request, eksAccount);
    if (service === 'ec2') return answerEc2(options.ec2, request.body);
    return unroutable(request);
  };
  const answer = async (request: AwsRequest): Promise<AwsReply> => {
    const service = serviceOf(request);
    const reply = await route(service, request);
    requests.push({ service, operation: reply.operation, status: reply.status });
    return reply;
  };
  const listener = await listenLoopback(answer);
  return { url: listener.url, parameters, requests, close: () => listener.close() };
}

function serviceOf(request: AwsRequest): AwsService {
  if (isSsmRequest(request)) return 'ssm';
  if (isEksRequest(request)) return 'eks';
  if (request.method === 'POST' && isQueryRequest(request.headers['content-type'] ?? '', request.body)) return 'ec2';
  return 'unknown';
}

/** AWS's answer to an unsigned request, in each protocol's error format. */
function missingAuthentication(service: AwsService): AwsReply {
  const message = 'Missing Authentication Token';
  if (service === 'ec2') return ec2ErrorReply('unauthenticated', 403, 'MissingAuthenticationToken', message);
  const code = 'MissingAuthenticationTokenException';
  if (service === 'ssm') {
    return ssmReply('unauthenticated', 403, { __type: code, message }, { 'x-amzn-ErrorType': code });
  }
  return eksError('unauthenticated', 403, code, message);
}

function unroutable(request: AwsRequest): AwsReply {
  const message =
    `the simulated AWS endpoint serves EC2 (POST / with a form body and Action=), SSM (X-Amz-Target: ` +
    `AmazonSSM.<Operation>) and EKS (GET /clusters/<name>); ${request.method} ${request.path} is none of them`;
  return jsonReply(`${request.method} ${request.path}`, 400, { message });
}
