// A loopback Kubernetes API server (HTTP, or HTTPS with a given certificate) over the in-memory store: the
// endpoints fleetwright's client calls, with real semantics, for the adapter tests and the simulator. Each
// request goes authentication (401) → injected faults → authorization (403) → handler, and is logged so tests
// can check what the client did and in which order.

import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { AccessControl, type Authenticator, staticTokens } from './access.js';
import { FaultInjector } from './faults.js';
import { type ApiCall, create, get, type HandlerContext, list, patch, type Reply, remove, update } from './handlers.js';
import { bind, evict } from './pods.js';
import { parsePath } from './resources.js';
import { ApiError, badRequest, failure, forbidden, type StatusBody, unauthorized } from './status.js';
import { ObjectStore } from './store.js';
import { serveWatch } from './watch.js';

export interface KubeApiServerOptions {
  /** PEM key and certificate (signed by a CA the client trusts); plain HTTP without it. */
  readonly tls?: { readonly key: string; readonly cert: string };
  /** Token → user. Default: the single token `DEFAULT_TOKEN` as user `fleetwright`. */
  readonly authenticate?: Authenticator;
  readonly historyLimit?: number;
  readonly bookmarkIntervalMs?: number;
  readonly gracefulPodDeletion?: boolean;
  readonly now?: () => number;
}

/** The bearer token the default authenticator accepts (user `fleetwright`). */
export const DEFAULT_TOKEN = 'fleetwright-simulator';

/** One request as the server understood it. */
export interface RequestRecord {
  readonly method: string;
  readonly verb: string;
  /** `pods`, `pods/eviction`, `nodes/status`. */
  readonly resource: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly query: Readonly<Record<string, string>>;
  user?: string;
  status?: number;
}

const METHOD_VERBS: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

/** The server; `store` holds the objects, `access` and `faults` shape its answers, `requests` logs them. */
export class KubeApiServer {
  readonly store: ObjectStore;
  readonly access = new AccessControl();
  readonly faults = new FaultInjector();
  readonly requests: RequestRecord[] = [];
  private readonly authenticate: Authenticator;
  private readonly ctx: HandlerContext;
  private readonly extraServers: Server[] = [];

  private constructor(
    private readonly server: Server,
    private readonly options: KubeApiServerOptions,
  ) {
    this.store = new ObjectStore({ historyLimit: options.historyLimit, now: options.now });
    this.authenticate = options.authenticate ?? staticTokens({ [DEFAULT_TOKEN]: 'fleetwright' });
    this.ctx = { store: this.store, gracefulPodDeletion: options.gracefulPodDeletion ?? false };
  }

