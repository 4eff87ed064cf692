// The bearer token EKS accepts from IAM principals, built the way `aws eks get-token` and aws-iam-authenticator
// build it: `k8s-aws-v1.` + base64url (unpadded) of a presigned STS GetCallerIdentity URL whose signature
// covers the header `x-k8s-aws-id: <cluster>` (so a token for one cluster is refused by another). The API
// server's authenticator calls that URL and maps the returned ARN to the access entry. Offline: signing needs
// no network. Checked byte for byte against aws-cli's output in the tests.

import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { TokenSource } from '../client/transport.js';
import { TOKEN_PRESIGN_EXPIRES_SECONDS, TOKEN_REFRESH_MARGIN_MS, TOKEN_VALIDITY_MS } from '../timing.js';

/** Version prefix of EKS IAM tokens. */
export const TOKEN_PREFIX = 'k8s-aws-v1.';
/** The signed header that binds a token to one cluster. */
export const CLUSTER_ID_HEADER = 'x-k8s-aws-id';

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  /** When temporary credentials stop working; a URL they signed stops working then too. */
  readonly expiration?: Date;
}

export type CredentialsProvider = () => Promise<AwsCredentials>;

export interface TokenRequest {
  readonly clusterName: string;
  readonly region: string;
  readonly credentials: AwsCredentials;
  readonly signingDate: Date;
}

/** The STS endpoint aws-iam-authenticator accepts for a region (regional, in the region's partition). */
export function stsHost(region: string): string {
  return region.startsWith('cn-') ? `sts.${region}.amazonaws.com.cn` : `sts.${region}.amazonaws.com`;
}

/**
 * The token for `clusterName`, signed at `signingDate`. Deterministic for fixed inputs; the query parameters
 * are written in aws-cli's order so the token equals `aws eks get-token`'s for the same date and credentials.
 */
export async function createEksToken(request: TokenRequest): Promise<string> {
  const host = stsHost(request.region);
  const signer = new SignatureV4({
    credentials: request.credentials,
    region: request.region,
    service: 'sts',
    sha256: Hash.bind(null, 'sha256'),
  });
  const presigned = await signer.presign(
    new HttpRequest({
      method: 'GET',
      protocol: 'https:',
      hostname: host,
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host, [CLUSTER_ID_HEADER]: request.clusterName },
    }),
    { expiresIn: TOKEN_PRESIGN_EXPIRES_SECONDS, signingDate: request.signingDate },
  );
  const url = `https://${host}/?${formatQuery(presigned.query as Record<string, string>)}`;
  return TOKEN_PREFIX + Buffer.from(url, 'utf8').toString('base64url');
}

const QUERY_ORDER = [
  'Action',
  'Version',
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Security-Token',
  'X-Amz-Signature',
];

function formatQuery(query: Record<string, string>): string {
  const keys = [
    ...QUERY_ORDER.filter((k) => k in query),
    ...Object.keys(query).filter((k) => !QUERY_ORDER.includes(k)),
  ];
  return keys.map((k) => `${rfc3986(k)}=${rfc3986(query[k] ?? '')}`).join('&');
}

/** Percent-encoding as SigV4 canonicalizes it (encodeURIComponent leaves !'()* alone). */
function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export interface EksTokenSourceOptions {
  readonly clusterName: string;
  readonly region: string;
  readonly credentials: CredentialsProvider;
  readonly now?: () => number;
}

/**
 * Tokens for one cluster, cached until shortly before they (or the credentials that signed them) expire.
 * Concurrent callers during a refresh share one signing.
 */
export class EksTokenSource implements TokenSource {
  private cached?: { readonly token: string; readonly refreshAt: number };
  private pending?: Promise<string>;
  private readonly now: () => number;

  constructor(private readonly options: EksTokenSourceOptions) {
    this.now = options.now ?? Date.now;
  }

  token(): Promise<string> {
    if (this.cached && this.now() < this.cached.refreshAt) return Promise.resolve(this.cached.token);
    this.pending ??= this.refresh().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  invalidate(): void {
    this.cached = undefined;
  }

  private async refresh(): Promise<string> {
    const credentials = await this.options.credentials();
    const signedAt = this.now();
    const token = await createEksToken({
      clusterName: this.options.clusterName,
      region: this.options.region,
      credentials,
      signingDate: new Date(signedAt),
    });
    const credentialsEnd = credentials.expiration?.getTime() ?? Number.POSITIVE_INFINITY;
    const refreshAt = Math.min(signedAt + TOKEN_VALIDITY_MS, credentialsEnd) - TOKEN_REFRESH_MARGIN_MS;
    this.cached = { token, refreshAt };
    return token;
  }
}
