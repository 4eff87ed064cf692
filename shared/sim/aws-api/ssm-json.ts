// SSM Parameter Store over its real wire protocol (AWS JSON 1.1): `POST /` with `X-Amz-Target: AmazonSSM.<Op>`
// and `Content-Type: application/x-amz-json-1.1`; errors are HTTP 400 with `{"__type": "<Code>", "message"}`
// (and `x-amzn-ErrorType`), from which the SDK throws its modeled class (`ParameterNotFound`, …).
// `SimParameterStore` is an in-memory store with only what fleetwright calls, with the API's versions, tiers,
// page sizes and error codes: PutParameter, GetParametersByPath, GetParameter, GetParameterHistory,
// DeleteParameter, DeleteParameters. Public parameters (`/aws/service/…`, the AMI aliases) are not stored: when
// the store lacks one, GetParameter asks the simulated EC2's `AmiParameterApi`, which publishes them.

import type { AmiParameterApi } from '../../adapters/aws/ec2/api.js';
import { type AwsReply, type AwsRequest, jsonReply } from './http.js';

const STANDARD_MAX_CHARS = 4096;
const ADVANCED_MAX_CHARS = 8192;
const MAX_PATH_PAGE = 10;
const MAX_HISTORY_PAGE = 50;
const PUBLIC_PREFIX = '/aws/service/';
const TARGET_PREFIX = 'AmazonSSM.';

export interface ParameterVersion {
  readonly Version: number;
  readonly Value: string;
  readonly Type: string;
  readonly Tier: string;
  /** Epoch seconds, as the JSON protocol sends timestamps. */
  readonly LastModifiedDate: number;
  readonly Labels: string[];
}

type Body = Record<string, unknown>;

/** An SSM error: `type` is the code the SDK turns into the error's `name`. */
export class SsmError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** A failure to inject (tests): the next matching requests fail with this code and message. */
export interface SsmFailure {
  readonly operation: string;
  /** Only requests about this parameter (Name, Path or one of Names) fail; any when absent. */
  readonly target?: string;
  readonly type: string;
  readonly message: string;
}

export class SimParameterStore {
  /** Name → versions, oldest first. */
  readonly parameters = new Map<string, ParameterVersion[]>();
  /** Every request, in order: the operation and its JSON body. */
  readonly calls: { operation: string; body: Body }[] = [];
  readonly failures: SsmFailure[] = [];
  private readonly account: string;
  private readonly region: string;
  /** LastModifiedDate of the next put, in epoch seconds; each put is a minute after the previous one. */
  private clock = Date.UTC(2026, 0, 1) / 1000;

  constructor(options: { readonly account?: string; readonly region?: string } = {}) {
    this.account = options.account ?? '123456789012';
    this.region = options.region ?? 'us-east-1';
  }

  /** Stores a parameter version directly, as if it had been put earlier. */
  seed(name: string, value: string, tier = 'Standard'): number {
    return this.put({ Name: name, Value: value, Type: 'String', Tier: tier, Overwrite: true }).Version;
  }

  current(name: string): ParameterVersion | undefined {
    return this.parameters.get(name)?.at(-1);
  }

  /** Throws the first injected failure that matches the request. */
  injectFailure(operation: string, body: Body): void {
    const about = [body.Name, body.Path, ...((body.Names as unknown[]) ?? [])].map(String);
    const failure = this.failures.find(
      (f) => f.operation === operation && (f.target === undefined || about.includes(f.target)),
    );
    if (failure) throw new SsmError(failure.type, failure.message);
  }

  /** Answers one operation from the store; throws SsmError as SSM would refuse it. */
  answer(operation: string, body: Body): Body {
    switch (operation) {
      case 'PutParameter':
        return this.put(body);
      case 'GetParametersByPath':
        return this.byPath(body);
      case 'GetParameter':
        return this.get(body);
      case 'GetParameterHistory':
        return this.history(body);
      case 'DeleteParameter':
        if (!this.parameters.delete(String(body.Name))) throw notFound();
        return {};
      case 'DeleteParameters': {
        const names = (body.Names as string[]) ?? [];
        if (names.length < 1 || names.length > 10) throw new SsmError('ValidationException', 'Names: 1 to 10 names');
        const deleted = names.filter((n) => this.parameters.delete(n));
        return { DeletedParameters: deleted, InvalidParameters: names.filter((n) => !deleted.includes(n)) };
      }
      default:
        throw new SsmError('UnknownOperationException', `the simulator does not implement ${operation}`);
    }
  }

  private put(body: Body): { Version: number; Tier: string } {
    const name = String(body.Name);
    const value = String(body.Value);
    const versions = this.parameters.get(name) ?? [];
    const previous = versions.at(-1);
    if (previous && body.Overwrite !== true) {
      throw new SsmError(
        'ParameterAlreadyExists',
        'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
      );
    }
    const tier = String(body.Tier ?? previous?.Tier ?? 'Standard');
    if (previous?.Tier === 'Advanced' && tier === 'Standard') {
      throw new SsmError(
        'ValidationException',
        "You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier.",
      );
    }
    const limit = tier === 'Advanced' ? ADVANCED_MAX_CHARS : STANDARD_MAX_CHARS;
    if (value.length > limit) {
      throw new SsmError(
        'ValidationException',
        `${tier} tier parameters support a maximum parameter value of ${limit} characters.`,
      );
    }
    this.clock += 60;
    const version: ParameterVersion = {
      Version: (previous?.Version ?? 0) + 1,
      Value: value,
      Type: String(body.Type ?? previous?.Type ?? 'String'),
      Tier: tier,
      LastModifiedDate: this.clock,
      Labels: [],
    };
    this.parameters.set(name, [...versions, version]);
    return { Version: version.Version, Tier: tier };
  }