  /** Starts listening on 127.0.0.1 on a free port. */
  static async start(options: KubeApiServerOptions = {}): Promise<KubeApiServer> {
    const server = options.tls
      ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert })
      : createHttpServer();
    const api = new KubeApiServer(server, options);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void api.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return api;
  }

  /** `http://127.0.0.1:<port>` or `https://...`. */
  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  }

  /**
   * Serves the same API over HTTPS on a second port, with the same store and authenticator: the endpoint the
   * simulator's `--keep-running` hands out through its DescribeCluster, as EKS does. Returns its URL.
   */
  async listenTls(tls: { readonly key: string; readonly cert: string }): Promise<string> {
    const server = createHttpsServer({ key: tls.key, cert: tls.cert });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.extraServers.push(server);
    return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Ends open watches and connections, then stops listening. */
  async close(): Promise<void> {
    this.faults.dropWatches();
    for (const server of [this.server, ...this.extraServers]) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://loopback');
    const parsed = parsePath(url.pathname);
    const method = req.method ?? 'GET';
    const watch = method === 'GET' && ['true', '1'].includes(url.searchParams.get('watch') ?? '');
    const verb =
      method === 'GET' ? (parsed?.name ? 'get' : watch ? 'watch' : 'list') : (METHOD_VERBS[method] ?? method);
    const resource = parsed
      ? `${parsed.resource.plural}${parsed.subresource ? `/${parsed.subresource}` : ''}`
      : url.pathname;
    const record: RequestRecord = {
      method,
      verb,
      resource,
      namespace: parsed?.namespace,
      name: parsed?.name,
      query: Object.fromEntries(url.searchParams),
    };
    this.requests.push(record);
    try {
      const body = await readBody(req);
      const user = await this.authenticate(bearerToken(req) ?? '');
      if (!user) return this.reply(res, record, { status: 401, body: unauthorized() });
      record.user = user;
      if (!parsed) throw new ApiError(failure(404, 'NotFound', 'the server could not find the requested resource'));
      const fault = this.faults.take(verb, resource);
      if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      if (fault?.status) {
        const reason = FaultInjector.reasonFor(fault.status);
        throw new ApiError(failure(fault.status, reason, `injected fault: ${reason}`), fault.retryAfterSeconds);
      }
      const access = { verb, apiGroup: parsed.resource.group, resource, namespace: parsed.namespace };
      if (!this.access.allows(access)) {
        throw forbidden(user, verb, parsed.resource, parsed.subresource, parsed.name, parsed.namespace);
      }
      this.faults.runInterleaved(verb, resource);
      const call: ApiCall = {
        verb,
        resource: parsed.resource,
        subresource: parsed.subresource,
        namespace: parsed.namespace,
        name: parsed.name,
        query: url.searchParams,
        body,
        contentType: req.headers['content-type'] ?? '',
      };
      if (verb === 'watch') {
        record.status = 200;
        return serveWatch({ store: this.store, faults: this.faults, bookmarkIntervalMs: this.bookmarkMs }, call, res);
      }
      this.reply(res, record, this.dispatch(call));
    } catch (error) {
      // A bug in the simulator surfaces to the client as the 500 a real API server would give.
      const apiError = error instanceof ApiError ? error : new ApiError(failure(500, 'InternalError', String(error)));
      this.reply(res, record, { status: apiError.body.code, body: apiError.body }, apiError.retryAfterSeconds);
    }
  }

  private get bookmarkMs(): number {
    return this.options.bookmarkIntervalMs ?? 10_000;
  }

  private dispatch(call: ApiCall): Reply {
    const { verb, name, subresource, namespace } = call;
    if (subresource === 'eviction' || subresource === 'binding') {
      if (verb !== 'create' || call.resource.plural !== 'pods' || !namespace || !name) {
        throw badRequest(`${subresource} is only created, for a pod`);
      }
      return subresource === 'eviction'
        ? evict(this.ctx, namespace, name, call.body)
        : bind(this.ctx, namespace, name, call.body);
    }
    if (subresource && subresource !== 'status')
      throw new ApiError(failure(404, 'NotFound', `no subresource ${subresource}`));
    switch (verb) {
      case 'list':
        return list(this.ctx, call);
      case 'get':
        return get(this.ctx, call);
      case 'create':
        if (name) throw new ApiError(failure(405, 'MethodNotAllowed', 'POST to an object is not allowed'));
        return create(this.ctx, call);
      case 'update':
        return update(this.ctx, call);
      case 'patch':
        return patch(this.ctx, call);
      case 'delete':
        if (!name) throw new ApiError(failure(405, 'MethodNotAllowed', 'deletecollection is not supported'));
        return remove(this.ctx, call);
      default:
        throw new ApiError(failure(405, 'MethodNotAllowed', `method not allowed: ${verb}`));
    }
  }

  private reply(res: ServerResponse, record: RequestRecord, reply: Reply, retryAfterSeconds?: number): void {
    record.status = reply.status;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
    res.writeHead(reply.status, headers);
    res.end(JSON.stringify(reply.body as StatusBody));
  }
}

function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('the request body is not valid JSON');
  }
}
