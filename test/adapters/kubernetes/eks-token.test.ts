// The EKS bearer token: byte-for-byte equal to `aws eks get-token` for the same credentials and date, in the
// documented format (k8s-aws-v1. + base64url of a presigned STS GetCallerIdentity URL signed over host and
// x-k8s-aws-id, X-Amz-Expires=60), and cached until shortly before its 15 minutes run out.

import { describe, expect, it } from 'vitest';
import { createEksToken, EksTokenSource, stsHost } from '../../../shared/adapters/kubernetes/auth/eks-token.js';
import { TOKEN_REFRESH_MARGIN_MS, TOKEN_VALIDITY_MS } from '../../../shared/adapters/kubernetes/timing.js';

const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN',
};

// `aws eks get-token --cluster-name demo --region us-east-1` (aws-cli 1.45.11, botocore 1.43.11), run offline
// with the credentials above in the environment; its X-Amz-Date was 20261126T003137Z.
const AWS_CLI_TOKEN =
  'k8s-aws-v1.aHR0cHM6Ly9zdHMudXMtZWFzdC0xLmFtYXpvbmF3cy5jb20vP0FjdGlvbj1HZXRDYWxsZXJJZGVudGl0eSZWZXJzaW9uPTIwMTEtMDYt' +
  'MTUmWC1BbXotQWxnb3JpdGhtPUFXUzQtSE1BQy1TSEEyNTYmWC1BbXotQ3JlZGVudGlhbD1BS0lERVhBTVBMRSUyRjIwMjYxMTI2JTJGdXMtZWFzdC0x' +
  'JTJGc3RzJTJGYXdzNF9yZXF1ZXN0JlgtQW16LURhdGU9MjAyNjExMjZUMDAzMTM3WiZYLUFtei1FeHBpcmVzPTYwJlgtQW16LVNpZ25lZEhlYWRlcnM9' +
  'aG9zdCUzQngtazhzLWF3cy1pZCZYLUFtei1TZWN1cml0eS1Ub2tlbj1Gd29HWlhJdllYZHpFWEFNUExFVE9LRU4mWC1BbXotU2lnbmF0dXJlPWM3OTgy' +
  'NzQyMzdhNWNkZjI1YjRlYWJmYWFiMGE1MTc2ZGRlOTk1NWQ0Nzk3YmM4NWY4Mjg2ZDU1YTkwMjZiNmI';

// The same without a session token, for cluster prod-cluster in eu-west-1 at 20261126T003142Z.
const AWS_CLI_TOKEN_LONG_TERM_KEY =
  'k8s-aws-v1.aHR0cHM6Ly9zdHMuZXUtd2VzdC0xLmFtYXpvbmF3cy5jb20vP0FjdGlvbj1HZXRDYWxsZXJJZGVudGl0eSZWZXJzaW9uPTIwMTEtMDYt' +
  'MTUmWC1BbXotQWxnb3JpdGhtPUFXUzQtSE1BQy1TSEEyNTYmWC1BbXotQ3JlZGVudGlhbD1BS0lERVhBTVBMRSUyRjIwMjYxMTI2JTJGZXUtd2VzdC0x' +
  'JTJGc3RzJTJGYXdzNF9yZXF1ZXN0JlgtQW16LURhdGU9MjAyNjExMjZUMDAzMTQyWiZYLUFtei1FeHBpcmVzPTYwJlgtQW16LVNpZ25lZEhlYWRlcnM9' +
  'aG9zdCUzQngtazhzLWF3cy1pZCZYLUFtei1TaWduYXR1cmU9OGFhODAzYmQwMTE3ZWU1YjQ3Y2ExN2IxZDU2N2Q3N2ZhMTM4NjFmMDFlZmI0NmI1MTgw' +
  'MDA5YzMxZTU1MWU5Yw';

function decode(token: string): URL {
  return new URL(Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString('utf8'));
}

