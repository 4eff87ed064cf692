// The HTTP plumbing the simulated AWS endpoint's protocols share: a request read whole into memory (AWS API
// requests are small), a reply each protocol module builds as a value, and a loopback listener. Keeping the
// protocol modules (ec2-query.ts, ssm-json.ts, eks-rest.ts) free of node:http makes them plain functions from
// request to reply, testable and composable into one server (server.ts) or a single-service fake.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the protocol modules see it: header names lower-case, the body as text. */
export interface AwsRequest {
  readonly method: string;
  /** The path without the query string, still percent-encoded. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** One answer, and the operation it answered (for the request log). */
export interface AwsReply {
  readonly operation: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface Listener {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  close(): Promise<void>;
}

export async function readRequest(req: IncomingMessage): Promise<AwsRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  return {
    method: req.method ?? 'GET',
    path: query < 0 ? url : url.slice(0, query),
    headers,
    body: Buffer.concat(chunks).toString('utf8'),
  };
}

export function sendReply(res: ServerResponse, reply: AwsReply): void {
  res.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(reply.body) });
  res.end(reply.body);
}

/**
 * Serves `answer` on 127.0.0.1 at a free port. An answer that throws becomes a plain 500: the protocol modules
 * turn every error they expect into their protocol's error reply, so this is a bug in the simulator.
 */
export async function listenLoopback(answer: (request: AwsRequest) => Promise<AwsReply>): Promise<Listener> {
  const server = createServer((req, res) => {
    readRequest(req)
      .then(answer)
      .then(
        (reply) => sendReply(res, reply),
        (error: unknown) => sendReply(res, textReply('unknown', 500, `simulator error: ${String(error)}`)),
      );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

export function jsonReply(
  operation: string,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): AwsReply {
  return {
    operation,
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body, epochSeconds),
  };
}

export function textReply(operation: string, status: number, message: string): AwsReply {
  return { operation, status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: `${message}\n` };
}

/**
 * JSON.stringify replacer: AWS JSON protocols send timestamps as epoch seconds. `Date.prototype.toJSON` runs
 * before a replacer sees the value, so the Date is read from the holder.
 */
function epochSeconds(this: unknown, key: string, value: unknown): unknown {
  const original = (this as Record<string, unknown>)[key];
  return original instanceof Date ? original.getTime() / 1000 : value;
}