  private byPath(body: Body): Body {
    const path = String(body.Path);
    const max = Number(body.MaxResults ?? MAX_PATH_PAGE);
    if (max < 1 || max > MAX_PATH_PAGE) throw new SsmError('ValidationException', 'MaxResults: 1 to 10');
    const base = path.endsWith('/') ? path : `${path}/`;
    const names = [...this.parameters.keys()].filter(
      (n) => n.startsWith(base) && (body.Recursive === true || !n.slice(base.length).includes('/')),
    );
    return page(names, body.NextToken, max, 'Parameters', (n) => this.describe(n, this.current(n) as ParameterVersion));
  }

  private get(body: Body): Body {
    const selector = String(body.Name);
    const at = selector.lastIndexOf(':');
    const name = at > 0 ? selector.slice(0, at) : selector;
    const versions = this.parameters.get(name);
    if (!versions) throw notFound();
    if (at <= 0) return { Parameter: this.describe(name, versions.at(-1) as ParameterVersion) };
    const wanted = Number(selector.slice(at + 1));
    const version = versions.find((v) => v.Version === wanted);
    if (!version)
      throw new SsmError('ParameterVersionNotFound', `Systems Manager could not find version ${wanted} of ${name}.`);
    return { Parameter: { ...this.describe(name, version), Selector: `:${wanted}` } };
  }

  private history(body: Body): Body {
    const name = String(body.Name);
    const versions = this.parameters.get(name);
    if (!versions) throw notFound();
    const max = Number(body.MaxResults ?? MAX_HISTORY_PAGE);
    if (max < 1 || max > MAX_HISTORY_PAGE) throw new SsmError('ValidationException', 'MaxResults: 1 to 50');
    return page(versions, body.NextToken, max, 'Parameters', (v) => ({
      Name: name,
      Type: v.Type,
      LastModifiedDate: v.LastModifiedDate,
      LastModifiedUser: `arn:aws:iam::${this.account}:user/fleetwright-test`,
      Value: v.Value,
      Version: v.Version,
      Labels: v.Labels,
      Tier: v.Tier,
      Policies: [],
      DataType: 'text',
    }));
  }

  private describe(name: string, v: ParameterVersion): Body {
    return {
      Name: name,
      Type: v.Type,
      Value: v.Value,
      Version: v.Version,
      LastModifiedDate: v.LastModifiedDate,
      ARN: `arn:aws:ssm:${this.region}:${this.account}:parameter${name}`,
      DataType: 'text',
    };
  }
}

/** Whether a request is an SSM call (by its target header). */
export function isSsmRequest(request: AwsRequest): boolean {
  return (request.headers['x-amz-target'] ?? '').startsWith(TARGET_PREFIX);
}

/** Answers one SSM request from the store, or, for a public parameter it lacks, from `amiParameters`. */
export async function answerSsm(
  store: SimParameterStore,
  request: AwsRequest,
  amiParameters?: AmiParameterApi,
): Promise<AwsReply> {
  const target = request.headers['x-amz-target'] ?? '';
  const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
  try {
    if (
      request.method !== 'POST' ||
      !(request.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.1')
    ) {
      throw new SsmError('UnknownOperationException', 'expected POST with application/x-amz-json-1.1');
    }
    const body = JSON.parse(request.body || '{}') as Body;
    store.calls.push({ operation, body });
    store.injectFailure(operation, body);
    const name = String(body.Name ?? '');
    const isPublic = operation === 'GetParameter' && name.startsWith(PUBLIC_PREFIX) && !store.parameters.has(name);
    const answer =
      isPublic && amiParameters ? await publicParameter(amiParameters, body) : store.answer(operation, body);
    return ssmReply(operation, 200, answer);
  } catch (error) {
    const e = error instanceof SsmError ? error : new SsmError('InternalServerError', String(error));
    return ssmReply(operation, 400, { __type: e.type, message: e.message }, { 'x-amzn-ErrorType': e.type });
  }
}

/** GetParameter of a public parameter, answered by the simulated EC2; its SDK errors keep their code. */
async function publicParameter(api: AmiParameterApi, body: Body): Promise<Body> {
  try {
    const { Name, WithDecryption } = body as { Name: string; WithDecryption?: boolean };
    const { Parameter } = await api.getParameter(WithDecryption === undefined ? { Name } : { Name, WithDecryption });
    return { Parameter };
  } catch (error) {
    const { name, message, $metadata } = error as { name?: unknown; message?: unknown; $metadata?: unknown };
    if ($metadata === undefined || typeof name !== 'string') throw error;
    throw new SsmError(name, typeof message === 'string' ? message : '');
  }
}

export function ssmReply(
  operation: string,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): AwsReply {
  return jsonReply(operation, status, body, { 'content-type': 'application/x-amz-json-1.1', ...headers });
}

function notFound(): SsmError {
  return new SsmError('ParameterNotFound', '');
}

/** One page of `items` from the opaque token (an offset), with NextToken when more remain. */
function page<T>(items: readonly T[], token: unknown, max: number, key: string, show: (item: T) => Body): Body {
  const start = token === undefined ? 0 : Number(Buffer.from(String(token), 'base64').toString('utf8'));
  const slice = items.slice(start, start + max).map(show);
  const next = start + max < items.length ? Buffer.from(String(start + max)).toString('base64') : undefined;
  return { [key]: slice, ...(next === undefined ? {} : { NextToken: next }) };
}
