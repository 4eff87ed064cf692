// A throw-away CA and a server certificate for 127.0.0.1 signed by it, made with the openssl CLI, so the TLS
// tests verify the API server's certificate against a CA the way the Lambda does against the cluster CA.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestPki {
  /** The CA certificate, PEM: what DescribeCluster returns (base64) as certificateAuthority.data. */
  readonly caPem: string;
  /** The API server's key and certificate (SAN IP:127.0.0.1, DNS:localhost). */
  readonly key: string;
  readonly cert: string;
}

/** EC P-256 keys: generating them takes milliseconds, where RSA takes a noticeable fraction of a second. */
export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'fleetwright-pki-'));
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  try {
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    run(
      'req',
      '-x509',
      ...ec,
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '1',
      '-subj',
      '/CN=fleetwright-test-ca',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    );
    run('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=kube-apiserver');
    writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
    run(
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.crt',
      '-days',
      '1',
      '-extfile',
      'ext.cnf',
    );
    const read = (file: string) => readFileSync(join(dir, file), 'utf8');
    return { caPem: read('ca.crt'), key: read('server.key'), cert: read('server.crt') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
