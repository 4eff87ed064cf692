// A loopback fake of SSM Parameter Store, for running the real `fleetwright config push/pull` (real SDK, real
// HTTP) against it. SSM speaks AWS JSON 1.1: POST / with `X-Amz-Target: AmazonSSM.<Operation>` and
// `Content-Type: application/x-amz-json-1.1`; errors are HTTP 400 with `{"__type": "<Code>", "message"}`.
// Only what fleetwright calls is here, with the API's versions, tiers, page sizes and error codes:
// PutParameter, GetParametersByPath, GetParameter, GetParameterHistory, DeleteParameter, DeleteParameters.
// Requests are not signature-checked: the SDK signs them, which is all a fake can ask.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const STANDARD_MAX_CHARS = 4096;
const ADVANCED_MAX_CHARS = 8192;
const MAX_PATH_PAGE = 10;
const MAX_HISTORY_PAGE = 50;

interface Version {
  readonly Version: number;
  readonly Value: string;
  readonly Type: string;
  readonly Tier: string;
  readonly LastModifiedDate: number;
  readonly Labels: string[];
}

type Body = Record<string, unknown>;

export class SsmError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Failure {
  readonly operation: string;
  /** Only requests about this parameter (Name, Path or one of Names) fail; any when absent. */
  readonly target?: string;
  readonly type: string;
  readonly message: string;
}

export class FakeSsm {
  readonly parameters = new Map<string, Version[]>();
  /** Every request, in order: the operation and its JSON body. */
  readonly calls: { operation: string; body: Body }[] = [];
  readonly failures: Failure[] = [];
  private server: Server | undefined;
  private clock = Date.UTC(2026, 0, 1) / 1000;

  /** Stores a parameter version directly, as if it had been put earlier. */
  seed(name: string, value: string, tier = 'Standard'): number {
    return this.put({ Name: name, Value: value, Type: 'String', Tier: tier, Overwrite: true }).Version;
  }

  current(name: string): Version | undefined {
    return this.parameters.get(name)?.at(-1);
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('AmazonSSM.') ? target.slice('AmazonSSM.'.length) : '';
    try {
      if (req.method !== 'POST' || !String(req.headers['content-type']).startsWith('application/x-amz-json-1.1')) {
        throw new SsmError('UnknownOperationException', 'expected POST with application/x-amz-json-1.1');
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Body;
      this.calls.push({ operation, body });
      this.injectFailure(operation, body);
      reply(res, 200, this.dispatch(operation, body));
    } catch (error) {
      const e = error instanceof SsmError ? error : new SsmError('InternalServerError', String(error));
      res.setHeader('x-amzn-ErrorType', e.type);
      reply(res, 400, { __type: e.type, message: e.message });
    }
  }

  private injectFailure(operation: string, body: Body): void {
    const about = [body.Name, body.Path, ...((body.Names as unknown[]) ?? [])].map(String);
    const failure = this.failures.find(
      (f) => f.operation === operation && (f.target === undefined || about.includes(f.target)),
    );
    if (failure) throw new SsmError(failure.type, failure.message);
  }

  private dispatch(operation: string, body: Body): Body {
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
        throw new SsmError('UnknownOperationException', `the fake does not implement ${operation}`);
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
    const version: Version = {
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
    return page(names, body.NextToken, max, 'Parameters', (n) => this.describe(n, this.current(n) as Version));
  }

  private get(body: Body): Body {
    const selector = String(body.Name);
    const at = selector.lastIndexOf(':');
    const name = at > 0 ? selector.slice(0, at) : selector;
    const versions = this.parameters.get(name);
    if (!versions) throw notFound();
    if (at <= 0) return { Parameter: this.describe(name, versions.at(-1) as Version) };
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
      LastModifiedUser: `arn:aws:iam::${ACCOUNT}:user/fleetwright-test`,
      Value: v.Value,
      Version: v.Version,
      Labels: v.Labels,
      Tier: v.Tier,
      Policies: [],
      DataType: 'text',
    }));
  }

  private describe(name: string, v: Version): Body {
    return {
      Name: name,
      Type: v.Type,
      Value: v.Value,
      Version: v.Version,
      LastModifiedDate: v.LastModifiedDate,
      ARN: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${name}`,
      DataType: 'text',
    };
  }
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

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
