// Who may call the loopback API server, and what they may do. Authentication maps a bearer token to a user
// (401 otherwise); `eksTokenAuthenticator` checks EKS IAM tokens the way aws-iam-authenticator's STS call
// would, by verifying the SigV4 signature over the cluster header. Authorization is RBAC-shaped: everything is
// allowed until a test restricts it to a list of rules, or denies single verbs (403 naming verb and resource).

import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

/** Maps a bearer token to a user name; undefined refuses it. May be async (signature checks are). */
export type Authenticator = (token: string) => string | undefined | Promise<string | undefined>;

/** Accepts exactly these tokens, each as its user. */
export function staticTokens(tokens: Readonly<Record<string, string>>): Authenticator {
  return (token) => tokens[token];
}

export interface EksTokenCheck {
  readonly clusterName: string;
  /** Keys the authenticator "knows", as STS would (access key id → secret). */
  readonly secrets: Readonly<Record<string, string>>;
  /** User name an accepted token maps to. */
  readonly user: string;
  readonly now?: () => number;
}

/** aws-iam-authenticator refuses a token whose X-Amz-Date is older than this. */
const EKS_TOKEN_MAX_AGE_MS = 15 * 60_000;

/**
 * Accepts `k8s-aws-v1.` tokens signed for `clusterName` by a known key, at most 15 minutes old, presigned for
 * STS GetCallerIdentity with `x-k8s-aws-id` among the signed headers — the checks EKS makes, minus the network.
 */
export function eksTokenAuthenticator(check: EksTokenCheck): Authenticator {
  const now = check.now ?? Date.now;
  return async (token) => {
    if (!token.startsWith('k8s-aws-v1.')) return undefined;
    let url: URL;
    try {
      url = new URL(Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    const q = url.searchParams;
    if (!/^sts\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/.test(url.hostname) || url.pathname !== '/') return undefined;
    if (q.get('Action') !== 'GetCallerIdentity' || q.get('X-Amz-SignedHeaders') !== 'host;x-k8s-aws-id')
      return undefined;
    const date = parseAmzDate(q.get('X-Amz-Date') ?? '');
    if (date === undefined || Math.abs(now() - date) > EKS_TOKEN_MAX_AGE_MS) return undefined;
    const [accessKeyId, , region] = (q.get('X-Amz-Credential') ?? '').split('/');
    const secret = accessKeyId ? check.secrets[accessKeyId] : undefined;
    if (!secret || !region) return undefined;
    const expected = await presignedSignature(
      url,
      check.clusterName,
      region,
      {
        accessKeyId: accessKeyId as string,
        secretAccessKey: secret,
        sessionToken: q.get('X-Amz-Security-Token') ?? undefined,
      },
      new Date(date),
      Number(q.get('X-Amz-Expires')),
    );
    return expected === q.get('X-Amz-Signature') ? check.user : undefined;
  };
}

function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** The signature STS would compute for this URL with the header `x-k8s-aws-id: <clusterName>`. */
async function presignedSignature(
  url: URL,
  clusterName: string,
  region: string,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  date: Date,
  expiresIn: number,
): Promise<string | undefined> {
  const signer = new SignatureV4({ credentials, region, service: 'sts', sha256: Hash.bind(null, 'sha256') });
  const signed = await signer.presign(
    new HttpRequest({
      method: 'GET',
      protocol: 'https:',
      hostname: url.hostname,
      path: '/',
      query: { Action: url.searchParams.get('Action') ?? '', Version: url.searchParams.get('Version') ?? '' },
      headers: { host: url.hostname, 'x-k8s-aws-id': clusterName },
    }),
    { expiresIn, signingDate: date },
  );
  return signed.query?.['X-Amz-Signature'] as string | undefined;
}

export interface AccessRule {
  readonly apiGroup: string;
  /** Plural, or `plural/subresource`. */
  readonly resource: string;
  readonly verbs: readonly string[];
  /** Restricts the rule to one namespace (a Role rather than a ClusterRole). */
  readonly namespace?: string;
}

export interface AccessRequest {
  readonly verb: string;
  readonly apiGroup: string;
  readonly resource: string;
  readonly namespace?: string;
}

/** RBAC for tests: `allowOnly(rules)` to grant exactly a rule set, `deny(verb, resource)` to take one away. */
export class AccessControl {
  private rules?: readonly AccessRule[];
  private readonly denied: { verb: string; resource: string }[] = [];

  allowOnly(rules: readonly AccessRule[]): void {
    this.rules = rules;
  }

  deny(verb: string, resource: string): void {
    this.denied.push({ verb, resource });
  }

  /** Back to allowing everything. */
  reset(): void {
    this.rules = undefined;
    this.denied.length = 0;
  }

  allows(request: AccessRequest): boolean {
    if (this.denied.some((d) => d.verb === request.verb && d.resource === request.resource)) return false;
    if (!this.rules) return true;
    return this.rules.some(
      (r) =>
        r.apiGroup === request.apiGroup &&
        r.resource === request.resource &&
        r.verbs.includes(request.verb) &&
        (r.namespace === undefined || r.namespace === request.namespace),
    );
  }
}