describe('createEksToken', () => {
  it('equals the token aws-cli produces for the same credentials, cluster and date', async () => {
    const token = await createEksToken({
      clusterName: 'demo',
      region: 'us-east-1',
      credentials: CREDENTIALS,
      signingDate: new Date('2026-11-26T00:31:37Z'),
    });
    expect(token).toBe(AWS_CLI_TOKEN);
  });

  it('equals aws-cli without a session token too (long-term keys, another region)', async () => {
    const { sessionToken: _none, ...longTerm } = CREDENTIALS;
    const token = await createEksToken({
      clusterName: 'prod-cluster',
      region: 'eu-west-1',
      credentials: longTerm,
      signingDate: new Date('2026-11-26T00:31:42Z'),
    });
    expect(token).toBe(AWS_CLI_TOKEN_LONG_TERM_KEY);
  });

  it('is k8s-aws-v1. + unpadded base64url of a presigned STS GetCallerIdentity URL', async () => {
    const token = await createEksToken({
      clusterName: 'demo',
      region: 'us-east-1',
      credentials: CREDENTIALS,
      signingDate: new Date('2026-11-26T00:31:37Z'),
    });
    expect(token.startsWith('k8s-aws-v1.')).toBe(true);
    expect(token.slice('k8s-aws-v1.'.length)).toMatch(/^[A-Za-z0-9_-]+$/);
    const url = decode(token);
    expect(url.protocol).toBe('https:');
    expect(url.host).toBe('sts.us-east-1.amazonaws.com');
    expect(url.pathname).toBe('/');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      Action: 'GetCallerIdentity',
      Version: '2011-06-15',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'AKIDEXAMPLE/20261126/us-east-1/sts/aws4_request',
      'X-Amz-Date': '20261126T003137Z',
      'X-Amz-Expires': '60',
      'X-Amz-SignedHeaders': 'host;x-k8s-aws-id',
      'X-Amz-Security-Token': CREDENTIALS.sessionToken,
      'X-Amz-Signature': expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('signs the cluster name: another cluster gives another signature, same everything else', async () => {
    const at = { region: 'us-east-1', credentials: CREDENTIALS, signingDate: new Date('2026-11-26T00:31:37Z') };
    const a = decode(await createEksToken({ ...at, clusterName: 'demo' }));
    const b = decode(await createEksToken({ ...at, clusterName: 'other' }));
    expect(b.searchParams.get('X-Amz-Signature')).not.toBe(a.searchParams.get('X-Amz-Signature'));
    b.searchParams.delete('X-Amz-Signature');
    a.searchParams.delete('X-Amz-Signature');
    expect(b.toString()).toBe(a.toString());
  });

  it('uses the regional STS endpoint of the partition', () => {
    expect(stsHost('us-west-2')).toBe('sts.us-west-2.amazonaws.com');
    expect(stsHost('cn-north-1')).toBe('sts.cn-north-1.amazonaws.com.cn');
  });
});

describe('EksTokenSource', () => {
  const start = Date.parse('2026-11-26T00:00:00Z');

  function source(clock: { now: number }, expiration?: Date) {
    let signings = 0;
    const tokens = new EksTokenSource({
      clusterName: 'demo',
      region: 'us-east-1',
      credentials: async () => {
        signings += 1;
        return { ...CREDENTIALS, ...(expiration ? { expiration } : {}) };
      },
      now: () => clock.now,
    });
    return { tokens, signings: () => signings };
  }

  it('reuses a token until shortly before its 15 minutes end, then signs a new one', async () => {
    const clock = { now: start };
    const { tokens, signings } = source(clock);
    const first = await tokens.token();
    clock.now = start + TOKEN_VALIDITY_MS - TOKEN_REFRESH_MARGIN_MS - 1;
    expect(await tokens.token()).toBe(first);
    clock.now = start + TOKEN_VALIDITY_MS - TOKEN_REFRESH_MARGIN_MS;
    const second = await tokens.token();
    expect(second).not.toBe(first);
    expect(decode(second).searchParams.get('X-Amz-Date')).toBe('20261126T001300Z');
    expect(signings()).toBe(2);
  });

  it('refreshes earlier when the signing credentials expire first', async () => {
    const clock = { now: start };
    const { tokens, signings } = source(clock, new Date(start + 5 * 60_000));
    await tokens.token();
    clock.now = start + 5 * 60_000 - TOKEN_REFRESH_MARGIN_MS;
    await tokens.token();
    expect(signings()).toBe(2);
  });

  it('signs once for concurrent callers, and again after invalidate()', async () => {
    const clock = { now: start };
    const { tokens, signings } = source(clock);
    const [a, b] = await Promise.all([tokens.token(), tokens.token()]);
    expect(a).toBe(b);
    expect(signings()).toBe(1);
    tokens.invalidate();
    await tokens.token();
    expect(signings()).toBe(2);
  });
});
